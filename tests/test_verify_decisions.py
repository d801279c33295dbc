"""`verify`'s decisions, one answer at a time, on an in-memory AWS (tests/verify_fakes.py): what must fail
does fail, and only AccessDenied counts as "denied". Each test names the bug it keeps out (issue 26)."""

from __future__ import annotations

import copy
import io
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import EndpointConnectionError

from braze_s3_tools.verify import command
from braze_s3_tools.verify.command import Integration, Report
from braze_s3_tools.verify.roles import BUCKET_SCOPE, OUTSIDE_DIR, PROBE_DIR
from tests.verify_fakes import (
    BRAZE,
    BUCKET,
    EXTERNAL_ID,
    REGION,
    ROLE_ARN,
    World,
    aws_error,
    braze_trust_statement,
    fake_client,
    folder_policy,
    trust,
    verifier,
)

KEY_ID, SECRET = "AKIAMARKETING2026110", "marketing-secret"


def by_name(report: Report) -> dict[str, Any]:
    return {c.name: c for c in report.checks}


def failed(report: Report) -> list[str]:
    return [c.line() for c in report.checks if c.ok is False]


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


KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


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


# --- the probes Braze's credentials make ---------------------------------------------------------------


def key_integration(**changes: Any) -> Integration:
    fields: dict[str, Any] = {
        "subject": "currents marketing",
        "integration": "currents",
        "bucket": BUCKET,
        "folder": "currents-marketing",
        "auth": "accessKey",
        "aes256": False,
        "keys": {"2026-11": {"accessKeyId": KEY_ID, "secretAccessKey": SECRET}},
        "active_key": "2026-11",
    }
    fields.update(changes)
    return Integration(**fields)


def in_folder(folder: str | None) -> Any:
    """The permissions of a policy scoped to ``folder``, without DeleteObject (a Currents connector)."""
    return lambda operation, key: operation != "DeleteObject" and (key is None or key.startswith(f"{folder}/"))


def probe(world: World, it: Integration | None = None, **options: Any) -> Report:
    v = verifier(world, **options)
    it = it or key_integration()
    v.check_keys(it)
    assert {c.subject for c in v.report.checks} == {it.subject}
    return v.report


def test_a_connector_that_does_what_braze_does_passes_and_leaves_nothing_behind() -> None:
    world = World(permissions={KEY_ID: in_folder("currents-marketing")})
    report = probe(world)
    assert failed(report) == [] and report.ok
    names = [c.name for c in report.checks]
    assert names == [
        "key 2026-11: GetBucketLocation",
        "key 2026-11: ListObjectsV2",
        "key 2026-11: PutObject",
        "key 2026-11: GetObject",
        "key 2026-11: write outside its folder is denied",
        "key 2026-11: DeleteObject is denied",
    ]
    (written,) = [k for k in world.writes(KEY_ID) if not k.startswith(OUTSIDE_DIR)]
    assert written.startswith(f"currents-marketing/{PROBE_DIR}/") and report.checks[2].reason == written
    assert world.objects == {}, "the probe is removed"
    assert ("caller", "DeleteObject", {"Key": written}) in world.calls, "removed with the caller's credentials"
    assert {c.subject for c in report.checks} == {"currents marketing"}
    assert all(c[0] in (KEY_ID, "caller") for c in world.calls)


def test_the_aes256_toggle_sends_the_header() -> None:
    world = World()
    probe(world, key_integration(aes256=True))
    put = next(c for c in world.calls if c[1] == "PutObject" and c[0] == KEY_ID)
    assert put[2]["ServerSideEncryption"] == "AES256"
    assert any(
        c.name == "key 2026-11: PutObject with AES256" for c in probe(World(), key_integration(aes256=True)).checks
    )
    world = World()
    probe(world, key_integration(aes256=False))
    assert "ServerSideEncryption" not in next(c for c in world.calls if c[1] == "PutObject")[2]


@pytest.mark.parametrize(
    "error",
    [aws_error("SlowDown"), aws_error("Throttling"), aws_error("InternalError"), aws_error("ServiceUnavailable"),
     aws_error("NoSuchBucket"), EndpointConnectionError(endpoint_url="https://s3.eu-west-1.amazonaws.com")],
    ids=["SlowDown", "Throttling", "InternalError", "ServiceUnavailable", "NoSuchBucket", "connection"],
)  # fmt: skip
@pytest.mark.parametrize("operation", ["PutObject", "DeleteObject"], ids=["write-outside", "delete"])
def test_an_error_that_is_not_access_denied_is_never_counted_as_denied(operation: str, error: Exception) -> None:
    """Throttling, a 5xx, NoSuchBucket or a lost connection says nothing about the policy: "could not tell"."""
    world = World(permissions={KEY_ID: in_folder("currents-marketing")})
    original = world.check

    def check(who: str, op: str, key: str | None = None) -> None:
        outside = op == "PutObject" and key is not None and key.startswith(OUTSIDE_DIR)
        if who == KEY_ID and op == operation and (outside or operation == "DeleteObject"):
            world.calls.append((who, op, {"Key": key}))
            raise error
        original(who, op, key)

    world.check = check  # type: ignore[method-assign]
    report = probe(world)
    name = "write outside its folder is denied" if operation == "PutObject" else "DeleteObject is denied"
    check_ = by_name(report)[f"key 2026-11: {name}"]
    assert check_.ok is False, check_
    assert check_.reason.startswith("could not tell: ") and "is not a denial" in check_.reason
    assert not report.ok


