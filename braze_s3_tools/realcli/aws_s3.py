"""The stand-in's S3 resources in the emulator: the bucket and each of its configuration resources.

Each type has create(inputs, ctx) -> (id, outputs), update(id, olds, news, ctx) -> outputs,
delete(id, outputs, ctx) and read(id, state, ctx) -> outputs as the emulator has them (None: gone).
A configuration resource's id is its bucket's name, as in pulumi-aws; deleting it removes that setting
from the bucket (DeletePublicAccessBlock, DeleteBucketOwnershipControls, DeleteBucketEncryption,
DeleteBucketPolicy, DeleteBucketLifecycle; versioning is suspended, it cannot be switched off) — what
the Terraform provider does, so a retained bucket keeps none of them after `pulumi destroy`.

Where moto is not AWS (each said again where the e2e reports):
- a bucket policy's conditional statements: moto applies a Deny with any condition to every object request
  (`PolicyStatement._check_conditions` has no request context, so the TLS-only Deny denies HTTPS too). The
  stand-in puts only the unconditional statements into moto and keeps the whole document in the resource's
  state; `read` reports the whole document while moto holds exactly those statements, and moto's policy
  otherwise (drift). The conditional statements are judged from the document instead (the e2e says so).
- request-metrics configurations (`aws:s3/bucketMetric`): moto has no PutBucketMetricsConfiguration (the
  request is routed as a CreateBucket and refused). Outputs only; `read` returns the state it is given.
- a new bucket's default encryption: AWS applies SSE-S3 to every bucket since 2023; moto reports none.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

from braze_s3_tools.realcli.aws_common import (
    Ctx,
    aws_tags,
    code,
    document,
    from_aws,
    keep_equivalent,
    same,
    tags_of,
    to_aws,
)

# S3's Route 53 hosted zone per region (the website endpoints' zone pulumi-aws reports as hostedZoneId).
HOSTED_ZONES = {
    "us-east-1": "Z3AQBSTGFYJSTF",
    "us-east-2": "Z2O1EMRO9K5GLX",
    "us-west-1": "Z2F56UZL2M1ACD",
    "us-west-2": "Z3BJ6K6RIION7M",
    "eu-west-1": "Z1BKCTXD74EZPE",
    "eu-west-2": "Z3GKZC51ZF0DB4",
    "eu-west-3": "Z3R1K369G5AVDG",
    "eu-central-1": "Z21DNDUVLTQW6Q",
    "eu-north-1": "Z3BAZG2TWCNX0D",
}
MISSING = {
    "NoSuchBucket",
    "NoSuchPublicAccessBlockConfiguration",
    "OwnershipControlsNotFoundError",
    "ServerSideEncryptionConfigurationNotFoundError",
    "NoSuchLifecycleConfiguration",
    "NoSuchBucketPolicy",
    "404",
}


def _missing(call: Callable[[], Any]) -> Any:
    """The call's answer, or None when the emulator says the thing does not exist."""
    try:
        return call()
    except ClientError as error:
        if code(error) in MISSING:
            return None
        raise


# --- the bucket -------------------------------------------------------------------------------


def _bucket_outputs(name: str, ctx: Ctx) -> dict[str, Any]:
    region = ctx.client("s3").get_bucket_location(Bucket=name).get("LocationConstraint") or "us-east-1"
    out = {
        "id": name,
        "bucket": name,
        "arn": f"arn:{ctx.partition}:s3:::{name}",
        "bucketDomainName": f"{name}.s3.amazonaws.com",
        "bucketRegionalDomainName": f"{name}.s3.{region}.amazonaws.com",
        "region": region,
    }
    if region in HOSTED_ZONES:
        out["hostedZoneId"] = HOSTED_ZONES[region]
    return out


