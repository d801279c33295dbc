"""The house keeps its plan: each source folder small, no import circle between the project's modules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from braze_s3_tools.engine.stack_files import PROJECT_ROOT

# Source roots and how their modules are named on import (the pack runs with policypack/ as its root).
ROOTS = {PROJECT_ROOT / "components": "components", PROJECT_ROOT / "braze_s3_tools": "braze_s3_tools",
         PROJECT_ROOT / "policypack" / "braze_rules": "braze_rules"}  # fmt: skip
MAX_MODULES_PER_FOLDER = 15


def _modules() -> dict[str, Path]:
    found = {}
    for root, package in ROOTS.items():
        for path in root.rglob("*.py"):
            if "venv" in path.parts:
                continue
            parts = [package, *path.relative_to(root).with_suffix("").parts]
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _runtime_imports(path: Path, name: str, known: set[str]) -> set[str]:
    """Project modules imported when ``name`` runs (not under `if TYPE_CHECKING:`), at any depth of the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_checking = {
        id(node)
        for guard in ast.walk(tree)
        if isinstance(guard, ast.If) and "TYPE_CHECKING" in ast.unparse(guard.test)
        for node in ast.walk(guard)
    }
    imported: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if id(node) in type_checking:
            continue
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            imported.add(base)
            imported |= {f"{base}.{alias.name}" for alias in node.names}
    return {module for module in imported if module in known and module != name}


def test_no_source_folder_holds_more_than_fifteen_modules() -> None:
    crowded = {}
    for root in ROOTS:
        for folder in [root, *(p for p in root.rglob("*") if p.is_dir() and "__pycache__" not in p.parts)]:
            count = len([p for p in folder.glob("*.py") if p.name not in {"__init__.py", "__main__.py"}])
            if count > MAX_MODULES_PER_FOLDER:
                crowded[str(folder.relative_to(PROJECT_ROOT))] = count
    assert not crowded, f"split these folders by concern: {crowded}"


@pytest.mark.parametrize("root", list(ROOTS.values()))
def test_no_import_circle(root: str) -> None:
    modules = _modules()
    known = set(modules)
    graph = {name: _runtime_imports(path, name, known) for name, path in modules.items() if name.startswith(root)}
    # A package's __init__ importing its own submodules is how packages work, not a circle.
    graph = {
        n: {m for m in deps if not (m.startswith(f"{n}.") and modules[n].name == "__init__.py")}
        for n, deps in graph.items()
    }
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for name in sorted(graph):
        if name not in state and (cycle := visit(name)):
            pytest.fail("import circle: " + " → ".join(cycle))
