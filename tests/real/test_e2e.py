"""The real chain on moto: real `pulumi up`/`destroy` through the stand-in aws provider, `verify` on the real outputs.

Marker `real` (`make test-real`): needs the Pulumi CLI (`make pulumi`); without it the tests fail naming what to
install. The provider is the stand-in `aws` (a test double of AWS) whose resources live in moto
(`realcli.aws_backend`); nothing here says anything about AWS itself beyond what moto reproduces.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from braze_s3_tools.emulator.server import client
from braze_s3_tools.plan.buckets import OVERWRITES
from braze_s3_tools.realcli import e2e_emulator as emulator
from braze_s3_tools.realcli.cli import ROOT, NoCliError, find_cli
from braze_s3_tools.realcli.e2e import changes, run_e2e
from braze_s3_tools.realcli.e2e_session import Session

pytestmark = pytest.mark.real

IMPORTED = "acme-braze-exports-existing"
REFERENCED = "acme-old-braze-bucket"


@pytest.fixture(scope="session")
def cli() -> Path:
    try:
        return find_cli()
    except NoCliError as err:
        pytest.fail(f"the real-CLI tests need the Pulumi CLI: {err}")


def _passed(done: subprocess.CompletedProcess[str]) -> list[str]:
    return [line.strip() for line in done.stdout.splitlines() if line.strip().startswith("✓")]


def _up(session: Session, *extra: str) -> subprocess.CompletedProcess[str]:
    done = session.up(*extra)
    assert done.returncode == 0, (
        f"pulumi up {' '.join(extra)} of {session.stack} failed:\n{done.stdout[-4000:]}{done.stderr[-2000:]}"
    )
    return done


def _verify(session: Session) -> subprocess.CompletedProcess[str]:
    done = session.verify(session.outputs())
    assert done.returncode == 0, f"verify failed on the real outputs of {session.stack}:\n{done.stdout}{done.stderr}"
    return done


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_e2e(cli: Path, stack: str) -> None:
    """`make e2e`: up, ≥ 10 verify ✓, a second up with no change, destroy, bucket retained, credentials gone."""
    out = io.StringIO()
    status = run_e2e(stack, cli=cli, out=out)
    text = out.getvalue()
    assert status == 0, f"make e2e STACK={stack} failed:\n{text}"
    assert re.search(r"^✓ pulumi up \(.*\): \d+ created$", text, re.M), text
    assert re.search(r"^✓ pulumi up again: no changes \(.*\): \d+ unchanged$", text, re.M), text
    verify_ok = int(re.search(r"verify (\d+) ✓", text).group(1))  # type: ignore[union-attr]
    assert verify_ok >= 10, text
    assert "✓ buckets retained with their files (retainOnDelete)" in text, text
    assert "✓ credentials gone (roles, users, access keys)" in text, text
    assert "a test double of AWS" in text, "the report must say its results come from a stand-in"
    assert not re.search(r"(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])", text), "something like a secret key"


@pytest.fixture(scope="module")
def existing(cli: Path) -> Iterator[tuple[Session, dict[str, dict[str, Any]], dict[str, dict[str, Any]], str]]:
    """The existing stack up once on moto: (session, settings before, settings after, the up's output)."""
    with Session("existing", cli) as session:
        seeded = emulator.seed_existing_buckets(
            session.url,
            session.region,
            {"r": {"name": REFERENCED, "mode": "reference"}, "i": {"name": IMPORTED, "mode": "import"}},
            session.deployer,
        )
        assert len(seeded) == 2
        names = (IMPORTED, REFERENCED)
        before = {n: _bucket(session, n) for n in names}
        assert session.init().returncode == 0
        done = _up(session)
        after = {n: _bucket(session, n) for n in names}
        yield session, before, after, done.stdout


def _bucket(session: Session, name: str) -> dict[str, Any]:
    s3 = client(
        "s3",
        session.url,
        session.region,
        {
            "aws_access_key_id": session.deployer["AWS_ACCESS_KEY_ID"],
            "aws_secret_access_key": session.deployer["AWS_SECRET_ACCESS_KEY"],
        },
    )
    settings = emulator.bucket_settings(session.url, session.region, name, session.deployer)
    try:
        tags = {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket=name).get("TagSet", [])}
    except ClientError:  # NoSuchTagSet
        tags = {}
    return {
        **settings,
        "tags": tags,
        "files": sorted(o["Key"] for o in s3.list_objects_v2(Bucket=name).get("Contents", [])),
    }


