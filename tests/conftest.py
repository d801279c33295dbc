"""Shared fixtures: the dev and prod stacks, run once each under the mock engine."""

from __future__ import annotations

import sys

import pytest

from braze_s3_tools.stack_files import PROJECT_ROOT

# The pack imports its rules as `braze_rules`, from its own directory, as the engine runs it.
sys.path.insert(0, str(PROJECT_ROOT / "policypack"))

from braze_s3_tools.harness import ProgramRun, run_program


@pytest.fixture(scope="session")
def dev_preview() -> ProgramRun:
    run = run_program("dev", preview=True)
    assert run.error is None, run.error
    return run


@pytest.fixture(scope="session")
def dev_up() -> ProgramRun:
    run = run_program("dev", preview=False)
    assert run.error is None, run.error
    return run


@pytest.fixture(scope="session")
def prod_preview() -> ProgramRun:
    run = run_program("prod", preview=True)
    assert run.error is None, run.error
    return run
