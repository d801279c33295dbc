"""The real CLI as the oracle: `pulumi preview --json` of each stack against the offline plan (`plan --json`).

Marker `real` (not in the default run: `make test-real`). Needs the Pulumi CLI (`make pulumi`: a CLI on PATH or
the pinned build, which needs Go): without them the tests FAIL, naming what to install; they never skip.

Compared, per stack, with the pack config the pull-request workflow gives it:
- the resources: URN, type and parent URN (the real preview's `pulumi:pulumi:Stack` is the root every top-level
  resource's parent is; the offline plan lists no stack resource and gives top-level resources no parent: both
  are mapped to None); default providers are internal steps the CLI leaves out of `--json` (engine/update.go
  `isInternalStep`), and the plan lists none;
- `protect`, `retainOnDelete` and the import id of each resource;
- the policy violations: policy name, enforcement level and resource URN (None for a stack policy), from the
  CLI's event log (`--json` carries none: backend/display/json.go `ShowPreviewDigest` drops policy events).
The provider is the stand-in `aws` (braze_s3_tools.realcli.provider): a double of AWS, not of the engine.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from braze_s3_tools.engine.autonaming import offline_autoname
from braze_s3_tools.realcli.cli import ROOT, NoCliError, find_cli
from braze_s3_tools.realcli.preview import pack_config_name

pytestmark = pytest.mark.real

STACKS = ("dev", "prod", "existing")
Resource = tuple[str, str, str | None]  # urn, type, parent urn
Violation = tuple[str, str, str | None]  # policy, level, urn


@pytest.fixture(scope="session")
def cli() -> Path:
    try:
        return find_cli()
    except NoCliError as err:
        pytest.fail(f"no Pulumi CLI for the real tests: {err}")


def real_preview(stack: str, events: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "braze_s3_tools.realcli.preview", "--stack", stack, "--event-log", str(events)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, f"real preview of {stack} exited {done.returncode}:\n{done.stderr[-4000:]}"
    document: dict[str, Any] = json.loads(done.stdout)
    return document


def offline_plan(stack: str) -> dict[str, Any]:
    config = ROOT / "policypack" / "config" / pack_config_name(stack)
    done = subprocess.run(
        [sys.executable, "-m", "braze_s3_tools.plan", "--stack", stack, "--json", "--policy-config", str(config)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, 1), f"plan of {stack} exited {done.returncode}:\n{done.stderr[-4000:]}"
    plan: dict[str, Any] = json.loads(done.stdout)
    return plan


def real_resources(document: dict[str, Any]) -> set[Resource]:
    states = [step["newState"] for step in document["steps"] if step.get("newState")]
    roots = {s["urn"] for s in states if s["type"] == "pulumi:pulumi:Stack"}
    return {
        (s["urn"], s["type"], None if s.get("parent") in roots else s.get("parent"))
        for s in states
        if s["urn"] not in roots
    }


def _qualified_type(urn: str) -> str:
    return urn.split("::")[2]


def plan_resources(plan: dict[str, Any]) -> set[Resource]:
    """The plan's resources, each parent name resolved to the URN of the resource whose URN the child's extends."""
    out: set[Resource] = set()
    for r in plan["resources"]:
        parent = None
        if r["parent"] is not None:
            chain = _qualified_type(r["urn"]).rsplit("$", 1)[0]
            found = [
                p["urn"] for p in plan["resources"] if p["name"] == r["parent"] and _qualified_type(p["urn"]) == chain
            ]
            assert len(found) == 1, f"parent {r['parent']!r} of {r['urn']} is {found}"
            parent = found[0]
        out.add((r["urn"], r["type"], parent))
    return out


def real_violations(events: Path) -> set[Violation]:
    out: set[Violation] = set()
    for line in events.read_text(encoding="utf-8").splitlines():
        event = json.loads(line).get("policyEvent")
        if event is not None:
            out.add((event["policyName"], event["enforcementLevel"], event.get("resourceUrn") or None))
    return out


def plan_violations(plan: dict[str, Any]) -> set[Violation]:
    return {(d["policy"], d["level"], d.get("urn") or None) for d in plan["policy"]["diagnostics"]}


@pytest.fixture(scope="module", params=STACKS)
def both(request: pytest.FixtureRequest, cli: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, ...]:
    stack: str = request.param
    events = tmp_path_factory.mktemp(stack) / "events.jsonl"
    return stack, real_preview(stack, events), events, offline_plan(stack)


def test_same_resources(both: tuple[Any, ...]) -> None:
    stack, document, _, plan = both
    real, offline = real_resources(document), plan_resources(plan)
    assert sorted(real - offline, key=str) == [], f"{stack}: only in the real preview"
    assert sorted(offline - real, key=str) == [], f"{stack}: only in the offline plan"


def test_same_policy_violations(both: tuple[Any, ...]) -> None:
    stack, _, events, plan = both
    real, offline = real_violations(events), plan_violations(plan)
    assert sorted(real - offline, key=str) == [], f"{stack}: only in the real preview"
    assert sorted(offline - real, key=str) == [], f"{stack}: only in the offline plan"


def test_same_protect_retain_on_delete_and_import_id(both: tuple[Any, ...]) -> None:
    stack, document, _, plan = both
    real = {
        s["urn"]: (
            bool(s["newState"].get("protect")),
            bool(s["newState"].get("retainOnDelete")),
            s["newState"].get("importID"),
        )
        for s in document["steps"]
        if s.get("newState") and s["newState"]["type"] != "pulumi:pulumi:Stack"
    }
    offline = {
        r["urn"]: (bool(r["protect"]), bool(r["retainOnDelete"]), r["importId"] or None) for r in plan["resources"]
    }
    assert real == offline, f"{stack}: protect, retainOnDelete, import id per URN differ"


UNKNOWN_WIRE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # how the CLI's JSON shows a value unknown at preview


def _offline_value(value: Any) -> Any:
    """The plan's markers as the CLI's JSON shows the same values."""
    if isinstance(value, dict) and value == {"unknown": True}:
        return UNKNOWN_WIRE
    if isinstance(value, dict) and value == {"secret": True}:
        return "[secret]"
    if isinstance(value, dict):
        return {k: _offline_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_offline_value(v) for v in value]
    return value


def _with_offline_autonames(real: dict[str, dict[str, Any]], plan: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The real inputs with each autoname (random suffix: the engine's seed) swapped for the offline one (a digest
    of the logical name), wherever a resource's inputs carry it — both are names Check gives, known at preview."""
    swaps: dict[str, str] = {}
    for resource in (r for r in plan["resources"] if r["custom"]):
        named = offline_autoname(resource["type"], resource["name"], resource["inputs"])
        real_name = (real[resource["urn"]].get("inputs") or {}).get(named[0]) if named else None
        if named and isinstance(real_name, str):
            swaps[real_name] = named[1]

    def swap(value: Any) -> Any:
        if isinstance(value, str):
            for real_name, offline_name in swaps.items():
                value = value.replace(real_name, offline_name)
            return value
        if isinstance(value, dict):
            return {k: swap(v) for k, v in value.items()}
        if isinstance(value, list):
            return [swap(v) for v in value]
        return value

    return {urn: {**state, "inputs": swap(state.get("inputs") or {})} for urn, state in real.items()}