def test_access_denied_on_both_refusals_passes_them() -> None:
    report = probe(World(permissions={KEY_ID: in_folder("currents-marketing")}))
    for name in ("write outside its folder is denied", "DeleteObject is denied"):
        assert (by_name(report)[f"key 2026-11: {name}"].ok, by_name(report)[f"key 2026-11: {name}"].reason) == (
            True,
            "AccessDenied",
        )


def test_a_write_outside_the_folder_that_succeeds_fails_and_is_cleaned_up() -> None:
    world = World(permissions={KEY_ID: lambda op, key: op != "DeleteObject"})
    report = probe(world)
    check = by_name(report)["key 2026-11: write outside its folder is denied"]
    assert check.ok is False and check.reason == "it succeeded: the policy is broader than this connector's folder"
    outside = [k for k in world.writes(KEY_ID) if k.startswith(OUTSIDE_DIR)]
    assert len(outside) == 1 and world.objects == {}, "the outside write is removed too"


def test_a_currents_delete_that_succeeds_fails() -> None:
    world = World(permissions={KEY_ID: lambda op, key: key is None or key.startswith("currents-marketing/")})
    check = by_name(probe(world))["key 2026-11: DeleteObject is denied"]
    assert check.ok is False and "broader" in check.reason
    deleted = [c[2]["Key"] for c in world.calls if c[1] == "DeleteObject" and c[0] == KEY_ID]
    assert deleted == [f"currents-marketing/{PROBE_DIR}/never-there"]


def test_outputs_without_an_object_scope_are_checked_as_folder_scope_and_say_so() -> None:
    """Older stacks and hand-written files carry no objectScope: the out-of-folder checks still run."""
    outputs = {
        "region": REGION,
        "bucketName": BUCKET,
        "currents": {"main": {"authMethod": "accessKey", "folderPath": "currents", "accessKeys": {}}},
    }
    (it,) = command.integrations_of(outputs)
    assert (it.object_scope, it.object_scope_given) == ("folder", False)
    world = World(permissions={KEY_ID: lambda op, key: op != "DeleteObject"})
    report = probe(world, key_integration(object_scope="folder", object_scope_given=False, folder="currents"))
    check = by_name(report)["key 2026-11: write outside its folder is denied"]
    assert check.ok is False and "no objectScope" in check.reason
    assert check.reason == (
        "it succeeded: the policy is broader than this connector's folder; "
        + key_integration(object_scope_given=False).scope_note
    )
    assert any(k.startswith(OUTSIDE_DIR) for k in world.writes(KEY_ID)), "the write outside was tried"
    (given,) = command.integrations_of(
        {**outputs, "currents": {"main": {**outputs["currents"]["main"], "objectScope": "folder"}}}
    )
    assert given.object_scope_given and given.scope_note == ""


def test_a_bucket_scoped_connector_is_not_probed_outside_its_folder() -> None:
    world = World(permissions={KEY_ID: lambda op, key: op != "DeleteObject"})
    report = probe(world, key_integration(object_scope="bucket"))
    check = by_name(report)["key 2026-11: write outside its folder is denied"]
    assert (check.ok, check.reason) == (None, BUCKET_SCOPE)
    assert not any(k.startswith(OUTSIDE_DIR) for k in world.writes(KEY_ID))
    assert by_name(report)["key 2026-11: DeleteObject is denied"].ok is True


@pytest.mark.parametrize(("operation", "why"), [("PutObject", "credential test"), ("GetObject", "error handling"),
                                                 ("ListObjectsV2", "credential test")])  # fmt: skip
def test_each_of_brazes_requests_that_is_denied_fails_with_why_braze_needs_it(operation: str, why: str) -> None:
    world = World(permissions={KEY_ID: lambda op, key: op != operation and in_folder("currents-marketing")(op, key)})
    report = probe(world)
    check = by_name(report)[f"key 2026-11: {operation}"]
    assert (check.ok, check.reason) == (False, f"AccessDenied: Braze needs it ({why})")
    assert [c.name for c in report.checks if c.ok is False] == [f"key 2026-11: {operation}"]
    if operation == "PutObject":
        get = by_name(report)["key 2026-11: GetObject"]
        assert (get.ok, get.reason) == (None, "nothing to read back: the write failed")
        assert not any(c[0] == "caller" and c[1] == "DeleteObject" for c in world.calls), "nothing to remove"


def test_dashboard_export_deletes_its_probe_itself() -> None:
    world = World()
    it = key_integration(subject="dashboard export", integration="dashboard-export", folder=None)
    report = probe(world, it)
    assert [c.name for c in report.checks][-1] == "key 2026-11: DeleteObject" and report.ok
    (written,) = world.writes(KEY_ID)
    assert written.startswith(f"{PROBE_DIR}/")
    assert [c for c in world.calls if c[1] == "DeleteObject"] == [(KEY_ID, "DeleteObject", {"Key": written})]
    assert world.objects == {}


def test_dashboard_export_that_cannot_delete_fails_and_its_probe_is_removed_by_the_caller() -> None:
    world = World(permissions={KEY_ID: lambda op, key: op != "DeleteObject"})
    it = key_integration(subject="dashboard export", integration="dashboard-export", folder=None)
    check = by_name(probe(world, it))["key 2026-11: DeleteObject"]
    assert (check.ok, check.reason) == (False, "AccessDenied: dashboard export deletes its files")
    assert world.objects == {} and any(c[:2] == ("caller", "DeleteObject") for c in world.calls)


