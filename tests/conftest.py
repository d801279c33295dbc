"""Shared fixtures: the dev and prod stacks, run once each under the mock engine."""

from __future__ import annotations

import pytest

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
