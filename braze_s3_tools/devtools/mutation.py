"""`make mutation`: mutmut over the modules that decide, a score per module, into docs/mutation.md.

    python -m braze_s3_tools.devtools.mutation [--only GLOB …] [--max-children N]
    python -m braze_s3_tools.devtools.mutation --group verify [--fail-under-committed] [--summary FILE]

Scope: the pack's rules and model (`policypack/braze_rules/`), `verify` (its checks, role checks
and freshness) and the config validation (`components/config*.py`). mutmut names a mutant after its file path (dropping only a
`src/` prefix) and activates it only where the running code's `__module__` has that name; the
pack's modules are imported as `braze_rules.*` from the pack directory, exactly as the engine
runs them. So the run happens in a staging copy (`build/mutation/`) where `braze_rules/` sits at
the import root, and the pack subprocesses the protocol tests start find it there through
PYTHONPATH (they inherit `MUTANT_UNDER_TEST`, so a mutant is live in the pack process too).
Nothing in the repository is changed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from braze_s3_tools.devtools.mutation_report import Committed, compare, read_committed, report, summary
from braze_s3_tools.engine.stack_files import PROJECT_ROOT

STAGE = PROJECT_ROOT / "build" / "mutation"
REPORT = PROJECT_ROOT / "docs" / "mutation.md"
SOURCES = [
    "braze_rules",
    "braze_s3_tools/verify/command.py",
    "braze_s3_tools/verify/bucket.py",
    "braze_s3_tools/verify/roles.py",
    "braze_s3_tools/verify/freshness.py",
    "braze_s3_tools/verify/outputs.py",
    "braze_s3_tools/verify/report.py",
    "braze_s3_tools/emulator/bucket_policy.py",
    "braze_s3_tools/emulator/server.py",
    "braze_s3_tools/emulator/verify_local.py",
    "components/config/stack.py",
    "components/config/reader.py",
    "components/config/auth.py",
    "components/config/iam.py",
    "components/config/lifecycle.py",
    "components/config/alerts.py",
    "components/config/buckets.py",
]
TESTS = [
    "tests/pack",
    "tests/test_verify_unit.py",
    "tests/test_verify_bucket_checks.py",
    "tests/test_verify_probes.py",
    "tests/test_verify_roles.py",
    "tests/test_verify_run.py",
    "tests/test_verify_freshness.py",
    "tests/test_verify_local_command.py",
    "tests/test_verify_emulator.py",
    "tests/test_verify_buckets_emulator.py",
    "tests/test_config_errors.py",
    "tests/test_cli_config.py",
    "tests/test_buckets_config.py",
    "tests/test_config_aws_limits.py",
    "tests/test_config_iam_guardrails.py",
    "tests/test_config_reader.py",
    "tests/test_alerts.py",
    "tests/test_config_edge_values.py",
]
# Tests about the repository's layout (the pack's files where they are published from): they
# read policypack/braze_rules, which the staging copy moves.
DESELECT = [
    "tests/pack/test_pack_conventions.py::test_every_rule_module_is_registered_once_with_a_kebab_case_name",
    "tests/pack/test_pack_conventions.py::test_the_pack_imports_nothing_from_outside_its_directory",
]
# A group is what one job of the nightly workflow runs: its mutants (mutmut name globs) against
# its own tests only, so the stats run and every mutant's tests stay within that group's suites.
GROUPS: dict[str, tuple[list[str], list[str]]] = {
    "pack": (["braze_rules.*"], ["tests/pack"]),
    # verify's decisions are tested on an in-memory AWS (tests/verify_fakes.py): --fast is enough and
    # takes minutes. The emulator path (moto's server, provisioning) is tested only against moto: its
    # group needs the slow tests, and each surviving mutant pays for them.
    "verify": (["braze_s3_tools.verify.*"], [t for t in TESTS if "verify" in t]),
    "emulator": (["braze_s3_tools.emulator.*"], [t for t in TESTS if "verify" in t]),
    "config": (["components.*"], [t for t in TESTS if t != "tests/pack" and "verify" not in t]),
}
# --fast: no pack subprocess, no emulator (`slow`), and not the generated-input suites, whose
# hundreds of examples per test would be re-run for every mutant.
FAST_ARGS = [
    "-m",
    "not slow",
    "--ignore=tests/pack/test_adversarial_pack.py",
    "--ignore=tests/test_adversarial_config.py",
]


def _project_path(module: str) -> Path:
    """A staged module's file in the repository (the pack's package sits under policypack/)."""
    return PROJECT_ROOT / ("policypack/" + module if module.startswith("braze_rules/") else module)


def previous_results() -> dict[str, dict[str, int | None]]:
    """The last run's results for every module whose source is unchanged since (the stage keeps a copy
    of the source it mutated): a partial run (`--only`) then adds to them instead of discarding them."""
    kept: dict[str, dict[str, int | None]] = {}
    for meta in sorted((STAGE / "mutants").rglob("*.py.meta")) if STAGE.exists() else []:
        module = str(meta.relative_to(STAGE / "mutants"))[: -len(".meta")]
        staged, current = STAGE / module, _project_path(module)
        if staged.is_file() and current.is_file() and staged.read_bytes() == current.read_bytes():
            try:
                kept[module] = json.loads(meta.read_text(encoding="utf-8")).get("exit_code_by_key", {})
            except ValueError:  # an interrupted run leaves its file half-written: those results are lost
                print(f"mutation: {module}: the last run's results are unreadable; not kept", file=sys.stderr)
    return kept


def carry_over(kept: dict[str, dict[str, int | None]]) -> None:
    """Fill the mutants this run did not check with the last result of the same mutant of the same source."""
    for module, old in kept.items():
        meta = STAGE / "mutants" / f"{module}.meta"
        if not meta.is_file():
            continue
        data = json.loads(meta.read_text(encoding="utf-8"))
        codes = data.setdefault("exit_code_by_key", {})
        for key, code in old.items():
            if codes.get(key) is None and key in codes:
                codes[key] = code
        meta.write_text(json.dumps(data), encoding="utf-8")


def stage(fast: bool = False, tests: list[str] | None = None) -> None:
    """A copy of the tracked tree with the pack's package at the import root."""
    if STAGE.exists():
        shutil.rmtree(STAGE)
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],  # noqa: S607 - git on PATH
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for name in files:
        source = PROJECT_ROOT / name
        if source.is_file() and not name.startswith(("build/", "venv")):
            target = STAGE / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    shutil.move(str(STAGE / "policypack" / "braze_rules"), str(STAGE / "braze_rules"))
    also_copy = sorted({name.split("/", 1)[0] for name in files} - {"braze_rules", "tests", "build"})
    config = (
        "\n[tool.mutmut]\n"
        f"source_paths = {json.dumps(SOURCES)}\n"
        f"also_copy = {json.dumps(also_copy)}\n"
        f"pytest_add_cli_args_test_selection = {json.dumps(tests or TESTS)}\n"
        f"pytest_add_cli_args = {json.dumps([*(FAST_ARGS if fast else []), *[f'--deselect={d}' for d in DESELECT]])}\n"
        # Each mutant's tests run in a child forked from a server that has imported the tests and
        # run nothing. With mutmut's default (fork from the process that ran the whole suite to
        # collect its stats), what the suite left there (gRPC channels and threads, the SDK's
        # settings, caches) made children fail on unmutated code: mutants counted as killed.
        'process_isolation = "forkserver"\n'
    )
    # PYTHONPATH names mutants/ before mutmut creates it; a directory missing when the
    # interpreter starts is cached as such by the import system, and `tests` never imports.
    (STAGE / "mutants").mkdir()
    with (STAGE / "pyproject.toml").open("a", encoding="utf-8") as pyproject:
        pyproject.write(config)
    # The pack subprocess runs with the pack directory as its working directory (as under the
    # engine), and mutmut's trampoline reads its config from the working directory.
    (STAGE / "policypack" / "setup.cfg").write_text(
        "[mutmut]\nsource_paths =\n    " + "\n    ".join(SOURCES) + "\n", encoding="utf-8"
    )


