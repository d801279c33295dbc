"""Before the step, for real: `pulumi up --skip-preview` with the local pack never lets a mistake reach the provider.

A foreign program (tests/real/programs/foreign: another team's hand-written bucket and role, not this project's
components) is deployed by the real CLI with the stand-in `aws` provider (a test double of AWS) spied on
(`realcli.workspace`: each Create/Update/Delete the engine sends is logged). Under `--skip-preview` the engine
runs no preview and stack policies only after every step; the pack's resource policies run in `Analyze` before
each resource's step (pulumi/pulumi pkg/resource/deploy/step_generator.go, `GenerateSteps` → `analyzeResource`),
and a mandatory finding fails that resource's registration before its Create is sent. So the provider never
sees the Object Lock bucket or the role without an external id: AWS would never have been asked.

The control (`mistake: none`) deploys the same bucket and role done right and sees both Creates — the spy and the
engine work, and the mistakes' absence from the log is the pack's doing. The control's update still fails, on stack
policies (no public access block, no permission: a foreign program this small is not a whole Braze setup), after
its Creates: the other half of the same fact.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from braze_s3_tools.realcli.cli import ROOT, NoCliError
from braze_s3_tools.realcli.preview import policypack_venv
from braze_s3_tools.realcli.workspace import Workspace

pytestmark = pytest.mark.real

PROGRAM = Path(__file__).resolve().parent / "programs" / "foreign"
BUCKET = "aws:s3/bucket:Bucket"
ROLE = "aws:iam/role:Role"


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, Path, Path]]:
    """A copy of the program and of the pack (with their virtualenvs linked), in a spied workspace."""
    home = tmp_path_factory.mktemp("before-step")
    try:
        ws = Workspace.create(home / "ws", "throwaway", spy_log=home / "provider-calls.jsonl")
    except NoCliError as error:
        pytest.fail(f"no Pulumi CLI: {error}")
    project = home / "foreign"
    shutil.copytree(PROGRAM, project, ignore=shutil.ignore_patterns("__pycache__", "venv"))
    (project / "venv").symlink_to(ROOT / "venv")
    pack = home / "policypack"
    shutil.copytree(ROOT / "policypack", pack, ignore=shutil.ignore_patterns("__pycache__", "venv"))
    (pack / "venv").symlink_to(policypack_venv(ROOT))
    yield ws, project, pack


def up(ws: Workspace, project: Path, pack: Path, mistake: str) -> tuple[int, str, list[dict[str, Any]]]:
    """`pulumi up --skip-preview` of stack `mistake` with the pack; its status, output and its state's resources."""
    ws.pulumi("stack", "init", mistake, "--non-interactive", cwd=project)
    ws.pulumi("config", "set", "--stack", mistake, "mistake", mistake, cwd=project)
    done = ws.pulumi(
        "up",
        "--yes",
        "--skip-preview",
        "--non-interactive",
        "--stack",
        mistake,
        "--policy-pack",
        str(pack),
        "--policy-pack-config",
        str(pack / "config" / "default.json"),
        cwd=project,
        check=False,
    )
    exported = json.loads(ws.pulumi("stack", "export", "--stack", mistake, cwd=project).stdout)
    return done.returncode, done.stdout + done.stderr, exported["deployment"].get("resources") or []


def created(ws: Workspace, stack: str) -> set[str]:
    """The `type::name` of each resource of the stack the provider was asked to create (not at preview)."""
    return {
        "::".join(call["urn"].split("::")[2:]).rsplit("$", 1)[-1]
        for call in ws.spy_calls()
        if call["call"] == "Create" and not call["preview"] and call["urn"].startswith(f"urn:pulumi:{stack}::")
    }


def in_state(resources: list[dict[str, Any]]) -> set[str]:
    return {f"{r['type']}::{r['urn'].rsplit('::', 1)[-1]}" for r in resources}


def test_the_control_creates_the_bucket_and_the_role(deployed: tuple[Workspace, Path, Path]) -> None:
    """Done right, both reach the provider. The pack still fails the update — with stack policies (no public
    access block, no permission), which run after every step: they could not have stopped a Create."""
    ws, project, pack = deployed
    status, output, resources = up(ws, project, pack, "none")
    assert status != 0 and "braze-bucket-not-public-linked" in output, output
    assert "braze-no-object-lock" not in output and "braze-role-requires-external-id" not in output, output
    wanted = {f"{BUCKET}::unrelated-logs", f"{BUCKET}::braze-exports", f"{ROLE}::braze-export-role"}
    assert wanted <= created(ws, "none"), ws.spy_calls()
    assert wanted <= in_state(resources)


@pytest.mark.parametrize(
    ("mistake", "resource", "policy"),
    [
        ("object-lock", f"{BUCKET}::braze-exports", "braze-no-object-lock"),
        ("role-without-external-id", f"{ROLE}::braze-export-role", "braze-role-requires-external-id"),
    ],
)
def test_the_mistake_never_reaches_the_provider(
    deployed: tuple[Workspace, Path, Path], mistake: str, resource: str, policy: str
) -> None:
    ws, project, pack = deployed
    status, output, resources = up(ws, project, pack, mistake)
    assert status != 0, f"pulumi up of {mistake} succeeded:\n{output}"
    assert policy in output and "mandatory" in output, output
    calls = created(ws, mistake)
    assert f"{BUCKET}::unrelated-logs" in calls, f"the engine never reached the provider at all: {ws.spy_calls()}"
    assert resource not in calls, f"the provider was asked to create {resource}:\n{output}"
    assert resource not in in_state(resources)