def test_a_probe_that_cannot_be_removed_is_reported_and_fails_the_run() -> None:
    world = World(
        permissions={KEY_ID: in_folder("currents-marketing")},
        errors={("caller", "DeleteObject"): aws_error("AccessDenied")},
    )
    report = probe(world)
    assert len(report.leftover_probes) == 1 and report.leftover_probes[0].startswith(
        f"s3://{BUCKET}/currents-marketing/"
    )
    assert not report.ok and "probe objects left behind" in report.summary()


def test_credentials_that_do_not_work_stop_the_probe_with_brazes_words() -> None:
    world = World(errors={(KEY_ID, "GetBucketLocation"): aws_error("InvalidAccessKeyId")})
    report = probe(world)
    assert failed(report) == [
        '  ✗ currents marketing: key 2026-11: GetBucketLocation — InvalidAccessKeyId: Braze reports "S3 credentials are invalid"'
    ]
    assert world.writes() == []


def test_the_generation_braze_does_not_hold_is_only_located() -> None:
    keys = {
        "2026-05": {"accessKeyId": "AKIAOLD", "secretAccessKey": "old"},
        "2026-11": {"accessKeyId": KEY_ID, "secretAccessKey": SECRET},
    }
    world = World(permissions={KEY_ID: in_folder("currents-marketing")})
    report = probe(world, key_integration(keys=keys))
    assert report.checks[0].name == "key 2026-05 (not the one in Braze): GetBucketLocation"
    assert [c[1] for c in world.calls if c[0] == "AKIAOLD"] == ["GetBucketLocation"]
    assert report.ok


@pytest.mark.parametrize("secret", [None, "[secret]"], ids=["missing", "masked"])
def test_a_key_without_its_secret_fails_without_calling_aws(secret: str | None) -> None:
    world = World()
    keys = {"2026-11": {"accessKeyId": KEY_ID, **({"secretAccessKey": secret} if secret else {})}}
    report = probe(world, key_integration(keys=keys))
    assert [(c.name, c.ok) for c in report.checks] == [("key 2026-11", False)] and world.calls == []
    empty = probe(World(), key_integration(keys={}))
    assert [(c.name, c.ok) for c in empty.checks] == [("access keys in the outputs", False)]


# --- roles ------------------------------------------------------------------------------------------


def role_integration(**changes: Any) -> Integration:
    fields: dict[str, Any] = {
        "subject": "currents main",
        "integration": "currents",
        "bucket": BUCKET,
        "folder": "currents",
        "auth": "role",
        "aes256": False,
        "role_arn": ROLE_ARN,
        "account_id": BRAZE,
        "external_ids": [EXTERNAL_ID],
    }
    fields.update(changes)
    return Integration(**fields)


def role_checks(world: World, it: Integration | None = None, **options: Any) -> tuple[Report, dict[str, Any]]:
    v = verifier(world, **options)
    it = it or role_integration()
    v.check_role(it)
    assert {c.subject for c in v.report.checks} == {it.subject}
    return v.report, by_name(v.report)


def good_role_world(**changes: Any) -> World:
    world = World(attached={"arn:aws:iam::123456789012:policy/braze/currents-main": folder_policy()})
    for key, value in changes.items():
        setattr(world, key, value)
    return world


def test_a_correct_role_passes_and_what_only_braze_can_do_is_said() -> None:
    report, checks = role_checks(good_role_world())
    assert failed(report) == []
    assert {n: c.ok for n, c in checks.items()} == {
        "GetRole": True,
        "trust names only Braze's account": True,
        "StringEquals sts:ExternalId = the configured ids": True,
        "policy grants what Braze checks": True,
        "policy stays inside the folder": True,
        "policy has no DeleteObject": True,
        "IAM policy simulator": None,
        "Braze can assume the role": None,
    }
    assert checks["trust names only Braze's account"].reason == f"trusts {BRAZE}"
    assert checks["GetRole"].reason == ROLE_ARN
    assert checks["policy stays inside the folder"].reason == ""
    assert checks["Braze can assume the role"].reason.startswith('only Braze can check this: use "Test credentials"')


TRUSTS: list[tuple[str, dict[str, Any], bool, bool]] = [
    # id, trust, names only Braze, external id right
    ("braze-only", trust(braze_trust_statement()), True, True),
    ("account-id-form", trust(braze_trust_statement(principal={"AWS": BRAZE})), True, True),
    (
        "second-allow-without-external-id",
        trust(braze_trust_statement(), {**braze_trust_statement(), "Condition": {}}),
        True,
        False,
    ),
    (
        "second-allow-with-another-operator",
        trust(
            braze_trust_statement(),
            {**braze_trust_statement(), "Condition": {"StringLike": {"sts:ExternalId": "*"}}},
        ),
        True,
        False,
    ),
    (
        "braze-and-star",
        trust(braze_trust_statement(principal={"AWS": [f"arn:aws:iam::{BRAZE}:root", "*"]})),
        False,
        True,
    ),
    ("star-in-a-second-statement", trust(braze_trust_statement(), braze_trust_statement(principal="*")), False, True),
    ("another-account-too", trust(braze_trust_statement(principal={"AWS": [BRAZE, "123456789012"]})), False, True),
    ("a-service", trust(braze_trust_statement(principal={"Service": "ec2.amazonaws.com"})), False, True),
    (
        "not-principal",
        trust({**braze_trust_statement(), "Principal": None, "NotPrincipal": {"AWS": "123456789012"}}),
        False,
        True,
    ),
    ("another-id", trust(braze_trust_statement(ids=["not-the-configured-id"])), True, False),
    ("one-id-short", trust(braze_trust_statement(ids=[])), True, False),
    (
        "braze-and-not-principal",
        trust(braze_trust_statement(), {**braze_trust_statement(), "Principal": None, "NotPrincipal": {"AWS": BRAZE}}),
        False,
        True,
    ),
    ("a-deny-is-no-trust", trust({**braze_trust_statement(), "Effect": "Deny"}), False, False),
    (
        "tag-session-is-not-assume-role",
        trust(braze_trust_statement(), {**braze_trust_statement(principal="*"), "Action": "sts:TagSession"}),
        True,
        True,
    ),
]