def bucket_create(inputs: dict[str, Any], ctx: Ctx) -> tuple[str, dict[str, Any]]:
    name = str(inputs["bucket"])
    args: dict[str, Any] = {"Bucket": name, "ObjectLockEnabledForBucket": bool(inputs.get("objectLockEnabled"))}
    if ctx.region and ctx.region != "us-east-1":
        args["CreateBucketConfiguration"] = {"LocationConstraint": ctx.region}
    ctx.client("s3").create_bucket(**args)
    _put_tags(name, inputs.get("tags"), ctx)
    tags = dict(inputs.get("tags") or {})
    return name, {**inputs, **_bucket_outputs(name, ctx), "tags": tags, "tagsAll": tags}


def _put_tags(name: str, tags: Any, ctx: Ctx) -> None:
    if tags:
        ctx.client("s3").put_bucket_tagging(Bucket=name, Tagging={"TagSet": aws_tags(tags)})
    else:
        ctx.client("s3").delete_bucket_tagging(Bucket=name)


def bucket_update(id_: str, olds: dict[str, Any], news: dict[str, Any], ctx: Ctx) -> dict[str, Any]:
    if not same(olds.get("tags"), news.get("tags")):
        _put_tags(id_, news.get("tags"), ctx)
    tags = dict(news.get("tags") or {})
    return {**olds, **news, **_bucket_outputs(id_, ctx), "tags": tags, "tagsAll": tags}


def bucket_delete(id_: str, outputs: dict[str, Any], ctx: Ctx) -> None:
    # forceDestroy is always false here: a bucket with files is refused (BucketNotEmpty), as in AWS.
    ctx.client("s3").delete_bucket(Bucket=id_)


def bucket_read(id_: str, state: dict[str, Any], ctx: Ctx) -> dict[str, Any] | None:
    s3 = ctx.client("s3")
    if _missing(lambda: s3.head_bucket(Bucket=id_)) is None:
        return None
    try:
        lock = s3.get_object_lock_configuration(Bucket=id_)["ObjectLockConfiguration"]
        locked = lock.get("ObjectLockEnabled") == "Enabled"
    except ClientError as error:
        if code(error) != "ObjectLockConfigurationNotFoundError":
            raise
        locked = False
    tagging = _missing(lambda: s3.get_bucket_tagging(Bucket=id_))
    tags = tags_of((tagging or {}).get("TagSet"))
    return {
        **state,
        **_bucket_outputs(id_, ctx),
        "forceDestroy": bool(state.get("forceDestroy", False)),  # provider-side only: no AWS setting
        "objectLockEnabled": locked,
        "tags": tags,
        "tagsAll": tags,
    }


# --- configuration resources (id: the bucket's name) ----------------------------------------


def _config_create(put: Callable[[str, dict[str, Any], Ctx], None]) -> Callable[..., tuple[str, dict[str, Any]]]:
    def create(inputs: dict[str, Any], ctx: Ctx) -> tuple[str, dict[str, Any]]:
        bucket = str(inputs["bucket"])
        put(bucket, inputs, ctx)
        return bucket, {**inputs, "id": bucket}

    return create


def _config_update(put: Callable[[str, dict[str, Any], Ctx], None]) -> Callable[..., dict[str, Any]]:
    def update(id_: str, olds: dict[str, Any], news: dict[str, Any], ctx: Ctx) -> dict[str, Any]:
        put(id_, news, ctx)
        return {**news, "id": id_}

    return update


PAB_FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")


def pab_put(bucket: str, inputs: dict[str, Any], ctx: Ctx) -> None:
    ctx.client("s3").put_public_access_block(
        Bucket=bucket, PublicAccessBlockConfiguration={f[:1].upper() + f[1:]: bool(inputs.get(f)) for f in PAB_FLAGS}
    )


def pab_delete(id_: str, outputs: dict[str, Any], ctx: Ctx) -> None:
    ctx.client("s3").delete_public_access_block(Bucket=id_)


