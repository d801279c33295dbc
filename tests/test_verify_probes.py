"""`verify`'s probes with Braze's credentials, on an in-memory AWS: what must fail does fail, and only
AccessDenied counts as "denied" (issue 26)."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import EndpointConnectionError

from braze_s3_tools.verify import command
from braze_s3_tools.verify.command import Integration, Report
from braze_s3_tools.verify.roles import BUCKET_SCOPE, OUTSIDE_DIR, PROBE_DIR
from tests.verify_fakes import (
    BUCKET,
    KEY_ID,
    REGION,
    SECRET,
    World,
    aws_error,
    by_name,
    failed,
    in_folder,
    key_integration,
    verifier,
)

# --- the probes Braze's credentials make ---------------------------------------------------------------


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


def test_a_key_whose_secret_aws_does_not_recognise_fails_like_braze_would() -> None:
    keys = {"2026-11": {"accessKeyId": KEY_ID, "secretAccessKey": "not-the-secret"}}
    report = probe(World(), key_integration(keys=keys))
    assert failed(report) == [
        '  ✗ currents marketing: key 2026-11: GetBucketLocation — InvalidAccessKeyId: Braze reports "S3 credentials are invalid"'
    ]


def test_a_key_without_its_secret_does_not_stop_the_next_from_being_checked() -> None:
    keys = {
        "2026-05": {"accessKeyId": "AKIAOLD"},
        "2026-11": {"accessKeyId": KEY_ID, "secretAccessKey": SECRET},
    }
    report = probe(World(permissions={KEY_ID: in_folder("currents-marketing")}), key_integration(keys=keys))
    assert report.checks[0].name == "key 2026-05" and report.checks[0].ok is False
    assert by_name(report)["key 2026-11: PutObject"].ok is True
