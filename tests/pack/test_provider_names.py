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
    """The providers whose own input classes for ``token`` define this path, step by step (followed
    recursively through the nested input types), or whose resource has it as a top-level output
    (an ARN or id the stack analysis reads)."""
    found = []
    for name, provider in PROVIDERS.items():
        inputs = provider["inputs"].get(token, {})
        outputs = provider["resources"].get(token, [])
        if path in inputs or ("." not in path and path in outputs):
            found.append(name)
    return found


def test_the_extracts_cover_each_provider_family() -> None:
    assert any("pulumi-aws-6" in n for n in PROVIDERS) and any("aws-native" in n for n in PROVIDERS)
    assert all(len(p["resources"]) > 20 for p in PROVIDERS.values())
    assert all(set(p["inputs"]) == set(p["resources"]) for p in PROVIDERS.values()), "every resource's inputs"


def test_a_name_that_exists_only_on_another_type_or_level_is_not_defined() -> None:
    """Issue 24's example: BucketV2's SSE objects are `applyServerSideEncryptionByDefaults` (plural) in
    pulumi-aws 6 and 7; the singular exists only on Bucket and the configuration resources."""
    singular = "serverSideEncryptionConfigurations.rules.applyServerSideEncryptionByDefault.sseAlgorithm"
    assert _defined(shapes.BUCKET_V2, singular) == []
    assert _defined(shapes.BUCKET_V2, singular.replace("ByDefault.", "ByDefaults.")) != []
    assert _defined(shapes.BUCKET, "rules.applyServerSideEncryptionByDefault.sseAlgorithm") == []


@pytest.mark.parametrize(("token", "path"), sorted((t, p) for t, paths in shapes.READS.items() for p in paths))
def test_every_list_on_a_path_is_read_as_a_list(token: str, path: str) -> None:
    """Where any provider's classes make a step a list, the pack's readers take every item (a list is
    transparent in `shapes` paths): the reader used for settings, `resources.values_at`, does."""
    from braze_rules.resources import values_at

    for provider in PROVIDERS.values():
        kinds = provider["inputs"].get(token, {})
        if path not in kinds:
            continue
        parts = path.split(".")
        value: object = "leaf"
        for depth in range(len(parts) - 1, -1, -1):
            step = ".".join(parts[: depth + 1])
            value = {parts[depth]: [value, value] if kinds[step] == "list" and depth < len(parts) - 1 else value}
        assert values_at(value, path).count("leaf") >= 1


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
