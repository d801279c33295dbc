"""`verify` as a whole run and as a command line, on an in-memory AWS: every bucket and integration, read-only,
freshness, outputs and secrets (issue 26)."""

from __future__ import annotations

import copy
import io
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from braze_s3_tools.verify import command
from tests.verify_fakes import (
    BRAZE,
    BUCKET,
    EXTERNAL_ID,
    KEY_ARN,
    REGION,
    ROLE_ARN,
    World,
    by_name,
    failed,
    fake_client,
    good_role_world,
    in_folder,
    verifier,
)

KEY_ID, SECRET = "AKIAMARKETING2026110", "marketing-secret"


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
