"""`make verify-local`'s command line: which stack it runs, what it prints, and its exit status (the
emulator run itself is tests/test_verify_buckets_emulator.py's)."""

from __future__ import annotations

import io
from typing import Any

import pytest

from braze_s3_tools.emulator import verify_local


class Run:
    def __init__(self, error: str | None = None) -> None:
        self.error = error


def test_it_runs_the_named_stack_as_deployed_and_verifies_it(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[Any, ...]] = []
    run = Run()
    monkeypatch.setattr(
        verify_local, "run_program", lambda stack, preview: seen.append(("program", stack, preview)) or run
    )
    monkeypatch.setattr(
        verify_local, "verify_run", lambda r, stack, as_json, out: seen.append(("verify", r, stack, as_json, out)) or 7
    )
    out = io.StringIO()
    assert verify_local.main(["--stack", "prod", "--json"], out=out) == 7
    assert seen == [("program", "prod", False), ("verify", run, "prod", True, out)]
    seen.clear()
    assert verify_local.main([], out=out) == 7
    assert seen[0] == ("program", "dev", False) and seen[1][2:4] == ("dev", False)


def test_a_stack_the_program_refuses_exits_2_with_its_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(verify_local, "run_program", lambda stack, preview: Run("braze-s3:bucket.name: required"))
    monkeypatch.setattr(verify_local, "verify_run", lambda *a: pytest.fail("nothing to verify"))
    assert verify_local.main(["--stack", "dev"], out=io.StringIO()) == verify_local.EXIT_INPUT
    assert "braze-s3:bucket.name: required" in capsys.readouterr().err


def test_the_help_names_the_target(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        verify_local.main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert text.startswith("usage: make verify-local [-h] [--stack STACK] [--json]")
    assert (verify_local.__doc__ or "").splitlines()[0] in text
