"""Every type token and property name the pack reads exists in a real provider.

The names come from the providers' published Python SDKs: pulumi-aws 7 as installed, and
pulumi-aws 6 and aws-native from extracts of their wheels made with
`python -m braze_s3_tools.devtools.provider_names <wheel>` (tests/provider_names/). A name no provider
defines is a check that can never fire: this fails on it, and on any name the pack's code reads
that the table in `braze_rules/shapes.py` does not declare.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pulumi_aws
import pytest
from braze_rules import shapes

from braze_s3_tools.devtools.provider_names import extract
from braze_s3_tools.engine.stack_files import PROJECT_ROOT

EXTRACTS = PROJECT_ROOT / "tests" / "provider_names"
PACK = PROJECT_ROOT / "policypack" / "braze_rules"
# Keys the pack reads that are not resource properties: IAM document fields, the pack's own config.
NOT_PROPERTIES = {"brazeAccountIds"}


def _providers() -> dict[str, dict[str, dict[str, list[str]]]]:
    found = {f"pulumi-aws {pulumi_aws.__name__}": extract(Path(pulumi_aws.__file__).parent)}
    for path in sorted(EXTRACTS.glob("*.json")):
        found[path.stem] = json.loads(path.read_text())
    return found


PROVIDERS = _providers()


def _module(token: str) -> str:
    """`aws:s3/bucket:Bucket` → `s3`; `aws-native:iam:Role` → `iam`."""
    return token.split(":")[1].split("/", maxsplit=1)[0]


def _defined(token: str, path: str) -> list[str]:
    """The providers that define the token with this property path."""
    head, *rest = path.split(".")
    found = []
    for name, provider in PROVIDERS.items():
        properties = provider["resources"].get(token)
        nested = set(provider["nested"].get(_module(token), ())) | set(provider["nested"].get("_root", ()))
        if properties is not None and head in properties and all(part in nested for part in rest):
            found.append(name)
    return found


def test_the_extracts_cover_each_provider_family() -> None:
    assert any("pulumi-aws-6" in n for n in PROVIDERS) and any("aws-native" in n for n in PROVIDERS)
    assert all(len(p["resources"]) > 20 for p in PROVIDERS.values())


@pytest.mark.parametrize("token", sorted(shapes.READS))
def test_every_token_exists_in_a_provider(token: str) -> None:
    assert any(token in p["resources"] for p in PROVIDERS.values()), f"no provider defines {token}"


@pytest.mark.parametrize(("token", "path"), sorted((t, p) for t, paths in shapes.READS.items() for p in paths))
def test_every_property_path_exists_on_its_type(token: str, path: str) -> None:
    assert _defined(token, path), f"no provider defines {path} on {token}"


def test_every_token_set_the_rules_use_is_in_the_table() -> None:
    sets = [v for k, v in vars(shapes).items() if k.isupper() and isinstance(v, frozenset)]
    assert sets and all(token in shapes.READS for tokens in sets for token in tokens)


def _literals_read(tree: ast.AST) -> set[str]:
    """String literals passed to the calls that read resource properties: `x.get("…")`,
    `x.deps_of("…")`, `_name_of(res, "…")`, and `principals_for(res, ("…",), …)`."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name not in ("get", "deps_of", "_name_of", "principals_for", "_names"):
            continue
        for arg in node.args:
            items = arg.elts if isinstance(arg, ast.Tuple) else [arg]
            found |= {i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str)}
    return found


def test_every_property_the_pack_reads_is_declared() -> None:
    declared = {part for paths in shapes.READS.values() for path in paths for part in path.split(".")}
    read: set[str] = set()
    for path in PACK.rglob("*.py"):
        read |= _literals_read(ast.parse(path.read_text()))
    # IAM documents' own fields (Statement, Effect, …) start with a capital; they are not properties.
    properties = {r for r in read if r[:1].islower() and ":" not in r and r not in NOT_PROPERTIES}
    assert properties - declared == set()
