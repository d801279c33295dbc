"""Braze's request context as conditions.py builds it: the caller from a stack's principal, and the value
of each condition key its requests carry (facts sheet; AWS's global and S3 keys)."""

from __future__ import annotations

from typing import Any

import pytest
from braze_rules import conditions, iam
from braze_rules.conditions import ABSENT, BRAZE_IP, Caller, Unknowable
from braze_rules.model_builder import build_model
from braze_rules.resources import UNKNOWN as UNKNOWN_MARK

from tests.pack.builders import UNKNOWN, bucket_stack, doc, res, trust

ACCOUNT = "123456789012"


def _caller(type_: str, name: str, props: dict[str, Any], account_from: str | None = None) -> Caller:
    stack = bucket_stack().add(res(type_, name, {"assumeRolePolicy": doc(trust()), **props}))
    if account_from:
        stack.add(res("aws:iam/policy:Policy", "other", {"arn": account_from, "policy": doc()}))
    model = build_model(stack.resources)
    principal = next(p for p in model.principals.values() if p.res.name == name)
    return conditions.caller_of(model, principal)


@pytest.mark.parametrize(
    ("type_", "props", "expected"),
    [
        ("aws:iam/role:Role", {"arn": f"arn:aws:iam::{ACCOUNT}:role/teams/braze"}, ("braze", None, "/teams/", ACCOUNT)),
        ("aws:iam/role:Role", {"name": "braze", "path": "/p/"}, ("braze", None, "/p/", None)),
        ("aws:iam/role:Role", {"namePrefix": "braze-"}, (None, "braze-*", "/", None)),
        ("aws:iam/role:Role", {}, (None, "r-*", "/", None)),
        ("aws:iam/role:Role", {"name": UNKNOWN}, (None, None, "/", None)),
        ("aws-native:iam:Role", {"roleName": "braze"}, ("braze", None, "/", None)),
        ("aws-native:iam:Role", {}, (None, None, "/", None)),
        ("aws:iam/user:User", {"name": "u", "arn": f"arn:aws:iam::{ACCOUNT}:user/u"}, ("u", None, "/", ACCOUNT)),
    ],
    ids=[
        "arn-only",
        "name-and-path",
        "name-prefix",
        "auto-named",
        "unknown-name",
        "native-named",
        "native-unnamed",
        "user",
    ],
)
def test_the_caller_of_a_principal(type_: str, props: dict[str, Any], expected: tuple[Any, ...]) -> None:
    caller = _caller(type_, "r", props)
    assert (caller.name, caller.name_pattern, caller.path, caller.account) == expected
    assert caller.kind == ("user" if "user" in type_ else "role") and caller.label == f'"r" ({type_})'


def test_the_callers_account_comes_from_the_stack_and_its_tags_from_the_principal() -> None:
    caller = _caller(
        "aws:iam/role:Role", "r", {"name": "b", "tags": {"Team": "data", "n": 1}}, f"arn:aws:iam::{ACCOUNT}:policy/x"
    )
    assert caller.account == ACCOUNT and caller.tags == (("Team", "data"),)
    assert _caller("aws:iam/role:Role", "r", {"name": "b", "tags": UNKNOWN}).tags is None
    assert set(_caller("aws:iam/role:Role", "r", {}).unknown_parts()) == {
        "the stack's AWS account id",
        'the name of "r" (aws:iam/role:Role)',
    }


ROLE = Caller(
    "role", "r", name="braze", path="/", account=ACCOUNT, tags=(("Team", "data"),), integrations=frozenset({"currents"})
)
USER = Caller("user", "u", name="u", account=ACCOUNT, tags=None)


@pytest.mark.parametrize(
    ("caller", "key", "action", "value"),
    [
        (ROLE, "aws:securetransport", "s3:GetObject", ["true"]),
        (ROLE, "aws:principalarn", "s3:GetObject", [f"arn:aws:iam::{ACCOUNT}:role/braze"]),
        (USER, "aws:principalarn", "s3:GetObject", [f"arn:aws:iam::{ACCOUNT}:user/u"]),
        (ROLE, "aws:principalaccount", "s3:GetObject", [ACCOUNT]),
        (ROLE, "aws:resourceaccount", "s3:GetObject", [ACCOUNT]),
        (ROLE, "s3:resourceaccount", "s3:GetObject", [ACCOUNT]),
        (ROLE, "aws:principaltype", "s3:GetObject", ["AssumedRole"]),
        (USER, "aws:principaltype", "s3:GetObject", ["User"]),
        (ROLE, "aws:username", "s3:GetObject", ABSENT),
        (USER, "aws:username", "s3:GetObject", ["u"]),
        (ROLE, "aws:principalisawsservice", "s3:GetObject", ["false"]),
        (ROLE, "aws:viaawsservice", "s3:GetObject", ["false"]),
        (ROLE, "aws:sourceip", "s3:GetObject", BRAZE_IP),
        (ROLE, "aws:sourcevpce", "s3:GetObject", ABSENT),
        (ROLE, "aws:principaltag/team", "s3:GetObject", "data"),
        (ROLE, "aws:principaltag/other", "s3:GetObject", ABSENT),
        (ROLE, "s3:x-amz-server-side-encryption", "s3:PutObject", ["AES256"]),
        (ROLE, "s3:x-amz-server-side-encryption", "s3:GetObject", ABSENT),
    ],
)
def test_the_value_of_each_key_for_one_guess(caller: Caller, key: str, action: str, value: Any) -> None:
    identity = conditions._Identity(caller, "aws", ACCOUNT, caller.name or "", caller.headers(action)[-1])
    assert identity.value(key, action) == value