def run(only: list[str], max_children: int | None) -> int:
    env = dict(os.environ, PYTHONPATH=str(STAGE / "mutants"))
    command = [str(Path(sys.executable).with_name("mutmut")), "run", *only]
    if max_children:
        command[2:2] = ["--max-children", str(max_children)]
    with (STAGE / "mutmut.log").open("w", encoding="utf-8") as log:
        return subprocess.run(command, cwd=STAGE, env=env, stdout=log, stderr=subprocess.STDOUT, check=False).returncode  # noqa: S603 - our own tool


def statuses() -> dict[str, dict[str, str]]:
    """Per mutated file: mutant name -> mutmut's status word."""
    # Imported here: importing mutmut reads its config from the working directory (the stage).
    from mutmut.stats import status_by_exit_code  # noqa: PLC0415

    found: dict[str, dict[str, str]] = {}
    for meta in sorted((STAGE / "mutants").rglob("*.py.meta")):
        data = json.loads(meta.read_text(encoding="utf-8"))
        module = str(meta.relative_to(STAGE / "mutants"))[: -len(".meta")]
        found[module] = {k: status_by_exit_code.get(v, str(v)) for k, v in data.get("exit_code_by_key", {}).items()}
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make mutation", description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--only", nargs="*", default=[], help="mutant name globs, e.g. 'braze_rules.rules.tls_only*'")
    parser.add_argument(
        "--group",
        choices=sorted(GROUPS),
        help="one group's mutants against that group's tests only (the nightly workflow's shards)",
    )
    parser.add_argument("--max-children", type=int, help="parallel workers (default: mutmut's, the CPU count)")
    parser.add_argument("--report-only", action="store_true", help="rewrite the report from the last run")
    parser.add_argument(
        "--fast",
        action="store_true",
        help="in-process tests only (-m 'not slow'): no pack subprocess, no emulator (verify's decisions are tested on fakes)",
    )
    parser.add_argument(
        "--fail-under-committed",
        action="store_true",
        help="exit 1 when a module this run checked scores below the figure committed in docs/mutation.md",
    )
    parser.add_argument("--summary", metavar="FILE", help="append a markdown summary (scores, new survivors) to FILE")
    parser.add_argument(
        "--stage",
        metavar="DIR",
        help="the staging directory (default build/mutation): two runs at once need one each",
    )
    args = parser.parse_args(argv)
    global STAGE  # noqa: PLW0603 - the one setting every step of a run reads
    if args.stage:
        STAGE = (PROJECT_ROOT / args.stage).resolve()
    if not args.report_only:
        holder = _claim_stage()
        if holder:
            print(
                f"mutation: {STAGE} is in use by another run (pid {holder}): wait, or pass --stage DIR", file=sys.stderr
            )
            return 3
        try:
            return _main(args)
        finally:
            _lock_file().unlink(missing_ok=True)
    return _main(args)