@pytest.mark.parametrize(
    ("trust_doc", "only_braze", "external_id"), [t[1:] for t in TRUSTS], ids=[t[0] for t in TRUSTS]
)
def test_the_trust_names_only_braze_and_every_allow_needs_the_external_id(
    trust_doc: dict[str, Any], only_braze: bool, external_id: bool
) -> None:
    if trust_doc["Statement"][0].get("Principal", "") is None:
        del trust_doc["Statement"][0]["Principal"]
    _, checks = role_checks(good_role_world(role_trust=trust_doc))
    assert checks["trust names only Braze's account"].ok is only_braze, checks["trust names only Braze's account"]
    assert checks["StringEquals sts:ExternalId = the configured ids"].ok is external_id


def test_the_trust_reasons_name_what_is_wrong() -> None:
    doc = trust(braze_trust_statement(principal={"AWS": [BRAZE, "*"]}), {**braze_trust_statement(), "Condition": {}})
    _, checks = role_checks(good_role_world(role_trust=doc))
    assert checks["trust names only Braze's account"].reason == f"trusts {BRAZE}, *"
    assert checks["StringEquals sts:ExternalId = the configured ids"].reason == (
        "1 Allow statement(s) without StringEquals sts:ExternalId"
    )
    _, checks = role_checks(good_role_world(role_trust=trust(braze_trust_statement(ids=["a", "b"]))))
    assert checks["StringEquals sts:ExternalId = the configured ids"].reason == "2 id(s) in the trust, 1 configured"
    two = trust(
        braze_trust_statement(),
        {**braze_trust_statement(), "Condition": {}},
        {**braze_trust_statement(), "Condition": {}},
    )
    _, checks = role_checks(good_role_world(role_trust=two))
    assert checks["StringEquals sts:ExternalId = the configured ids"].reason == (
        "2 Allow statement(s) without StringEquals sts:ExternalId"
    )
    _, checks = role_checks(good_role_world(role_trust=trust()))
    assert checks["trust names only Braze's account"].reason == "trusts nobody"
    assert checks["StringEquals sts:ExternalId = the configured ids"].reason == "no Allow of sts:AssumeRole"


def test_several_external_ids_across_statements_are_one_set() -> None:
    doc = trust(braze_trust_statement(ids=["a"]), braze_trust_statement(ids=["b"]))
    _, checks = role_checks(good_role_world(role_trust=doc), role_integration(external_ids=["b", "a"]))
    assert checks["StringEquals sts:ExternalId = the configured ids"].ok is True


def test_a_malformed_trust_fails() -> None:
    _, checks = role_checks(good_role_world(role_trust="{not json"))
    assert checks["trust policy"].ok is False and checks["trust policy"].reason.startswith("the document ")


def test_a_role_without_arn_or_unreadable_fails_and_stops() -> None:
    report, checks = role_checks(good_role_world(), role_integration(role_arn=None))
    assert [(c.name, c.ok, c.reason) for c in report.checks] == [("role ARN in the outputs", False, "no roleArn")]
    world = good_role_world(errors={("caller", "GetRole"): aws_error("AccessDenied")})
    report, checks = role_checks(world)
    assert [(c.name, c.ok) for c in report.checks] == [("GetRole", False)]
    assert checks["GetRole"].reason.startswith("AccessDenied: ")


@pytest.mark.parametrize(
    ("policy", "wrong"),
    [
        (folder_policy(delete=True), {"policy has no DeleteObject"}),
        (folder_policy(folder=""), {"policy stays inside the folder"}),
        (folder_policy(folder="currents-marketing"), {"policy grants what Braze checks"}),
        (folder_policy(bucket="acme-braze-dev-other"), {"policy grants what Braze checks"}),
    ],
    ids=["delete", "whole-bucket", "another-folder", "another-bucket"],
)
def test_the_roles_policy_is_judged_statement_by_statement(policy: dict[str, Any], wrong: set[str]) -> None:
    report, _ = role_checks(good_role_world(attached={"arn:p": policy}))
    assert {c.name for c in report.checks if c.ok is False} == wrong


def test_missing_permissions_are_named_and_inline_policies_count() -> None:
    policy = folder_policy()
    policy["Statement"][1]["Action"] = ["s3:PutObject"]
    _, checks = role_checks(good_role_world(attached={"arn:p": policy}))
    assert checks["policy grants what Braze checks"].reason == (
        f"s3:GetObject on arn:aws:s3:::{BUCKET}/currents/{PROBE_DIR}/x"
    )
    _, checks = role_checks(good_role_world(attached={}, inline={"braze": folder_policy()}))
    assert checks["policy grants what Braze checks"].ok is True
    _, checks = role_checks(
        good_role_world(attached={"arn:a": folder_policy()}, inline={"braze": folder_policy(delete=True)})
    )
    assert checks["policy has no DeleteObject"].ok is False, "inline and attached policies together"
    _, checks = role_checks(
        good_role_world(attached={"arn:a": folder_policy(delete=True)}, inline={"braze": folder_policy()})
    )
    assert checks["policy has no DeleteObject"].ok is False, "the attached one is not forgotten for the inline one"
    bucket_part, object_part = folder_policy()["Statement"]
    split = {"arn:a": {"Statement": [bucket_part]}, "arn:b": {"Statement": [object_part]}}
    _, checks = role_checks(
        good_role_world(attached=split, inline={"x": {"Statement": [bucket_part]}, "y": {"Statement": [object_part]}})
    )
    assert checks["policy grants what Braze checks"].ok is True, "every attached and inline policy counts"
    _, checks = role_checks(
        good_role_world(attached={}, inline={"x": {"Statement": [bucket_part]}, "y": {"Statement": [object_part]}})
    )
    assert checks["policy grants what Braze checks"].ok is True, "every inline policy counts"