def test_same_inputs_after_the_providers_check(both: tuple[Any, ...]) -> None:
    """Every input the program gives is what the engine sends the provider; the real inputs hold in addition only
    what the provider's Check adds (schema defaults, autonames: the stand-in's DEFAULTS and AUTONAME tables).
    An autonamed resource's name is known at preview in both (Check fills it); only its random suffix differs."""
    from braze_s3_tools.realcli.provider import AUTONAME, DEFAULTS

    stack, document, _, plan = both
    real = {s["urn"]: s["newState"] for s in document["steps"] if s.get("newState", {}).get("custom")}
    real = _with_offline_autonames(real, plan)
    problems = []
    for resource in (r for r in plan["resources"] if r["custom"]):
        state = real[resource["urn"]]
        inputs = state.get("inputs") or {}
        offline = _offline_value(resource["inputs"])
        for key, value in offline.items():
            if inputs.get(key) != value:
                problems.append(f"{resource['urn']}: {key}: real {inputs.get(key)!r}, offline {value!r}")
        added = set(inputs) - set(offline)
        allowed = (
            set(DEFAULTS.get(resource["type"], {})) | {AUTONAME[resource["type"]][0]}
            if resource["type"] in AUTONAME
            else set(DEFAULTS.get(resource["type"], {}))
        )
        if added - allowed:
            problems.append(f"{resource['urn']}: inputs only in the real preview: {sorted(added - allowed)}")
    assert not problems, f"{stack}:\n" + "\n".join(problems)


def test_same_property_dependencies(both: tuple[Any, ...]) -> None:
    """Which input comes from which resource (what `plan --against` ripples a replacement through)."""
    stack, document, _, plan = both
    real = {
        s["urn"]: {k: sorted(v) for k, v in (s["newState"].get("propertyDependencies") or {}).items() if v}
        for s in document["steps"]
        if s.get("newState", {}).get("custom")
    }
    offline = {r["urn"]: r["dependencies"] for r in plan["resources"] if r["custom"]}
    differ = {urn: (real.get(urn), deps) for urn, deps in offline.items() if real.get(urn) != deps}
    assert not differ, f"{stack}: property dependencies differ (real, offline): {differ}"
