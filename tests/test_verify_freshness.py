"""Freshness and key status (what the daily read-only job decides), the report, and verify-local's
bucket-policy check — on the in-memory AWS of tests/verify_fakes.py and the dev stack's documents."""

from __future__ import annotations

import dataclasses
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import EndpointConnectionError

from braze_s3_tools.emulator import bucket_policy
from braze_s3_tools.engine.harness import ProgramRun
from braze_s3_tools.verify.command import Check, Report, integrations_of
from braze_s3_tools.verify.freshness import LOSS_WINDOW, check_freshness, check_key_status, newest_object
from braze_s3_tools.verify.report import error_code
from tests.pack.mutations import edit_document
from tests.verify_fakes import BUCKET, FakeIAM, FakeS3, World, aws_error

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
NAME = "a new file under currents/ within {} h"


def freshness(world: World, max_age_hours: float, folder: str = "currents") -> Check:
    report = Report()
    check_freshness(
        report, FakeS3(world, "caller"), "currents main", bucket=BUCKET, folder=folder, max_age_hours=max_age_hours,
        now=lambda: NOW,
    )  # fmt: skip
    (check,) = report.checks
    assert check.subject == "currents main"
    return check


def written(age: timedelta, key: str = "currents/x.avro", world: World | None = None) -> World:
    world = world or World()
    world.objects[key] = (b"avro", NOW - age, {})
    return world


@pytest.mark.parametrize(
    ("age", "limit", "ok", "shown"),
    [
        (timedelta(hours=2), 6, True, "2.0 h old"),
        (timedelta(hours=7), 6, False, "7.0 h old"),
        (timedelta(hours=30), 24, False, "30.0 h old"),  # timedelta.seconds would say 6 h
        (timedelta(hours=30), 31, True, "30.0 h old"),
        (timedelta(hours=49), 48, False, "49.0 h old"),  # past Braze's older 48 h window
        (timedelta(hours=47), 48, True, "47.0 h old"),
        (timedelta(days=6), 120, False, "144.0 h old"),  # past Braze's 5 days: the events are gone
        (timedelta(days=6), 24, False, "144.0 h old"),  # .seconds would say 0 h: "fresh"
        (timedelta(days=4, hours=23), 120, True, "119.0 h old"),
        (timedelta(hours=24), 24, True, "24.0 h old"),  # the limit itself is still fresh
        (timedelta(hours=24, seconds=2), 24, False, "24.0 h old"),
    ],
)
def test_the_age_counts_whole_days_across_brazes_loss_window(
    age: timedelta, limit: float, ok: bool, shown: str
) -> None:
    check = freshness(written(age), limit)
    assert check.name == NAME.format(f"{limit:g}")
    assert check.ok is ok, check
    assert f"({shown})" in check.reason
    assert (LOSS_WINDOW in check.reason) is not ok
    assert check.reason.startswith(f"newest of 1: currents/x.avro, written {(NOW - age):%Y-%m-%d %H:%M} UTC")


def test_the_newest_file_is_found_on_any_page_in_any_order() -> None:
    world = World(pages=2)
    for key, hours in [("currents/a", 50), ("currents/z", 3), ("currents/m", 70), ("currents/b", 90), ("other/n", 0)]:
        written(timedelta(hours=hours), key, world)
    assert newest_object(FakeS3(world, "caller"), BUCKET, "currents/") == ("currents/z", NOW - timedelta(hours=3), 4)
    check = freshness(world, 6)
    assert check.ok is True and check.reason.startswith("newest of 4: currents/z")


def test_a_neighbouring_folder_is_not_this_one() -> None:
    check = freshness(written(timedelta(hours=1), "currents-marketing/x.avro"), 6)
    assert check.ok is False and check.reason.startswith("no object under s3://acme-braze-dev/currents/ at all")


@pytest.mark.parametrize("error", [aws_error("AccessDenied"), EndpointConnectionError(endpoint_url="https://s3")])
def test_a_listing_that_fails_fails_the_check(error: Exception) -> None:
    check = freshness(World(errors={("caller", "ListObjectsV2"): error}), 6)
    assert check.ok is False and check.name == NAME.format(6)
    assert check.reason == f"{error_code(error)}: the caller cannot list s3://{BUCKET}/currents/"


# --- the access key Braze holds, read through IAM ---------------------------------------------------------

KEYS = {"2026-05": {"accessKeyId": "AKIAOLD"}, "2026-11": {"accessKeyId": "AKIANEW"}}


def key_status(
    world: World, keys: dict[str, Any] | None = None, user: str | None = "u", active: str = "2026-11"
) -> dict[str, Check]:
    report = Report()
    check_key_status(
        report, FakeIAM(world, "caller"), "currents marketing", user=user, keys=keys or KEYS, active=active
    )
    assert {c.subject for c in report.checks} == {"currents marketing"}
    return {c.name: c for c in report.checks}


