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
        ({"Statement": [{"Effect": "Allow", "Action": 5}]}, "^Action must be"),
        ({"Statement": [{"Effect": "Allow", "NotAction": [5]}]}, "^NotAction must be"),
        ({"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": 5}]}, "^Resource must be"),
        ({"Statement": [{"Effect": "Allow", "Action": "s3:*", "NotResource": 5}]}, "^NotResource must be"),
        ({"Statement": [{"Effect": "Allow", "Condition": "yes"}]}, "has a Condition that is not an object"),
        ({"Statement": ["Allow"]}, "has a Statement that is not an object"),
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
    assert iam.action_matches("S3:Put*Obj?ct", "s3:putobject"), "a wildcard inside: the regular expression, no case"
    assert iam.resource_matches("arn:aws:s3:::bucket*", "arn:aws:s3:::bucket-prod/x")
    assert not iam.resource_matches("arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/x")
    assert not iam.resource_matches("arn:aws:s3:::Bucket/*/x", "arn:aws:s3:::bucket/a/x"), "the regular expression too"
    assert iam.resource_matches("arn:aws:s3:::b/?x", "arn:aws:s3:::b/ax")


def test_unknown_parts_give_unknown_not_false() -> None:
    doc = iam.parse_document({"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": UNKNOWN}]})
    assert isinstance(doc, iam.Document) and doc.unknown_parts
    assert iam.allows(doc.statements, "s3:GetObject", "arn:aws:s3:::b/x") is UNKNOWN
    assert iam.parse_document(UNKNOWN) is UNKNOWN


def test_a_document_unknown_in_part_keeps_what_is_known() -> None:
    whole = iam.parse_document({"Statement": UNKNOWN})
    assert isinstance(whole, iam.Document) and whole.statements == [] and whole.unknown_parts is True
    known = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}
    doc = iam.parse_document({"Statement": [UNKNOWN, known]})
    assert isinstance(doc, iam.Document) and doc.unknown_parts is True
    assert iam.allows(doc.statements, "s3:GetObject", "arn:aws:s3:::b/x") is True, "the statement after it is read"


ALLOW_GET = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}
DENY_GET = {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}
ALLOW_PUT = {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/*"}
ALLOW_OTHER_BUCKET = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::other/*"}


@pytest.mark.parametrize(
    ("statements", "expected"),
    [
        ([ALLOW_GET], True),
        ([ALLOW_PUT, ALLOW_GET], True),  # a statement for another action first
        ([ALLOW_OTHER_BUCKET, ALLOW_GET], True),  # a statement for another resource first
        ([ALLOW_GET, DENY_GET], False),
        ([DENY_GET, ALLOW_GET], False),
        ([ALLOW_GET, {**DENY_GET, "Condition": {"Bool": {"aws:SecureTransport": "false"}}}], True),
        ([{**ALLOW_GET, "Condition": {"StringEquals": {"aws:PrincipalAccount": "1"}}}], True),
        ([{**ALLOW_GET, "Effect": UNKNOWN}], UNKNOWN),
        ([ALLOW_GET, {**DENY_GET, "Effect": UNKNOWN}], UNKNOWN),  # may be a Deny that wins
        ([{**ALLOW_PUT, "Effect": UNKNOWN}, ALLOW_GET], True),  # unknown, but about another action
        ([{**ALLOW_PUT, "Effect": UNKNOWN}], False),
        ([{**ALLOW_GET, "Resource": UNKNOWN}, ALLOW_PUT], UNKNOWN),
        ([{**ALLOW_GET, "NotResource": UNKNOWN}], UNKNOWN),
        ([{**ALLOW_GET, "Action": UNKNOWN}, ALLOW_GET], True),
        ([ALLOW_GET, {**DENY_GET, "Resource": UNKNOWN}], UNKNOWN),  # a Deny that may apply
        ([ALLOW_GET, {**DENY_GET, "Resource": UNKNOWN, "Condition": {"Bool": {"aws:SecureTransport": "false"}}}], True),
        ([{**DENY_GET, "Resource": UNKNOWN}], False),  # nothing allows it either way
        ([{**ALLOW_GET, "Resource": UNKNOWN}, DENY_GET], False),  # a known Deny decides
    ],
)
def test_allows_is_three_valued_and_an_unconditional_deny_wins(statements: list[object], expected: object) -> None:
    doc = iam.parse_document({"Statement": statements})
    assert isinstance(doc, iam.Document)
    assert iam.allows(doc.statements, "s3:GetObject", "arn:aws:s3:::b/x") is expected
    assert iam.allows_s3(doc.statements, "s3:GetObject", "b", "x") is expected


def test_condition_values_in_every_shape() -> None:
    condition = {"StringEquals": {"STS:ExternalId": ["a", "b"], "aws:SourceVpce": "vpce-1"}}
    assert iam.condition_values(condition, "StringEquals", "sts:externalid") == ["a", "b"]
    assert iam.condition_values(condition, "StringEquals", "aws:SourceVpce") == ["vpce-1"]
    assert iam.condition_values(condition, "StringLike", "sts:ExternalId") is None
    assert (
        iam.condition_values({"StringEquals": {"sts:ExternalId": ["a", UNKNOWN]}}, "StringEquals", "sts:ExternalId")
        is UNKNOWN
    )


def test_an_object_arn_keeps_every_character_of_its_key() -> None:
    assert iam.s3_bucket_of("arn:aws:s3:::b/line\nbreak") == ("b", "line\nbreak")
    assert iam.s3_bucket_of("arn:aws:s3:::b") == ("b", None)
    assert iam.s3_bucket_of("arn:aws:iam::1:role/x") is None


@pytest.mark.parametrize(
    ("principal", "accounts", "others"),
    [
        ("*", [], ["*"]),
        ({"AWS": "*"}, [], ["*"]),
        (UNKNOWN, [], ["<unknown>"]),
        ({"AWS": ["716373062512", UNKNOWN]}, ["716373062512"], ["<unknown>"]),
        ({"AWS": "role-name"}, [], ["role-name"]),
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


@settings(max_examples=300, deadline=None)
@given(
    patterns=st.lists(st.text(alphabet="sS3:pPuUtT*?", min_size=1, max_size=6), max_size=4),
    action=st.text(alphabet="sS3:pPuUtT", max_size=6),
    negated=st.booleans(),
)
def test_a_statement_covers_an_action_exactly_when_one_of_its_patterns_matches(
    patterns: list[str], action: str, negated: bool
) -> None:
    """`statement_covers_action` looks literal names up in a set: the answer must be the patterns' own."""
    statement = iam.Statement("Allow", actions=[] if negated else patterns, not_actions=patterns if negated else None)
    matched = any(iam.action_matches(p, action) for p in patterns)
    assert iam.statement_covers_action(statement, action) is (not matched if negated else matched)
    assert iam.statement_covers_action(statement, action.upper()) is (not matched if negated else matched)
