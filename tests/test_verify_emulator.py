"""The program's exact IAM documents on a real S3/IAM emulator (moto's server), and `verify` against it."""

from __future__ import annotations

import contextlib
import copy
import json
import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from braze_s3_tools.emulator.server import MotoServer, Provisioned, client
from braze_s3_tools.engine.harness import ProgramRun
from braze_s3_tools.verify.command import Check, Report, Verifier
from tests.conftest import EMULATOR_REGION as REGION
from tests.conftest import OTHER_BUCKET

pytestmark = pytest.mark.slow

BUCKET = "acme-braze-dev"


def s3_as(moto: MotoServer, env: Provisioned, who: str) -> Any:
    """An S3 client with the credentials Braze would hold for ``who``."""
    outputs = env.outputs
    if who == "marketing":
        key = outputs["currents"]["marketing"]["accessKeys"]["2026-11"]
        creds = {"aws_access_key_id": key["accessKeyId"], "aws_secret_access_key": outputs[key["secretOutput"]]}
    else:
        entry = outputs["dashboardExport"] if who == "dashboard-export" else outputs["currents"][who]
        sts = client("sts", moto.url, REGION, env.admin)
        assumed = sts.assume_role(
            RoleArn=env.role_stand_ins[entry["roleArn"]], RoleSessionName="braze", ExternalId=entry["externalIds"][0]
        )["Credentials"]
        creds = {
            "aws_access_key_id": assumed["AccessKeyId"],
            "aws_secret_access_key": assumed["SecretAccessKey"],
            "aws_session_token": assumed["SessionToken"],
        }
    return boto3.client("s3", endpoint_url=moto.url, region_name=REGION, **creds)


def allowed(call: Callable[[], Any]) -> bool:
    try:
        call()
    except ClientError as error:
        assert error.response["Error"]["Code"] == "AccessDenied", error
        return False
    return True


OWN = {"main": "currents", "marketing": "currents-marketing", "dashboard-export": None}
# (who, key prefix, may write) — each connector in its own folder only; dashboard export anywhere in the bucket.
MATRIX = [
    ("main", "currents/", True),
    ("main", "currents-marketing/", False),
    ("main", "unscoped/", False),
    ("main", "", False),
    ("marketing", "currents-marketing/", True),
    ("marketing", "currents/", False),
    ("marketing", "currents-marketing-2/", False),
    ("marketing", "unscoped/", False),
    ("dashboard-export", "segment-export/seg/2026-11-28/", True),
    ("dashboard-export", "currents/", True),
]


@pytest.mark.parametrize(("who", "prefix", "may"), MATRIX, ids=[f"{w}:{p or 'root'}" for w, p, _ in MATRIX])
@pytest.mark.parametrize("sse", [False, True], ids=["plain", "aes256-header"])
def test_each_integration_writes_and_reads_only_where_it_should(
    moto: MotoServer, env: Provisioned, who: str, prefix: str, may: bool, sse: bool
) -> None:
    s3 = s3_as(moto, env, who)
    key = f"{prefix}test-{uuid.uuid4()}.avro"
    extra = {"ServerSideEncryption": "AES256"} if sse else {}
    assert allowed(lambda: s3.put_object(Bucket=BUCKET, Key=key, Body=b"avro", **extra)) is may, (
        f"{who} PutObject {key}"
    )
    if may:
        assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == b"avro"


@pytest.mark.parametrize("who", ["main", "marketing", "dashboard-export"])
def test_no_integration_reaches_another_bucket_even_one_whose_name_starts_with_ours(
    moto: MotoServer, env: Provisioned, who: str
) -> None:
    s3 = s3_as(moto, env, who)
    folder = OWN[who]
    key = f"{folder + '/' if folder else ''}x.avro"
    assert not allowed(lambda: s3.put_object(Bucket=OTHER_BUCKET, Key=key, Body=b"x"))
    assert not allowed(lambda: s3.get_bucket_location(Bucket=OTHER_BUCKET))


