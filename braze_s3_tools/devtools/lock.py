"""`make lock`: re-resolve every hash-locked requirements file from its ranges (see `locks`).

    python -m braze_s3_tools.devtools.lock [--upgrade]

Without `--upgrade`, versions already locked are kept where the ranges still allow them (uv reads
the existing lock as its preference), so a range change moves only what it must. With it, every
package moves to the newest version its ranges allow: review the diff, then `make test`.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from braze_s3_tools.devtools.locks import LOCKS, compile_command
from braze_s3_tools.engine.stack_files import PROJECT_ROOT


def _uv() -> str:
    beside_python = Path(sys.executable).parent / "uv"
    found = str(beside_python) if beside_python.exists() else shutil.which("uv")
    if not found:
        sys.exit("make lock: uv is not installed (it is in requirements-dev.in: run `make install`)")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--upgrade", action="store_true", help="move every package to the newest version allowed")
    args = parser.parse_args(argv)
    uv = _uv()
    for lock in LOCKS:
        print(f"lock: {lock.source} → {lock.lock}", file=sys.stderr)
        done = subprocess.run(compile_command(uv, lock, upgrade=args.upgrade), cwd=PROJECT_ROOT, check=False)  # noqa: S603
        if done.returncode != 0:
            print(f"lock: resolving {lock.source} failed (uv's message above)", file=sys.stderr)
            return done.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
