"""The project's hash-locked installs: which range file resolves into which lock, and how.

Every environment the project installs has a source of compatible ranges and a lock resolved from
it with a hash for every file (`make lock` re-resolves them all):

| source (ranges)                | lock (exact versions, hashes)   | installed by                               |
|--------------------------------|---------------------------------|--------------------------------------------|
| requirements-dev.in            | requirements-dev.txt            | make, .ci/run, the workflows' test jobs    |
| requirements.in                | requirements.txt                | `pulumi up`/`preview` (toolchain pip), the deploy workflows |
| policypack/requirements.txt    | policypack/requirements.lock    | make policypack-venv, the workflows' local pack |
| provider/requirements.in       | provider/requirements.txt       | the component plugin (`pulumi package add/get-schema`) |
| examples/handwritten/requirements.in | examples/handwritten/requirements.txt | the hand-written example, when the real CLI runs it |

The pack's `requirements.txt` stays ranges: a published pack is installed by every policy runner of
an organisation from that file, next to other packs. uv resolves (`uv pip compile --universal`): one
resolution valid on every platform and Python >= 3.11 — a lock made on Linux installs on a macOS
laptop — in the plain `pip install -r` format, which is what the Pulumi CLI's default `toolchain:
pip` and policy runners run (pip checks the hashes). The dev lock is resolved first; the others
are constrained by it, so every lock names the same version of every shared package.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from braze_s3_tools.engine.stack_files import PROJECT_ROOT

PYTHON_FLOOR = "3.11"


@dataclass(frozen=True)
class Lock:
    source: str
    lock: str

    @property
    def source_path(self) -> Path:
        return PROJECT_ROOT / self.source

    @property
    def lock_path(self) -> Path:
        return PROJECT_ROOT / self.lock


DEV = Lock("requirements-dev.in", "requirements-dev.txt")
LOCKS: tuple[Lock, ...] = (
    DEV,
    Lock("requirements.in", "requirements.txt"),
    Lock("policypack/requirements.txt", "policypack/requirements.lock"),
    Lock("provider/requirements.in", "provider/requirements.txt"),
    Lock("examples/handwritten/requirements.in", "examples/handwritten/requirements.txt"),
)

_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")


def canonical(name: str) -> str:
    """A distribution name as pip compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lock_path: Path) -> dict[str, str]:
    """Every `name==version` of a lock file, by canonical name."""
    found: dict[str, str] = {}
    for line in lock_path.read_text(encoding="utf-8").splitlines():
        match = _PIN.match(line)
        if match:
            found[canonical(match.group(1))] = match.group(2)
    return found


def compile_command(uv: str, lock: Lock, *, upgrade: bool = False) -> list[str]:
    """The uv command that resolves ``lock`` from its source (the others constrained by the dev lock)."""
    command = [
        uv, "pip", "compile", "--quiet", "--universal", "--python-version", PYTHON_FLOOR,
        "--generate-hashes", "--custom-compile-command", "make lock",
        lock.source, "-o", lock.lock,
    ]  # fmt: skip
    if lock != DEV:
        command += ["-c", DEV.lock]
    if upgrade:
        command.append("--upgrade")
    return command