def test_an_outside_grant_is_named_and_a_bucket_scope_is_said_not_checked() -> None:
    _, checks = role_checks(good_role_world(attached={"arn:p": folder_policy(folder="")}))
    assert checks["policy stays inside the folder"].reason == "s3:PutObject, s3:GetObject allowed outside currents/"
    _, checks = role_checks(
        good_role_world(attached={"arn:p": folder_policy(folder="")}), role_integration(object_scope="bucket")
    )
    assert (checks["policy stays inside the folder"].ok, checks["policy stays inside the folder"].reason) == (
        None,
        BUCKET_SCOPE,
    )
    _, checks = role_checks(
        good_role_world(attached={"arn:p": folder_policy(folder="")}), role_integration(object_scope_given=False)
    )
    assert (
        checks["policy stays inside the folder"].ok is False
        and "no objectScope" in checks["policy stays inside the folder"].reason
    )


def test_dashboard_export_needs_delete_and_has_no_folder_checks() -> None:
    it = role_integration(subject="dashboard export", integration="dashboard-export", folder=None)
    report, checks = role_checks(good_role_world(attached={"arn:p": folder_policy(folder="")}), it)
    assert checks["policy grants what Braze checks"].ok is False
    assert "s3:DeleteObject" in checks["policy grants what Braze checks"].reason
    report, checks = role_checks(good_role_world(attached={"arn:p": folder_policy(folder="", delete=True)}), it)
    assert failed(report) == []
    assert "policy stays inside the folder" not in checks and "policy has no DeleteObject" not in checks


def test_unreadable_policies_fail() -> None:
    world = good_role_world(errors={("caller", "ListAttachedRolePolicies"): aws_error("AccessDenied")})
    _, checks = role_checks(world)
    assert (checks["read the role's policies"].ok, checks["read the role's policies"].reason) == (False, "AccessDenied")
    assert "policy grants what Braze checks" not in checks


def test_the_policy_simulator_decides_when_the_caller_may_use_it() -> None:
    bucket, probe_arn = f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/currents/{PROBE_DIR}/x"
    results = [
        {"EvalActionName": "s3:ListBucket", "EvalResourceName": bucket, "EvalDecision": "allowed"},
        {"EvalActionName": "s3:GetBucketLocation", "EvalResourceName": bucket, "EvalDecision": "allowed"},
        {"EvalActionName": "s3:PutObject", "EvalResourceName": probe_arn, "EvalDecision": "allowed"},
        {"EvalActionName": "s3:GetObject", "EvalResourceName": probe_arn, "EvalDecision": "explicitDeny"},
        # pairs verify did not ask about (the simulator crosses every action with every resource)
        {"EvalActionName": "s3:PutObject", "EvalResourceName": bucket, "EvalDecision": "implicitDeny"},
    ]
    world = good_role_world(simulator=results)
    _, checks = role_checks(world)
    check = checks["IAM policy simulator allows Braze's actions"]
    assert (check.ok, check.reason) == (False, f"s3:GetObject on {probe_arn}")
    request = next(c[2] for c in world.calls if c[1] == "SimulatePrincipalPolicy")
    assert request == {
        "PolicySourceArn": ROLE_ARN,
        "ActionNames": ["s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket", "s3:PutObject"],
        "ResourceArns": [bucket, probe_arn],
    }
    results[3]["EvalDecision"] = "allowed"
    _, checks = role_checks(good_role_world(simulator=results))
    assert checks["IAM policy simulator allows Braze's actions"].ok is True
    _, checks = role_checks(good_role_world())
    assert checks["IAM policy simulator"].reason == "not available to this caller (AccessDenied)"


def test_a_stand_in_role_is_probed_with_the_connectors_folder_unless_read_only() -> None:
    world = good_role_world(permissions={"ROLE": in_folder("currents")})
    stand_ins = {ROLE_ARN: "arn:aws:iam::123456789012:role/braze/stand-in"}
    report, checks = role_checks(world, role_stand_ins=stand_ins)
    assert world.assumed == [{"RoleArn": stand_ins[ROLE_ARN], "RoleSessionName": "braze", "ExternalId": EXTERNAL_ID}]
    assert checks["with the role's permissions: PutObject"].ok is True
    assert checks["with the role's permissions: write outside its folder is denied"].ok is True
    assert failed(report) == []
    world = good_role_world()
    role_checks(world, role_stand_ins=stand_ins, read_only=True)
    assert world.assumed == [] and world.writes() == []
    world = good_role_world(errors={("caller", "AssumeRole"): aws_error("AccessDenied")})
    _, checks = role_checks(world, role_stand_ins=stand_ins)
    assert (
        checks["assume the role's stand-in (emulator)"].ok,
        checks["assume the role's stand-in (emulator)"].reason,
    ) == (
        False,
        "AccessDenied",
    )
    world = good_role_world()
    role_checks(world, role_integration(external_ids=[]), role_stand_ins=stand_ins)
    assert world.assumed[0]["ExternalId"] == ""


