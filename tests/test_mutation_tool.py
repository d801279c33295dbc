"""`make mutation`'s bookkeeping: what counts as message-only, and what a partial run keeps."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from braze_s3_tools.devtools import mutation


def test_a_message_only_mutant_changes_prose_and_nothing_that_decides() -> None:
    assert mutation.message_only('-    note("the bucket is public")\n+    note("XXthe bucket is publicXX")')
    assert not mutation.message_only('-    if effect == "Deny":\n+    if effect == "XXDenyXX":'), "no space: a value"
    assert not mutation.message_only("-    if a and b:\n+    if a or b:")


@pytest.fixture
def stage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    project, staged = tmp_path / "project", tmp_path / "project" / "build" / "mutation"
    monkeypatch.setattr(mutation, "PROJECT_ROOT", project)
    monkeypatch.setattr(mutation, "STAGE", staged)
    for name in ("policypack/braze_rules/kms.py", "components/config.py"):
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text("x = 1\n")
    for module in ("braze_rules/kms.py", "components/config.py"):
        (staged / module).parent.mkdir(parents=True, exist_ok=True)
        (staged / module).write_text("x = 1\n")
        meta = staged / "mutants" / f"{module}.meta"
        meta.parent.mkdir(parents=True, exist_ok=True)
        meta.write_text(json.dumps({"exit_code_by_key": {f"{module}__mutmut_1": 1, f"{module}__mutmut_2": 0}}))
    return project


def test_a_partial_run_keeps_the_last_results_of_unchanged_modules_only(stage: Path) -> None:
    (stage / "components" / "config.py").write_text("x = 2\n")  # changed since the last run
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
    assert set(mutation.previous_results()) == {"components/config.py"}


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
