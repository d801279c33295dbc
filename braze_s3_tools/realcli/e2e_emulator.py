"""The e2e's side of the emulator: the deployer, buckets that exist before the stack, and what is left after.

Everything here talks to moto directly (boto3), never through Pulumi: it prepares what a real account would
already hold (a deployer principal, the buckets a stack references or imports) and inspects what the real
`pulumi up` and `pulumi destroy` left there.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from braze_s3_tools.emulator.bucket_policy import CHECK, wanted
from braze_s3_tools.emulator.server import client, harden_as_its_owner_did
from braze_s3_tools.engine.stack_files import PROJECT_ROOT
from braze_s3_tools.realcli.aws_s3 import moto_statements
from braze_s3_tools.realcli.standin_cloud import SECRET_SIG, SECRET_VAL
from braze_s3_tools.verify.outputs import Integration, buckets_of
from braze_s3_tools.verify.report import Report
from braze_s3_tools.verify.report import error_code as _code

sys.path.insert(0, str(PROJECT_ROOT / "policypack"))  # the pack's bucket-policy reader, shared on purpose
from braze_rules.bucket_denials import denials
from braze_rules.model import BucketInfo
from braze_rules.resources import Res, clean

DEPLOYER = "braze-s3-e2e-deployer"
ALLOW_ALL = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
LEGACY_TAGS = {"owner": "legacy-team"}
LEGACY_FILE = "legacy/report-2025-01.csv"
RETAINED_FILE = "braze-s3-e2e/retained-after-destroy.txt"


def deployer(endpoint: str, region: str) -> dict[str, str]:
    """A principal allowed everything, as whoever runs `pulumi up`; call before IAM enforcement is on."""
    iam = client("iam", endpoint, region)
    iam.create_user(UserName=DEPLOYER)
    iam.put_user_policy(UserName=DEPLOYER, PolicyName="all", PolicyDocument=json.dumps(ALLOW_ALL))
    key = iam.create_access_key(UserName=DEPLOYER)["AccessKey"]
    return {"AWS_ACCESS_KEY_ID": key["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": key["SecretAccessKey"]}


def _new_bucket(s3: Any, name: str, region: str) -> None:
    args: dict[str, Any] = {"Bucket": name}
    if region != "us-east-1":
        args["CreateBucketConfiguration"] = {"LocationConstraint": region}
    s3.create_bucket(**args)


def seed_reference(s3: Any, name: str, region: str) -> None:
    """A bucket the stack only references: already hardened by its owner, with a file of theirs."""
    _new_bucket(s3, name, region)
    harden_as_its_owner_did(s3, name)
    s3.put_object(Bucket=name, Key=LEGACY_FILE, Body=b"id,value\n")


def seed_import(s3: Any, name: str, region: str) -> None:
    """A bucket the stack imports, with a setting of its own for everything the import overwrites."""
    _new_bucket(s3, name, region)
    s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": [{"Key": k, "Value": v} for k, v in LEGACY_TAGS.items()]})
    flags = ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")
    s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=dict.fromkeys(flags, False))
    s3.put_bucket_ownership_controls(Bucket=name, OwnershipControls={"Rules": [{"ObjectOwnership": "ObjectWriter"}]})
    s3.put_bucket_encryption(
        Bucket=name,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
        },
    )
    legacy_policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "LegacyReader",
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{name}/*",
            }
        ],
    }
    s3.put_bucket_policy(Bucket=name, Policy=json.dumps(legacy_policy))
    s3.put_bucket_lifecycle_configuration(
        Bucket=name,
        LifecycleConfiguration={
            "Rules": [
                {"ID": "legacy-expire-all", "Status": "Enabled", "Filter": {"Prefix": ""}, "Expiration": {"Days": 30}}
            ]
        },
    )
    s3.put_object(Bucket=name, Key=LEGACY_FILE, Body=b"id,value\n")


def seed_existing_buckets(
    endpoint: str, region: str, buckets: dict[str, Any], credentials: dict[str, str] | None = None
) -> list[str]:
    """The buckets a stack references or imports, made as their owners left them; one line per bucket."""
    s3 = client("s3", endpoint, region, _boto_credentials(credentials))
    lines = []
    for bucket in buckets.values():
        mode, name = bucket.get("mode"), str(bucket.get("name"))
        if mode == "reference":
            seed_reference(s3, name, region)
            lines.append(f"{name} (reference): hardened by its owner, one file")
        elif mode == "import":
            seed_import(s3, name, region)
            lines.append(
                f"{name} (import): its own tags, public access block off, ObjectWriter, SSE-S3, a bucket policy, "
                "a lifecycle rule, one file"
            )
    return lines


# --- a bucket's settings as moto holds them (by the pulumi-aws type that manages each) ---------

SETTINGS = {
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": (
        "get_public_access_block",
        "PublicAccessBlockConfiguration",
    ),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": ("get_bucket_ownership_controls", "OwnershipControls"),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": (
        "get_bucket_encryption",
        "ServerSideEncryptionConfiguration",
    ),
    "aws:s3/bucketPolicy:BucketPolicy": ("get_bucket_policy", "Policy"),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": ("get_bucket_lifecycle_configuration", "Rules"),
    "aws:s3/bucketVersioning:BucketVersioning": ("get_bucket_versioning", "Status"),
}


def bucket_settings(endpoint: str, region: str, name: str, credentials: dict[str, str] | None = None) -> dict[str, Any]:
    """type -> the setting moto holds for it on the bucket (None: not set)."""
    s3 = client("s3", endpoint, region, _boto_credentials(credentials))
    found: dict[str, Any] = {}
    for type_, (call, key) in SETTINGS.items():
        try:
            value = getattr(s3, call)(Bucket=name).get(key)
        except ClientError:
            value = None
        found[type_] = json.loads(value) if isinstance(value, str) and value.startswith("{") else value
    return found


def _boto_credentials(env: dict[str, str] | None) -> dict[str, str] | None:
    if not env:
        return None
    return {"aws_access_key_id": env["AWS_ACCESS_KEY_ID"], "aws_secret_access_key": env["AWS_SECRET_ACCESS_KEY"]}


# --- bucket policies: judged from their documents --------------------------------------------


def _exported_value(value: Any) -> Any:
    """A value of `pulumi stack export --show-secrets`: secrets come as {sig, plaintext: JSON text}."""
    if isinstance(value, dict) and value.get(SECRET_SIG) == SECRET_VAL:
        if "plaintext" in value:
            return json.loads(value["plaintext"])
        return value.get("value")
    return value


def bucket_policies(export: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(urn, name, bucket, policy) of each bucket policy in a `pulumi stack export --show-secrets` document."""
    found = []
    for res in export.get("deployment", {}).get("resources", []) or []:
        if res.get("type") != BUCKET_POLICY:
            continue
        outputs = res.get("outputs") or {}
        policy = _exported_value(outputs.get("policy"))
        found.append(
            (
                res["urn"],
                res["urn"].rsplit("::", 1)[-1],
                str(_exported_value(outputs.get("bucket"))),
                policy if isinstance(policy, str) else json.dumps(policy),
            )
        )
    return found