def pab_read(id_: str, state: dict[str, Any], ctx: Ctx) -> dict[str, Any] | None:
    got = _missing(lambda: ctx.client("s3").get_public_access_block(Bucket=id_))
    if got is None:
        return None
    flags = got["PublicAccessBlockConfiguration"]
    return {**state, "id": id_, "bucket": id_, **{f: bool(flags.get(f[:1].upper() + f[1:])) for f in PAB_FLAGS}}


def ownership_put(bucket: str, inputs: dict[str, Any], ctx: Ctx) -> None:
    ctx.client("s3").put_bucket_ownership_controls(
        Bucket=bucket, OwnershipControls={"Rules": [{"ObjectOwnership": inputs["rule"]["objectOwnership"]}]}
    )


def ownership_delete(id_: str, outputs: dict[str, Any], ctx: Ctx) -> None:
    ctx.client("s3").delete_bucket_ownership_controls(Bucket=id_)


def ownership_read(id_: str, state: dict[str, Any], ctx: Ctx) -> dict[str, Any] | None:
    got = _missing(lambda: ctx.client("s3").get_bucket_ownership_controls(Bucket=id_))
    if got is None:
        return None
    rules = got["OwnershipControls"]["Rules"]
    return {**state, "id": id_, "bucket": id_, "rule": {"objectOwnership": rules[0]["ObjectOwnership"]}}


def encryption_put(bucket: str, inputs: dict[str, Any], ctx: Ctx) -> None:
    ctx.client("s3").put_bucket_encryption(
        Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": to_aws(inputs["rules"])}
    )


def encryption_delete(id_: str, outputs: dict[str, Any], ctx: Ctx) -> None:
    ctx.client("s3").delete_bucket_encryption(Bucket=id_)


def encryption_read(id_: str, state: dict[str, Any], ctx: Ctx) -> dict[str, Any] | None:
    got = _missing(lambda: ctx.client("s3").get_bucket_encryption(Bucket=id_))
    if got is None:
        return None
    rules = from_aws(got["ServerSideEncryptionConfiguration"]["Rules"])
    return {**state, "id": id_, "bucket": id_, "rules": keep_equivalent(state.get("rules"), rules)}


def versioning_put(bucket: str, inputs: dict[str, Any], ctx: Ctx) -> None:
    status = inputs["versioningConfiguration"]["status"]
    if status == "Disabled":  # pulumi-aws's word for "never enabled": nothing to put
        return
    ctx.client("s3").put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": status})


def versioning_delete(id_: str, outputs: dict[str, Any], ctx: Ctx) -> None:
    # Versioning cannot be switched off once on: the Terraform provider suspends it.
    if (outputs.get("versioningConfiguration") or {}).get("status") == "Enabled":
        ctx.client("s3").put_bucket_versioning(Bucket=id_, VersioningConfiguration={"Status": "Suspended"})


def versioning_read(id_: str, state: dict[str, Any], ctx: Ctx) -> dict[str, Any] | None:
    got = _missing(lambda: ctx.client("s3").get_bucket_versioning(Bucket=id_))
    if got is None:
        return None
    config = {**(state.get("versioningConfiguration") or {}), "status": got.get("Status") or "Disabled"}
    return {**state, "id": id_, "bucket": id_, "versioningConfiguration": config}


def lifecycle_put(bucket: str, inputs: dict[str, Any], ctx: Ctx) -> None:
    ctx.client("s3").put_bucket_lifecycle_configuration(
        Bucket=bucket, LifecycleConfiguration={"Rules": to_aws(inputs["rules"])}
    )


def lifecycle_delete(id_: str, outputs: dict[str, Any], ctx: Ctx) -> None:
    ctx.client("s3").delete_bucket_lifecycle(Bucket=id_)


