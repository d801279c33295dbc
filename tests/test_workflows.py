"""The GitHub workflows: pinned actions, least-privilege permissions, the jobs the project relies on."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from braze_s3_tools.engine.stack_files import PROJECT_ROOT

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
    assert "braze_s3_tools.plan" in plan and "GITHUB_STEP_SUMMARY" in plan


# Oldest releases that run on the runners' Node 24 (each action.yml `runs.using: node24`);
# pulumi/actions logs the CLI's stderr since 6.0.1 ("fix: Log stderr from commands").
NODE24_FLOORS = {
    "actions/checkout": (5, 0, 0),
    "actions/setup-python": (6, 0, 0),
    "aws-actions/configure-aws-credentials": (5, 0, 0),
    "pulumi/actions": (7, 0, 0),
}
USES = re.compile(r"uses:\s*([\w.-]+/[\w.-]+)@([0-9a-f]{40})\s*#\s*v(\d+)\.(\d+)\.(\d+)\s*$", re.MULTILINE)


@pytest.mark.parametrize("path", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_actions_are_pinned_by_sha_to_node24_releases(path: Any) -> None:
    text = path.read_text()
    uses = re.findall(r"^\s*(?:-\s*)?uses:", text, flags=re.MULTILINE)
    pinned = USES.findall(text)
    assert len(pinned) == len(uses), f"{path.name}: every action is pinned as <sha> # vX.Y.Z"
    for action, _sha, *version in pinned:
        floor = NODE24_FLOORS.get(action)
        assert floor is not None, f"{path.name}: {action} has no known Node 24 release floor here"
        assert tuple(int(v) for v in version) >= floor, f"{path.name}: {action} v{'.'.join(version)} predates Node 24"


def _pulumi_steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in job["steps"] if str(s.get("uses", "")).startswith("pulumi/actions@")]


@pytest.mark.parametrize(("stack", "config"), [("dev", "default"), ("prod", "production")])
def test_deploy_previews_with_the_pack_before_each_up_in_the_same_job(stack: str, config: str) -> None:
    """pulumi/actions `up` skips the preview, and stack policies run only after the steps: gate first."""
    job = load(PROJECT_ROOT / ".github" / "workflows" / "deploy.yml")["jobs"][stack]
    steps = _pulumi_steps(job)
    assert [s["with"]["command"] for s in steps] == ["preview", "up"], stack
    for step in steps:
        assert step["with"]["policyPacks"] == "policypack", stack
        assert step["with"]["policyPackConfigs"] == f"policypack/config/{config}.json", stack
        assert step["with"]["stack-name"].endswith(f"/{stack}")
        assert "continue-on-error" not in step, f"{stack}: a mandatory violation must stop the job"
    assert "make policypack-venv" in " ".join(s.get("run", "") for s in job["steps"]), (
        "the CLI never creates policypack/venv"
    )


def test_the_real_preview_does_not_wait_for_the_offline_plan() -> None:
    jobs = load(PROJECT_ROOT / ".github" / "workflows" / "pull-request.yml")["jobs"]
    needs = jobs["preview"]["needs"]
    assert "offline-plan" not in ([needs] if isinstance(needs, str) else needs)


@pytest.mark.slow
def test_make_plan_json_prints_json_alone_on_stdout() -> None:
    """`make plan ARGS=--json | jq .` must work: no command echo, no installer output on stdout."""
    import json
    import subprocess

    done = subprocess.run(
        ["make", "--no-print-directory", "plan", "ARGS=--json --no-policy"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout)["stack"] == "dev"


def test_the_freshness_workflow_runs_daily_read_only_with_least_permissions() -> None:
    workflow = load(PROJECT_ROOT / ".github" / "workflows" / "freshness.yml")
    assert "schedule" in workflow[True] and "workflow_dispatch" in workflow[True]
    job = workflow["jobs"]["verify"]
    assert job["permissions"] == {"contents": "read", "id-token": "write"}, "OIDC to a read-only role, nothing else"
    assert job["strategy"]["fail-fast"] is False, "one stack failing must not hide another"
    run = " ".join(s.get("run", "") for s in job["steps"])
    assert "--read-only" in run and "--freshness" in run
    assert "--show-secrets" not in run.replace("No --show-secrets", ""), "a read-only check reads no secret"
    assert "GITHUB_STEP_SUMMARY" in run and "A freshness alarm fired" in run
    creds = next(s for s in job["steps"] if str(s.get("uses", "")).startswith("aws-actions/"))
    assert "READONLY" in creds["with"]["role-to-assume"]


def test_the_offline_plan_compares_with_the_base_commit_and_comments_once_per_stack() -> None:
    job = load(PROJECT_ROOT / ".github" / "workflows" / "pull-request.yml")["jobs"]["offline-plan"]
    checkout = next(s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0, "the base commit must be in the clone"
    plan_step = next(s for s in job["steps"] if "braze_s3_tools.plan" in s.get("run", ""))
    assert '--against "$BASE_SHA"' in plan_step["run"] and "--markdown" in plan_step["run"]
    assert plan_step["env"]["BASE_SHA"] == "${{ github.event.pull_request.base.sha }}"
    assert "GITHUB_STEP_SUMMARY" in plan_step["run"]
    comment = next(s for s in job["steps"] if "comments" in s.get("run", ""))
    assert "head.repo.full_name == github.repository" in comment["if"] and comment["continue-on-error"] is True
    assert "braze-s3-plan:${STACK}" in comment["run"]
    assert job["permissions"] == {"contents": "read", "pull-requests": "write"}


def test_example_stacks_are_planned_offline_but_never_previewed_against_the_cloud() -> None:
    jobs = load(PROJECT_ROOT / ".github" / "workflows" / "pull-request.yml")["jobs"]
    assert "outputs.stacks" in str(jobs["offline-plan"]["strategy"]["matrix"]["stack"])
    assert "outputs.deployed" in str(jobs["preview"]["strategy"]["matrix"]["stack"])
    assert (PROJECT_ROOT / "Pulumi.existing.yaml").read_text().startswith("# example")
    assert not (PROJECT_ROOT / "Pulumi.prod.yaml").read_text().startswith("# example")


def test_the_newest_versions_job_runs_weekly_and_names_the_culprit() -> None:
    workflow = load(PROJECT_ROOT / ".github" / "workflows" / "latest.yml")
    assert "schedule" in workflow[True] and "workflow_dispatch" in workflow[True]
    job = workflow["jobs"]["test-latest"]
    assert job["permissions"] == {"contents": "read"}
    assert any(s.get("run", "").strip() == "make test-latest" for s in job["steps"])


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_workflow_install_is_from_a_hash_locked_file(path: Any) -> None:
    """A range install could pick a release newer than the one the pull request was checked with."""
    for job in load(path)["jobs"].values():
        for step in job.get("steps", []):
            for line in str(step.get("run", "")).splitlines():
                if "pip install" in line:
                    assert "--require-hashes" in line and ("requirements.txt" in line or ".lock" in line), (
                        f"{path.name}: {line.strip()}"
                    )
                    assert "policypack/requirements.txt" not in line, (
                        f"{path.name}: the pack's lock is policypack/requirements.lock"
                    )


def test_the_mutation_workflow_runs_nightly_one_job_per_group_and_fails_below_the_committed_score() -> None:
    from braze_s3_tools.devtools import mutation

    workflow = load(PROJECT_ROOT / ".github" / "workflows" / "mutation.yml")
    assert "schedule" in workflow[True] and "workflow_dispatch" in workflow[True]
    job = workflow["jobs"]["mutation"]
    assert job["permissions"] == {"contents": "read"}
    assert job["strategy"]["fail-fast"] is False, "one group's drop must not hide another's"
    groups = {entry["group"]: entry["args"] for entry in job["strategy"]["matrix"]["include"]}
    assert set(groups) == set(mutation.GROUPS), "every group of the tool is run"
    assert groups["emulator"] == "", "the emulator path is tested against moto's server only: not --fast"
    run = next(s["run"] for s in job["steps"] if "braze_s3_tools.devtools.mutation" in s.get("run", ""))
    assert '--group "$GROUP"' in run and "--fail-under-committed" in run and '--summary "$GITHUB_STEP_SUMMARY"' in run
    assert "continue-on-error" not in str(job)
    assert any(s.get("run", "").strip() == "make install" for s in job["steps"]), "the hash-locked environment"


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_deploy_verifies_each_stack_right_after_its_up(stack: str) -> None:
    steps = load(PROJECT_ROOT / ".github" / "workflows" / "deploy.yml")["jobs"][stack]["steps"]
    up = next(i for i, s in enumerate(steps) if s.get("with", {}).get("command") == "up")
    verify = steps[up + 1]
    assert "braze_s3_tools.verify" in verify["run"], "the step right after the up"
    assert verify["env"]["STACK"].endswith(f"/{stack}")
    assert "continue-on-error" not in verify, "a broken credential fails the deploy (and holds prod back)"
    assert "GITHUB_STEP_SUMMARY" in verify["run"]


def _run_deploy_verify(tmp_path: Any, secrets_readable: bool) -> tuple[int, str, str]:
    """The deploy's verify step, run by bash with a stand-in `pulumi` and `venv/bin/python`."""
    import os
    import subprocess

    run = load(PROJECT_ROOT / ".github" / "workflows" / "deploy.yml")["jobs"]["dev"]["steps"]
    script = next(s["run"] for s in run if "braze_s3_tools.verify" in s.get("run", ""))
    bin_dir, venv = tmp_path / "bin", tmp_path / "venv" / "bin"
    bin_dir.mkdir()
    venv.mkdir(parents=True)
    (bin_dir / "pulumi").write_text(
        "#!/bin/bash\n"
        + ("" if secrets_readable else 'for a in "$@"; do [ "$a" = --show-secrets ] && exit 255; done\n')
        + 'echo "{\\"bucketName\\": \\"b\\"}"\n'
    )
    (venv / "python").write_text('#!/bin/bash\necho "args: $*"\n[ -s outputs.json ] && echo "outputs read"\nexit 1\n')
    for path in (bin_dir / "pulumi", venv / "python"):
        path.chmod(0o755)
    summary = tmp_path / "summary.md"
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=tmp_path,
        env={
            **os.environ,
            "PATH": f"{bin_dir}:{os.environ['PATH']}",
            "STACK": "org/dev",
            "GITHUB_STEP_SUMMARY": str(summary),
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert summary.is_file(), done.stderr
    assert not (tmp_path / "outputs.json").exists(), "the outputs (with secrets) are removed"
    return done.returncode, done.stdout, summary.read_text()


def test_deploy_verify_probes_with_secrets_and_falls_back_to_read_only_without(tmp_path: Any) -> None:
    for name in ("with", "without"):
        (tmp_path / name).mkdir()
    code, out, summary = _run_deploy_verify(tmp_path / "with", secrets_readable=True)
    assert code == 1, "verify's failure is the step's failure"
    assert "--read-only" not in out and "outputs read" in out and "--propagation-timeout" in out
    assert "probes with each integration's own credentials" in summary
    code, out, summary = _run_deploy_verify(tmp_path / "without", secrets_readable=False)
    assert code == 1 and "--read-only" in out and "outputs read" in out
    assert "after pulumi up: --read-only" in summary