# --- the whole run, and the command line ---------------------------------------------------------------


def outputs(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "region": REGION,
        "bucketName": BUCKET,
        "buckets": {"default": {"name": BUCKET, "region": REGION, "mode": "create"}},
        "currents": {
            "main": {
                "integration": "currents",
                "authMethod": "role",
                "bucketName": BUCKET,
                "folderPath": "currents",
                "objectScope": "folder",
                "roleArn": ROLE_ARN,
                "brazeAccountId": BRAZE,
                "externalIds": [EXTERNAL_ID],
            },
            "marketing": {
                "integration": "currents",
                "authMethod": "accessKey",
                "bucketName": BUCKET,
                "folderPath": "currents-marketing",
                "objectScope": "folder",
                "userName": "currents-marketing-user",
                "accessKeys": {"2026-11": {"accessKeyId": KEY_ID, "secretOutput": "secretAccessKey-marketing"}},
                "activeAccessKey": "2026-11",
            },
        },
        "secretAccessKey-marketing": SECRET,
    }
    data.update(changes)
    return data


def deployed_world(**changes: Any) -> World:
    changes = {"permissions": {KEY_ID: in_folder("currents-marketing")}, "access_keys": {KEY_ID: "Active"}, **changes}
    world = good_role_world(**changes)
    world.objects["currents/x.avro"] = (b"avro", datetime.now(UTC) - timedelta(hours=1), {})
    world.objects["currents-marketing/x.avro"] = (b"avro", datetime.now(UTC) - timedelta(hours=1), {})
    return world


def test_run_checks_every_bucket_and_every_integration() -> None:
    world = deployed_world()
    v = verifier(world, outputs())
    report = v.run()
    assert failed(report) == [] and report.ok
    assert report.checks[0].subject == f'bucket "{BUCKET}"'
    assert {c.subject for c in report.checks} == {f'bucket "{BUCKET}"', "currents main", "currents marketing"}
    assert any(w.startswith("currents-marketing/") for w in world.writes(KEY_ID))
    assert not any(c.name.startswith("a new file under") for c in report.checks), "no --freshness, no freshness"


def test_run_reads_each_buckets_region_key_and_mode() -> None:
    out = outputs(
        buckets={
            "exports": {"name": "acme-exports", "region": "us-west-2", "mode": "reference", "kmsKeyArn": KEY_ARN},
            "default": {"name": BUCKET},
            "broken": "not-a-bucket",
        },
        currents={},
    )
    world = World(location="us-west-2", encryption=[{"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": KEY_ARN}])
    report = verifier(world, out).run()
    by_subject = {(c.subject, c.name): c for c in report.checks}
    assert by_subject[('bucket "acme-exports" (reference: not managed by this stack)', "region")].ok is True
    assert by_subject[('bucket "acme-exports" (reference: not managed by this stack)', ENCRYPTION)].ok is True
    assert by_subject[(f'bucket "{BUCKET}"', "region")].ok is False, "no region: the outputs' region"
    assert by_subject[(f'bucket "{BUCKET}"', ENCRYPTION)].ok is None, "the key is granted for the other bucket only"
    assert [s for s, n in by_subject if n == "region"] == [
        f'bucket "{BUCKET}"',
        'bucket "acme-exports" (reference: not managed by this stack)',
    ], "sorted by key: default, exports"


ENCRYPTION = "default encryption Braze can write through"


def test_without_buckets_the_bucket_name_is_checked() -> None:
    report = verifier(World(), {"region": REGION, "bucketName": BUCKET}).run()
    assert {c.subject for c in report.checks} == {f'bucket "{BUCKET}"'}
    assert verifier(World(), {"region": REGION}).run().checks == []
    assert command.buckets_of({"buckets": {}, "bucketName": BUCKET}) == [{"name": BUCKET}]


def test_a_currents_connector_without_a_folder_fails_clearly() -> None:
    out = outputs()
    del out["currents"]["main"]["folderPath"]
    report = verifier(deployed_world(), out).run()
    check = next(c for c in report.checks if c.name == "folderPath in the outputs")
    assert (check.subject, check.ok, check.reason) == (
        "currents main",
        False,
        "none: the connector's folder scope cannot be checked",
    )
    assert [c.name for c in report.checks if c.name == "folderPath in the outputs"] == ["folderPath in the outputs"]


def test_read_only_checks_keys_through_iam_and_writes_nothing() -> None:
    world = deployed_world(
        access_keys={KEY_ID: "Active"},
        last_used={"LastUsedDate": datetime(2026, 11, 30, 8, 5, tzinfo=UTC), "ServiceName": "s3"},
    )
    out = outputs()
    del out["secretAccessKey-marketing"]
    report = verifier(world, out, read_only=True).run()
    assert world.writes() == [] and world.assumed == []
    assert by_name(report)["key 2026-11 (the one in Braze) is Active"].ok is True
    assert by_name(report)["key 2026-11 (the one in Braze) is Active"].subject == "currents marketing"
    assert by_name(report)["key 2026-11 (the one in Braze) last used"].reason == "2026-11-30 08:05 UTC (s3)"


def test_an_inactive_key_braze_holds_fails_read_only() -> None:
    """Deactivating the key Braze holds stops Currents as surely as deleting it."""
    world = deployed_world(access_keys={KEY_ID: "Inactive"})
    report = verifier(world, outputs(), read_only=True).run()
    check = by_name(report)["key 2026-11 (the one in Braze) is Active"]
    assert check.ok is False and check.reason.startswith("status Inactive; Braze drops events")
    assert not report.ok