def _plan_overwrites(name: str) -> set[str]:
    """The types whose overwrite the offline plan lists for the imported bucket."""
    done = subprocess.run(
        [
            str(ROOT / "venv" / "bin" / "python"),
            "-m",
            "braze_s3_tools.plan",
            "--stack",
            "existing",
            "--json",
            "--no-policy",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    notes = next(b["notes"] for b in json.loads(done.stdout)["buckets"] if b["name"] == name)
    return {type_ for type_, line in OVERWRITES.items() if any(line in note for note in notes)}


def test_import_overwrites_exactly_what_the_plan_lists(existing: tuple[Session, Any, Any, str]) -> None:
    _, before, after, output = existing
    assert re.search(r"= +aws:s3:Bucket +braze-bucket-acme-braze-exports-existing +imported", output), output[-3000:]
    changed = {t for t in emulator.SETTINGS if before[IMPORTED][t] != after[IMPORTED][t]}
    listed = _plan_overwrites(IMPORTED)
    assert changed == listed, (
        f"{IMPORTED}: the real up changed {sorted(changed)}; the offline plan lists {sorted(listed)} as overwritten"
    )
    assert after[IMPORTED]["files"] == before[IMPORTED]["files"] == [emulator.LEGACY_FILE], "the import keeps the files"
    sse = after[IMPORTED]["aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"]
    assert sse["Rules"][0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms", sse


def test_import_tag_replacement_is_listed_by_the_plan(existing: tuple[Session, Any, Any, str]) -> None:
    _, before, after, _ = existing
    assert before[IMPORTED]["tags"] == emulator.LEGACY_TAGS and "owner" not in after[IMPORTED]["tags"]
    done = subprocess.run(
        [
            str(ROOT / "venv" / "bin" / "python"),
            "-m",
            "braze_s3_tools.plan",
            "--stack",
            "existing",
            "--json",
            "--no-policy",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    notes = next(b["notes"] for b in json.loads(done.stdout)["buckets"] if b["name"] == IMPORTED)
    assert any("tag" in note for note in notes), notes


def test_reference_creates_nothing_on_the_bucket_and_verify_reads_it_live(
    existing: tuple[Session, Any, Any, str],
) -> None:
    session, before, after, _ = existing
    assert after[REFERENCED] == before[REFERENCED], f"{REFERENCED} (mode: reference) was changed by pulumi up"
    state = session.export()["deployment"]["resources"]
    on_it = [
        r["urn"]
        for r in state
        if r["type"].startswith("aws:s3/") and (r.get("outputs") or {}).get("bucket") == REFERENCED
    ]
    assert on_it == [], f"resources on the referenced bucket: {on_it}"
    done = _verify(session)
    live = [line for line in _passed(done) if line.startswith(f'✓ bucket "{REFERENCED}" (reference')]
    assert any("public access blocked" in line for line in live), done.stdout
    assert any("BucketOwnerEnforced" in line for line in live), done.stdout

    # Live: the owner switches the block off; verify, reading the bucket, says so.
    s3 = client(
        "s3",
        session.url,
        session.region,
        {
            "aws_access_key_id": session.deployer["AWS_ACCESS_KEY_ID"],
            "aws_secret_access_key": session.deployer["AWS_SECRET_ACCESS_KEY"],
        },
    )
    s3.delete_public_access_block(Bucket=REFERENCED)
    try:
        broken = session.verify(session.outputs())
        refused = [line for line in broken.stdout.splitlines() if line.strip().startswith(f'✗ bucket "{REFERENCED}"')]
        assert broken.returncode == 1 and any("public access" in line for line in refused), broken.stdout
    finally:
        flags = ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")
        s3.put_public_access_block(Bucket=REFERENCED, PublicAccessBlockConfiguration=dict.fromkeys(flags, True))


def test_access_key_rotation_across_two_real_ups(cli: Path) -> None:
    """Two generations, then one: verify passes each time; the dropped key stops working, the kept one stays."""
    with Session("dev", cli) as session:
        assert session.init().returncode == 0
        path = "braze-s3:currents[1].accessKeys"
        assert session.pulumi("config", "set", "--path", f"{path}[1]", "2027-05", "--stack", "dev").returncode == 0
        _up(session)
        two = session.outputs()["currents"]["marketing"]
        assert sorted(two["accessKeys"]) == ["2026-11", "2027-05"] and two["activeAccessKey"] == "2027-05", two
        done = _verify(session)
        assert any("key 2026-11 (not the one in Braze): GetBucketLocation" in line for line in _passed(done)), (
            done.stdout
        )
        assert any("key 2027-05: PutObject" in line for line in _passed(done)), done.stdout

        assert session.pulumi("config", "rm", "--path", f"{path}[0]", "--stack", "dev").returncode == 0
        done_up = _up(session)
        assert changes(done_up.stdout).get("deleted") == 1, done_up.stdout[-3000:]
        outputs = session.outputs()
        one = outputs["currents"]["marketing"]
        assert list(one["accessKeys"]) == ["2027-05"] and one["activeAccessKey"] == "2027-05", one
        assert one["accessKeys"]["2027-05"]["accessKeyId"] == two["accessKeys"]["2027-05"]["accessKeyId"], (
            "the kept key was replaced"
        )
        assert not any(k.endswith("2026-11") for k in outputs), "the dropped generation's secret output is still there"
        done = _verify(session)
        assert any("key 2027-05: PutObject" in line for line in _passed(done)), done.stdout
        iam = client(
            "iam",
            session.url,
            session.region,
            {
                "aws_access_key_id": session.deployer["AWS_ACCESS_KEY_ID"],
                "aws_secret_access_key": session.deployer["AWS_SECRET_ACCESS_KEY"],
            },
        )
        left = [k["AccessKeyId"] for k in iam.list_access_keys(UserName=one["userName"])["AccessKeyMetadata"]]
        assert left == [one["accessKeys"]["2027-05"]["accessKeyId"]], "moto holds a key the stack dropped"


def test_a_mandatory_violation_leaves_the_emulator_untouched(cli: Path) -> None:
    """dev under the production pack config (unprotected bucket: mandatory): up fails before any resource exists."""
    with Session("dev", cli, policy_config="production.json") as session:
        assert session.init().returncode == 0
        done = session.up()
        assert done.returncode != 0, "pulumi up passed a mandatory violation"
        assert "braze-bucket-protected" in done.stdout + done.stderr, done.stdout[-3000:]
        creds = {
            "aws_access_key_id": session.deployer["AWS_ACCESS_KEY_ID"],
            "aws_secret_access_key": session.deployer["AWS_SECRET_ACCESS_KEY"],
        }
        assert client("s3", session.url, session.region, creds).list_buckets()["Buckets"] == []
        iam = client("iam", session.url, session.region, creds)
        assert iam.list_roles()["Roles"] == []
        assert [u["UserName"] for u in iam.list_users()["Users"]] == [emulator.DEPLOYER]
        assert iam.list_policies(Scope="Local")["Policies"] == []


def test_refresh_sees_drift_in_the_emulator_and_up_repairs_it(cli: Path) -> None:
    """The stand-in reads moto, not its own state: a block removed out of band is seen, then put back by up."""
    with Session("dev", cli) as session:
        assert session.init().returncode == 0
        _up(session)
        creds = {
            "aws_access_key_id": session.deployer["AWS_ACCESS_KEY_ID"],
            "aws_secret_access_key": session.deployer["AWS_SECRET_ACCESS_KEY"],
        }
        s3 = client("s3", session.url, session.region, creds)
        s3.delete_public_access_block(Bucket="acme-braze-dev")
        done = session.pulumi("refresh", "--yes", "--expect-no-changes", "--stack", "dev")
        assert done.returncode != 0 and changes(done.stdout).get("deleted") == 1, done.stdout[-3000:]
        assert "braze-bucket-public-access" in done.stdout, done.stdout[-3000:]
        done = _up(session)
        assert changes(done.stdout).get("created") == 1, done.stdout[-3000:]
        flags = s3.get_public_access_block(Bucket="acme-braze-dev")["PublicAccessBlockConfiguration"]
        assert all(flags.values()), flags
        _verify(session)
