"""examples/python-package for real: `pulumi package add` of provider/, then `pulumi preview` through the plugin's
Construct, registering what the stack program registers.

The example builds the integration this project's dev stack describes (Pulumi.dev.yaml) with the generated
`pulumi_braze_s3` SDK. On a copy of it (never the work tree) the real CLI (`make pulumi`, a throwaway PULUMI_HOME
and `file://` backend: realcli.workspace) runs what a user runs:

    pulumi package add <copy of provider/>     # the plugin's schema → sdks/braze-s3, requirements.txt, venv
    pulumi stack init dev && pulumi config set aws:region eu-west-1
    pulumi preview --json

The engine starts the plugin (provider/: PulumiPlugin.yaml, its own venv), sends it `Construct`, and the
component registers its children, whose `aws` steps the stand-in provider previews (realcli.provider, a test
double of AWS). Compared with the stack program's run of dev (braze_s3_tools.engine.harness, which
tests/real/test_real_preview.py holds to the real preview of dev): every resource's type and name, its parent
relative to the component (the component's own name differs: `braze` here, `braze-s3` in the stack), `protect`,
`retainOnDelete`, and every input both know at preview.
"""

from __future__ import annotations

import json
import re
import shutil
from typing import Any

import pytest

from braze_s3_tools.engine.harness import Secret, Unknown, run_program
from braze_s3_tools.realcli.cli import ROOT, NoCliError
from braze_s3_tools.realcli.example_typescript import component_package
from braze_s3_tools.realcli.workspace import Workspace

pytestmark = pytest.mark.real

EXAMPLE = ROOT / "examples" / "python-package"
COMPONENT = "braze-s3:index:BrazeS3"
STACK_TYPE = "pulumi:pulumi:Stack"
# (type, name, parent relative to the component, protect, retainOnDelete); the component's parent is "<stack>"
Key = tuple[str, str, str, bool, bool]


def relative_parent(parent: str) -> str:
    """`urn:pulumi:<stack>::<project>::<qualified type>::<name>` → the parent within the component's tree."""
    qualified, name = parent.split("::")[2:4]
    if qualified == STACK_TYPE:
        return "<stack>"
    if qualified == COMPONENT:
        return "<component>"
    assert qualified.startswith(COMPONENT + "$"), parent
    return f"{qualified[len(COMPONENT) + 1 :]}::{name}"


def urn_name(urn: str) -> str:
    return urn.rsplit("::", maxsplit=1)[-1]


@pytest.fixture(scope="module")
def real_preview(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    home = tmp_path_factory.mktemp("python-package")
    try:
        ws = Workspace.create(home / "ws", "throwaway")
    except NoCliError as error:
        pytest.fail(f"no Pulumi CLI for the real tests: {error}")
    example = home / "example"
    shutil.copytree(EXAMPLE, example, ignore=shutil.ignore_patterns("venv", "sdks", "__pycache__", "Pulumi.*.yaml"))
    ws.pulumi("package", "add", str(component_package()), cwd=example, timeout=900)
    assert "sdks/braze-s3" in (example / "requirements.txt").read_text(encoding="utf-8")
    ws.pulumi("stack", "init", "dev", "--non-interactive", cwd=example)
    ws.pulumi("config", "set", "aws:region", "eu-west-1", cwd=example)
    done = ws.pulumi("preview", "--json", "--non-interactive", cwd=example)
    document: dict[str, Any] = json.loads(done.stdout)
    return [step["newState"] for step in document["steps"] if step.get("newState")]


def test_the_example_registers_what_the_stack_program_registers(real_preview: list[dict[str, Any]]) -> None:
    real = {
        (
            s["type"],
            urn_name(s["urn"]),
            relative_parent(s["parent"]),
            bool(s.get("protect")),
            bool(s.get("retainOnDelete")),
        )
        for s in real_preview
        if s["type"] != STACK_TYPE
    }
    stack = {
        (r.type, r.name, relative_parent(r.parent), r.protect, r.retain_on_delete) for r in run_program("dev").resources
    }
    assert {k for k in real if k[0] == COMPONENT} == {(COMPONENT, "braze", "<stack>", False, False)}
    assert {k for k in real if k[0] != COMPONENT} == {k for k in stack if k[0] != COMPONENT}
    assert len(real) == len(stack) == 21


UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # an unknown input in the CLI's JSON
# An auto-name: the logical name and 7 random hex characters (the engine's; the harness has its own).
AUTONAME = re.compile(r"\b([a-z][a-z0-9-]*)-[0-9a-f]{7}\b")


def masked(value: Any) -> Any:
    """A value as the CLI's JSON shows it (an unknown as its sentinel, a secret as "[secret]"), with every
    auto-name's random suffix as `-*`."""

    def plain(v: Any) -> Any:
        if isinstance(v, Unknown):
            return UNKNOWN_SENTINEL
        if isinstance(v, Secret):
            return "[secret]"
        raise TypeError(v)

    return json.loads(AUTONAME.sub(r"\1-*", json.dumps(value, default=plain)))


def test_every_input_the_program_gives_is_the_stack_programs(real_preview: list[dict[str, Any]]) -> None:
    """The inputs the component gives each resource, as the engine recorded them after the stand-in's Check
    (which adds the provider's defaults: `forceDestroy`, `maxSessionDuration`, an access key's `status`…),
    auto-names masked; inputs unknown at preview (ARNs) are unknown on both sides."""
    real = {
        (s["type"], urn_name(s["urn"])): masked(s.get("inputs", {}))
        for s in real_preview
        if s.get("custom") and s["type"] != STACK_TYPE
    }
    stack = {(r.type, r.name): masked(r.inputs) for r in run_program("dev").resources if r.custom}
    assert set(real) == set(stack)
    differences = {}
    compared = 0
    for key, expected in stack.items():
        for name, value in expected.items():
            compared += value != UNKNOWN_SENTINEL
            got = real[key].get(name)
            if value == UNKNOWN_SENTINEL:
                if got not in (None, UNKNOWN_SENTINEL):
                    differences[(*key, name)] = (got, "unknown")
            elif got != value:
                differences[(*key, name)] = (got, value)
    assert not differences
    assert compared >= 40, "the known inputs: bucket settings, tags, IAM documents, paths, names (43 in dev)"
