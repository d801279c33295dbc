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
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tokenize
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

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
KILLED = {"killed", "timeout", "caught by type check"}
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


def diff_of(path: str, mutant: str) -> str:
    """The mutant's changed lines, from mutmut's own diff (in process: one `mutmut show` each is slow)."""
    from mutmut.mutation.diff_apply import get_diff_for_mutant  # noqa: PLC0415 - reads the stage's config

    diff = get_diff_for_mutant(mutant, path=path)
    return "\n".join(
        line for line in diff.splitlines() if line.startswith(("-", "+")) and not line.startswith(("---", "+++"))
    )


def _tokens(line: str) -> list[tuple[int, str]]:
    try:
        return [(t.type, t.string) for t in tokenize.generate_tokens(io.StringIO(line.strip() + "\n").readline)]
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return []


def message_only(diff: str) -> bool:
    """A mutant that changes only prose inside a string (a message's words, not a decision's value).

    Strings that decide (action names, partitions, "Deny") have no spaces; the words users read do.
    """
    removed = [line[1:] for line in diff.splitlines() if line.startswith("-")]
    added = [line[1:] for line in diff.splitlines() if line.startswith("+")]
    if len(removed) != 1 or len(added) != 1:
        return False
    before, after = _tokens(removed[0]), _tokens(added[0])
    if not before or len(before) != len(after):
        return False
    changed = [(b, a) for b, a in zip(before, after, strict=True) if b != a]
    return bool(changed) and all(b[0] == a[0] == tokenize.STRING and " " in b[1] for b, a in changed)


@dataclass
class Committed:
    """What the committed report says: each module's table row and score, and its open survivors."""

    rows: dict[str, str] = field(default_factory=dict)
    scores: dict[str, int] = field(default_factory=dict)  # percent, modules with a score only
    survivors: dict[str, list[str]] = field(default_factory=dict)  # module -> its section's lines
    diffs: dict[str, set[str]] = field(default_factory=dict)  # module -> its survivors' diffs


def read_committed(text: str) -> Committed:
    committed = Committed()
    module: str | None = None
    current: list[str] = []
    for line in text.splitlines():
        row = re.fullmatch(r"\| `([^`]+)` \|(.*)\|", line)
        if row:
            committed.rows[row.group(1)] = line
            score = row.group(2).rsplit("|", 1)[-1].strip()
            if score.endswith("%"):
                committed.scores[row.group(1)] = int(score[:-1])
            continue
        heading = re.fullmatch(r"### `([^`]+)`", line)
        if heading:
            module = heading.group(1)
            committed.survivors[module] = [line]
            committed.diffs[module] = set()
            current = []
        elif module is not None and line.startswith("- `"):
            committed.survivors[module].append(line)
            current = []
        elif module is not None and line.strip() == "```diff":
            committed.survivors[module].append(line)
        elif module is not None and line.startswith("  ") and not line.strip().startswith("```"):
            committed.survivors[module].append(line)
            current.append(line.strip())
        elif module is not None and line.strip() == "```":
            committed.survivors[module].append(line)
            if current:
                committed.diffs[module].add("\n".join(current))
                current = []
        elif module is not None and not line.strip():
            continue
        elif module is not None:
            module = None
    return committed


@dataclass
class Scored:
    """One run's outcome per module it checked (a module it did not check keeps its committed row)."""

    scores: dict[str, float] = field(default_factory=dict)
    survivors: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # module -> (mutant, diff)


def _cells(row: str) -> list[str]:
    return [c.strip() for c in row.strip("|").split("|")]


def _sections(open_survivors: list[tuple[str, str, str]], kept_sections: list[str]) -> dict[str, list[str]]:
    """Each module's survivors section: this run's, else the committed one of a module it did not check."""
    by_module: dict[str, list[str]] = defaultdict(list)
    for module, name, diff in open_survivors:
        by_module[module] += [f"- `{name}`", "  ```diff", *[f"  {d}" for d in diff.splitlines()], "  ```"]
    sections = {module: [f"### `{module}`", *items] for module, items in by_module.items()}
    kept: dict[str, list[str]] = {}
    current = ""
    for line in kept_sections:
        if line.startswith("### `"):
            current = line[len("### `") : -1]
            kept[current] = []
        kept[current].append(line)
    sections.update({m: k for m, k in kept.items() if m not in sections})
    return sections