def check_bucket_policies(export: dict[str, Any], integrations: Iterable[Integration], report: Report) -> int:
    """One check per integration, from the documents in the state; returns how many statements moto holds no copy of."""
    policies = bucket_policies(export)
    kept_out = 0
    for _, _, _, policy in policies:
        doc = json.loads(policy)
        statements = doc.get("Statement", [])
        kept = moto_statements(doc)
        kept_out += len(statements if isinstance(statements, list) else [statements]) - len(
            (kept or {}).get("Statement", [])
        )
    for it in integrations:
        children = [
            Res(urn, BUCKET_POLICY, name, clean({"bucket": bucket, "policy": policy}))
            for urn, name, bucket, policy in policies
            if bucket == it.bucket
        ]
        if not children:
            report.add(it.subject, CHECK, True, "the stack sets no bucket policy on this bucket")
            continue
        bucket = BucketInfo(f"name:{it.bucket}", it.bucket, None, children)
        found = {(d.res.name, d.why): action for action, key in wanted(it) for d in denials(bucket, action, key)}
        reason = "; ".join(f'"{name}" {why} (denies {action})' for (name, why), action in found.items())
        report.add(it.subject, CHECK, not found, reason)
    return kept_out


# --- roles: exercised through stand-ins (Braze's account cannot call the emulator) ------------