def test_freshness_is_checked_for_currents_folders_only() -> None:
    world = deployed_world()
    out = outputs(dashboardExport={"integration": "dashboard-export", "authMethod": "role", "roleArn": ROLE_ARN,
                                   "brazeAccountId": BRAZE, "externalIds": [EXTERNAL_ID]})  # fmt: skip
    now = datetime.now(UTC)
    report = verifier(world, out, read_only=True, freshness_hours=6, now=lambda: now).run()
    fresh = {c.subject: c for c in report.checks if c.name.startswith("a new file under")}
    assert set(fresh) == {"currents main", "currents marketing"}
    assert all(c.ok for c in fresh.values())
    later = verifier(world, out, read_only=True, freshness_hours=6, now=lambda: now + timedelta(hours=30)).run()
    assert not later.ok


class FakeSession:
    """What `boto3.Session()` gives the command: clients of the in-memory world."""

    world: World

    def __init__(self, **credentials: Any) -> None:
        self.credentials = credentials
        self.region_name = credentials.get("region_name") or REGION

    def get_credentials(self) -> Any:
        key = self.credentials.get("aws_access_key_id")
        fields = {
            "access_key": key,
            "secret_key": self.credentials.get("aws_secret_access_key"),
            "token": self.credentials.get("aws_session_token"),
        }
        return type("Credentials", (), fields)() if key else None

    def client(self, service: str, **_: Any) -> Any:
        return fake_client(self.world, service, self if self.credentials.get("aws_access_key_id") else None)


@pytest.fixture
def command_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> tuple[World, Path]:
    world = deployed_world()
    FakeSession.world = world
    monkeypatch.setattr(command.boto3, "Session", FakeSession)
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps(outputs()))
    return world, path


def test_read_only_on_the_command_line_is_honoured(command_line: tuple[World, Path]) -> None:
    """`verify --read-only` as the freshness workflow runs it: no write, no secret, keys through IAM."""
    world, path = command_line
    out = io.StringIO()
    code = command.main(["--outputs", str(path), "--read-only", "--json"], out=out)
    result = json.loads(out.getvalue())
    assert code == 0, result
    assert out.getvalue().startswith('{\n  "ok": true,\n  "checks": [\n    {\n'), "indented by two"
    assert world.writes() == [] and world.assumed == []
    names = {c["name"] for c in result["checks"]}
    assert "key 2026-11 (the one in Braze) is Active" in names
    assert not any("PutObject" in n for n in names)
    world.access_keys[KEY_ID] = "Inactive"
    assert command.main(["--outputs", str(path), "--read-only"], out=io.StringIO()) == command.EXIT_FAILED


def test_without_read_only_the_command_line_probes(command_line: tuple[World, Path]) -> None:
    world, path = command_line
    out = io.StringIO()
    assert command.main(["--outputs", str(path)], out=out) == 0
    assert any(w.startswith("currents-marketing/") for w in world.writes(KEY_ID))
    text = out.getvalue()
    assert text.startswith(f'Checking the Braze S3 setup of bucket "{BUCKET}"\n')
    assert "  ✓ currents marketing: key 2026-11: PutObject" in text
    assert "\nSummary: " in text and " 0 failed, " in text and "only Braze can run" in text
    assert SECRET not in text


def test_the_command_line_passes_freshness_and_fails_on_a_stale_folder(command_line: tuple[World, Path]) -> None:
    world, path = command_line
    for key, (body, _, extra) in list(world.objects.items()):
        world.objects[key] = (body, datetime.now(UTC) - timedelta(hours=30), extra)
    out = io.StringIO()
    assert command.main(["--outputs", str(path), "--read-only", "--freshness", "24", "--json"], out=out) == 1
    checks = [c for c in json.loads(out.getvalue())["checks"] if c["name"].startswith("a new file under")]
    assert len(checks) == 2 and not any(c["ok"] for c in checks)
    assert command.main(["--outputs", str(path), "--read-only", "--freshness", "48"], out=io.StringIO()) == 0


