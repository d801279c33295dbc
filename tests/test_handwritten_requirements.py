"""examples/handwritten installs what it imports, hash-locked like every environment of the project.

The Pulumi CLI runs the example (runtime python, `virtualenv: venv`) by creating ./venv and
installing its requirements.txt with pip before running __main__.py: without that file the program
dies on `import pulumi`. The lock is resolved from requirements.in under the dev lock (as
`make lock` resolves the project's locks, braze_s3_tools/devtools/locks.py).
"""

from __future__ import annotations

import ast
import sys

import yaml

from braze_s3_tools.devtools.locks import DEV, Lock, canonical, pins
from braze_s3_tools.engine.stack_files import PROJECT_ROOT
from tests.test_locks import test_each_lock_satisfies_its_ranges_and_hashes_every_pin as satisfies_and_hashes

ROOT = PROJECT_ROOT / "examples" / "handwritten"
LOCK = Lock("examples/handwritten/requirements.in", "examples/handwritten/requirements.txt")
# import name -> distribution
DISTRIBUTIONS = {"pulumi": "pulumi", "pulumi_aws": "pulumi-aws"}


def _third_party_imports() -> set[str]:
    tree = ast.parse((ROOT / "__main__.py").read_text(encoding="utf-8"))
    names = {
        alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    }
    names |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    return names - set(sys.stdlib_module_names)


def test_the_example_runs_from_a_virtualenv_the_cli_fills_from_requirements_txt() -> None:
    project = yaml.safe_load((ROOT / "Pulumi.yaml").read_text(encoding="utf-8"))
    assert project["runtime"]["name"] == "python" and project["runtime"]["options"]["virtualenv"] == "venv"
    assert (ROOT / "requirements.txt").is_file()


def test_the_requirements_are_what_the_program_imports() -> None:
    imports = _third_party_imports()
    assert imports == set(DISTRIBUTIONS), f"__main__.py imports {sorted(imports)}: add their distributions"
    locked = pins(LOCK.lock_path)
    for name in imports:
        assert canonical(DISTRIBUTIONS[name]) in locked, f"{LOCK.lock} lacks {DISTRIBUTIONS[name]}"


def test_the_examples_lock_hashes_every_pin_satisfies_its_ranges_and_agrees_with_the_dev_lock() -> None:
    satisfies_and_hashes(LOCK)
    dev = pins(DEV.lock_path)
    disagree = {name: (v, dev.get(name)) for name, v in pins(LOCK.lock_path).items() if dev.get(name) != v}
    assert not disagree, f"{LOCK.lock} and {DEV.lock} disagree: {disagree}"
