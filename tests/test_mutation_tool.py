"""`make mutation`'s bookkeeping: what counts as message-only, and what a partial run keeps."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from braze_s3_tools.devtools import mutation, mutation_report
from braze_s3_tools.engine.stack_files import PROJECT_ROOT


def test_a_message_only_mutant_changes_prose_and_nothing_that_decides() -> None:
    assert mutation_report.message_only('-    note("the bucket is public")\n+    note("XXthe bucket is publicXX")')
    assert not mutation_report.message_only('-    if effect == "Deny":\n+    if effect == "XXDenyXX":'), (
        "no space: a value"
    )
    assert not mutation_report.message_only("-    if a and b:\n+    if a or b:")


@pytest.fixture
def stage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    project, staged = tmp_path / "project", tmp_path / "project" / "build" / "mutation"
    monkeypatch.setattr(mutation, "PROJECT_ROOT", project)
    monkeypatch.setattr(mutation, "STAGE", staged)
    for name in ("policypack/braze_rules/kms.py", "components/config/stack.py"):
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text("x = 1\n")
    for module in ("braze_rules/kms.py", "components/config/stack.py"):
        (staged / module).parent.mkdir(parents=True, exist_ok=True)
        (staged / module).write_text("x = 1\n")
        meta = staged / "mutants" / f"{module}.meta"
        meta.parent.mkdir(parents=True, exist_ok=True)
        meta.write_text(json.dumps({"exit_code_by_key": {f"{module}__mutmut_1": 1, f"{module}__mutmut_2": 0}}))
    return project


def test_a_partial_run_keeps_the_last_results_of_unchanged_modules_only(stage: Path) -> None:
    (stage / "components" / "config" / "stack.py").write_text("x = 2\n")  # changed since the last run
    kept = mutation.previous_results()
    assert set(kept) == {"braze_rules/kms.py"}
    # The new run checked one mutant of kms.py and none of the rest.
    new = mutation.STAGE / "mutants" / "braze_rules" / "kms.py.meta"
    new.write_text(
        json.dumps({"exit_code_by_key": {"braze_rules/kms.py__mutmut_1": 0, "braze_rules/kms.py__mutmut_2": None}})
    )
    mutation.carry_over(kept)
    codes = json.loads(new.read_text())["exit_code_by_key"]
    assert codes == {"braze_rules/kms.py__mutmut_1": 0, "braze_rules/kms.py__mutmut_2": 0}, "this run's result wins"


def test_an_interrupted_runs_half_written_results_are_dropped_not_a_crash(stage: Path) -> None:
    (mutation.STAGE / "mutants" / "braze_rules" / "kms.py.meta").write_text("")
    assert set(mutation.previous_results()) == {"components/config/stack.py"}


def test_the_staged_run_forks_each_mutant_from_a_process_that_ran_no_tests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With mutmut's default isolation, children fork from the process that ran the whole suite for
    its stats, and what the suite left there failed unmutated code: 605 of 607 mutants of
    model_builder.py "killed", 482 with a fork server (each one checked by hand in a fresh process)."""
    monkeypatch.setattr(mutation, "STAGE", tmp_path / "stage")
    mutation.stage(fast=True)
    read = "from mutmut.configuration import config; c = config(); print(c.process_isolation.value, c.source_paths[0])"
    found = subprocess.run(
        [sys.executable, "-c", read], cwd=tmp_path / "stage", capture_output=True, text=True, check=True
    ).stdout.split()
    assert found == ["forkserver", "braze_rules"]


COMMITTED = """# Mutation score

| module | mutants | not run | killed | survived | of which message-only | no tests | equivalent | decision score |
|---|---|---|---|---|---|---|---|---|
| `braze_rules/kms.py` | 10 | 0 | 9 | 1 | 0 | 0 | 0 | 90% |
| `braze_s3_tools/verify/roles.py` | 20 | 0 | 19 | 1 | 0 | 0 | 0 | 95% |
| `braze_s3_tools/verify/new.py` | 3 | 3 | – | – | – | – | – | – |
| **all** | 33 | 3 | 28 | 2 | 0 | 0 | 0 | 93% |

## Accepted equivalents

(none)

## Open survivors that change a decision (2)

### `braze_rules/kms.py`
- `braze_rules.kms.x_can_use__mutmut_1`
  ```diff
  -    return a and b
  +    return a or b
  ```
### `braze_s3_tools/verify/roles.py`
- `braze_s3_tools.verify.roles.x_f__mutmut_4`
  ```diff
  -    if x == 1:
  +    if x == 2:
  ```
"""


