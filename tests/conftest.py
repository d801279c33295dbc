"""Shared fixtures: the dev and prod stacks, run once each under the mock engine."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from braze_s3_tools.engine.stack_files import PROJECT_ROOT

# The pack imports its rules as `braze_rules`, from its own directory, as the engine runs it.
sys.path.insert(0, str(PROJECT_ROOT / "policypack"))

from braze_s3_tools.emulator.server import MotoServer, Provisioned, client, provision
from braze_s3_tools.engine.harness import ProgramRun, run_program


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


# The emulator: moto's server with the dev stack provisioned in it (and a bucket whose name starts
# with the Braze bucket's, which no Braze grant may reach). Module-scoped: each emulator test module
# gets a fresh server.
EMULATOR_REGION = "eu-west-1"
OTHER_BUCKET = "acme-braze-dev-other"


@pytest.fixture(scope="module")
def moto() -> Iterator[MotoServer]:
    server = MotoServer()
    try:
        yield server
    finally:
        server.stop()
    assert server.process.poll() is not None, f"moto_server pid {server.pid} is still running"


@pytest.fixture(scope="module")
def env(moto: MotoServer, dev_up: ProgramRun) -> Provisioned:
    provisioned = provision(dev_up, moto.url, EMULATOR_REGION)
    client("s3", moto.url, EMULATOR_REGION).create_bucket(
        Bucket=OTHER_BUCKET, CreateBucketConfiguration={"LocationConstraint": EMULATOR_REGION}
    )
    moto.enforce_iam()
    return provisioned
