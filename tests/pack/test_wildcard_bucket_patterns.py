"""A bucket-name pattern with a leading wildcard (issue 24, class 10): `*braze*` is described as what it
matches, not as "every bucket whose name starts with \"\"", and a principal granted on it has permissions
(on every bucket the pattern matches): no "no permission on any bucket"."""

from __future__ import annotations

from typing import Any

import pytest
from braze_rules.rules import bucket_wildcards, required_permissions
from braze_rules.rules.bucket_wildcards import describe

from tests.pack.builders import Stack, bucket_stack, doc, names, role_with_policy, run


def _stack(pattern: str, as_json: bool = True, as_list: bool = True) -> Stack:
    def resource(value: str) -> Any:
        return [value] if as_list else value

    document = doc(
        {
            "Effect": "Allow",
            "Action": ["s3:ListBucket", "s3:GetBucketLocation"],
            "Resource": resource(f"arn:aws:s3:::{pattern}"),
        },
        {
            "Effect": "Allow",
            "Action": ["s3:PutObject", "s3:GetObject"],
            "Resource": resource(f"arn:aws:s3:::{pattern}/currents/*"),
        },
        as_json=as_json,
    )
    stack = bucket_stack()
    return role_with_policy(stack, "c", document, role_props={"tags": {"braze:integration": "currents"}})


@pytest.mark.parametrize("as_json", [True, False], ids=["json", "object"])
@pytest.mark.parametrize("as_list", [True, False], ids=["resource-list", "resource-string"])
@pytest.mark.parametrize(
    "pattern", ["*braze*", "*-braze", "acme-?raze", "*"], ids=["contains", "ends", "question", "star"]
)
def test_a_leading_wildcard_is_no_missing_permission(pattern: str, as_json: bool, as_list: bool) -> None:
    stack = _stack(pattern, as_json, as_list)
    assert run(required_permissions.RULE, stack).violations == []


def test_a_leading_wildcard_is_described_as_what_it_matches() -> None:
    result = run(bucket_wildcards.RULE, _stack("*braze*"))
    assert names(result) == ["c-policy", "c-policy"]
    assert all('contains "braze"' in v.message and 'starts with ""' not in v.message for v in result.violations)


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        ("acme-braze*", 'starts with "acme-braze"'),
        ("*braze", 'ends with "braze"'),
        ("*braze*", 'contains "braze"'),
        ("**braze**", 'contains "braze"'),
        ("acme-?raze", 'matches "acme-?raze"'),
        ("ac*me*", 'matches "ac*me*"'),
        ("*?*", "every bucket of the account"),
        ("???", "every bucket with a 3-character name"),
    ],
)
def test_each_pattern_in_words(pattern: str, words: str) -> None:
    assert words in describe(pattern)