def test_the_committed_report_is_read_row_by_row_with_its_survivors() -> None:
    committed = mutation_report.read_committed(COMMITTED)
    assert committed.scores == {"braze_rules/kms.py": 90, "braze_s3_tools/verify/roles.py": 95}
    assert set(committed.rows) == {
        "braze_rules/kms.py",
        "braze_s3_tools/verify/roles.py",
        "braze_s3_tools/verify/new.py",
    }
    assert committed.diffs["braze_s3_tools/verify/roles.py"] == {"-    if x == 1:\n+    if x == 2:"}


def _run_of_roles(
    monkeypatch: pytest.MonkeyPatch, survivors: dict[str, str], killed: int
) -> tuple[str, mutation_report.Scored]:
    """A run that checked roles.py only: ``killed`` mutants killed and ``survivors`` (name -> diff) alive."""
    monkeypatch.setattr(mutation_report, "diff_of", lambda module, name: survivors[name])
    found = {
        "braze_rules/kms.py": {f"k{i}": "not checked" for i in range(10)},
        "braze_s3_tools/verify/roles.py": {
            **{f"r{i}": "killed" for i in range(killed)},
            **dict.fromkeys(survivors, "survived"),
        },
    }
    return mutation_report.report(found, {}, mutation_report.read_committed(COMMITTED))


def test_a_group_run_keeps_the_committed_rows_of_the_modules_it_did_not_check(monkeypatch: pytest.MonkeyPatch) -> None:
    text, scored = _run_of_roles(monkeypatch, {"s1": "-    if x == 1:\n+    if x == 2:"}, killed=19)
    assert "| `braze_rules/kms.py` | 10 | 0 | 9 | 1 | 0 | 0 | 0 | 90% |" in text, "kept as committed"
    assert "- `braze_rules.kms.x_can_use__mutmut_1`" in text, "with its survivors"
    assert "| `braze_s3_tools/verify/roles.py` | 20 | 0 | 19 | 1 | 0 | 0 | 0 | 95% |" in text
    assert "| **all** | 30 | 0 | 28 | 2 | 0 | 0 | 0 | 93% |" in text
    assert "## Open survivors that change a decision (2)" in text
    assert scored.scores == {"braze_s3_tools/verify/roles.py": 0.95}


def test_a_score_below_the_committed_one_fails_and_new_survivors_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    same = {"s1": "-    if x == 1:\n+    if x == 2:"}
    _, scored = _run_of_roles(monkeypatch, same, killed=19)
    assert mutation_report.compare(scored, mutation_report.read_committed(COMMITTED)) == ([], [])
    worse = {**same, "s2": "-    return y\n+    return None"}
    _, scored = _run_of_roles(monkeypatch, worse, killed=18)
    dropped, new = mutation_report.compare(scored, mutation_report.read_committed(COMMITTED))
    assert dropped == ["braze_s3_tools/verify/roles.py: 90% < committed 95%"]
    assert new == [("braze_s3_tools/verify/roles.py", "s2", "-    return y\n+    return None")]
    text = mutation_report.summary(scored, mutation_report.read_committed(COMMITTED), dropped, new)
    assert "| `braze_s3_tools/verify/roles.py` | 90% ✗ | 95% |" in text
    assert "### New survivors (1)" in text and "`s2`" in text


