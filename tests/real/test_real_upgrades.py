"""Upgrades, for real: `pulumi up` of a commit, then `pulumi preview --json` of the next; `plan --against` must agree.

As tests/test_plan_against.py does, the project is committed in a temporary git repository and each change of the
dev stack is the next commit. The real CLI deploys the base (the stand-in `aws` provider: a test double of AWS)
into a throwaway file backend; then, per change, its preview of the next commit gives the operation of every URN
(same, create, update, replace, delete), and the offline `plan --against HEAD~1` (no cloud, no CLI) must give the
same operation for every URN. Which input changes replace is the provider's answer (the stand-in answers from
`braze_s3_tools.plan.replacements`, the table the plan uses too: that table itself is not under test here), but
which resources the engine steps, how a replacement ripples through unknown outputs to dependents, and how
aliases match old URNs are the real engine's.

The last case is the upgrade to the `BrazeS3` component (tests/test_component_aliases.py): the old top-level layout
deployed, then the component with aliases previewed — the real engine finds every resource under its alias and
replaces nothing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from braze_s3_tools.plan import command as plan
from braze_s3_tools.realcli.cli import ROOT, NoCliError
from braze_s3_tools.realcli.workspace import Workspace
from tests.test_component_aliases import OLD_LAYOUT

pytestmark = pytest.mark.real

COPIED = ("Pulumi.yaml", "Pulumi.dev.yaml", "__main__.py", "requirements.txt", "components", "braze_s3_tools")
IGNORED = shutil.ignore_patterns("__pycache__", "venv", ".mypy_cache")
GIT = ("-c", "user.name=t", "-c", "user.email=t@example.com")
# Steps of one replacement, as `pulumi preview --json` lists them (deleteBeforeReplace or not).
REPLACE_STEPS = {"replace", "create-replacement", "delete-replaced", "discard-replaced"}


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *GIT, *args], check=True, capture_output=True)


def _repo(root: Path, main_py: str | None = None) -> Path:
    root.mkdir(parents=True)
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=IGNORED)
        else:
            shutil.copy2(source, root / name)
    if main_py is not None:
        (root / "__main__.py").write_text(main_py)
    (root / "venv").symlink_to(ROOT / "venv")
    (root / ".gitignore").write_text("venv\n__pycache__/\n")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "base")
    return root


def _deploy(ws: Workspace, repo: Path) -> None:
    """Real `pulumi up` of the commit checked out; a salt the CLI writes into the stack file is committed."""
    ws.pulumi("stack", "init", "dev", "--non-interactive", cwd=repo)
    ws.pulumi("up", "--yes", "--skip-preview", "--non-interactive", "--stack", "dev", cwd=repo)
    if subprocess.run(["git", "-C", str(repo), "diff", "--quiet"], check=False).returncode:
        _git(repo, "commit", "-q", "-am", "what the CLI wrote")


def _workspace(home: Path) -> Workspace:
    try:
        return Workspace.create(home, "throwaway")
    except NoCliError as error:
        pytest.fail(f"no Pulumi CLI: {error}")


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, Path]]:
    home = tmp_path_factory.mktemp("upgrades")
    ws = _workspace(home / "ws")
    repo = _repo(home / "repo")
    _deploy(ws, repo)
    yield ws, repo


def real_ops(ws: Workspace, repo: Path) -> dict[str, str]:
    """The operation of each resource URN in the real preview (the stack and default providers left out)."""
    # --show-sames: without it `--json` leaves unchanged resources out (display.go `shouldShow`).
    done = ws.pulumi("preview", "--json", "--show-sames", "--non-interactive", "--stack", "dev", cwd=repo, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    steps: list[dict[str, Any]] = json.loads(done.stdout).get("steps", [])
    ops: dict[str, str] = {}
    for step in steps:
        urn = step["urn"]
        if "::pulumi:pulumi:Stack::" in urn or "::pulumi:providers:" in urn:
            continue
        op = "replace" if step["op"] in REPLACE_STEPS else step["op"]
        ops[urn] = "replace" if ops.get(urn) == "replace" else op
    return ops


def offline_ops(repo: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    capsys.readouterr()
    code = plan.main(["--stack", "dev", "--against", "HEAD~1", "--json", "--no-policy"], root=repo)
    out = capsys.readouterr().out
    assert code in (0, 1), out
    return {c["urn"]: c["op"] for c in json.loads(out)["changes"]}


def _changed(ops: dict[str, str]) -> dict[str, str]:
    return {urn: op for urn, op in ops.items() if op != "same"}


def _names(ops: dict[str, str]) -> dict[str, str]:
    return {urn.rsplit("::", 1)[-1]: op for urn, op in ops.items()}


def _drop_marketing(text: str) -> str:
    start = text.index("    - name: marketing")
    return text[:start] + text[text.index("  braze-s3:dashboardExport:") :]


# The most telling of tests/test_plan_against.py's changes: update only, replace by a ForceNew input with its
# ripple to dependents, create, delete + create, a bucket replaced with its configurations, a connector removed.
CHANGES: list[tuple[str, Callable[[str], str], dict[str, str]]] = [
    (
        "folder",
        lambda t: t.replace("folderPath: currents\n", "folderPath: events\n"),
        {"currents-main-policy": "update"},
    ),
    (
        "iam-path",
        lambda t: t.replace(
            '  braze-s3:brazeAccountId: "716373062512"\n',
            '  braze-s3:brazeAccountId: "716373062512"\n  braze-s3:iamPath: /braze-v2/\n',
        ),
        {"currents-main-role": "replace", "currents-marketing-user": "update", "currents-main-attachment": "replace"},
    ),
    (
        "add-key",
        lambda t: t.replace('accessKeys: ["2026-11"]', 'accessKeys: ["2026-11", "2026-12"]'),
        {"currents-marketing-key-2026-12": "create"},
    ),
    (
        "swap-key",
        lambda t: t.replace('accessKeys: ["2026-11"]', 'accessKeys: ["2026-12"]'),
        {"currents-marketing-key-2026-11": "delete", "currents-marketing-key-2026-12": "create"},
    ),
    (
        "bucket-name",
        lambda t: t.replace("name: acme-braze-dev", "name: acme-braze-dev2"),
        {"braze-bucket": "replace", "braze-bucket-public-access": "replace"},
    ),
    ("remove-connector", _drop_marketing, {"currents-marketing-user": "delete", "currents-marketing": "delete"}),
]


@pytest.mark.parametrize(("edit", "expected"), [(c[1], c[2]) for c in CHANGES], ids=[c[0] for c in CHANGES])
def test_the_real_preview_of_the_next_commit_has_the_ops_plan_against_says(
    deployed: tuple[Workspace, Path],
    capsys: pytest.CaptureFixture[str],
    edit: Callable[[str], str],
    expected: dict[str, str],
) -> None:
    ws, repo = deployed
    stack_file = repo / "Pulumi.dev.yaml"
    stack_file.write_text(edit(stack_file.read_text()))
    _git(repo, "commit", "-q", "-am", "change")
    try:
        real, offline = real_ops(ws, repo), offline_ops(repo, capsys)
    finally:
        _git(repo, "reset", "-q", "--hard", "HEAD~1")
    assert expected.items() <= _names(_changed(real)).items(), _changed(real)
    assert _changed(offline) == _changed(real)
    assert offline == real  # every URN, unchanged ones included


def test_the_upgrade_to_the_component_replaces_nothing_for_real(
    tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path_factory.mktemp("component-upgrade")
    ws = _workspace(home / "ws")
    repo = _repo(home / "repo", main_py=OLD_LAYOUT)
    _deploy(ws, repo)
    shutil.copy2(ROOT / "__main__.py", repo / "__main__.py")
    _git(repo, "commit", "-q", "-am", "the BrazeS3 component")
    real, offline = real_ops(ws, repo), offline_ops(repo, capsys)
    changed = _changed(real)
    assert [urn.split("::")[2] for urn in changed] == ["braze-s3:index:BrazeS3"], changed  # only the wrapper is new
    assert set(changed.values()) == {"create"}
    assert offline == real
    assert len(real) > 20
