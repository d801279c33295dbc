"""verify's bucket half on the emulator: bucket policies moto does not apply, and buckets the stack only references."""

from __future__ import annotations

import dataclasses
import io
import json
from typing import Any

import pytest

from braze_s3_tools.emulator import verify_local
from braze_s3_tools.emulator.server import MotoServer, Provisioned, client, provision
from braze_s3_tools.engine.harness import ProgramRun, run_program
from tests.pack.mutations import edit_document
from tests.test_verify_emulator import BUCKET, REGION, _verify, failed

pytestmark = pytest.mark.slow


KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


@pytest.mark.parametrize(
    ("by_default", "ok"),
    [
        ({"SSEAlgorithm": "aws:kms"}, True),  # the AWS managed key aws/s3: any principal of the account
        ({"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/aws/s3"}, True),
        ({"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": KEY_ARN}, None),  # the probes exercise it; moto has no KMS
    ],
    ids=["aws-managed", "aws-s3-alias", "customer-key"],
)
def test_default_kms_encryption_is_judged_by_its_key(
    moto: MotoServer, env: Provisioned, by_default: dict[str, str], ok: bool | None
) -> None:
    s3 = client("s3", moto.url, REGION, env.admin)
    s3.put_bucket_encryption(
        Bucket=BUCKET, ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": by_default}]}
    )
    try:
        report = _verify(moto, env)
    finally:
        s3.put_bucket_encryption(
            Bucket=BUCKET,
            ServerSideEncryptionConfiguration={
                "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
            },
        )
    check = next(c for c in report.checks if c.name == "default encryption Braze can write through")
    assert check.ok is ok, check
    assert ok is not None or ("kms:GenerateDataKey" in check.reason and "emulator" in check.reason)


def _with_bucket_statement(run: ProgramRun, statement: dict[str, Any]) -> ProgramRun:
    def add(document: dict[str, Any]) -> None:
        document["Statement"].append(statement)

    resources = edit_document(run, "aws:s3/bucketPolicy:BucketPolicy", "braze-bucket-tls-only", add)
    return dataclasses.replace(run, resources=resources)


DENY_WRITES = {"Effect": "Deny", "Principal": "*", "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{BUCKET}/*"}
VPC_ONLY = {
    "Effect": "Deny",
    "Principal": "*",
    "Action": "s3:*",
    "Resource": [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"],
    "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}},
}


@pytest.mark.parametrize("statement", [None, DENY_WRITES, VPC_ONLY], ids=["program", "deny-writes", "vpc-only"])
def test_verify_local_never_passes_a_bucket_policy_that_denies_brazes_writes(
    dev_up: ProgramRun, statement: dict[str, Any] | None
) -> None:
    """moto ignores bucket-policy conditions and applies none to bucket requests: what it cannot
    apply is judged from the document, so neither Deny ends in "all passed"."""
    run = dev_up if statement is None else _with_bucket_statement(dev_up, statement)
    out = io.StringIO()
    code = verify_local.verify_run(run, "dev", as_json=True, out=out)
    checks = json.loads(out.getvalue())["checks"]
    policy_checks = [c for c in checks if c["name"].startswith("bucket policy lets")]
    assert len(policy_checks) == 3  # one per integration
    if statement is None:
        assert code == 0 and all(c["ok"] for c in policy_checks), checks
    else:
        assert code != 0 and not any(c["ok"] for c in policy_checks), checks


@pytest.mark.parametrize(
    "break_it",
    [None, "public-access-block-off", "kms-key-not-granted"],
    ids=["as-found", "public-access-block-off", "kms-key-not-granted"],
)
def test_verify_checks_a_reference_bucket_live(break_it: str | None) -> None:
    """A bucket the stack only references gets no hardening from it: verify reads its settings live."""
    run = run_program(
        "existing",
        preview=False,
        overrides={"braze-s3:buckets": {}, "braze-s3:dashboardExport": {}},
    )
    assert run.error is None, run.error
    with MotoServer() as server:
        env = provision(run, server.url, REGION)
        s3 = client("s3", server.url, REGION, env.admin)
        if break_it == "public-access-block-off":
            s3.delete_public_access_block(Bucket="acme-old-braze-bucket")
        elif break_it == "kms-key-not-granted":
            rule = {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": KEY_ARN}}
            s3.put_bucket_encryption(
                Bucket="acme-old-braze-bucket", ServerSideEncryptionConfiguration={"Rules": [rule]}
            )
        server.enforce_iam()
        report = _verify(server, env)
    bucket_checks = {
        c.name: c for c in report.checks if c.subject.startswith('bucket "acme-old-braze-bucket" (reference')
    }
    assert {"region", "Object Lock off", "public access blocked (4 flags)", "BucketOwnerEnforced"} <= set(bucket_checks)
    encryption = bucket_checks["default encryption Braze can write through"]
    if break_it is None:
        assert report.ok, failed(report)
    elif break_it == "public-access-block-off":
        assert bucket_checks["public access blocked (4 flags)"].ok is False
    else:
        assert encryption.ok is None and "customer managed key" in encryption.reason