def test_live_keys_pass_and_the_last_use_of_brazes_is_said() -> None:
    world = World(
        access_keys={"AKIAOLD": "Active", "AKIANEW": "Active"}, last_used={"LastUsedDate": NOW, "ServiceName": "s3"}
    )
    checks = key_status(world)
    assert {n: c.ok for n, c in checks.items()} == {
        "key 2026-05 is Active": True,
        "key 2026-11 (the one in Braze) is Active": True,
        "key 2026-11 (the one in Braze) last used": None,
    }
    assert checks["key 2026-11 (the one in Braze) last used"].reason == "2026-12-06 12:00 UTC (s3)"
    never = key_status(World(access_keys={"AKIAOLD": "Active", "AKIANEW": "Active"}, last_used={}))
    assert never["key 2026-11 (the one in Braze) last used"].reason == "never: Braze has not used this key yet"
    hidden = key_status(
        World(access_keys={"AKIAOLD": "Active", "AKIANEW": "Active"}, last_used=aws_error("AccessDenied"))
    )
    assert hidden["key 2026-11 (the one in Braze) last used"].ok is None
    assert hidden["key 2026-11 (the one in Braze) last used"].reason.startswith("AccessDenied: ")


def test_an_inactive_key_braze_holds_fails_with_the_loss_window() -> None:
    checks = key_status(World(access_keys={"AKIAOLD": "Active", "AKIANEW": "Inactive"}))
    check = checks["key 2026-11 (the one in Braze) is Active"]
    assert (check.ok, check.reason) == (False, f"status Inactive; {LOSS_WINDOW}")
    assert "key 2026-11 (the one in Braze) last used" not in checks
    old = key_status(World(access_keys={"AKIAOLD": "Inactive", "AKIANEW": "Active"}))["key 2026-05 is Active"]
    assert (old.ok, old.reason) == (False, "status Inactive")


def test_a_deleted_key_or_no_user_or_no_listing_fails() -> None:
    checks = key_status(World(access_keys={"AKIAOLD": "Active"}))
    assert (
        checks["key 2026-11 (the one in Braze) is Active"].ok,
        checks["key 2026-11 (the one in Braze) is Active"].reason,
    ) == (
        False,
        "deleted",
    )
    no_id = key_status(World(access_keys={"AKIANEW": "Active"}), keys={"2026-11": {}})
    assert no_id["key 2026-11 (the one in Braze) is Active"].ok is False
    assert [(c.name, c.ok, c.reason) for c in key_status(World(), user=None).values()] == [
        ("access key is live", False, "no userName in the outputs")
    ]
    denied = key_status(World(errors={("caller", "ListAccessKeys"): aws_error("AccessDenied")}))
    assert (denied["access key is live"].ok, denied["access key is live"].reason) == (
        False,
        "AccessDenied: iam:ListAccessKeys on u",
    )
    nowhere = key_status(World(access_keys={"AKIANEW": "Active"}, last_used={"LastUsedDate": NOW}))
    assert nowhere["key 2026-11 (the one in Braze) last used"].reason == "2026-12-06 12:00 UTC ()"


# --- the report ---------------------------------------------------------------------------------------


def test_the_report_marks_counts_and_fails_on_a_leftover_probe() -> None:
    out = io.StringIO()
    report = Report(out=out)
    assert report.add("bucket", "a", True) is True
    assert report.add("bucket", "b", None, "why not") is True
    assert report.add("bucket", "c", False, "broken") is False
    report.progress("waiting")
    assert out.getvalue() == "  ✓ bucket: a\n  – bucket: b — why not\n  ✗ bucket: c — broken\n  … waiting\n"
    assert report.summary() == "1 passed, 1 failed, 1 not checked" and not report.ok
    clean = Report(checks=[Check("s", "n", True), Check("s", "m", None)])
    assert clean.ok
    clean.leftover_probes.append("s3://b/k")
    assert not clean.ok and clean.summary() == "1 passed, 0 failed, 1 not checked; probe objects left behind: s3://b/k"
    assert clean.as_json() == {
        "ok": False,
        "checks": [
            {"subject": "s", "name": "n", "ok": True, "reason": ""},
            {"subject": "s", "name": "m", "ok": None, "reason": ""},
        ],
        "leftoverProbes": ["s3://b/k"],
        "summary": clean.summary(),
    }
    Report().progress("nowhere to print: no error")


def test_error_codes_name_aws_errors_and_other_failures() -> None:
    assert error_code(aws_error("SlowDown")) == "SlowDown"
    assert error_code(EndpointConnectionError(endpoint_url="https://s3")) == "EndpointConnectionError"
    from botocore.exceptions import ClientError

    assert error_code(ClientError({}, "PutObject")) == "ClientError"


