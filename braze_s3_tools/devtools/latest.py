"""`make test-latest`: the suite on the newest versions the ranges allow, and which package broke it.

    python -m braze_s3_tools.devtools.latest [--summary FILE]

The locks make installs reproducible; this job shows upstream drift in days, not when a new user
clones. It installs `requirements-dev.in` at the newest versions its ranges allow into
`venv-latest/`, lists what moved from the lock, and runs the whole suite. When tests fail, each moved
package is tried alone on top of the lock (`pip install NAME==NEW`, its own requirements resolved as
pip does) against the failing tests, so the summary names the package and version that broke them
(or says no single one did). The Markdown summary goes to `--summary` and to `$GITHUB_STEP_SUMMARY`.
Exit 0 green, 1 a test failed on the newest versions, 2 the newest versions could not be installed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from braze_s3_tools.devtools.locks import DEV, canonical, pins
from braze_s3_tools.engine.stack_files import PROJECT_ROOT

VENV = PROJECT_ROOT / "venv-latest"
WORK = PROJECT_ROOT / "build" / "latest"
MAX_ATTRIBUTION_TESTS = 25


@dataclass(frozen=True)
class Move:
    name: str
    locked: str | None
    newest: str


@dataclass
class Outcome:
    moves: list[Move]
    failed: list[str] = field(default_factory=list)
    culprits: dict[str, list[str]] = field(default_factory=dict)
    install_error: str = ""


def moved(locked: dict[str, str], installed: dict[str, str]) -> list[Move]:
    """Packages whose installed version differs from the lock's (new packages included), by name."""
    return [
        Move(name, locked.get(name), version)
        for name, version in sorted(installed.items())
        if locked.get(name) != version
    ]


def failed_tests(pytest_output: str) -> list[str]:
    """Node ids of the failed and errored tests, from pytest's short summary (`-rfE`)."""
    failures = []
    for line in pytest_output.splitlines():
        for prefix in ("FAILED ", "ERROR "):
            if line.startswith(prefix):
                failures.append(line[len(prefix) :].split(" - ", 1)[0].strip())
    return failures


def render(outcome: Outcome) -> str:
    """The job summary: what moved, what failed, and the package that broke it."""
    lines = ["# Newest versions within the ranges", ""]
    if outcome.install_error:
        lines += [
            "**Could not install the newest versions** (pip's last lines):",
            "",
            "```",
            outcome.install_error,
            "```",
        ]
        return "\n".join(lines) + "\n"
    verdict = "**failed**" if outcome.failed else "**passed**"
    lines += [f"The suite {verdict} on the newest versions. Moved from the lock ({len(outcome.moves)}):", ""]
    lines += [f"- `{m.name}` {m.locked or '(not locked)'} → {m.newest}" for m in outcome.moves] or ["- nothing"]
    if outcome.failed:
        lines += ["", f"Failed tests ({len(outcome.failed)}):", ""]
        lines += [f"- `{test}`" for test in outcome.failed[:MAX_ATTRIBUTION_TESTS]]
        lines += ["", "## Broken by", ""]
        if outcome.culprits:
            newest = {m.name: m for m in outcome.moves}
            for name, tests in outcome.culprits.items():
                move = newest[name]
                lines.append(
                    f"- **`{name}` {move.newest}** (lock: {move.locked or 'none'}) fails {len(tests)} of them alone "
                    f"on the lock: exclude it in its range (`!={move.newest}`) with the reason, or fix the project"
                )
        else:
            lines.append("- no single moved package fails them alone on the lock: a combination, or flaky tests")
    return "\n".join(lines) + "\n"


def _python() -> str:
    return str(VENV / "bin" / "python")


def _pip(*args: str) -> subprocess.CompletedProcess[str]:
    command = [_python(), "-m", "pip", "--quiet", *args]
    return subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)  # noqa: S603


def _installed() -> dict[str, str]:
    listed = _pip("list", "--format", "json", "--exclude", "pip")
    return {canonical(item["name"]): item["version"] for item in json.loads(listed.stdout or "[]")}


def _pytest(*args: str) -> tuple[int, str]:
    """Run pytest in the latest venv; its output is shown as it is and returned for the summary."""
    command = [_python(), "-m", "pytest", "-q", "-rfE", "-p", "no:cacheprovider", *args]
    done = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)  # noqa: S603
    sys.stderr.write(done.stdout + done.stderr)
    return done.returncode, done.stdout


def _attribute(outcome: Outcome) -> None:
    """Each moved package alone on top of the lock, against the failed tests."""
    tests = outcome.failed[:MAX_ATTRIBUTION_TESTS]
    for move in outcome.moves:
        restored = _pip("install", "--require-hashes", "--no-deps", "-r", DEV.lock)
        if restored.returncode != 0:
            return
        if _pip("install", f"{move.name}=={move.newest}").returncode != 0:
            continue
        _, output = _pytest(*tests)
        still = [test for test in failed_tests(output) if test in tests]
        if still:
            outcome.culprits[move.name] = still


def run() -> Outcome:
    WORK.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)  # noqa: S603
    install = _pip("install", "--upgrade", "--upgrade-strategy", "eager", "-r", DEV.source)
    if install.returncode != 0:
        return Outcome([], install_error="\n".join(install.stderr.strip().splitlines()[-15:]))
    outcome = Outcome(moved(pins(DEV.lock_path), _installed()))
    status, output = _pytest()
    if status != 0:
        outcome.failed = failed_tests(output) or ["(pytest failed before any test ran: see its output)"]
        _attribute(outcome)
    return outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--summary", type=Path, default=WORK / "summary.md")
    args = parser.parse_args(argv)
    outcome = run()
    text = render(outcome)
    args.summary.parent.mkdir(parents=True, exist_ok=True)
    args.summary.write_text(text, encoding="utf-8")
    if step_summary := os.environ.get("GITHUB_STEP_SUMMARY"):
        with Path(step_summary).open("a", encoding="utf-8") as handle:
            handle.write(text)
    print(text, file=sys.stderr)
    if outcome.install_error:
        return 2
    return 1 if outcome.failed else 0


if __name__ == "__main__":
    sys.exit(main())