def test_fail_under_committed_sets_the_exit_status(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stage: Path
) -> None:
    report = tmp_path / "mutation.md"
    report.write_text(COMMITTED)
    monkeypatch.setattr(mutation, "REPORT", report)
    monkeypatch.setattr(mutation, "PROJECT_ROOT", tmp_path)
    monkeypatch.chdir(tmp_path)
    survivors = {"s1": "-    if x == 1:\n+    if x == 2:", "s2": "-    return y\n+    return None"}
    monkeypatch.setattr(mutation_report, "diff_of", lambda module, name: survivors[name])
    found = {
        "braze_s3_tools/verify/roles.py": {
            **{f"r{i}": "killed" for i in range(18)},
            **dict.fromkeys(survivors, "survived"),
        }
    }
    monkeypatch.setattr(mutation, "statuses", lambda: found)
    summary_file = tmp_path / "summary.md"
    assert mutation.main(["--report-only", "--summary", str(summary_file)]) == 0, "reported, not failed, unless asked"
    report.write_text(COMMITTED)
    assert mutation.main(["--report-only", "--fail-under-committed"]) == 1
    assert "New survivors (1)" in summary_file.read_text()
    found["braze_s3_tools/verify/roles.py"]["s2"] = "killed"
    report.write_text(COMMITTED)
    assert mutation.main(["--report-only", "--fail-under-committed"]) == 0


def test_each_group_runs_its_own_tests_and_every_verify_module_is_mutated() -> None:
    assert set(mutation.GROUPS) == {"pack", "verify", "emulator", "config"}
    _, verify_tests = mutation.GROUPS["verify"]
    assert {"tests/test_verify_emulator.py", "tests/test_verify_probes.py", "tests/test_verify_roles.py"} <= set(
        verify_tests
    )
    assert "tests/pack" not in verify_tests
    for path in (PROJECT_ROOT / "braze_s3_tools" / "verify").glob("*.py"):
        if path.name not in ("__init__.py", "__main__.py"):
            assert f"braze_s3_tools/verify/{path.name}" in mutation.SOURCES, path.name
    for path in (PROJECT_ROOT / "braze_s3_tools" / "emulator").glob("*.py"):
        if path.name != "__init__.py":
            assert f"braze_s3_tools/emulator/{path.name}" in mutation.SOURCES, path.name
    tested = {t for _, tests in mutation.GROUPS.values() for t in tests}
    assert tested == set(mutation.TESTS), "every test file of the full run belongs to a group"


def test_a_second_run_on_the_same_stage_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two runs on one stage: the second deletes the first's mutants under it, and both report nonsense."""
    import os

    monkeypatch.setattr(mutation, "STAGE", tmp_path / "stage")
    monkeypatch.setattr(mutation, "stage", lambda **_: pytest.fail("the stage is another run's"))
    (tmp_path / "stage.pid").write_text(str(os.getppid()))  # a live process: the one that runs pytest
    assert mutation.main(["--stage", str(tmp_path / "stage")]) == 3
    assert (tmp_path / "stage.pid").read_text() == str(os.getppid()), "the other run's claim stands"


def test_a_run_without_results_leaves_the_report_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stage: Path
) -> None:
    report = tmp_path / "mutation.md"
    report.write_text(COMMITTED)
    monkeypatch.setattr(mutation, "REPORT", report)
    monkeypatch.setattr(mutation, "statuses", dict)
    assert mutation.main(["--report-only"]) == 2
    assert report.read_text() == COMMITTED


def test_rows_another_run_wrote_meanwhile_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stage: Path
) -> None:
    report = tmp_path / "mutation.md"
    report.write_text(COMMITTED)
    monkeypatch.setattr(mutation, "REPORT", report)
    monkeypatch.setattr(mutation_report, "diff_of", lambda module, name: "-    a\n+    b")
    newer = "| `braze_rules/kms.py` | 10 | 0 | 10 | 0 | 0 | 0 | 0 | 100% |"

    def statuses() -> dict[str, dict[str, str]]:
        # the pack's run finishes while this one reports
        report.write_text(COMMITTED.replace("| `braze_rules/kms.py` | 10 | 0 | 9 | 1 | 0 | 0 | 0 | 90% |", newer))
        return {
            "braze_rules/kms.py": {"k": "not checked"},
            "braze_s3_tools/verify/roles.py": {"r": "killed"},
        }

    monkeypatch.setattr(mutation, "statuses", statuses)
    assert mutation.main(["--report-only"]) == 0
    assert newer in report.read_text()
