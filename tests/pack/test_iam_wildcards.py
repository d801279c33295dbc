"""IAM's wildcards (`*` any run of characters, `?` one) as the pack matches them: the same answers as one regular
expression of `.*` and `.`, without its backtracking — a pattern of many `*`s that fails to match is decided in a
few passes, where the expression took hours (the engine waits on the pack: a hang blocks every stack)."""

from __future__ import annotations

import re
import signal
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from braze_rules import iam
from hypothesis import given, settings
from hypothesis import strategies as st


def _reference(pattern: str, text: str, ignore_case: bool) -> bool:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, text, (re.IGNORECASE if ignore_case else 0) | re.DOTALL) is not None


@settings(max_examples=400, deadline=None)
@given(
    pattern=st.text(alphabet="ab*?/:\n", max_size=10),
    text=st.text(alphabet="abAB/:\n", max_size=12),
    ignore_case=st.booleans(),
)
def test_the_wildcard_matcher_answers_as_the_regular_expression(pattern: str, text: str, ignore_case: bool) -> None:
    assert iam._Glob(pattern, ignore_case).match(text) is _reference(pattern, text, ignore_case)


@contextmanager
def _no_hang(seconds: int) -> Iterator[None]:
    """Fails instead of hanging the suite (a guard against a hang, not a measure of speed: make bench is)."""

    def stop(*_: object) -> None:
        raise AssertionError(f"still matching after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_pattern_of_many_wildcards_that_does_not_match_is_decided() -> None:
    with _no_hang(30):
        assert not iam.resource_matches("arn:aws:s3:::" + "*a" * 14 + "*b", "arn:aws:s3:::" + "a" * 60)
        assert iam.resource_matches("arn:aws:s3:::" + "*a" * 14 + "*", "arn:aws:s3:::" + "a" * 60)
        assert not iam.action_matches("s3:" + "*?" * 20 + "x", "s3:" + "Get" * 20)


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [
        ("ab*b*c", "abc", False),  # the middle `b` must come after the first piece, not inside it
        ("ab*b*c", "abbc", True),
        ("*ab*ab", "ab", False),
        ("a*?*a", "aa", False),
        ("a*?*a", "axa", True),
        ("s3:?utObject", "s3:PutObject", True),
    ],
)
def test_hand_picked_wildcard_cases(pattern: str, text: str, matches: bool) -> None:
    assert iam._Glob(pattern, False).match(text) is matches is _reference(pattern, text, False)


def test_an_action_pattern_with_only_question_marks_covers_the_action() -> None:
    statement = iam.Statement("Allow", ["s3:?utObject", "s3:GetObjec?"])
    assert iam.statement_covers_action(statement, "s3:PutObject") is True
    assert iam.statement_covers_action(statement, "s3:GetObject") is True
    assert iam.statement_covers_action(statement, "s3:DeleteObject") is False


def test_an_action_list_known_only_after_deployment_covers_nothing_for_certain() -> None:
    statement = iam.Statement("Deny", iam.UNKNOWN)
    assert iam.statement_covers_action(statement, "s3:PutObject") is iam.UNKNOWN
    assert iam.statement_covers_action(statement, "s3:PutObject") is iam.UNKNOWN  # asked again: the memo keeps it