@pytest.mark.parametrize(("who", "may"), [("main", False), ("marketing", False), ("dashboard-export", True)])
def test_only_dashboard_export_can_delete(moto: MotoServer, env: Provisioned, who: str, may: bool) -> None:
    admin = client("s3", moto.url, REGION, env.admin)
    folder = OWN[who] or "exports"
    key = f"{folder}/to-delete-{uuid.uuid4()}"
    admin.put_object(Bucket=BUCKET, Key=key, Body=b"x")
    assert allowed(lambda: s3_as(moto, env, who).delete_object(Bucket=BUCKET, Key=key)) is may


def test_a_wrong_external_id_cannot_assume_the_role(moto: MotoServer, env: Provisioned) -> None:
    """moto evaluates StringEquals sts:ExternalId (not a missing one, nor Braze's cross-account call)."""
    sts = client("sts", moto.url, REGION, env.admin)
    stand_in = env.role_stand_ins[env.outputs["currents"]["main"]["roleArn"]]
    with pytest.raises(ClientError, match="AccessDenied"):
        sts.assume_role(RoleArn=stand_in, RoleSessionName="braze", ExternalId="not-the-id")


def _verify(moto: MotoServer, env: Provisioned, outputs: dict[str, Any] | None = None) -> Report:
    caller = boto3.Session(region_name=REGION, **env.admin)
    report = Report()
    Verifier(
        outputs or env.outputs,
        endpoint_url=moto.url,
        caller=caller,
        report=report,
        propagation_timeout=2,
        sleep=lambda _: None,
        role_stand_ins=env.role_stand_ins,
    ).run()
    return report


def failed(report: Report) -> list[str]:
    return [c.line() for c in report.checks if c.ok is False]


def test_verify_passes_on_the_dev_stack_and_cleans_up_its_probes(moto: MotoServer, env: Provisioned) -> None:
    report = _verify(moto, env)
    assert report.ok, failed(report)
    assert {c.subject for c in report.checks} == {
        f'bucket "{BUCKET}"',
        "currents main",
        "currents marketing",
        "dashboard export",
    }
    listing = client("s3", moto.url, REGION, env.admin).list_objects_v2(Bucket=BUCKET).get("Contents", [])
    assert not [o["Key"] for o in listing if "braze-s3-verify" in o["Key"]]


def test_verify_never_prints_a_secret(moto: MotoServer, env: Provisioned, capsys: pytest.CaptureFixture[str]) -> None:
    from braze_s3_tools.verify import command as verify

    path = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"outputs-{uuid.uuid4()}.json")  # noqa: S108 - a test file
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(env.outputs, handle)
    os.environ.update(
        {
            "AWS_ACCESS_KEY_ID": env.admin["aws_access_key_id"],
            "AWS_SECRET_ACCESS_KEY": env.admin["aws_secret_access_key"],
        }
    )
    try:
        code = verify.main(["--outputs", path, "--endpoint-url", moto.url, "--propagation-timeout", "1"])
        code_json = verify.main(["--outputs", path, "--endpoint-url", moto.url, "--json", "--propagation-timeout", "1"])
    finally:
        os.remove(path)
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
            os.environ.pop(name, None)
    printed = capsys.readouterr().out
    secret = env.outputs["secretAccessKey-currents-marketing-2026-11"]
    assert secret not in printed
    assert (code, code_json) == (0, 0)
    assert '"ok": true' in printed


def test_verify_fails_on_an_object_lock_bucket(moto: MotoServer, env: Provisioned) -> None:
    locked = "acme-braze-dev-locked"
    client("s3", moto.url, REGION, env.admin).create_bucket(
        Bucket=locked, ObjectLockEnabledForBucket=True, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    outputs = copy.deepcopy(env.outputs)
    outputs.update(
        bucketName=locked, buckets={"default": {"name": locked, "region": REGION}}, currents={}, dashboardExport=None
    )
    lines = failed(_verify(moto, env, outputs))
    assert any("Object Lock off" in line and "Braze Currents cannot write" in line for line in lines), lines


@contextlib.contextmanager
def policy_document(
    moto: MotoServer, env: Provisioned, dev_up: ProgramRun, name: str, edit: Callable[[dict[str, Any]], None]
) -> Iterator[None]:
    """The emulated account with one integration's policy edited (a new default version), then restored."""
    iam = client("iam", moto.url, REGION, env.admin)
    arn = env.policy_arns[name]
    doc = json.loads(dev_up.get("aws:iam/policy:Policy", name).inputs["policy"])
    edit(doc)
    version = iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(doc), SetAsDefault=True)[
        "PolicyVersion"
    ]["VersionId"]
    try:
        yield
    finally:
        iam.set_default_policy_version(PolicyArn=arn, VersionId="v1")
        iam.delete_policy_version(PolicyArn=arn, VersionId=version)


