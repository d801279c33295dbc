"""Every way a principal gets a policy, in pulumi-aws v6/v7 and aws-native: each attachment form is
tested twice. Linked, the Braze role or user has what Braze's credential test needs (no finding);
unlinked, the same stack is reported — so a form the model stopped reading fails here instead of
becoming a false mandatory violation in every org's stacks. Links hold names, ARNs, or at preview
unknowns with the engine's property dependencies.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from braze_rules.model_builder import build_model
from braze_rules.rules import required_permissions

from tests.pack.builders import (
    BUCKET,
    T_KEY,
    T_ROLE,
    T_ROLE_ATTACH,
    T_USER,
    UNKNOWN,
    bucket_stack,
    currents_policy_doc,
    doc,
    names,
    res,
    run,
    trust,
)
from tests.pack.principals import INTEGRATION_TAGS, POLICY_ARN, braze_role, braze_user, iam_group, managed_policy


# Each builds the principal, its policy and the link; `linked=False` leaves the link out.
def _role_exclusive(linked: bool) -> list[Any]:
    links = [POLICY_ARN] if linked else []
    exclusive = "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive"
    return [braze_role(), managed_policy(), res(exclusive, "only", {"roleName": "braze-currents", "policyArns": links})]


def _user_exclusive(linked: bool) -> list[Any]:
    links = [POLICY_ARN] if linked else []
    exclusive = "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive"
    return [braze_user(), managed_policy(), res(exclusive, "only", {"userName": "braze-user", "policyArns": links})]


def _role_managed_arns(linked: bool) -> list[Any]:
    return [braze_role(managedPolicyArns=[POLICY_ARN] if linked else []), managed_policy()]


def _group_policy(linked: bool) -> list[Any]:
    group = iam_group()
    policy = res("aws:iam/groupPolicy:GroupPolicy", "gp", {"group": "braze", "policy": currents_policy_doc()})
    members = ["braze-user"] if linked else []
    membership = res("aws:iam/groupMembership:GroupMembership", "m", {"group": "braze", "users": members})
    return [braze_user(), group, policy, membership]


def _group_attachment_user_membership(linked: bool) -> list[Any]:
    group = iam_group()
    attach = res("aws:iam/groupPolicyAttachment:GroupPolicyAttachment", "ga", {"group": "braze", "policyArn": UNKNOWN})
    policy = managed_policy()
    attach.property_dependencies["policyArn"] = [policy.urn]
    user = braze_user()
    membership = res(
        "aws:iam/userGroupMembership:UserGroupMembership",
        "m",
        {"user": "braze-user", "groups": ["braze"] if linked else ["other"]},
    )
    return [user, group, policy, attach, membership]


def _group_exclusive(linked: bool) -> list[Any]:
    exclusive = "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive"
    membership = res("aws:iam/groupMembership:GroupMembership", "m", {"group": "braze", "users": ["braze-user"]})
    links = [POLICY_ARN] if linked else []
    return [
        braze_user(),
        iam_group(),
        managed_policy(),
        res(exclusive, "only", {"groupName": "braze", "policyArns": links}),
        membership,
    ]


def _policy_attachment_groups(linked: bool) -> list[Any]:
    attach = res(
        "aws:iam/policyAttachment:PolicyAttachment",
        "pa",
        {"policyArn": POLICY_ARN, "groups": ["braze"] if linked else [], "roles": [], "users": []},
    )
    membership = res("aws:iam/groupMembership:GroupMembership", "m", {"group": "braze", "users": ["braze-user"]})
    return [braze_user(), iam_group(), managed_policy(), attach, membership]


def _native_group(linked: bool) -> list[Any]:
    group = iam_group(native=True, policies=[{"policyName": "c", "policyDocument": currents_policy_doc(as_json=False)}])
    user = res(
        "aws-native:iam:User", "user", {"userName": "braze-user", "groups": ["braze"] if linked else [], "tags": []}
    )
    user.props["tags"] = [{"key": "braze:integration", "value": "currents"}]
    return [user, group]


def _native_managed_groups(linked: bool) -> list[Any]:
    policy = res(
        "aws-native:iam:ManagedPolicy",
        "policy",
        {"policyDocument": currents_policy_doc(as_json=False), "groups": ["braze"] if linked else []},
    )
    user = res("aws-native:iam:User", "user", {"userName": "braze-user", "groups": ["braze"]})
    user.props["tags"] = [{"key": "braze:integration", "value": "currents"}]
    return [user, iam_group(native=True), policy]


# At preview the names and ARNs a link holds are unknown; the engine's property dependencies say
# what it refers to. Unlinked, the dependency is missing.
def _preview_role_exclusive(linked: bool) -> list[Any]:
    role, policy = braze_role(), managed_policy()
    exclusive = "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive"
    deps = {"roleName": [role], "policyArns": [policy] if linked else []}
    return [role, policy, res(exclusive, "only", {"roleName": UNKNOWN, "policyArns": [UNKNOWN]}, deps)]


def _preview_managed_arns(linked: bool) -> list[Any]:
    policy = managed_policy()
    deps = {"managedPolicyArns": [policy]} if linked else None
    return [policy, res(T_ROLE, "role", braze_role().props | {"managedPolicyArns": [UNKNOWN]}, deps)]


def _preview_group_membership(linked: bool) -> list[Any]:
    user, group = braze_user(), iam_group()
    policy = res(
        "aws:iam/groupPolicy:GroupPolicy", "gp", {"group": UNKNOWN, "policy": currents_policy_doc()}, {"group": [group]}
    )
    deps = {"group": [group], "users": [user] if linked else []}
    membership = res("aws:iam/groupMembership:GroupMembership", "m", {"group": UNKNOWN, "users": [UNKNOWN]}, deps)
    return [user, group, policy, membership]


def _preview_native_user_groups(linked: bool) -> list[Any]:
    group = iam_group(native=True, policies=[{"policyName": "c", "policyDocument": currents_policy_doc(as_json=False)}])
    deps = {"groups": [group]} if linked else None
    user = res("aws-native:iam:User", "user", {"userName": "braze-user", "groups": [UNKNOWN]}, deps)
    user.props["tags"] = [{"key": "braze:integration", "value": "currents"}]
    return [user, group]


def _attachment_by_role_arn(linked: bool) -> list[Any]:
    """An attachment naming the role by its ARN (with a path): the name is its last segment."""
    role_arn = f"arn:aws:iam::123456789012:role/braze/{'braze-currents' if linked else 'other-role'}"
    return [braze_role(), managed_policy(), res(T_ROLE_ATTACH, "a", {"role": role_arn, "policyArn": POLICY_ARN})]


FORMS: dict[str, Callable[[bool], list[Any]]] = {
    "role-attachments-exclusive": _role_exclusive,
    "user-attachments-exclusive": _user_exclusive,
    "role-managedPolicyArns": _role_managed_arns,
    "group-policy+GroupMembership": _group_policy,
    "group-attachment+UserGroupMembership": _group_attachment_user_membership,
    "group-attachments-exclusive": _group_exclusive,
    "PolicyAttachment.groups": _policy_attachment_groups,
    "native-group-policies+User.groups": _native_group,
    "native-ManagedPolicy.groups": _native_managed_groups,
    "preview:role-attachments-exclusive": _preview_role_exclusive,
    "preview:role-managedPolicyArns": _preview_managed_arns,
    "preview:GroupMembership": _preview_group_membership,
    "preview:native-User.groups": _preview_native_user_groups,
    "attachment-by-role-arn": _attachment_by_role_arn,
}


@pytest.mark.parametrize("form", sorted(FORMS))
def test_every_attachment_form_gives_the_principal_its_permissions(form: str) -> None:
    linked = bucket_stack().add(*FORMS[form](True))
    assert run(required_permissions.RULE, linked).violations == []
    model = build_model(linked.resources)
    (principal,) = [p for p in model.braze_principals() if p.kind != "group"]
    assert model.grants.of_principal(principal).on(model.braze_buckets()[0]) is not None
    unlinked = bucket_stack().add(*FORMS[form](False))
    assert names(run(required_permissions.RULE, unlinked)) in (["role"], ["user"])


def test_a_dependency_on_a_principal_of_another_kind_links_nothing() -> None:
    """A role attachment whose `role` depends on a user (say, its name was built from the user's) does
    not give the user the policy."""
    user, policy = braze_user(), managed_policy()
    attach = res(T_ROLE_ATTACH, "a", {"role": UNKNOWN, "policyArn": POLICY_ARN}, {"role": [user]})
    model = build_model(bucket_stack().add(user, policy, attach).resources)
    assert model.principals[user.urn].policies == []


def test_an_access_key_known_only_by_dependency_belongs_to_its_user() -> None:
    user = res(T_USER, "user", {"name": "app"})
    key = res(T_KEY, "key", {"user": UNKNOWN}, {"user": [user]})
    model = build_model(bucket_stack().add(user, key).resources)
    assert [k.urn for k in model.principals[user.urn].access_keys] == [key.urn]


@pytest.mark.parametrize(
    ("role_type", "prop", "item"),
    [
        (T_ROLE, "inlinePolicies", {"name": "c", "policy": UNKNOWN}),
        ("aws-native:iam:Role", "policies", {"policyName": "c", "policyDocument": UNKNOWN}),
    ],
)
def test_an_inline_policy_unknown_at_preview_reaches_the_bucket_it_depends_on(
    role_type: str, prop: str, item: dict[str, Any]
) -> None:
    """At preview an inline document built from the bucket's POLICY_ARN is unknown; its dependency on the
    bucket says which bucket it is about, so the bucket is Braze's and the check waits for `up`."""
    stack = bucket_stack(protect=True)
    bucket = stack.find("data")
    props = {"assumeRolePolicy": doc(trust()), prop: [item], "tags": INTEGRATION_TAGS}
    if role_type.startswith("aws-native"):
        props = {
            "assumeRolePolicyDocument": doc(trust(), as_json=False),
            prop: [item],
            "tags": [{"key": k, "value": v} for k, v in INTEGRATION_TAGS.items()],
        }
    stack.add(res(role_type, "role", props, {prop: [bucket]}))
    model = build_model(stack.resources)
    assert [b.name for b in model.braze_buckets()] == [BUCKET]
    result = run(required_permissions.RULE, stack)
    assert result.violations == [] and result.notes, result.notes
