"""braze-no-bucket-control: Braze's credentials can never change or delete the bucket."""

from __future__ import annotations

from typing import Any

import pytest
from braze_rules.rules.bucket_control import CONTROL_ACTIONS, RULE

from tests.pack.builders import (
    BUCKET,
    UNKNOWN,
    bucket_stack,
    bucket_statement,
    doc,
    good_stack,
    names,
    objects_statement,
    res,
    role_with_policy,
    run,
)


def currents_objects() -> dict[str, Any]:
    return objects_statement(["s3:PutObject", "s3:GetObject"], f"arn:aws:s3:::{BUCKET}/currents/*")


def test_the_programs_policies_give_no_control() -> None:
    assert run(RULE, good_stack()).violations == []


@pytest.mark.parametrize(
    "statement",
    [
        {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Effect": "Allow", "Action": "s3:*", "Resource": f"arn:aws:s3:::{BUCKET}"},
        {"Effect": "Allow", "Action": "s3:Put*", "Resource": f"arn:aws:s3:::{BUCKET}"},
        {"Effect": "Allow", "NotAction": "s3:GetObject", "Resource": "*"},
        {"Effect": "Allow", "Action": "s3:PutBucketPolicy", "Resource": f"arn:aws-cn:s3:::{BUCKET}"},
        *({"Effect": "Allow", "Action": action, "Resource": f"arn:aws:s3:::{BUCKET}"} for action in CONTROL_ACTIONS),
    ],
)
def test_any_grant_that_reaches_a_control_action_on_the_bucket_fails(statement: dict[str, Any]) -> None:
    stack = bucket_stack()
    # Braze's own grants, plus the one under test.
    role_with_policy(stack, "currents-main", doc(bucket_statement(), currents_objects(), statement))
    result = run(RULE, stack)
    assert names(result) == ["currents-main-role"], statement
    assert "may change" in result.violations[0].message


def test_object_grants_and_other_buckets_give_no_control() -> None:
    stack = bucket_stack()
    grants = [
        {"Effect": "Allow", "Action": "s3:*", "Resource": f"arn:aws:s3:::{BUCKET}/*"},  # objects only
        {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::another-bucket"},
    ]
    role_with_policy(stack, "currents-main", doc(bucket_statement(), currents_objects(), *grants))
    assert run(RULE, stack).violations == []


def test_an_explicit_deny_takes_the_control_away() -> None:
    stack = bucket_stack()
    role_with_policy(
        stack,
        "currents-main",
        doc(
            {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
            {"Effect": "Deny", "Action": list(CONTROL_ACTIONS), "Resource": "*"},
        ),
    )
    assert run(RULE, stack).violations == []


@pytest.mark.parametrize("managed", ["AmazonS3FullAccess", "AdministratorAccess", "PowerUserAccess"])
def test_a_full_access_managed_policy_on_a_braze_principal_fails(managed: str) -> None:
    stack = good_stack()
    role = stack.find("currents-main-role")
    stack.add(
        res(
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
            "full-access",
            {"role": role.props.get("name", "currents-main-role"), "policyArn": f"arn:aws:iam::aws:policy/{managed}"},
            {"role": [role]},
        )
    )
    result = run(RULE, stack)
    assert "currents-main-role" in names(result)
    assert any(managed in v.message for v in result.violations)


def test_an_unknown_policy_is_a_note() -> None:
    stack = bucket_stack()
    role_with_policy(stack, "currents-main", UNKNOWN)
    result = run(RULE, stack)
    assert result.violations == [] and result.notes


@pytest.mark.parametrize(
    "statement",
    [
        {"Effect": UNKNOWN, "Action": "s3:*", "Resource": f"arn:aws:s3:::{BUCKET}"},
        {"Effect": "Allow", "Action": "s3:*", "Resource": UNKNOWN},
        {"Effect": "Allow", "Action": UNKNOWN, "Resource": f"arn:aws:s3:::{BUCKET}"},
    ],
    ids=["effect", "resource", "action"],
)
def test_a_statement_known_only_after_deployment_is_a_note_not_a_pass(statement: dict[str, Any]) -> None:
    stack = bucket_stack()
    document = doc(bucket_statement(), currents_objects(), statement, as_json=False)
    role_with_policy(stack, "currents-main", document)
    result = run(RULE, stack)
    assert result.violations == []
    assert any("currents-main-role" in n for n in result.notes), result.notes


def test_a_principal_holding_nothing_but_control_is_reported() -> None:
    """No Braze statement beside it (the bucket is Braze's through the stack's connectors): the quick
    pass over statements must still see the control grant."""
    stack = good_stack()
    statement = {"Effect": "Allow", "Action": "s3:*", "Resource": f"arn:aws:s3:::{BUCKET}"}
    role_with_policy(stack, "ops", doc(statement), role_props={"tags": {"braze:integration": "currents"}})
    assert names(run(RULE, stack)) == ["ops-role"]