@pytest.mark.parametrize(
    ("key", "why"),
    [
        ("aws:principaltag/team", "the tags of u"),
        ("aws:principalorgid", "organisation"),
        ("s3:tlsversion", "TLS version"),
        ("acme:custom", "a key the pack does not know"),
    ],
)
def test_keys_whose_value_cannot_be_told(key: str, why: str) -> None:
    identity = conditions._Identity(USER, "aws", ACCOUNT, "u", None)
    value = identity.value(key, "s3:GetObject")
    assert isinstance(value, Unknowable) and why in value.why


def test_the_guesses_tried_for_what_the_stack_does_not_show() -> None:
    statement = iam.parse_document(
        doc(
            {
                "Effect": "Deny",
                "NotPrincipal": {"AWS": "arn:aws-cn:iam::111122223333:role/ops-?"},
                "Action": "s3:*",
                "Resource": "*",
                "Condition": {"StringNotLike": {"aws:PrincipalArn": "arn:aws-cn:iam::*:role/c-*"}},
            }
        )
    ).statements[0]
    caller = Caller("role", "c", name_pattern="c-*")
    guesses = conditions._identities(caller, statement, "s3:GetObject")
    assert {g.partition for g in guesses} == {"aws-cn"}
    assert {g.account for g in guesses} == {"111122223333", conditions.OTHER_ACCOUNT}
    assert {g.name for g in guesses} == {"c-x", "c-0000000"}  # ops-x is not a name the auto-name can take
    user = Caller("user", "u")
    user_statement = iam.parse_document(
        doc(
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:username": "alice"}},
            }
        )
    ).statements[0]
    assert {g.name for g in conditions._identities(user, user_statement, "s3:GetObject")} == {
        "alice",
        "x",  # the Principal "*", filled in: a user name as good as any
        conditions.OTHER_NAME,
    }
    assert {g.partition for g in conditions._identities(user, user_statement, "s3:GetObject")} == {"aws"}


def test_a_verdict_that_depends_on_the_toggle_or_on_what_is_missing_says_so() -> None:
    header = iam.parse_document(
        doc(
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": "*",
                "Condition": {"StringEquals": {"s3:x-amz-server-side-encryption": "AES256"}},
            }
        )
    ).statements[0]
    verdict = conditions.applies(header, ROLE, "s3:PutObject")
    assert (
        verdict.applies is UNKNOWN_MARK
        and verdict.why == "whether it applies depends on Currents' AES-256 toggle (set in Braze)"
    )
    unnamed = Caller("role", '"c"', integrations=frozenset({"currents"}))
    verdict = conditions.applies(header, unnamed, "s3:PutObject")
    assert "AES-256 toggle" in verdict.why and "the name of" in verdict.why
    account = iam.parse_document(
        doc({"Effect": "Deny", "Principal": {"AWS": ACCOUNT}, "Action": "s3:*", "Resource": "*"})
    ).statements[0]
    verdict = conditions.applies(account, Caller("role", '"c"', name="c"), "s3:GetObject")
    assert verdict.applies is UNKNOWN_MARK and verdict.why == "whether it applies depends on the stack's AWS account id"
    assert conditions.applies(account, Caller("role", '"c"', name="c", account=ACCOUNT), "s3:GetObject").applies is True


@pytest.mark.parametrize(
    ("condition", "why"),
    [
        (
            {"StringNotEquals": {"aws:SourceVpce": "v"}},
            "admits only your own network (StringNotEquals on aws:SourceVpce); Braze writes from its own",
        ),
        (
            {"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
            "admits only your own network (NotIpAddress on aws:SourceIp); Braze writes from its own",
        ),
        (
            {"Bool": {"aws:SecureTransport": "true"}},
            "refuses requests over TLS (Bool aws:SecureTransport: true), and Braze always uses TLS",
        ),
        (
            {"StringNotEquals": {"aws:MultiFactorAuthPresent": "x"}},
            "StringNotEquals on aws:MultiFactorAuthPresent holds for Braze's requests, which do not carry aws:MultiFactorAuthPresent",
        ),
        ({"Null": {"aws:SourceVpce": "true"}}, "requires aws:SourceVpce, which Braze's requests do not carry (Null)"),
        (
            {"StringEquals": {"aws:PrincipalType": "AssumedRole"}},
            "StringEquals on aws:PrincipalType (AssumedRole) holds for Braze's requests (aws:PrincipalType: AssumedRole)",
        ),
        (
            {"StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption": "aws:kms"}},
            "an absent key makes …IfExists true",
        ),
    ],
)
def test_why_a_deny_applies(condition: dict[str, Any], why: str) -> None:
    statement = iam.parse_document(
        doc({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": condition})
    ).statements[0]
    caller = Caller("role", "r", name="braze", account=ACCOUNT, integrations=frozenset({"dashboard-export"}))
    verdict = conditions.applies(statement, caller, "s3:PutObject")
    assert verdict.applies is True and why in verdict.why


@pytest.mark.parametrize(
    ("principal", "expected"),
    [
        ({"AWS": f"arn:aws:iam::{ACCOUNT}:role/braze"}, True),
        ({"AWS": f"arn:aws:sts::{ACCOUNT}:assumed-role/braze/braze"}, True),
        ({"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, False),
        ({"AWS": ACCOUNT}, False),
        ("*", True),
        ({"Service": "s3.amazonaws.com"}, False),
        ({"AWS": [UNKNOWN_MARK]}, UNKNOWN_MARK),
    ],
)
def test_what_a_bucket_policy_allow_grants_to_the_role_itself(principal: Any, expected: Any) -> None:
    statement = iam.parse_document(
        doc({"Effect": "Allow", "Principal": principal, "Action": "s3:*", "Resource": "*"}, as_json=False)
    ).statements[0]
    assert conditions.grants(statement, ROLE) is expected