def report(
    found: dict[str, dict[str, str]], equivalent: dict[str, str], committed: Committed | None = None
) -> tuple[str, Scored]:
    committed = committed or Committed()
    scored = Scored()
    lines = [
        "# Mutation score",
        "",
        "<!-- Written by `make mutation` (braze_s3_tools/devtools/mutation.py); mutmut over the modules that decide. -->",
        "",
        "Each mutant is one small change (an operator, a constant, a condition, a string); it is *killed* when a",
        "test fails. *Not run*: mutants no run has checked yet (a partial run, `--only` or `--group`, keeps the last",
        "result of every module whose source has not changed since, from a fast or a full run, and otherwise the row",
        "committed here). *Message-only*: survivors that change",
        "only the words of a message (a string with spaces), not a decision: listed by count, not in the decision",
        "score. *Equivalent*: survivors that cannot change behaviour, each with its reason",
        "(`docs/mutation-equivalents.json`). Decision score = killed / (run − message-only − equivalent).",
        "",
        "| module | mutants | not run | killed | survived | of which message-only | no tests | equivalent | decision score |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    open_survivors: list[tuple[str, str, str]] = []
    kept_sections: list[str] = []
    total: Counter[str] = Counter()
    for module, all_keys in found.items():
        # Mutants this run did not check (a partial run with --only) are left out of the score.
        by_key = {k: s for k, s in all_keys.items() if s != "not checked"}
        unchecked = len(all_keys) - len(by_key)
        if not by_key and module in committed.rows and _cells(committed.rows[module])[-1] != "–":
            # Not checked by this run (another group, or its source changed under another engineer's
            # hands since the last local run): the committed figures stand until a run checks it.
            cells = _cells(committed.rows[module])
            lines.append(committed.rows[module])
            numbers = [int(c) if c.isdigit() else 0 for c in cells[1:8]]
            for key, value in zip(
                ("all", "not run", "killed", "survived", "message", "no tests", "equivalent"), numbers, strict=True
            ):
                total[key] += value
            total["run"] += numbers[0] - numbers[1]
            kept_sections += committed.survivors.get(module, [])
            continue
        total["not run"] += unchecked
        total["all"] += len(all_keys)
        if not by_key:
            lines.append(f"| `{module}` | {len(all_keys)} | {unchecked} | – | – | – | – | – | – |")
            continue
        counts = Counter("killed" if s in KILLED else s for s in by_key.values())
        survivors = [k for k, s in by_key.items() if s not in KILLED]
        accepted = [k for k in survivors if k in equivalent]
        messages = 0
        for name in survivors:
            if name in equivalent or by_key[name] == "no tests":
                continue  # a mutant no test of this run reaches is counted ("no tests"), not listed
            diff = diff_of(module, name)
            if message_only(diff):
                messages += 1
            else:
                open_survivors.append((module, name, diff))
                scored.survivors.setdefault(module, []).append((name, diff))
        denominator = len(by_key) - messages - len(accepted)
        score = counts["killed"] / denominator if denominator else 1.0
        scored.scores[module] = score
        for key, value in (("killed", counts["killed"]), ("survived", counts["survived"]), ("no tests", counts["no tests"]),
                           ("message", messages), ("equivalent", len(accepted)), ("run", len(by_key))):  # fmt: skip
            total[key] += value
        lines.append(
            f"| `{module}` | {len(all_keys)} | {unchecked} | {counts['killed']} | {counts['survived']} | {messages} | "
            f"{counts['no tests']} | {len(accepted)} | {score:.0%} |"
        )
    denominator = total["run"] - total["message"] - total["equivalent"]
    lines.append(
        f"| **all** | {total['all']} | {total['not run']} | {total['killed']} | {total['survived']} | "
        f"{total['message']} | {total['no tests']} | {total['equivalent']} | "
        f"{total['killed'] / denominator if denominator else 1:.0%} |"
    )
    lines += ["", "## Accepted equivalents", ""]
    lines += [f"- `{k}`: {why}" for k, why in sorted(equivalent.items())] or ["(none)"]
    sections = _sections(open_survivors, kept_sections)
    count = sum(1 for section in sections.values() for line in section if line.startswith("- `"))
    lines += ["", f"## Open survivors that change a decision ({count})", ""]
    for module in sorted(sections):
        lines += sections[module]
    return "\n".join(lines) + "\n", scored


def compare(scored: Scored, committed: Committed) -> tuple[list[str], list[tuple[str, str, str]]]:
    """Modules whose score fell below the committed figure, and survivors the committed report does not list."""
    dropped = [
        f"{module}: {round(score * 100)}% < committed {committed.scores[module]}%"
        for module, score in sorted(scored.scores.items())
        if module in committed.scores and round(score * 100) < committed.scores[module]
    ]
    new = [
        (module, name, diff)
        for module, items in sorted(scored.survivors.items())
        for name, diff in sorted(items)
        if "\n".join(line.strip() for line in diff.splitlines()) not in committed.diffs.get(module, set())
    ]
    return dropped, new


def summary(scored: Scored, committed: Committed, dropped: list[str], new: list[tuple[str, str, str]]) -> str:
    """The job summary: each checked module's score against the committed one, then the new survivors."""
    lines = ["## Mutation score", "", "| module | score | committed |", "|---|---|---|"]
    for module, score in sorted(scored.scores.items()):
        before = committed.scores.get(module)
        mark = " ✗" if before is not None and round(score * 100) < before else ""
        lines.append(f"| `{module}` | {score:.0%}{mark} | {'–' if before is None else f'{before}%'} |")
    lines += [
        "",
        f"**Below the committed score:** {', '.join(dropped)}" if dropped else "No module below its committed score.",
    ]
    lines += ["", f"### New survivors ({len(new)})", ""]
    for module, name, diff in new:
        lines += [f"- `{module}` `{name}`", "  ```diff", *[f"  {d}" for d in diff.splitlines()], "  ```"]
    return "\n".join(lines) + "\n"


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
