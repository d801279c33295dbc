"""make test-latest's report: what moved from the lock, which tests failed, which package broke them."""

from __future__ import annotations

from braze_s3_tools.devtools.latest import Move, Outcome, failed_tests, moved, render


def test_moved_lists_every_package_not_at_its_locked_version() -> None:
    locked = {"moto": "5.2.5", "boto3": "1.44.18", "pytest": "9.0.0"}
    installed = {"moto": "5.2.7", "boto3": "1.44.18", "pytest": "9.0.0", "newdep": "1.0"}
    assert moved(locked, installed) == [Move("moto", "5.2.5", "5.2.7"), Move("newdep", None, "1.0")]


def test_failed_tests_are_read_from_pytest_short_summary() -> None:
    output = (
        "..F.E\n=== short test summary info ===\n"
        "FAILED tests/test_a.py::test_list[list_objects_v2] - AssertionError: moto 5.2.6 is wrong\n"
        "ERROR tests/test_b.py::TestX::test_y - RuntimeError\n"
        "1 failed, 3 passed, 1 error in 2.0s\n"
    )
    assert failed_tests(output) == ["tests/test_a.py::test_list[list_objects_v2]", "tests/test_b.py::TestX::test_y"]


def test_the_summary_names_the_package_and_version_that_broke_the_tests() -> None:
    outcome = Outcome(
        [Move("moto", "5.2.5", "5.2.6"), Move("boto3", "1.44.18", "1.44.20")],
        failed=["tests/test_emulator_canaries.py::test_listing"],
        culprits={"moto": ["tests/test_emulator_canaries.py::test_listing"]},
    )
    text = render(outcome)
    assert "**failed**" in text
    assert "**`moto` 5.2.6** (lock: 5.2.5) fails 1 of them" in text
    assert "`boto3` 1.44.18 → 1.44.20" in text
    assert "boto3` 1.44.20**" not in text


def test_the_summary_says_when_no_single_package_is_to_blame() -> None:
    text = render(Outcome([Move("a", "1", "2")], failed=["tests/t.py::x"]))
    assert "no single moved package" in text


def test_a_green_run_says_so_and_lists_what_moved() -> None:
    text = render(Outcome([Move("moto", "5.2.5", "5.2.7")]))
    assert "**passed**" in text and "`moto` 5.2.5 → 5.2.7" in text
    assert "Broken by" not in text


def test_an_install_failure_is_reported_as_such() -> None:
    text = render(Outcome([], install_error="ERROR: No matching distribution found for moto<6,>=5.2.4"))
    assert "Could not install" in text and "No matching distribution" in text
