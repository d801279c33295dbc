"""A managed-policy list that mixes an in-stack policy with an AWS managed ARN (issue 24, class 3): the
outside ARN is seen however the list attaches it — `managedPolicyArns` (v7, aws-native), the exclusive
attachments of roles, users and groups — at preview (the in-stack ARN unknown, linked by dependency)
and once deployed (both ARNs known)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from braze_rules.model_builder import build_model
from braze_rules.rules import bucket_control, least_privilege, required_permissions

from tests.pack.builders import UNKNOWN, bucket_stack, names, res, run
from tests.pack.principals import POLICY_ARN, braze_role, braze_user, iam_group, managed_policy

ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
S3_FULL = "arn:aws-us-gov:iam::aws:policy/AmazonS3FullAccess"


def _listed(preview: bool, outside: str) -> list[str]:
    return [UNKNOWN if preview else POLICY_ARN, outside]


def _role_managed_arns(preview: bool, outside: str) -> tuple[list[Any], str]:
    policy = managed_policy()
    role = res(
        braze_role().type,
        "role",
        {**braze_role().props, "managedPolicyArns": _listed(preview, outside)},
        {"managedPolicyArns": [policy]},
    )
    return [role, policy], "role"


def _native_role_managed_arns(preview: bool, outside: str) -> tuple[list[Any], str]:
    policy = managed_policy()
    role = res(
        "aws-native:iam:Role",
        "role",
        {
            "roleName": "braze-currents",
            "assumeRolePolicyDocument": braze_role().props["assumeRolePolicy"],
            "managedPolicyArns": _listed(preview, outside),
        },
        {"managedPolicyArns": [policy]},
    )
    return [role, policy], "role"


def _exclusive(kind: str) -> Callable[[bool, str], tuple[list[Any], str]]:
    def build(preview: bool, outside: str) -> tuple[list[Any], str]:
        policy = managed_policy()
        if kind == "role":
            principal, key, name = braze_role(), "roleName", "braze-currents"
        else:
            principal, key, name = braze_user(), "userName", "braze-user"
        type_ = f"aws:iam/{kind}PolicyAttachmentsExclusive:{kind.capitalize()}PolicyAttachmentsExclusive"
        exclusive = res(type_, "only", {key: name, "policyArns": _listed(preview, outside)}, {"policyArns": [policy]})
        return [principal, policy, exclusive], principal.name

    return build


def _group_exclusive(preview: bool, outside: str) -> tuple[list[Any], str]:
    policy = managed_policy()
    type_ = "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive"
    exclusive = res(
        type_, "only", {"groupName": "braze", "policyArns": _listed(preview, outside)}, {"policyArns": [policy]}
    )
    membership = res("aws:iam/groupMembership:GroupMembership", "m", {"group": "braze", "users": ["braze-user"]})
    return [braze_user(), iam_group(), policy, exclusive, membership], "user"


def _native_group_managed_arns(preview: bool, outside: str) -> tuple[list[Any], str]:
    policy = managed_policy()
    group = res(
        "aws-native:iam:Group",
        "group",
        {"groupName": "braze", "managedPolicyArns": _listed(preview, outside)},
        {"managedPolicyArns": [policy]},
    )
    user = res(
        "aws-native:iam:User",
        "user",
        {"userName": "braze-user", "groups": ["braze"], "tags": [{"key": "braze:integration", "value": "currents"}]},
    )
    return [user, group, policy], "user"


FORMS = {
    "role-managedPolicyArns": _role_managed_arns,
    "native-role-managedPolicyArns": _native_role_managed_arns,
    "role-exclusive": _exclusive("role"),
    "user-exclusive": _exclusive("user"),
    "group-exclusive": _group_exclusive,
    "native-group-managedPolicyArns": _native_group_managed_arns,
}


@pytest.mark.parametrize("preview", [True, False], ids=["preview", "deployed"])
@pytest.mark.parametrize("outside", [ADMIN, S3_FULL], ids=["administrator", "s3-full-access-govcloud"])
@pytest.mark.parametrize("form", sorted(FORMS))
def test_an_aws_managed_arn_beside_an_in_stack_policy_is_seen(form: str, outside: str, preview: bool) -> None:
    resources, principal = FORMS[form](preview, outside)
    stack = bucket_stack().add(*resources)
    control = run(bucket_control.RULE, stack)
    assert names(control) == [principal], control
    assert outside.rsplit("/", 1)[-1] in control.violations[0].message
    assert any(outside in v.message for v in run(least_privilege.RULE, stack).violations)
    # the in-stack policy still counts: the principal has Braze's permissions on the bucket
    assert run(required_permissions.RULE, stack).violations == []


def test_a_customer_arn_standing_for_the_linked_policy_is_not_taken_for_an_outside_one() -> None:
    """Deployed, the list holds the in-stack policy's ARN even where the policy's own `arn` is not shown."""
    policy = res("aws:iam/policy:Policy", "policy", {"policy": managed_policy().props["policy"]})
    role = res(
        braze_role().type,
        "role",
        {**braze_role().props, "managedPolicyArns": [POLICY_ARN]},
        {"managedPolicyArns": [policy]},
    )
    model = build_model(bucket_stack().add(role, policy).resources)
    assert not [p for p in model.policies if p.external_arn]


def test_an_outside_customer_arn_beside_an_unknown_in_stack_one_is_outside() -> None:
    other = "arn:aws:iam::123456789012:policy/someone-elses"
    resources, _ = _role_managed_arns(True, other)
    model = build_model(bucket_stack().add(*resources).resources)
    assert [p.external_arn for p in model.policies if p.external_arn] == [other]