def role_stand_ins(
    endpoint: str, region: str, integrations: Iterable[Integration], credentials: dict[str, str]
) -> dict[str, str]:
    """role ARN -> a stand-in role with the same attached policies and external-id condition, trusting the deployer.

    moto matches a trust principal against the caller's exact ARN (an account root matches nobody), so Braze's
    trust cannot be exercised; the stand-in exercises exactly the role's permissions in its place."""
    iam = client("iam", endpoint, region, _boto_credentials(credentials))
    me = iam.get_user(UserName=DEPLOYER)["User"]["Arn"]
    found: dict[str, str] = {}
    for it in integrations:
        if not it.role_arn:
            continue
        name = it.role_arn.rsplit("/", 1)[-1]
        role = iam.get_role(RoleName=name)["Role"]
        trust = role["AssumeRolePolicyDocument"]
        trust = json.loads(trust) if isinstance(trust, str) else trust
        statements = trust["Statement"] if isinstance(trust["Statement"], list) else [trust["Statement"]]
        for statement in statements:
            statement["Principal"] = {"AWS": me}
        stand_in = iam.create_role(
            RoleName=f"{name[:50]}-stand-in", Path=role["Path"], AssumeRolePolicyDocument=json.dumps(trust)
        )["Role"]
        for attached in iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]:
            iam.attach_role_policy(RoleName=stand_in["RoleName"], PolicyArn=attached["PolicyArn"])
        found[it.role_arn] = stand_in["Arn"]
    return found


def remove_stand_ins(endpoint: str, region: str, stand_ins: dict[str, str], credentials: dict[str, str]) -> None:
    """Detach and delete the stand-ins, so that `pulumi destroy` meets only what the stack made."""
    iam = client("iam", endpoint, region, _boto_credentials(credentials))
    for arn in stand_ins.values():
        name = arn.rsplit("/", 1)[-1]
        for attached in iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]:
            iam.detach_role_policy(RoleName=name, PolicyArn=attached["PolicyArn"])
        iam.delete_role(RoleName=name)


# --- after destroy --------------------------------------------------------------------------


@dataclass
class Left:
    buckets: dict[str, int]  # name -> objects still there (-1: the bucket is gone)
    settings: dict[str, list[str]]  # name -> the settings still on it
    principals: dict[str, str]  # role/user/policy/key -> "gone" or what is left


def put_retained_marker(endpoint: str, region: str, outputs: dict[str, Any], credentials: dict[str, str]) -> list[str]:
    """One file in each bucket the stack manages (the deployer's), to show the files outlive `pulumi destroy`."""
    s3 = client("s3", endpoint, region, _boto_credentials(credentials))
    names = [str(b["name"]) for b in buckets_of(outputs) if b.get("mode", "create") != "reference"]
    for name in names:
        s3.put_object(Bucket=name, Key=RETAINED_FILE, Body=b"written before pulumi destroy\n")
    return names


def left_after_destroy(
    endpoint: str,
    region: str,
    outputs: dict[str, Any],
    integrations: Iterable[Integration],
    credentials: dict[str, str],
) -> Left:
    s3 = client("s3", endpoint, region, _boto_credentials(credentials))
    iam = client("iam", endpoint, region, _boto_credentials(credentials))
    left = Left({}, {}, {})
    for bucket in buckets_of(outputs):
        name = str(bucket["name"])
        try:
            left.buckets[name] = s3.list_objects_v2(Bucket=name).get("KeyCount", 0)
        except ClientError:
            left.buckets[name] = -1
            continue
        settings = bucket_settings(endpoint, region, name, credentials)
        left.settings[name] = [t.split(":")[-1] for t, v in settings.items() if v not in (None, "Suspended")]
    for it in integrations:
        checks: list[tuple[str, Any]] = []
        if it.role_arn:
            checks.append(
                (
                    f"role {it.role_arn.rsplit('/', 1)[-1]}",
                    lambda it=it: iam.get_role(RoleName=it.role_arn.rsplit("/", 1)[-1]),
                )
            )
        if it.user_name:
            checks.append((f"user {it.user_name}", lambda it=it: iam.get_user(UserName=it.user_name)))
        for generation, key in sorted(it.keys.items()):
            checks.append(
                (f"access key {generation} of {it.subject}", lambda key=key: _key_works(endpoint, region, key))
            )
        for label, call in checks:
            try:
                call()
                left.principals[label] = "still there"
            except ClientError as error:
                left.principals[label] = f"gone ({_code(error)})"
    return left


def _key_works(endpoint: str, region: str, key: dict[str, str]) -> Any:
    creds = {"aws_access_key_id": key["accessKeyId"], "aws_secret_access_key": key["secretAccessKey"]}
    return client("sts", endpoint, region, creds).get_caller_identity()