def test_verify_fails_when_a_connectors_get_object_is_removed(
    moto: MotoServer, env: Provisioned, dev_up: ProgramRun
) -> None:
    def drop_get(doc: dict[str, Any]) -> None:
        doc["Statement"][1]["Action"] = ["s3:PutObject"]

    with policy_document(moto, env, dev_up, "currents-marketing-policy", drop_get):
        lines = failed(_verify(moto, env))
    assert lines == [
        "  ✗ currents marketing: key 2026-11: GetObject — AccessDenied: Braze needs it (error handling)"
    ], lines


def _whole_bucket(doc: dict[str, Any]) -> None:
    """The connector's object statement widened from <bucket>/<folder>/* to Braze's published <bucket>/*."""
    doc["Statement"][1]["Resource"] = f"arn:aws:s3:::{BUCKET}/*"


def test_verify_fails_when_an_access_key_connector_can_write_outside_its_folder(
    moto: MotoServer, env: Provisioned, dev_up: ProgramRun
) -> None:
    """Kills the mutant that forces the live "write outside its folder is denied" probe to pass."""
    with policy_document(moto, env, dev_up, "currents-marketing-policy", _whole_bucket):
        lines = failed(_verify(moto, env))
    assert lines == [
        "  ✗ currents marketing: key 2026-11: write outside its folder is denied — it succeeded: the policy is "
        "broader than this connector's folder"
    ], lines


def test_verify_fails_when_a_role_connectors_policy_reaches_outside_its_folder(
    moto: MotoServer, env: Provisioned, dev_up: ProgramRun
) -> None:
    """Kills the mutant that forces the static "policy stays inside the folder" check to pass; the live
    probe through the role's permissions must fail as well."""
    with policy_document(moto, env, dev_up, "currents-main-policy", _whole_bucket):
        lines = failed(_verify(moto, env))
    assert any(
        "currents main: policy stays inside the folder" in line and "outside currents/" in line for line in lines
    ), lines
    assert any("currents main:" in line and "write outside its folder is denied" in line for line in lines), lines


def _scheduled(moto: MotoServer, env: Provisioned, now: datetime, outputs: dict[str, Any] | None = None) -> Report:
    """What the scheduled job runs: read-only, with freshness, as the admin caller stands in for its role."""
    report = Report()
    Verifier(
        outputs or env.outputs,
        endpoint_url=moto.url,
        caller=boto3.Session(region_name=REGION, **env.admin),
        report=report,
        propagation_timeout=2,
        sleep=lambda _: None,
        role_stand_ins=env.role_stand_ins,
        read_only=True,
        freshness_hours=6,
        now=lambda: now,
    ).run()
    return report


def _freshness_lines(report: Report) -> dict[str, Check]:
    return {c.subject: c for c in report.checks if c.name.startswith("a new file under")}


@pytest.fixture
def quiet_bucket(moto: MotoServer, env: Provisioned) -> Iterator[tuple[Any, dict[str, Any]]]:
    """An empty bucket of the same layout, and the outputs pointed at it: other tests leave probes behind."""
    s3 = client("s3", moto.url, REGION, env.admin)
    name = f"acme-braze-quiet-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    outputs = copy.deepcopy(env.outputs)
    outputs["bucketName"] = name
    for entry in [*outputs["currents"].values(), outputs["dashboardExport"]]:
        entry["bucketName"] = name
    yield s3, outputs
    for item in s3.list_objects_v2(Bucket=name).get("Contents", []):
        s3.delete_object(Bucket=name, Key=item["Key"])
    s3.delete_bucket(Bucket=name)


