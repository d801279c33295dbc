"""`verify`'s bucket checks on an in-memory AWS (tests/verify_fakes.py): ownership, Object Lock, encryption,
public access, region, reference buckets. Each test names the bug it keeps out (issue 26)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.verify_fakes import (
    BUCKET,
    KEY_ARN,
    REGION,
    World,
    aws_error,
    by_name,
    verifier,
)

KEY_ID, SECRET = "AKIAMARKETING2026110", "marketing-secret"


# --- the bucket -------------------------------------------------------------------------------------


def bucket_checks(world: World, **options: Any) -> dict[str, Any]:
    v = verifier(world, **{k: options.pop(k) for k in ("read_only", "endpoint_url") if k in options})
    v.check_bucket(BUCKET, **options)
    reference = " (reference: not managed by this stack)" if options.get("mode") == "reference" else ""
    assert {c.subject for c in v.report.checks} == {f'bucket "{BUCKET}"{reference}'}
    return by_name(v.report)


def test_a_well_set_bucket_passes_every_check() -> None:
    checks = bucket_checks(World())
    assert {name: c.ok for name, c in checks.items()} == {
        "region": True,
        "Object Lock off": True,
        "default encryption Braze can write through": True,
        "public access blocked (4 flags)": True,
        "BucketOwnerEnforced": True,
    }
    assert checks["region"].reason == REGION
    assert checks["default encryption Braze can write through"].reason == "AES256"


@pytest.mark.parametrize("ownership", ["BucketOwnerPreferred", "ObjectWriter"])
def test_acls_still_on_is_not_owner_enforced(ownership: str) -> None:
    """BucketOwnerPreferred keeps ACLs on: for a `reference` bucket this live read is the only check there is."""
    checks = bucket_checks(World(ownership=[{"ObjectOwnership": ownership}]), mode="reference")
    assert checks["BucketOwnerEnforced"].ok is False and checks["BucketOwnerEnforced"].reason == ownership


@pytest.mark.parametrize(
    "ownership", [[], aws_error("OwnershipControlsNotFoundError")], ids=["no-rule", "no-ownership-controls"]
)
def test_no_ownership_controls_is_not_owner_enforced(ownership: Any) -> None:
    check = bucket_checks(World(ownership=ownership))["BucketOwnerEnforced"]
    assert check.ok is False
    assert check.reason in ("None", "OwnershipControlsNotFoundError")


def test_a_reference_bucket_is_named_as_such() -> None:
    v = verifier(World())
    v.check_bucket(BUCKET, mode="reference")
    assert {c.subject for c in v.report.checks} == {f'bucket "{BUCKET}" (reference: not managed by this stack)'}
    v = verifier(World())
    v.check_bucket(BUCKET)
    assert {c.subject for c in v.report.checks} == {f'bucket "{BUCKET}"'}


def test_the_region_is_compared_with_the_outputs_and_us_east_1_has_no_constraint() -> None:
    wrong = bucket_checks(World(location="us-west-2"))["region"]
    assert wrong.ok is False and wrong.reason == f"us-west-2, outputs say {REGION}"
    assert bucket_checks(World(location=None), region="us-east-1")["region"].ok is True
    assert bucket_checks(World(location="us-west-2"), region="us-west-2")["region"].ok is True


def test_an_unreadable_bucket_fails_and_stops_there() -> None:
    checks = bucket_checks(World(errors={("caller", "GetBucketLocation"): aws_error("AccessDenied")}))
    assert list(checks) == ["readable by the caller"]
    assert checks["readable by the caller"].ok is False and checks["readable by the caller"].reason.startswith(
        "AccessDenied: "
    )


def test_object_lock_is_failed_and_an_unreadable_setting_is_said_not_passed() -> None:
    locked = bucket_checks(World(lock={"ObjectLockEnabled": "Enabled"}))["Object Lock off"]
    assert locked.ok is False and "Braze Currents cannot write" in locked.reason
    assert bucket_checks(World(lock={}))["Object Lock off"].ok is True
    assert bucket_checks(World(lock=aws_error("NoSuchObjectLockConfiguration")))["Object Lock off"].ok is True
    unreadable = bucket_checks(World(lock=aws_error("AccessDenied")))["Object Lock off"]
    assert (unreadable.ok, unreadable.reason) == (None, "AccessDenied")


@pytest.mark.parametrize(
    ("default", "granted", "ok"),
    [
        ({"SSEAlgorithm": "aws:kms"}, None, True),
        ({"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "arn:aws:kms:eu-west-1:1:alias/aws/s3"}, None, True),
        ({"SSEAlgorithm": "aws:kms:dsse", "KMSMasterKeyID": KEY_ARN}, None, None),
        ({"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": KEY_ARN}, None, None),
        ({"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": KEY_ARN}, KEY_ARN, True),
        ({"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": KEY_ARN.rsplit("/", 1)[1]}, KEY_ARN, True),
        ({"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": KEY_ARN}, KEY_ARN.replace("1234abcd", "9999abcd"), None),
        ({"SSEAlgorithm": "AES256", "KMSMasterKeyID": KEY_ARN}, None, True),
    ],
)
def test_default_encryption_by_its_key(default: dict[str, str], granted: str | None, ok: bool | None) -> None:
    check = bucket_checks(World(encryption=[default]), kms_key_arn=granted)[
        "default encryption Braze can write through"
    ]
    assert check.ok is ok
    assert default["SSEAlgorithm"] in check.reason
    assert ("KMSMasterKeyID" in default) is (default.get("KMSMasterKeyID", "§") in check.reason)
    if ok is None:
        assert "kms:GenerateDataKey" in check.reason and "the write probes below exercise it" in check.reason


def test_a_customer_key_is_said_not_probed_when_read_only_and_not_enforced_by_an_emulator() -> None:
    world = World(encryption=[{"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": KEY_ARN}])
    read_only = bucket_checks(world, read_only=True)["default encryption Braze can write through"]
    assert read_only.reason.endswith("; not probed (read-only)")
    emulated = bucket_checks(world, endpoint_url="http://127.0.0.1:1")["default encryption Braze can write through"]
    assert emulated.reason.endswith("(an emulator does not enforce KMS)")
    unreadable = bucket_checks(World(encryption=aws_error("AccessDenied")))[
        "default encryption Braze can write through"
    ]
    assert (unreadable.ok, unreadable.reason) == (None, "AccessDenied")


@pytest.mark.parametrize("flag", ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"])
def test_each_public_access_block_flag_counts(flag: str) -> None:
    block = dict.fromkeys(("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"), True)
    block[flag] = False
    check = bucket_checks(World(public_access_block=block))["public access blocked (4 flags)"]
    assert (check.ok, check.reason) == (False, f"off: {flag}")
    missing = bucket_checks(World(public_access_block=aws_error("NoSuchPublicAccessBlockConfiguration")))
    assert missing["public access blocked (4 flags)"].ok is False


def test_every_default_encryption_rule_is_shown() -> None:
    rules = [{"SSEAlgorithm": "AES256"}, {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/aws/s3"}]
    check = bucket_checks(World(encryption=rules))["default encryption Braze can write through"]
    assert (check.ok, check.reason) == (True, "AES256, aws:kms (alias/aws/s3)")
