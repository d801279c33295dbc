"""Grants that live in the bucket policy count (issue 24, class 2): in one account, an Allow in the
bucket policy naming Braze's role or user (its ARN, its session, everyone — not the account, which only
delegates to IAM policies) is enough, alone or beside its own policies; at preview, one built from the
principal's outputs (linked by dependency) makes it a note, never "no permission on any bucket"."""

from __future__ import annotations

from typing import Any

import pytest
from braze_rules.rules import bucket_control, required_permissions

from tests.pack.builders import (
    BUCKET,
    T_BUCKET_POLICY,
    T_ROLE,
    UNKNOWN,
    Stack,
    bucket_stack,
    doc,
    names,
    objects_statement,
    res,
    role_with_policy,
    run,
    trust,
)

ACCOUNT = "123456789012"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/braze-currents"
SESSION_ARN = f"arn:aws:sts::{ACCOUNT}:assumed-role/braze-currents/braze"
TAGS = {"braze:integration": "currents"}


def allow(principal: Any, actions: Any = None, resources: Any = None, **extra: Any) -> dict[str, Any]:
    statement = {
        "Effect": "Allow",
        "Principal": principal,
        "Action": actions or ["s3:ListBucket", "s3:GetBucketLocation", "s3:PutObject", "s3:GetObject"],
        "Resource": resources or [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/currents/*"],
    }
    statement.update(extra)
    return statement


def stack_with(
    *statements: dict[str, Any], role_arn_known: bool = True, deps: bool = False, policy: Any = None
) -> Stack:
    """A Braze role with no policy of its own; the bucket policy holds the TLS Deny and these statements."""
    stack = bucket_stack()
    props: dict[str, Any] = {"name": "braze-currents", "assumeRolePolicy": doc(trust()), "tags": TAGS}
    if role_arn_known:
        props["arn"] = ROLE_ARN
    role = res(T_ROLE, "role", props)
    body = (
        policy
        if policy is not None
        else doc(
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            },
            *statements,
        )
    )
    links = {"bucket": [stack.find("data")], **({"policy": [role]} if deps else {})}
    return stack.add(role).replace(
        "data-tls", res(T_BUCKET_POLICY, "data-tls", {"bucket": BUCKET, "policy": body}, links)
    )


@pytest.mark.parametrize(
    "principal",
    [{"AWS": ROLE_ARN}, {"AWS": [ROLE_ARN, "arn:aws:iam::111122223333:root"]}, {"AWS": SESSION_ARN}, "*", {"AWS": "*"}],
    ids=["role-arn", "role-arn-list", "session-arn", "star", "aws-star"],
)
def test_an_allow_in_the_bucket_policy_naming_the_role_is_enough(principal: Any) -> None:
    result = run(required_permissions.RULE, stack_with(allow(principal)))
    assert result.violations == [] and result.notes == []


def test_action_and_resource_as_strings_and_split_statements_count_the_same() -> None:
    statements = [
        allow({"AWS": ROLE_ARN}, "s3:ListBucket", f"arn:aws:s3:::{BUCKET}"),
        allow({"AWS": ROLE_ARN}, "s3:GetBucketLocation", f"arn:aws:s3:::{BUCKET}"),
        allow({"AWS": ROLE_ARN}, ["s3:PutObject", "s3:GetObject"], f"arn:aws:s3:::{BUCKET}/currents/*"),
    ]
    assert run(required_permissions.RULE, stack_with(*statements)).violations == []


def test_the_bucket_policy_and_the_roles_own_policy_add_up() -> None:
    stack = stack_with(allow({"AWS": ROLE_ARN}, ["s3:ListBucket", "s3:GetBucketLocation"], f"arn:aws:s3:::{BUCKET}"))
    role = stack.find("role")
    stack.remove("role")
    role_with_policy(
        stack,
        "c",
        doc(objects_statement(["s3:PutObject", "s3:GetObject"], f"arn:aws:s3:::{BUCKET}/currents/*")),
        role_props={k: v for k, v in role.props.items() if k != "assumeRolePolicy"},
    )
    assert run(required_permissions.RULE, stack).violations == []


@pytest.mark.parametrize(
    ("statement", "why"),
    [
        (allow({"AWS": f"arn:aws:iam::{ACCOUNT}:root"}), "the account only delegates to IAM policies"),
        (allow({"AWS": "arn:aws:iam::123456789012:role/someone-else"}), "another role"),
        (allow({"Service": "logging.s3.amazonaws.com"}), "a service"),
        (
            allow({"AWS": ROLE_ARN}, Condition={"StringEquals": {"aws:SourceVpce": "vpce-1"}}),
            "a condition Braze cannot meet",
        ),
    ],
    ids=["account-root", "other-role", "service", "vpce-condition"],
)
def test_an_allow_that_does_not_grant_to_the_role_leaves_it_without_permission(statement: Any, why: str) -> None:
    found = names(run(required_permissions.RULE, stack_with(statement)))
    assert found == ["role"], why


def test_an_allow_under_a_condition_braze_meets_grants() -> None:
    statement = allow({"AWS": ROLE_ARN}, Condition={"Bool": {"aws:SecureTransport": "true"}})
    assert run(required_permissions.RULE, stack_with(statement)).violations == []


def test_an_allow_whose_account_the_stack_does_not_show_is_a_note() -> None:
    result = run(required_permissions.RULE, stack_with(allow({"AWS": ROLE_ARN}), role_arn_known=False))
    assert result.violations == [] and result.notes


def test_at_preview_a_principal_built_from_the_roles_outputs_is_a_note_by_dependency() -> None:
    """aws-native (or a dict of outputs): the document is known but its Principal is not."""
    body = doc(allow({"AWS": UNKNOWN}), as_json=False)
    result = run(required_permissions.RULE, stack_with(policy=body, role_arn_known=False, deps=True))
    assert result.violations == [] and result.notes
    # the same unknown Principal in a bucket policy that does not depend on the role grants it nothing
    assert names(run(required_permissions.RULE, stack_with(policy=body, role_arn_known=False))) == ["role"]


def test_at_preview_a_bucket_policy_unknown_as_a_whole_and_built_from_the_role_is_a_note() -> None:
    result = run(required_permissions.RULE, stack_with(policy=UNKNOWN, role_arn_known=False, deps=True))
    assert result.violations == [] and result.notes


def test_a_bucket_policy_granting_bucket_control_to_brazes_role_is_bucket_control() -> None:
    statement = allow({"AWS": ROLE_ARN}, "s3:*", [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"])
    assert names(run(bucket_control.RULE, stack_with(statement))) == ["role"]
