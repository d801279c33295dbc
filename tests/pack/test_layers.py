"""The pack's layers: the model names the types, the grants layer builds on them, never the reverse (issue 25)."""

from __future__ import annotations

import ast
from pathlib import Path

import braze_rules

RULES_DIR = Path(braze_rules.__file__).parent


def _imports(module: str) -> set[str]:
    tree = ast.parse((RULES_DIR / f"{module}.py").read_text())
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found


def test_the_model_never_imports_the_grants_layer() -> None:
    """Not even for type checking: `model.GrantsIndex` says what rules ask of it."""
    assert not {m for m in _imports("model") if m.startswith("braze_rules.grants")}
    assert "braze_rules.model" in _imports("grants")


def test_the_grants_layer_still_offers_the_holder_types_rules_import_from_it() -> None:
    from braze_rules import grants, model

    assert grants.Holder is model.Holder and grants.Access is model.Access and grants.PROBE == model.PROBE
