"""braze-role-requires-external-id: principal shapes and condition forms."""

from __future__ import annotations

from typing import Any

import pytest
from braze_rules.rules.external_id import RULE

from tests.pack.builders import BRAZE_ACCOUNT, EXTERNAL_ID, T_ROLE, UNKNOWN, doc, names, res, run, trust


def role(trust_doc: Any, **props: Any) -> list:  # type: ignore[type-arg]
    return [res(T_ROLE, "braze-role", {"assumeRolePolicy": trust_doc, **props})]


@pytest.mark.parametrize(
    "principal",
    [
        {"AWS": f"arn:aws:iam::{BRAZE_ACCOUNT}:root"},
        {"AWS": BRAZE_ACCOUNT},
        {"AWS": [BRAZE_ACCOUNT]},
        {"AWS": f"arn:aws-cn:iam::{BRAZE_ACCOUNT}:root"},
    ],
    ids=["root-arn", "bare-id", "list", "other-partition"],
)
@pytest.mark.parametrize("ids", [EXTERNAL_ID, [EXTERNAL_ID, "second-id"]], ids=["one-id", "two-ids"])
@pytest.mark.parametrize("as_json", [True, False], ids=["json-string", "object"])
def test_braze_only_with_string_equals_passes(principal: dict[str, Any], ids: Any, as_json: bool) -> None:
    statement = {**trust(external_ids=ids), "Principal": principal}
    assert run(RULE, role(doc(statement, as_json=as_json))).violations == []


def test_statement_as_a_single_object_passes() -> None:
    assert run(RULE, role({"Version": "2012-10-17", "Statement": trust()})).violations == []


@pytest.mark.parametrize(
    ("statement", "words"),
    [
        (trust(external_ids=None), "without a StringEquals condition"),
        (trust(operator="StringLike"), "StringLike is not enough"),
        (trust(operator="StringEqualsIfExists"), "StringEqualsIfExists is not enough"),
        (trust(external_ids=""), "without a StringEquals"),
        ({**trust(), "Principal": "*"}, 'trusts every AWS principal ("*")'),
        ({**trust(), "Principal": {"AWS": "*"}}, "trusts every AWS principal"),
        (
            {**trust(), "Principal": {"AWS": [f"arn:aws:iam::{BRAZE_ACCOUNT}:root", "arn:aws:iam::999999999999:root"]}},
            "not a configured Braze account",
        ),
        (
            {**trust(), "Principal": {"AWS": f"arn:aws:iam::{BRAZE_ACCOUNT}:root", "Service": "ec2.amazonaws.com"}},
            "besides Braze",
        ),
        (
            {
                "Effect": "Allow",
                "NotPrincipal": {"AWS": "arn:aws:iam::1:root"},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"sts:ExternalId": "x1"}},
                "Principal": {"AWS": BRAZE_ACCOUNT},
            },
            "NotPrincipal",
        ),
        ({**trust(), "Action": "sts:*"}, None),
    ],
    ids=[
        "no-condition",
        "string-like",
        "if-exists",
        "empty-id",
        "star",
        "aws-star",
        "extra-account",
        "service",
        "not-principal",
        "sts-star-ok",
    ],
)
def test_weak_trust_fails(statement: dict[str, Any], words: str | None) -> None:
    # Tagged as the program tags it, so that even a trust naming no Braze account is Braze's.
    result = run(RULE, role(doc(statement), tags={"braze:integration": "currents"}))
    if words is None:
        assert result.violations == []
        return
    assert names(result) == ["braze-role"], [v.message for v in result.violations]
    assert any(words in v.message for v in result.violations), [v.message for v in result.violations]


def test_condition_key_is_case_insensitive() -> None:
    statement = {**trust(), "Condition": {"StringEquals": {"STS:ExternalID": EXTERNAL_ID}}}
    assert run(RULE, role(doc(statement))).violations == []


def test_tagged_role_trusting_an_unconfigured_account_tells_how_to_configure() -> None:
    resources = role(doc(trust(account="123456789012")), tags={"braze:integration": "currents"})
    result = run(RULE, resources)
    assert "add it to the pack config brazeAccountIds" in result.violations[0].message
    assert run(RULE, resources, account_ids=("123456789012",)).violations == []


def test_malformed_trust_of_a_braze_role_is_reported() -> None:
    result = run(RULE, role("{not json", tags={"braze:integration": "currents"}))
    assert "is not valid JSON" in result.violations[0].message


def test_unknown_trust_is_a_note() -> None:
    result = run(RULE, role(UNKNOWN, tags={"braze:integration": "currents"}))
    assert result.violations == [] and result.notes


def test_unknown_condition_is_a_note_and_known_problems_still_fire() -> None:
    statement = {**trust(), "Principal": "*", "Condition": UNKNOWN}
    resources = role(doc(statement, as_json=False), tags={"braze:connector": "x"})
    result = run(RULE, resources)
    assert result.notes
    assert any("trusts every AWS principal" in v.message for v in result.violations)


def test_role_of_another_vendor_without_external_id_is_not_applicable() -> None:
    assert run(RULE, role(doc(trust(account="999999999999", external_ids=None)))).violations == []


def test_a_bucket_policy_that_grants_brazes_account_directly_fails() -> None:
    """No role means no external id: any principal of Braze's account could use the grant."""
    from tests.pack.builders import BRAZE_ACCOUNT, BUCKET, T_BUCKET_POLICY, doc, good_stack, names, res

    stack = good_stack()
    direct = {
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{BRAZE_ACCOUNT}:root"},
        "Action": ["s3:PutObject"],
        "Resource": f"arn:aws:s3:::{BUCKET}/*",
    }
    old = stack.find("data-tls")
    stack.replace(
        "data-tls",
        res(T_BUCKET_POLICY, "data-tls", {**old.props, "policy": doc(direct)}, {"bucket": [stack.find("data")]}),
    )
    result = run(RULE, stack)
    assert names(result) == ["data-tls"] and "directly" in result.violations[0].message


def test_a_bucket_policy_granting_another_account_is_not_this_rules_business() -> None:
    from tests.pack.builders import BUCKET, T_BUCKET_POLICY, doc, good_stack, res

    stack = good_stack()
    other = {
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::999999999999:root"},
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{BUCKET}/*",
    }
    old = stack.find("data-tls")
    stack.replace(
        "data-tls",
        res(T_BUCKET_POLICY, "data-tls", {**old.props, "policy": doc(other)}, {"bucket": [stack.find("data")]}),
    )
    assert run(RULE, stack).violations == []
