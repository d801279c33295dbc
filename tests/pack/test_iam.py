"""IAM documents in every shape, and IAM's matching rules, as the pack reads them."""

from __future__ import annotations

import json

import pytest
from braze_rules import iam
from braze_rules.resources import UNKNOWN
from hypothesis import given, settings
from hypothesis import strategies as st


@pytest.mark.parametrize(
    "raw",
    [
        json.dumps({"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}),
        {"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::b/*"]}]},
    ],
    ids=["json-string-single-statement", "object-lists"],
)
def test_document_shapes_read_the_same(raw: object) -> None:
    doc = iam.parse_document(raw)
    assert isinstance(doc, iam.Document)
    assert iam.allows(doc.statements, "s3:GetObject", "arn:aws:s3:::b/x") is True
    assert iam.allows(doc.statements, "s3:PutObject", "arn:aws:s3:::b/x") is False


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("{oops", "not valid JSON"),
        ("[]", "not a JSON object"),
        ({"Statement": 3}, "no Statement"),
        ({"Statement": [{"Effect": "Maybe"}]}, "Effect"),
        ({"Statement": [{"Effect": "Allow", "Action": 5}]}, "Action"),
    ],
)
def test_malformed_documents_are_reported_not_raised_elsewhere(raw: object, why: str) -> None:
    with pytest.raises(iam.MalformedDocumentError, match=why):
        iam.parse_document(raw)


def test_not_action_and_not_resource() -> None:
    doc = iam.parse_document(
        {"Statement": [{"Effect": "Allow", "NotAction": "iam:*", "NotResource": "arn:aws:s3:::secret/*"}]}
    )
    assert isinstance(doc, iam.Document)
    assert iam.allows(doc.statements, "s3:PutObject", "arn:aws:s3:::b/x") is True
    assert iam.allows(doc.statements, "s3:PutObject", "arn:aws:s3:::secret/x") is False
    assert iam.allows(doc.statements, "iam:PassRole", "arn:aws:s3:::b/x") is False


def test_wildcards_follow_iam_actions_case_insensitive_resources_case_sensitive() -> None:
    assert iam.action_matches("S3:put*", "s3:PutObject")
    assert iam.resource_matches("arn:aws:s3:::bucket*", "arn:aws:s3:::bucket-prod/x")
    assert not iam.resource_matches("arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/x")
    assert iam.resource_matches("arn:aws:s3:::b/?x", "arn:aws:s3:::b/ax")


def test_unknown_parts_give_unknown_not_false() -> None:
    doc = iam.parse_document({"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": UNKNOWN}]})
    assert isinstance(doc, iam.Document) and doc.unknown_parts
    assert iam.allows(doc.statements, "s3:GetObject", "arn:aws:s3:::b/x") is UNKNOWN
    assert iam.parse_document(UNKNOWN) is UNKNOWN


@pytest.mark.parametrize(
    ("principal", "accounts", "others"),
    [
        ("*", [], ["*"]),
        ({"AWS": "*"}, [], ["*"]),
        ({"AWS": "716373062512"}, ["716373062512"], []),
        (
            {"AWS": ["arn:aws:iam::716373062512:root", "arn:aws:iam::111111111111:role/x"]},
            ["716373062512", "111111111111"],
            [],
        ),
        ({"Service": "s3.amazonaws.com"}, [], ["Service:s3.amazonaws.com"]),
        ({"AWS": 5}, [], ["<malformed>"]),
        (["x"], [], ["<malformed>"]),
    ],
)
def test_principals_in_every_shape(principal: object, accounts: list[str], others: list[str]) -> None:
    assert iam.principal_accounts(principal) == (accounts, others)


@settings(max_examples=300, deadline=None)
@given(
    pattern=st.text(alphabet="aAbB:/*?-", max_size=8),
    value=st.text(alphabet="aAbB:/-", max_size=8),
)
def test_the_literal_and_prefix_shortcuts_match_exactly_as_iams_wildcards(pattern: str, value: str) -> None:
    """`action_matches`/`resource_matches` skip the regular expression for literal and `prefix*`
    patterns: the answer must be the wildcard semantics' own, case rules included."""
    from braze_rules.iam import _glob, action_matches, resource_matches

    assert action_matches(pattern, value) is bool(_glob(pattern, True).match(value))
    assert resource_matches(pattern, value) is bool(_glob(pattern, False).match(value))