def test_the_propagation_timeout_reaches_the_verifier(
    command_line: tuple[World, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, Any] = {}
    original = command.Verifier.__init__

    def spy(self: Any, *args: Any, **kwargs: Any) -> None:
        seen.update(kwargs)
        original(self, *args, **kwargs)

    monkeypatch.setattr(command.Verifier, "__init__", spy)
    _, path = command_line
    command.main(
        ["--outputs", str(path), "--propagation-timeout", "7", "--endpoint-url", "http://x"], out=io.StringIO()
    )
    assert (seen["propagation_timeout"], seen["endpoint_url"], seen["read_only"]) == (7.0, "http://x", False)
    command.main(["--outputs", str(path)], out=io.StringIO())
    assert (seen["propagation_timeout"], seen["endpoint_url"], seen["freshness_hours"]) == (120.0, None, None)


def test_a_read_only_stack_run_asks_pulumi_for_no_secret(
    monkeypatch: pytest.MonkeyPatch, command_line: tuple[World, Path]
) -> None:
    commands: list[list[str]] = []

    def fake_run(args: list[str], **options: Any) -> Any:
        assert options == {"check": True, "capture_output": True, "text": True}, "a failing CLI must raise"
        commands.append(args)
        return type("Done", (), {"stdout": json.dumps(outputs())})()

    monkeypatch.setattr(command.subprocess, "run", fake_run)
    monkeypatch.setattr(
        "braze_s3_tools.verify.outputs.shutil.which", lambda name: "/usr/bin/pulumi" if name == "pulumi" else None
    )
    monkeypatch.setattr("braze_s3_tools.verify.outputs.subprocess.run", fake_run)
    assert command.main(["--stack", "prod", "--read-only"], out=io.StringIO()) == 0
    assert commands[-1] == ["/usr/bin/pulumi", "stack", "output", "--json", "--stack", "prod"]
    command.main(["--stack", "prod"], out=io.StringIO())
    assert commands[-1] == ["/usr/bin/pulumi", "stack", "output", "--json", "--show-secrets", "--stack", "prod"]
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    command.read_outputs(None, None)
    assert commands[-1] == ["/usr/bin/pulumi", "stack", "output", "--json", "--show-secrets"], "secrets by default"


def test_unreadable_outputs_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "outputs.json"
    bad.write_text("[1, 2]")
    assert command.main(["--outputs", str(bad)], out=io.StringIO()) == command.EXIT_INPUT
    assert "must be a JSON object" in capsys.readouterr().err
    assert command.main(["--outputs", str(tmp_path / "missing.json")], out=io.StringIO()) == command.EXIT_INPUT


def test_outputs_read_from_a_file_stdin_or_pulumi(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "o.json"
    path.write_text(json.dumps({"bucketName": "a-b"}))
    assert command.read_outputs(str(path), None) == {"bucketName": "a-b"}
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps({"bucketName": "from-stdin"})))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    assert command.read_outputs(None, None) == {"bucketName": "from-stdin"}


def test_each_keys_secret_comes_from_the_output_it_names() -> None:
    out = outputs()
    out["currents"]["marketing"]["accessKeys"]["2026-05"] = {"accessKeyId": "AKIAOLD", "secretOutput": "gone"}
    marketing = next(i for i in command.integrations_of(out) if i.subject == "currents marketing")
    assert marketing.keys == {
        "2026-11": {"accessKeyId": KEY_ID, "secretAccessKey": SECRET},
        "2026-05": {"accessKeyId": "AKIAOLD"},
    }
    assert (marketing.user_name, marketing.active_key, marketing.bucket) == (
        "currents-marketing-user",
        "2026-11",
        BUCKET,
    )
    copy_ = copy.deepcopy(out)
    copy_["currents"]["marketing"].pop("bucketName")
    assert next(i for i in command.integrations_of(copy_) if i.subject == "currents marketing").bucket == BUCKET
    assert command.integrations_of({"currents": None, "dashboardExport": None}) == []


def test_the_help_names_the_command_and_says_what_each_option_does(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        command.main(["--help"])
    assert exit_.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert text.startswith("usage: verify [-h] [--outputs OUTPUTS] [--stack STACK]")
    first_line = (command.__doc__ or "").splitlines()[0]
    for said in (
        first_line,
        'stack outputs JSON file, or "-" for stdin',
        "run `pulumi stack output` for this stack",
        "an S3/IAM emulator, e.g. http://127.0.0.1:5000",
        "print one JSON report",
        "also fail when a Currents connector's newest file is older than HOURS (needs s3:ListBucket only)",
        "write nothing: no probe objects; access keys checked through IAM (Active, last used), no secret needed",
        "seconds to wait for new credentials to work (default 120)",
        "--freshness HOURS",
    ):
        assert said in text, said


def test_a_key_whose_secret_aws_does_not_recognise_fails_like_braze_would() -> None:
    keys = {"2026-11": {"accessKeyId": KEY_ID, "secretAccessKey": "not-the-secret"}}
    report = probe(World(), key_integration(keys=keys))
    assert failed(report) == [
        '  ✗ currents marketing: key 2026-11: GetBucketLocation — InvalidAccessKeyId: Braze reports "S3 credentials are invalid"'
    ]


def test_each_integrations_fields_and_their_defaults_come_from_its_own_entry() -> None:
    out = {
        "bucketName": BUCKET,
        "currents": {
            "own": {"bucketName": "acme-exports", "objectScope": "bucket", "folderPath": "c"},
            "bare": {},
        },
    }
    bare, own = command.integrations_of(out)  # sorted by name
    assert (own.subject, own.bucket, own.object_scope, own.object_scope_given) == (
        "currents own",
        "acme-exports",
        "bucket",
        True,
    )
    assert (bare.integration, bare.auth, bare.bucket, bare.object_scope, bare.aes256) == (
        "currents",
        "role",
        BUCKET,
        "folder",
        False,
    )
    (nothing,) = command.integrations_of({"currents": {"x": {}}})
    assert nothing.bucket == ""


def test_every_default_encryption_rule_is_shown() -> None:
    rules = [{"SSEAlgorithm": "AES256"}, {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/aws/s3"}]
    check = bucket_checks(World(encryption=rules))["default encryption Braze can write through"]
    assert (check.ok, check.reason) == (True, "AES256, aws:kms (alias/aws/s3)")


def test_a_key_without_its_secret_does_not_stop_the_next_from_being_checked() -> None:
    keys = {
        "2026-05": {"accessKeyId": "AKIAOLD"},
        "2026-11": {"accessKeyId": KEY_ID, "secretAccessKey": SECRET},
    }
    report = probe(World(permissions={KEY_ID: in_folder("currents-marketing")}), key_integration(keys=keys))
    assert report.checks[0].name == "key 2026-05" and report.checks[0].ok is False
    assert by_name(report)["key 2026-11: PutObject"].ok is True