def test_freshness_passes_on_a_fresh_folder_and_fails_on_a_stale_or_empty_one(
    moto: MotoServer, env: Provisioned, quiet_bucket: tuple[Any, dict[str, Any]]
) -> None:
    s3, outputs = quiet_bucket
    bucket = outputs["bucketName"]
    key = (
        "currents/dataexport.prod-01.S3.integration.abc/event_type=users.messages.email.Send/date=2026-11-30-08/x.avro"
    )
    s3.put_object(Bucket=bucket, Key=key, Body=b"avro")
    written = s3.head_object(Bucket=bucket, Key=key)["LastModified"]
    fresh = _freshness_lines(_scheduled(moto, env, written + timedelta(hours=2), outputs))
    assert fresh["currents main"].ok is True and key in fresh["currents main"].reason
    assert fresh["currents marketing"].ok is False and "no object under" in fresh["currents marketing"].reason
    assert "dashboard export" not in fresh, "dashboard export has no folder to watch"
    stale = _freshness_lines(_scheduled(moto, env, written + timedelta(hours=7), outputs))
    assert stale["currents main"].ok is False
    assert "7.0 h old" in stale["currents main"].reason and "48 h to 5 days" in stale["currents main"].reason


def test_a_file_in_a_neighbouring_folder_does_not_count_as_fresh(
    moto: MotoServer, env: Provisioned, quiet_bucket: tuple[Any, dict[str, Any]]
) -> None:
    """`currents-marketing/` must not make `currents` look fresh: the prefix ends with a slash."""
    s3, outputs = quiet_bucket
    s3.put_object(Bucket=outputs["bucketName"], Key="currents-marketing/x.avro", Body=b"avro")
    lines = _freshness_lines(_scheduled(moto, env, datetime.now(UTC), outputs))
    assert lines["currents main"].ok is False and lines["currents marketing"].ok is True


def test_read_only_writes_nothing_and_checks_keys_through_iam(moto: MotoServer, env: Provisioned) -> None:
    s3 = client("s3", moto.url, REGION, env.admin)
    before = {o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])}
    outputs = copy.deepcopy(env.outputs)
    for name in [k for k in outputs if k.startswith("secretAccessKey-")]:
        del outputs[name]  # a read-only job reads outputs without --show-secrets
    report = _scheduled(moto, env, datetime.now(UTC), outputs)
    after = {o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])}
    assert after == before, "a read-only run must not write a probe"
    keys = {c.name: c for c in report.checks if c.subject == "currents marketing"}
    assert keys["key 2026-11 (the one in Braze) is Active"].ok is True
    assert "key 2026-11 (the one in Braze) last used" in keys
    assert not any("write outside" in c.name for c in report.checks)


def test_read_only_fails_when_the_key_braze_holds_was_deleted(moto: MotoServer, env: Provisioned) -> None:
    outputs = copy.deepcopy(env.outputs)
    outputs["currents"]["marketing"]["accessKeys"]["2026-11"]["accessKeyId"] = "AKIAGONEGONEGONEGONE"
    lines = failed(_scheduled(moto, env, datetime.now(UTC), outputs))
    assert any("key 2026-11 (the one in Braze) is Active" in line and "deleted" in line for line in lines), lines


def test_a_bucket_scoped_connector_is_not_failed_for_writing_outside_its_folder(
    moto: MotoServer, env: Provisioned, dev_up: ProgramRun
) -> None:
    """objectScope: bucket is Braze's published <bucket>/* on purpose: verify says so instead of failing."""
    outputs = copy.deepcopy(env.outputs)
    outputs["currents"]["marketing"]["objectScope"] = "bucket"
    with policy_document(moto, env, dev_up, "currents-marketing-policy", _whole_bucket):
        report = _verify(moto, env, outputs)
    assert failed(report) == []
    skipped = [c for c in report.checks if c.subject == "currents marketing" and "write outside its folder" in c.name]
    assert skipped and all(c.ok is None and "objectScope: bucket" in c.reason for c in skipped)


def test_the_outside_probe_key_lies_in_no_configured_folder() -> None:
    from braze_s3_tools.verify.roles import outside_key

    keys = {outside_key() for _ in range(3)}
    assert len(keys) == 3, "a fresh first segment each time"
    for key in keys:
        assert not key.startswith(("braze-s3-verify-outside/", "currents/", "currents-marketing/"))