def _lock_file() -> Path:
    return STAGE.with_name(STAGE.name + ".pid")


def _claim_stage() -> int | None:
    """The pid of a live run that holds the stage, else None after claiming it for this one (a second
    run would delete the first one's stage under it, and both would report nonsense)."""
    lock = _lock_file()
    try:
        holder = int(lock.read_text(encoding="utf-8"))
        os.kill(holder, 0)
    except (OSError, ValueError):
        lock.parent.mkdir(parents=True, exist_ok=True)
        lock.write_text(str(os.getpid()), encoding="utf-8")
        return None
    return holder if holder != os.getpid() else None


def _main(args: argparse.Namespace) -> int:
    committed = read_committed(REPORT.read_text(encoding="utf-8")) if REPORT.is_file() else Committed()
    only, tests = list(args.only), None
    if args.group:
        globs, tests = GROUPS[args.group]
        only = only or globs
    if not args.report_only:
        kept = previous_results()
        stage(fast=args.fast, tests=tests)
        started = time.monotonic()
        code = run(only, args.max_children)
        print(f"mutation: mutmut ran {time.monotonic() - started:.0f} s", file=sys.stderr)
        if code != 0:
            print(f"mutmut exited {code}", file=sys.stderr)
        carry_over(kept)
    equivalents_file = PROJECT_ROOT / "docs" / "mutation-equivalents.json"
    equivalent = json.loads(equivalents_file.read_text(encoding="utf-8")) if equivalents_file.exists() else {}
    found = statuses()
    if not found:
        print(f"mutation: no results in {STAGE}: {REPORT.name} left as it is", file=sys.stderr)
        return 2
    os.chdir(STAGE)  # mutmut's diff reads its config and the mutants from here
    # The rows this run did not check are taken from the report as it is now, not as it was when the
    # run started: another run (another group) may have written its rows meanwhile.
    current = read_committed(REPORT.read_text(encoding="utf-8")) if REPORT.is_file() else committed
    text, scored = report(found, equivalent, current)
    REPORT.write_text(text, encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("| "):
            print(line)
    dropped, new = compare(scored, committed)
    if args.summary:
        with Path(args.summary).open("a", encoding="utf-8") as handle:
            handle.write(summary(scored, committed, dropped, new))
    for line in dropped:
        print(f"mutation: below the committed score: {line}", file=sys.stderr)
    return 1 if args.fail_under_committed and dropped else 0


if __name__ == "__main__":
    sys.exit(main())
