"""The Pulumi CLI to run: the last line printed by tools/pulumi-cli/pulumi.sh (`make pulumi`)."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tools" / "pulumi-cli" / "pulumi.sh"


class NoCliError(RuntimeError):
    """No Pulumi CLI could be found or built; the message says what to install."""


def find_cli() -> Path:
    """The absolute path of the CLI: a new enough `pulumi` on PATH, else the pinned build (built when absent)."""
    done = subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, check=False)  # noqa: S603, S607
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise NoCliError(
            f"{SCRIPT.relative_to(ROOT)} found no Pulumi CLI (exit {done.returncode}):\n{done.stderr.strip()}"
        )
    path = Path(lines[-1])
    if not path.is_file():
        raise NoCliError(f"{SCRIPT.relative_to(ROOT)} printed {path}, which is not a file")
    return path
