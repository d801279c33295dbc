"""Conventions of the pack, held mechanically: registration, words, docs, configs, self-containment."""

from __future__ import annotations

import ast
import json
import re

from braze_rules.registry import POLICY_NAMES, RULES

from braze_s3_tools.engine.stack_files import PROJECT_ROOT
from components import documents, naming

PACK = PROJECT_ROOT / "policypack"


def test_every_rule_module_is_registered_once_with_a_kebab_case_name() -> None:
    modules = sorted(p.stem for p in (PACK / "braze_rules" / "rules").glob("*.py") if p.stem != "__init__")
    registered = sorted(r.check.__module__.rsplit(".", 1)[-1] for r in RULES)
    assert registered == modules
    names = [r.name for r in RULES]
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"braze(-[a-z0-9]+)+", n) for n in names)


def test_descriptions_are_sentences_and_remediation_is_given() -> None:
    for rule in RULES:
        assert rule.description[0].isupper() and rule.description.endswith("."), rule.name
        assert len(rule.remediation) > 40, rule.name


def test_readme_documents_every_rule_with_its_level() -> None:
    readme = (PACK / "README.md").read_text()
    for rule in RULES:
        assert f"### `{rule.name}`" in readme, rule.name
        name_cell = (
            f"`{rule.name}` (resource) + `{rule.linked_name}` (stack)" if rule.per_resource else f"`{rule.name}`"
        )
        assert f"| {name_cell} | {rule.enforcement} | {rule.severity} |" in readme, rule.name


def test_example_configs_set_account_ids_for_every_rule_and_production_protects() -> None:
    for name in ("default", "production"):
        config = json.loads((PACK / "config" / f"{name}.json").read_text())
        assert list(config) == list(POLICY_NAMES), name
        for rule_name, entry in config.items():
            assert entry["brazeAccountIds"] and all(re.fullmatch(r"[0-9]{12}", i) for i in entry["brazeAccountIds"]), (
                rule_name
            )
            assert entry["enforcementLevel"] in ("advisory", "mandatory"), rule_name
    production = json.loads((PACK / "config" / "production.json").read_text())
    assert production["braze-bucket-protected"]["enforcementLevel"] == "mandatory"


def test_the_pack_imports_nothing_from_outside_its_directory() -> None:
    """`pulumi policy publish` uploads this directory alone."""
    allowed = {
        "braze_rules",
        "pulumi_policy",
        "pulumi",
        "google",
        "__future__",
        "collections",
        "dataclasses",
        "typing",
        "json",
        "re",
        "functools",
        "gc",
        "os",  # stdlib: PULUMI_DRY_RUN, which the engine sets for the pack
        "ipaddress",  # stdlib: aws:SourceIp conditions (conditions.py)
        "itertools",  # stdlib: the values a condition is tried with (conditions.py)
    }
    for path in PACK.rglob("*.py"):
        if "venv" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert node.module.split(".")[0] in allowed, f"{path}: imports {node.module}"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    assert alias.name.split(".")[0] in allowed, f"{path}: imports {alias.name}"


def test_pack_requirements_stay_minimal() -> None:
    lines = [
        line.split(">")[0].split("=")[0].strip()
        for line in (PACK / "requirements.txt").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert sorted(lines) == ["pulumi", "pulumi-policy"]


def test_program_and_pack_agree_on_brazes_facts() -> None:
    from braze_rules import facts

    assert facts.BUCKET_ACTIONS == documents.BUCKET_ACTIONS
    assert facts.CURRENTS_OBJECT_ACTIONS == documents.CURRENTS_OBJECT_ACTIONS
    assert facts.DASHBOARD_EXPORT_OBJECT_ACTIONS == documents.DASHBOARD_EXPORT_OBJECT_ACTIONS
    from components import tags

    assert (facts.TAG_BUCKET, facts.TAG_INTEGRATION, facts.TAG_CONNECTOR, facts.TAG_FOLDER_PATH) == (
        tags.BUCKET,
        tags.INTEGRATION,
        tags.CONNECTOR,
        tags.FOLDER_PATH,
    )
    for raw in ("currents", "currents/", "a/b/", "a/b//"):
        if naming.folder_path_problem(raw) is None:
            assert facts.normalise_folder(raw) == naming.normalise_folder_path(raw), raw


def test_pack_entry_point_only_builds_the_pack() -> None:
    tree = ast.parse((PACK / "__main__.py").read_text())
    calls = [n for n in tree.body if isinstance(n, ast.Expr) and not isinstance(n.value, ast.Constant)]
    assert len(calls) == 1 and ast.unparse(calls[0]) == "build_pack()"


def test_readme_gives_a_failing_and_a_fixed_example_for_every_rule() -> None:
    readme = (PACK / "README.md").read_text()
    sections = readme.split("### `")[1:]
    assert len(sections) == len(RULES)
    for section in sections:
        name = section.split("`", 1)[0]
        assert "Failing:" in section and "Fixed:" in section, name


def test_the_published_archive_leaves_out_the_virtualenv() -> None:
    """`pulumi policy publish` honours the .gitignore next to PulumiPolicy.yaml."""
    ignored = (PACK / ".gitignore").read_text().split()
    assert "venv/" in ignored and "__pycache__/" in ignored


def test_program_and_pack_tune_the_garbage_collector_alike() -> None:
    """Two copies on purpose (the pack is published alone); held equal here."""
    from braze_rules import policies

    from components import program

    assert policies.GC_GENERATION0_THRESHOLD == program.GC_GENERATION0_THRESHOLD


def test_the_published_description_says_what_the_rules_decide() -> None:
    """The registry shows PulumiPolicy.yaml's description: SSE-KMS is allowed with a key Braze can use
    (braze-no-sse-kms since 1.3.0), so the description may not say "no SSE-KMS"."""
    import yaml

    description = yaml.safe_load((PACK / "PulumiPolicy.yaml").read_text())["description"]
    assert "no SSE-KMS" not in description and "KMS key Braze" in description
    assert "Braze's own prefixes" in description
