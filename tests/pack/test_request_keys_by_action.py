"""Condition keys a request carries only for some actions, and a NotPrincipal of everyone, judged as IAM does.

AWS's S3 condition-key table: the object-write headers (`s3:x-amz-acl`, `s3:x-amz-storage-class`, the
`s3:x-amz-grant-*` headers) come with PutObject only, the listing parameters (`s3:prefix`, `s3:delimiter`,
`s3:max-keys`) with ListBucket only. A key absent from the request makes a negated operator true, so a Deny of
`s3:*` unless the ACL header is `bucket-owner-full-control` refuses every GetObject for certain — Braze's
credential test reads back what it wrote — while on Braze's writes it cannot be told (Braze does not document
its headers)."""

from __future__ import annotations

from typing import Any

import pytest
from braze_rules import conditions, iam
from braze_rules.conditions import Caller
from braze_rules.rules import required_permissions

from tests.pack.builders import (
    BUCKET,
    bucket_stack,
    currents_policy_doc,
    names,
    role_with_policy,
    run,
    with_bucket_policy,
)

ACCOUNT = "123456789012"
ROLE = "braze-currents"
CALLER = Caller("role", '"currents-role"', name=ROLE, account=ACCOUNT, integrations=frozenset({"currents"}))


def _deny(condition: dict[str, Any], **element: Any) -> iam.Statement:
    return iam.Statement(
        "Deny",
        ["s3:*"],
        principal=element.get("Principal", "*"),
        not_principal=element.get("NotPrincipal"),
        condition=condition,
    )


@pytest.mark.parametrize(
    ("key", "carried_by"),
    [
        ("s3:x-amz-acl", "s3:PutObject"),
        ("s3:x-amz-storage-class", "s3:PutObject"),
        ("s3:x-amz-grant-full-control", "s3:PutObject"),
        ("s3:x-amz-grant-read", "s3:PutObject"),
        ("s3:prefix", "s3:ListBucket"),
        ("s3:delimiter", "s3:ListBucket"),
        ("s3:max-keys", "s3:ListBucket"),
    ],
)
def test_a_negated_condition_on_a_key_the_action_never_carries_holds(key: str, carried_by: str) -> None:
    deny = _deny({"StringNotEquals": {key: "some-value"}})
    for action in ("s3:PutObject", "s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation"):
        verdict = conditions.applies(deny, CALLER, action)
        if action == carried_by:
            assert verdict.applies is iam.UNKNOWN, (action, verdict)  # Braze's own value is not documented
        else:
            assert verdict.applies is True, (action, verdict)
            assert key in verdict.why
    # and a positive operator on an absent key never holds
    assert conditions.applies(_deny({"StringEquals": {key: "x"}}), CALLER, "s3:GetBucketLocation").applies is False


def _stack_with(deny: dict[str, Any]) -> Any:
    stack = bucket_stack()
    role_with_policy(
        stack,
        "currents",
        currents_policy_doc(),
        role_props={
            "name": ROLE,
            "arn": f"arn:aws:iam::{ACCOUNT}:role/{ROLE}",
            "tags": {"braze:integration": "currents"},
        },
    )
    return with_bucket_policy(stack, deny)


EVERYTHING = [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"]


def test_a_deny_unless_the_acl_header_refuses_brazes_reads_for_certain() -> None:
    deny = {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": EVERYTHING,
            "Condition": {"StringNotEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}}  # fmt: skip
    result = run(required_permissions.RULE, _stack_with(deny))
    assert names(result) == ["data-tls"]
    message = result.violations[0].message
    assert "s3:GetObject" in message and "s3:PutObject" not in message  # the write itself: cannot be told
    assert any("may deny s3:PutObject" in n for n in result.notes)


def test_a_deny_unless_a_list_prefix_refuses_brazes_object_requests_for_certain() -> None:
    deny = {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": EVERYTHING,
            "Condition": {"StringNotLike": {"s3:prefix": "currents/*"}}}  # fmt: skip
    result = run(required_permissions.RULE, _stack_with(deny))
    assert names(result) == ["data-tls"]
    assert "s3:PutObject" in result.violations[0].message and "s3:GetObject" in result.violations[0].message


def test_a_not_principal_of_everyone_applies_to_nobody() -> None:
    statement = _deny({}, Principal=None, NotPrincipal={"AWS": "*"})
    verdict = conditions.applies(statement, CALLER, "s3:PutObject")
    assert verdict.applies is False and "excludes every principal" in verdict.why
    deny = {"Effect": "Deny", "NotPrincipal": {"AWS": "*"}, "Action": "s3:*", "Resource": EVERYTHING}
    assert run(required_permissions.RULE, _stack_with(deny)).violations == []
    # while a NotPrincipal of someone else still takes Braze's role in
    other = {
        "Effect": "Deny",
        "NotPrincipal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/admin"},
        "Action": "s3:*",
        "Resource": EVERYTHING,
    }
    assert names(run(required_permissions.RULE, _stack_with(other))) == ["data-tls"]
