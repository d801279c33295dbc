"""The stand-in provider's cloud side (realcli.aws_backend) against moto, type by type, without the CLI."""

from __future__ import annotations

import json
from typing import Any

import pytest

from braze_s3_tools.emulator.server import MotoServer, client
from braze_s3_tools.realcli import aws_backend as backend
from braze_s3_tools.realcli.aws_common import Ctx

pytestmark = pytest.mark.slow
REGION = "eu-west-1"
BUCKET = "acme-braze-backend-test"
TLS_ONLY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    ],
}
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::716373062512:root"},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"sts:ExternalId": "6f1c2b9e-3f7d-4c55-9a38-1b2d7c0e4a11"}},
            }
        ],
    },
    indent=2,
)
GRANT = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{BUCKET}/currents/*"}],
    },
    indent=2,
)


@pytest.fixture
def ctx(moto: MotoServer, monkeypatch: pytest.MonkeyPatch) -> Ctx:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "bootstrap")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "bootstrap")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    return Ctx(moto.url, REGION)


def _s3(moto: MotoServer) -> Any:
    return client("s3", moto.url, REGION)


def test_endpoint_comes_from_the_standins_own_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    """No variable, no emulator: the stand-in keeps its no-cloud behaviour."""
    monkeypatch.delenv(backend.ENDPOINT_ENV, raising=False)
    assert backend.ctx_from_env(REGION) is None
    monkeypatch.setenv(backend.ENDPOINT_ENV, "http://127.0.0.1:5999")
    made = backend.ctx_from_env(REGION)
    assert made is not None and made.endpoint == "http://127.0.0.1:5999" and made.region == REGION


def test_every_type_the_program_creates_is_modelled() -> None:
    from braze_s3_tools.plan.replacements import REPLACE_ON

    missing = sorted(set(REPLACE_ON) - set(backend.KINDS))
    assert not missing, f"types the program creates that the stand-in cannot put in the emulator: {missing}"
    assert set(backend.INPUTS) == set(backend.KINDS), "every modelled type lists its inputs"


def test_bucket_and_its_configuration_live_in_the_emulator(ctx: Ctx, moto: MotoServer) -> None:
    s3 = _s3(moto)
    tags = {"braze:bucket": "true", "environment": "dev"}
    id_, out = backend.create(
        "aws:s3/bucket:Bucket",
        {"bucket": BUCKET, "forceDestroy": False, "objectLockEnabled": False, "tags": tags},
        ctx,
    )
    assert id_ == BUCKET
    assert out["arn"] == f"arn:aws:s3:::{BUCKET}" and out["region"] == REGION, out
    assert out["bucketRegionalDomainName"] == f"{BUCKET}.s3.{REGION}.amazonaws.com"
    assert s3.get_bucket_location(Bucket=BUCKET)["LocationConstraint"] == REGION
    assert {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket=BUCKET)["TagSet"]} == tags

    configs: list[tuple[str, dict[str, Any]]] = [
        (
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            dict.fromkeys(("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"), True),
        ),
        (
            "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
            {"rule": {"objectOwnership": "BucketOwnerEnforced"}},
        ),
        (
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            {"rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]},
        ),
        ("aws:s3/bucketVersioning:BucketVersioning", {"versioningConfiguration": {"status": "Enabled"}}),
        (
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
            {
                # numbers as the engine sends them: doubles
                "rules": [
                    {
                        "id": "abort-incomplete-multipart-uploads",
                        "status": "Enabled",
                        "filter": {"prefix": ""},
                        "abortIncompleteMultipartUpload": {"daysAfterInitiation": 7.0},
                    },
                    {
                        "id": "currents-main",
                        "status": "Enabled",
                        "filter": {"prefix": "currents/"},
                        "expiration": {"days": 90.0},
                        "transitions": [{"days": 30.0, "storageClass": "STANDARD_IA"}],
                    },
                ]
            },
        ),
    ]
    for type_, settings in configs:
        inputs = {"bucket": BUCKET, **settings}
        cid, cout = backend.create(type_, inputs, ctx)
        assert cid == BUCKET, type_
        read = backend.read(type_, cid, cout, ctx)
        assert read is not None, f"{type_}: not found right after create"
        assert backend.read_inputs(type_, read, inputs) == inputs, f"{type_}: the emulator does not hold the inputs"
    assert s3.get_public_access_block(Bucket=BUCKET)["PublicAccessBlockConfiguration"]["BlockPublicPolicy"] is True
    assert s3.get_bucket_ownership_controls(Bucket=BUCKET)["OwnershipControls"]["Rules"][0] == {
        "ObjectOwnership": "BucketOwnerEnforced"
    }
    assert s3.get_bucket_versioning(Bucket=BUCKET)["Status"] == "Enabled"
    rules = s3.get_bucket_lifecycle_configuration(Bucket=BUCKET)["Rules"]
    assert [r["ID"] for r in rules] == ["abort-incomplete-multipart-uploads", "currents-main"]
    assert rules[1]["Expiration"] == {"Days": 90}

    # Deleting the configuration resources takes their settings off the (retained) bucket, as the Terraform
    # provider does; versioning is only suspended.
    for type_, inputs in configs:
        backend.delete(type_, BUCKET, {"bucket": BUCKET, **inputs}, ctx)
    assert backend.read("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", BUCKET, {}, ctx) is None
    assert backend.read("aws:s3/bucketOwnershipControls:BucketOwnershipControls", BUCKET, {}, ctx) is None
    assert s3.get_bucket_versioning(Bucket=BUCKET)["Status"] == "Suspended"
    assert backend.read("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", BUCKET, {}, ctx) is None


def test_bucket_policy_conditional_statements_are_kept_out_of_moto_and_reported_whole(
    ctx: Ctx, moto: MotoServer
) -> None:
    """moto applies a conditional Deny to every object request: only unconditional statements go in."""
    s3 = _s3(moto)
    name = "acme-braze-policy-test"
    backend.create("aws:s3/bucket:Bucket", {"bucket": name, "tags": {}}, ctx)
    doc = json.dumps({**TLS_ONLY, "Statement": [{**TLS_ONLY["Statement"][0], "Resource": f"arn:aws:s3:::{name}/*"}]})
    type_ = "aws:s3/bucketPolicy:BucketPolicy"
    _, out = backend.create(type_, {"bucket": name, "policy": doc}, ctx)
    assert out["policy"] == doc
    s3.put_object(Bucket=name, Key="currents/x", Body=b"x")  # moto would refuse it with the TLS Deny in place
    assert backend.read(type_, name, out, ctx) == {**out, "id": name}, "moto holds what the stand-in put there"

    # Drift: someone puts a policy of their own; the read reports it, not the state's document.
    theirs = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{name}/*"}
        ],
    }
    s3.put_bucket_policy(Bucket=name, Policy=json.dumps(theirs))
    drifted = backend.read(type_, name, out, ctx)
    assert drifted is not None and json.loads(drifted["policy"]) == theirs
    # An update puts the program's statements back (none of them unconditional: no policy in moto).
    backend.update(type_, name, out, {"bucket": name, "policy": doc}, ctx)
    assert backend.read(type_, name, out, ctx) == {**out, "id": name}


def test_import_reads_the_bucket_as_the_emulator_has_it(ctx: Ctx, moto: MotoServer) -> None:
    s3 = _s3(moto)
    name = "acme-braze-import-test"
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": [{"Key": "owner", "Value": "legacy"}]})
    state = backend.read("aws:s3/bucket:Bucket", name, {}, ctx)
    assert state is not None
    assert state["tags"] == {"owner": "legacy"} and state["objectLockEnabled"] is False and state["region"] == REGION
    inputs = backend.read_inputs("aws:s3/bucket:Bucket", state, {})
    assert inputs == {"bucket": name, "forceDestroy": False, "objectLockEnabled": False, "tags": {"owner": "legacy"}}
    assert backend.read("aws:s3/bucket:Bucket", "acme-braze-no-such-bucket", {}, ctx) is None


def test_iam_role_policy_attachment(ctx: Ctx, moto: MotoServer) -> None:
    iam = client("iam", moto.url, REGION)
    role_in = {
        "name": "currents-main-role-1a2b3c4",
        "path": "/braze/",
        "assumeRolePolicy": TRUST,
        "description": "Braze currents (main)",
        "maxSessionDuration": 3600.0,
        "forceDetachPolicies": False,
        "tags": {"braze:connector": "main"},
    }
    role_id, role = backend.create("aws:iam/role:Role", role_in, ctx)
    assert role_id == role_in["name"]
    assert role["arn"] == f"arn:aws:iam::123456789012:role/braze/{role_id}", role["arn"]
    assert role["assumeRolePolicy"] == TRUST, "the program's text is kept while IAM holds the same document"
    assert (
        backend.read_inputs("aws:iam/role:Role", backend.read("aws:iam/role:Role", role_id, role, ctx) or {}, role_in)
        == role_in
    )

    policy_in = {
        "name": "currents-main-policy-9f8e7d6",
        "path": "/braze/",
        "policy": GRANT,
        "description": "d",
        "tags": {},
    }
    policy_id, policy = backend.create("aws:iam/policy:Policy", policy_in, ctx)
    assert policy_id == policy["arn"] == f"arn:aws:iam::123456789012:policy/braze/{policy_in['name']}"
    attach_in = {"role": role_id, "policyArn": policy_id}
    attach_id, attach = backend.create("aws:iam/rolePolicyAttachment:RolePolicyAttachment", attach_in, ctx)
    assert attach_id.startswith(f"{role_id}-")
    assert [p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName=role_id)["AttachedPolicies"]] == [
        policy_id
    ]

    # An update of the document makes a new default version; of the trust, updates the role in place.
    wider = GRANT.replace("currents/*", "*")
    policy = backend.update("aws:iam/policy:Policy", policy_id, policy, {**policy_in, "policy": wider}, ctx)
    assert policy["policy"] == wider
    assert len(iam.list_policy_versions(PolicyArn=policy_id)["Versions"]) == 2
    two_ids = TRUST.replace(
        '"6f1c2b9e-3f7d-4c55-9a38-1b2d7c0e4a11"', '["6f1c2b9e-3f7d-4c55-9a38-1b2d7c0e4a11", "other"]'
    )
    role = backend.update("aws:iam/role:Role", role_id, role, {**role_in, "assumeRolePolicy": two_ids}, ctx)
    assert json.loads(role["assumeRolePolicy"]) == json.loads(two_ids)

    # Delete in the engine's order: attachment, then role and policy.
    backend.delete("aws:iam/rolePolicyAttachment:RolePolicyAttachment", attach_id, attach, ctx)
    backend.delete("aws:iam/role:Role", role_id, role, ctx)
    backend.delete("aws:iam/policy:Policy", policy_id, policy, ctx)
    assert backend.read("aws:iam/role:Role", role_id, role, ctx) is None
    assert backend.read("aws:iam/policy:Policy", policy_id, policy, ctx) is None
    assert backend.read("aws:iam/rolePolicyAttachment:RolePolicyAttachment", attach_id, attach, ctx) is None


def test_user_and_two_key_generations(ctx: Ctx, moto: MotoServer) -> None:
    iam = client("iam", moto.url, REGION)
    user_id, user = backend.create(
        "aws:iam/user:User", {"name": "currents-marketing-user-1", "path": "/braze/", "tags": {}}, ctx
    )
    keys = [backend.create("aws:iam/accessKey:AccessKey", {"user": user_id, "status": "Active"}, ctx) for _ in range(2)]
    assert all(out["secret"] and out["id"] == id_ and id_.startswith("AKIA") for id_, out in keys)
    listed = {k["AccessKeyId"] for k in iam.list_access_keys(UserName=user_id)["AccessKeyMetadata"]}
    assert listed == {id_ for id_, _ in keys}
    first_id, first = keys[0]
    read = backend.read("aws:iam/accessKey:AccessKey", first_id, first, ctx)
    assert read is not None and read["secret"] == first["secret"], "AWS never returns a secret again: kept from state"
    backend.delete("aws:iam/accessKey:AccessKey", first_id, first, ctx)
    assert backend.read("aws:iam/accessKey:AccessKey", first_id, first, ctx) is None
    # AWS refuses to delete a user that still has a key (DeleteConflict); moto does not (said in aws_iam).
    backend.delete("aws:iam/accessKey:AccessKey", keys[1][0], keys[1][1], ctx)
    backend.delete("aws:iam/user:User", user_id, user, ctx)
    assert backend.read("aws:iam/user:User", user_id, user, ctx) is None


def test_alerts_topic_subscription_alarm_and_the_metric_moto_lacks(ctx: Ctx, moto: MotoServer) -> None:
    topic_id, topic = backend.create("aws:sns/topic:Topic", {"name": "alerts-topic-1a2b3c4", "tags": {"a": "b"}}, ctx)
    assert topic_id == topic["arn"] == f"arn:aws:sns:{REGION}:123456789012:alerts-topic-1a2b3c4"
    sub_id, sub = backend.create(
        "aws:sns/topicSubscription:TopicSubscription",
        {"topic": topic_id, "protocol": "email", "endpoint": "ops@example.com"},
        ctx,
    )
    assert sub_id.startswith(topic_id + ":") and sub["arn"] == sub_id
    metric_id, metric = backend.create(
        "aws:s3/bucketMetric:BucketMetric",
        {"bucket": BUCKET, "name": "braze-currents-main", "filter": {"prefix": "currents/"}},
        ctx,
    )
    assert metric_id == f"{BUCKET}:braze-currents-main" and "aws:s3/bucketMetric:BucketMetric" in backend.NOT_IN_MOTO
    alarm_in = {
        "name": "braze-s3-acme-currents-main-stale",
        "namespace": "AWS/S3",
        "metricName": "PutRequests",
        "dimensions": {"BucketName": BUCKET, "FilterId": "braze-currents-main"},
        "statistic": "Sum",
        "period": 3600.0,
        "evaluationPeriods": 6.0,
        "datapointsToAlarm": 6.0,
        "threshold": 1.0,
        "comparisonOperator": "LessThanThreshold",
        "treatMissingData": "breaching",
        "alarmActions": [topic_id],
        "okActions": [topic_id],
        "tags": {"braze:connector": "main"},
    }
    alarm_id, alarm = backend.create("aws:cloudwatch/metricAlarm:MetricAlarm", alarm_in, ctx)
    assert alarm_id == alarm_in["name"] and alarm["arn"].endswith(f":alarm:{alarm_id}")
    read = backend.read("aws:cloudwatch/metricAlarm:MetricAlarm", alarm_id, alarm, ctx)
    assert read is not None
    assert backend.read_inputs("aws:cloudwatch/metricAlarm:MetricAlarm", read, alarm_in) == alarm_in
    for type_, id_, out in (
        ("aws:cloudwatch/metricAlarm:MetricAlarm", alarm_id, alarm),
        ("aws:s3/bucketMetric:BucketMetric", metric_id, metric),
        ("aws:sns/topicSubscription:TopicSubscription", sub_id, sub),
        ("aws:sns/topic:Topic", topic_id, topic),
    ):
        backend.delete(type_, id_, out, ctx)
    assert backend.read("aws:cloudwatch/metricAlarm:MetricAlarm", alarm_id, alarm, ctx) is None
    assert backend.read("aws:sns/topic:Topic", topic_id, topic, ctx) is None


def test_an_unknown_type_is_refused_by_name(ctx: Ctx) -> None:
    with pytest.raises(backend.BackendError, match="aws:ec2/instance:Instance"):
        backend.create("aws:ec2/instance:Instance", {}, ctx)