# --- verify-local's bucket-policy check: read from the document, per connector ------------------------------


def _with_statement(run: ProgramRun, statement: dict[str, Any]) -> ProgramRun:
    def add(document: dict[str, Any]) -> None:
        document["Statement"].append(statement)

    resources = edit_document(run, "aws:s3/bucketPolicy:BucketPolicy", "braze-bucket-tls-only", add)
    return dataclasses.replace(run, resources=resources)


def _policy_checks(run: ProgramRun) -> dict[str, Check]:
    report = Report()
    bucket_policy.check_bucket_policies(run, integrations_of(run.outputs), report)
    return {c.subject: c for c in report.checks}


def test_the_programs_bucket_policy_lets_every_integration_through(dev_up: ProgramRun) -> None:
    checks = _policy_checks(dev_up)
    assert set(checks) == {"currents main", "currents marketing", "dashboard export"}
    assert all(c.ok is True and c.name == bucket_policy.CHECK for c in checks.values()), checks


@pytest.mark.parametrize(
    ("folder", "action", "hit"),
    [
        ("currents-marketing", "s3:PutObject", {"currents marketing"}),
        ("currents", "s3:PutObject", {"currents main"}),
        ("currents", "s3:GetObject", {"currents main"}),
        ("currents-marketing", "s3:*", {"currents marketing"}),
    ],
)
def test_a_deny_scoped_to_one_currents_folder_fails_that_connector_only(
    dev_up: ProgramRun, folder: str, action: str, hit: set[str]
) -> None:
    """A bucket-policy Deny on <bucket>/<folder>/* stops that connector's writes; the others are untouched."""
    statement = {"Effect": "Deny", "Principal": "*", "Action": action, "Resource": f"arn:aws:s3:::{BUCKET}/{folder}/*"}
    checks = _policy_checks(_with_statement(dev_up, statement))
    assert {s for s, c in checks.items() if c.ok is False} == hit
    (failing,) = [c for c in checks.values() if c.ok is False]
    assert '"braze-bucket-tls-only"' in failing.reason and "(denies s3:" in failing.reason


def test_a_deny_on_the_bucket_itself_fails_every_integration(dev_up: ProgramRun) -> None:
    statement = {"Effect": "Deny", "Principal": "*", "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{BUCKET}"}
    checks = _policy_checks(_with_statement(dev_up, statement))
    assert all(c.ok is False and "(denies s3:ListBucket)" in c.reason for c in checks.values())


def test_dashboard_export_is_checked_for_delete_and_at_the_bucket_root(dev_up: ProgramRun) -> None:
    statement = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:DeleteObject",
        "Resource": f"arn:aws:s3:::{BUCKET}/*",
    }
    checks = _policy_checks(_with_statement(dev_up, statement))
    assert {s for s, c in checks.items() if c.ok is False} == {"dashboard export"}


def test_a_stack_without_a_bucket_policy_says_so(dev_up: ProgramRun) -> None:
    run = dataclasses.replace(dev_up, resources=[r for r in dev_up.resources if r.type != bucket_policy.BUCKET_POLICY])
    checks = _policy_checks(run)
    assert all(c.ok is True and c.reason == "the stack sets no bucket policy" for c in checks.values())


def test_the_wanted_requests_follow_the_integration() -> None:
    from braze_s3_tools.verify.outputs import Integration

    currents = Integration("c", "currents", BUCKET, "/currents/", "role", False)
    assert bucket_policy.wanted(currents) == [
        ("s3:ListBucket", None),
        ("s3:GetBucketLocation", None),
        ("s3:PutObject", f"currents/{bucket_policy.PROBE}"),
        ("s3:GetObject", f"currents/{bucket_policy.PROBE}"),
    ]
    no_folder = Integration("c", "currents", BUCKET, None, "role", False)
    assert bucket_policy.wanted(no_folder)[-1] == ("s3:GetObject", bucket_policy.PROBE)
    export = Integration("d", "dashboard-export", BUCKET, None, "role", False)
    assert bucket_policy.wanted(export)[2:] == [
        ("s3:PutObject", bucket_policy.PROBE),
        ("s3:GetObject", bucket_policy.PROBE),
        ("s3:DeleteObject", bucket_policy.PROBE),
    ]


class Flushes(io.StringIO):
    """A terminal: how many lines had reached it at each flush."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[int] = []

    def flush(self) -> None:
        self.seen.append(self.getvalue().count("\n"))


def test_each_line_reaches_the_terminal_as_it_happens() -> None:
    """A check that waits for IAM for minutes must show its progress then, not at the end."""
    out = Flushes()
    report = Report(out=out)
    report.add("s", "n", True)
    report.progress("waiting")
    report.add("s", "m", False)
    assert out.seen == [1, 2, 3]