def lifecycle_read(id_: str, state: dict[str, Any], ctx: Ctx) -> dict[str, Any] | None:
    got = _missing(lambda: ctx.client("s3").get_bucket_lifecycle_configuration(Bucket=id_))
    if got is None:
        return None
    rules = from_aws(got["Rules"])
    out = {**state, "id": id_, "bucket": id_, "rules": keep_equivalent(state.get("rules"), rules)}
    if got.get("TransitionDefaultMinimumObjectSize"):
        out["transitionDefaultMinimumObjectSize"] = got["TransitionDefaultMinimumObjectSize"]
    return out


def moto_statements(policy: Any) -> dict[str, Any] | None:
    """The document as far as moto applies it like AWS: its statements without a condition (None: none)."""
    doc = document(policy)
    statements = doc.get("Statement", [])
    statements = statements if isinstance(statements, list) else [statements]
    kept = [s for s in statements if not s.get("Condition")]
    return {**doc, "Statement": kept} if kept else None


def policy_put(bucket: str, inputs: dict[str, Any], ctx: Ctx) -> None:
    kept = moto_statements(inputs["policy"])
    if kept is None:
        _missing(lambda: ctx.client("s3").delete_bucket_policy(Bucket=bucket))
    else:
        ctx.client("s3").put_bucket_policy(Bucket=bucket, Policy=json.dumps(kept))


def policy_delete(id_: str, outputs: dict[str, Any], ctx: Ctx) -> None:
    _missing(lambda: ctx.client("s3").delete_bucket_policy(Bucket=id_))


def policy_read(id_: str, state: dict[str, Any], ctx: Ctx) -> dict[str, Any] | None:
    s3 = ctx.client("s3")
    if _missing(lambda: s3.head_bucket(Bucket=id_)) is None:
        return None
    got = _missing(lambda: s3.get_bucket_policy(Bucket=id_))
    held = document(got["Policy"]) if got else None
    ours = state.get("policy")
    if ours is not None and same(moto_statements(ours), held):
        return {**state, "id": id_, "bucket": id_}  # moto holds exactly what the stand-in put there
    if held is None:
        return None
    return {**state, "id": id_, "bucket": id_, "policy": json.dumps(held)}


def metric_create(inputs: dict[str, Any], ctx: Ctx) -> tuple[str, dict[str, Any]]:
    id_ = f"{inputs['bucket']}:{inputs['name']}"  # moto lacks the API: outputs only
    return id_, {**inputs, "id": id_}


def metric_update(id_: str, olds: dict[str, Any], news: dict[str, Any], ctx: Ctx) -> dict[str, Any]:
    return {**news, "id": id_}


def metric_delete(id_: str, outputs: dict[str, Any], ctx: Ctx) -> None:
    return None


def metric_read(id_: str, state: dict[str, Any], ctx: Ctx) -> dict[str, Any] | None:
    return state or None


def config_kinds() -> dict[str, tuple[Callable[..., Any], ...]]:
    """type -> (create, update, delete, read)."""
    kinds: dict[str, tuple[Callable[..., Any], ...]] = {
        "aws:s3/bucket:Bucket": (bucket_create, bucket_update, bucket_delete, bucket_read),
        "aws:s3/bucketMetric:BucketMetric": (metric_create, metric_update, metric_delete, metric_read),
    }
    for type_, put, delete, read in (
        ("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", pab_put, pab_delete, pab_read),
        ("aws:s3/bucketOwnershipControls:BucketOwnershipControls", ownership_put, ownership_delete, ownership_read),
        (
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            encryption_put,
            encryption_delete,
            encryption_read,
        ),
        ("aws:s3/bucketVersioning:BucketVersioning", versioning_put, versioning_delete, versioning_read),
        (
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
            lifecycle_put,
            lifecycle_delete,
            lifecycle_read,
        ),
        ("aws:s3/bucketPolicy:BucketPolicy", policy_put, policy_delete, policy_read),
    ):
        kinds[type_] = (_config_create(put), _config_update(put), delete, read)
    return kinds
