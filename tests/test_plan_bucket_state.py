"""plan --against on what AWS keeps beyond the diff: files a bucket already holds when it is imported or was
referenced (a lifecycle acts on them at S3's next run), a referenced bucket now created, versioning a retained
`BucketVersioning` leaves on, and buckets that cannot follow a new aws:region. Each base stack is planned with
--json into a file, then the changed stack file against it, in a throwaway copy of the project."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from braze_s3_tools.plan import command as plan
from tests.helpers import copy_program

ROLE = {"auth": "role", "externalIds": ["6f1c2b9e-3f7d-4c55-9a38-1b2d7c0e4a11"]}
BUCKET = {"name": "acme-braze-dev"}


def _connector(name: str, folder: str, lifecycle: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"name": name, "folderPath": folder, **ROLE, **({"lifecycle": lifecycle} if lifecycle else {})}


MAIN = [_connector("main", "currents")]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_program(tmp_path_factory.mktemp("project"))


def _against(project: Path, capsys: pytest.CaptureFixture[str], old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """The risk codes of ``new`` planned against the saved plan of ``old``, each with its message."""
    stack_file = project / "Pulumi.rt.yaml"

    def write(config: dict[str, Any]) -> None:
        values = {"aws:region": "eu-west-1", "braze-s3:brazeAccountId": "716373062512", **config}
        stack_file.write_text(yaml.safe_dump({"config": values}, sort_keys=False))

    write(old)
    capsys.readouterr()
    assert plan.main(["--stack", "rt", "--json", "--no-policy"], root=project) in (0, 1)
    saved = project / "base-plan.json"
    saved.write_text(capsys.readouterr().out)
    write(new)
    code = plan.main(["--stack", "rt", "--json", "--no-policy", "--against", str(saved)], root=project)
    out = capsys.readouterr().out
    assert code in (0, 1), out
    return [f"{r['code']}: {r['message']}" for r in json.loads(out).get("risks", [])]


def _codes(risks: list[str]) -> list[str]:
    return [r.split(":", 1)[0] for r in risks]


def test_a_bucket_imported_with_an_expiry_reports_the_expiry_on_the_files_it_holds(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = {"braze-s3:bucket": BUCKET, "braze-s3:currents": MAIN}
    legacy = {"legacy": {"name": "acme-legacy-exports", "mode": "import", "lifecycle": {"expireAllObjectsDays": 30}}}
    new = {**old, "braze-s3:buckets": legacy, "braze-s3:dashboardExport": {"bucket": "legacy", **ROLE}}
    assert "LIFECYCLE_TOUCHES_EXPORTS" in _codes(_against(project, capsys, old, new))
    created = {"legacy": {"name": "acme-legacy-exports", "lifecycle": {"expireAllObjectsDays": 30}}}
    fresh = {**old, "braze-s3:buckets": created, "braze-s3:dashboardExport": {"bucket": "legacy", **ROLE}}
    assert "LIFECYCLE_TOUCHES_EXPORTS" not in _codes(_against(project, capsys, old, fresh)), "a new bucket is empty"


def test_a_referenced_bucket_imported_with_a_connector_expiry_reports_it(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = {"braze-s3:bucket": {**BUCKET, "mode": "reference"}, "braze-s3:currents": MAIN}
    new = {
        "braze-s3:bucket": {**BUCKET, "mode": "import"},
        "braze-s3:currents": [_connector("main", "currents", {"expirationDays": 30})],
    }
    assert "LIFECYCLE_SOONER" in _codes(_against(project, capsys, old, new))


def test_creating_a_bucket_the_base_references_is_flagged_and_importing_it_is_not(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = {"braze-s3:bucket": {**BUCKET, "mode": "reference"}, "braze-s3:currents": MAIN}
    created = _against(project, capsys, old, {"braze-s3:bucket": BUCKET, "braze-s3:currents": MAIN})
    assert _codes(created) == ["BUCKET_EXISTS"] and "mode: import" in created[0]
    imported = {"braze-s3:bucket": {**BUCKET, "mode": "import"}, "braze-s3:currents": MAIN}
    assert "BUCKET_EXISTS" not in _codes(_against(project, capsys, old, imported))
    expiring = [_connector("main", "currents", {"expirationDays": 30})]
    both = _against(project, capsys, old, {"braze-s3:bucket": BUCKET, "braze-s3:currents": expiring})
    assert sorted(_codes(both)) == ["BUCKET_EXISTS", "LIFECYCLE_SOONER"], "the files it holds would expire too"


def test_switching_versioning_off_says_the_bucket_stays_versioned(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    connectors = [_connector("main", "currents", {"expirationDays": 90})]
    old = {"braze-s3:bucket": {**BUCKET, "versioning": True}, "braze-s3:currents": connectors}
    off = _against(project, capsys, old, {"braze-s3:bucket": BUCKET, "braze-s3:currents": connectors})
    assert "VERSIONING_LEFT_ON" in _codes(off) and "Status=Suspended" in "".join(off)
    assert "VERSIONING_LEFT_ON" not in _codes(_against(project, capsys, old, old))


def test_a_new_region_under_managed_buckets_is_flagged(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = {"braze-s3:bucket": BUCKET, "braze-s3:currents": MAIN}
    moved = _against(project, capsys, old, {**old, "aws:region": "us-east-1"})
    assert _codes(moved) == ["REGION_CHANGED"] and "acme-braze-dev" in moved[0] and "eu-west-1" in moved[0]
    referenced = {"braze-s3:bucket": {**BUCKET, "mode": "reference"}, "braze-s3:currents": MAIN}
    assert _against(project, capsys, referenced, {**referenced, "aws:region": "us-east-1"}) == []
