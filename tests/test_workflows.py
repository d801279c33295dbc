"""The GitHub workflows: pinned actions, least-privilege permissions, the jobs the project relies on."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from braze_s3_tools.stack_files import PROJECT_ROOT

WORKFLOWS = sorted((PROJECT_ROOT / ".github" / "workflows").glob("*.yml"))
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@([0-9a-f]{40}|v\d+\.\d+\.\d+)$")


def load(path: Any) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load(path.read_text())
    return data


@pytest.mark.parametrize("path", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_actions_are_pinned_and_permissions_start_empty(path: Any) -> None:
    workflow = load(path)
    assert workflow["permissions"] == {}, f"{path.name}: top-level permissions must be {{}}"
    for name, job in workflow["jobs"].items():
        assert "permissions" in job, f"{path.name}:{name} must say which permissions it needs"
        assert "write-all" not in str(job["permissions"]), f"{path.name}:{name}"
        for step in job.get("steps", []):
            if "uses" in step:
                assert PINNED.match(step["uses"]), (
                    f"{path.name}:{name}: {step['uses']} is not pinned to a SHA or an exact version"
                )


def test_the_three_workflows_exist_with_their_triggers() -> None:
    by_name = {p.stem: load(p) for p in WORKFLOWS}
    # PyYAML reads the key `on` as True.
    assert set(by_name["pull-request"][True]) == {"pull_request"}
    assert by_name["deploy"][True]["push"]["branches"] == ["main"]
    assert by_name["policy-release"][True]["push"]["tags"] == ["policypack-v*"]
    deploy = by_name["deploy"]["jobs"]
    assert deploy["prod"]["needs"] == "dev" and deploy["prod"]["environment"] == "production"
    assert deploy["dev"]["concurrency"]["cancel-in-progress"] is False


def test_pull_request_preview_uses_the_pack_and_skips_forks() -> None:
    jobs = load(PROJECT_ROOT / ".github" / "workflows" / "pull-request.yml")["jobs"]
    assert "head.repo.full_name == github.repository" in jobs["preview"]["if"]
    preview = next(s for s in jobs["preview"]["steps"] if str(s.get("uses", "")).startswith("pulumi/actions@"))
    assert preview["with"]["command"] == "preview" and preview["with"]["policyPacks"] == "policypack"
    plan = " ".join(s.get("run", "") for s in jobs["offline-plan"]["steps"])
    assert "make plan" in plan and "GITHUB_STEP_SUMMARY" in plan
