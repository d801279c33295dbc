"""A config the program refuses is refused by the real `pulumi preview` and by the offline plan, naming the same key.

The refusal comes from the program itself (components/config: `InvalidConfigError` before any resource
registers), so the real CLI must print the same message and create nothing; the offline plan exits 2 with it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from braze_s3_tools.plan import command as plan
from braze_s3_tools.realcli.preview import copy_project
from braze_s3_tools.realcli.workspace import Workspace

pytestmark = pytest.mark.real

NESTED_FOLDERS = """config:
  aws:region: eu-west-1
  braze-s3:brazeAccountId: "716373062512"
  braze-s3:bucket: {name: acme-braze-refused}
  braze-s3:currents:
    - {name: main, folderPath: currents, auth: role, externalIds: ["6f1c2b9e-3f7d-4c55-9a38-1b2d7c0e4a11"]}
    - {name: eu, folderPath: currents/eu, auth: role, externalIds: ["0b8a7d52-94e1-4f0c-bb6e-2c3d4e5f6a70"]}
"""
KEY = "braze-s3:currents[1].folderPath"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project("dev", tmp_path_factory.mktemp("refusal"))
    (project / "Pulumi.dev.yaml").write_text(NESTED_FOLDERS, encoding="utf-8")
    return project


def test_one_folder_inside_another_is_refused_by_the_real_preview_naming_the_key(project: Path, tmp_path: Path) -> None:
    workspace = Workspace.create(
        tmp_path / "ws",
        passphrase="refusal-test",  # noqa: S106 - a throwaway stack's passphrase
        spy_log=tmp_path / "spy.jsonl",
    )
    workspace.pulumi("stack", "init", "dev", cwd=project)
    done = workspace.pulumi("preview", "--non-interactive", cwd=project, check=False)
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert KEY in output and "lies inside" in output, output[-3000:]
    assert "Traceback" not in output, "a refusal, not a crash"
    assert workspace.spy_calls() == [], "nothing reached the provider"


def test_the_offline_plan_refuses_it_naming_the_same_key(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert plan.main(["--stack", "dev", "--no-policy"], root=project) == plan.EXIT_CONFIG
    err = capsys.readouterr().err
    assert KEY in err and "lies inside" in err
