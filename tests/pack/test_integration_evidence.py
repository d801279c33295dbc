"""Which integration a principal serves, from the right evidence (issue 24, class 4): what the stack
declares (the integration tag, the folder-path tag, the connector tag, the connector component) wins
over what the grants show; a Currents principal that may also delete is an over-privileged Currents
principal (braze-least-privilege), never "both integrations" (braze-separate-integration-policies) nor a
dashboard-export principal missing export's actions (braze-required-permissions). `s3:*` likewise:
bucket control, yes; both integrations, no."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from braze_rules.model_builder import build_model
from braze_rules.rules import bucket_control, least_privilege, required_permissions, separate_policies

from tests.pack.builders import (
    BUCKET,
    T_POLICY,
    T_ROLE,
    T_ROLE_ATTACH,
    UNKNOWN,
    Stack,
    bucket_stack,
    bucket_statement,
    doc,
    export_policy_doc,
    names,
    objects_statement,
    res,
    role_with_policy,
    run,
    trust,
)

CURRENTS = objects_statement(["s3:PutObject", "s3:GetObject"], f"arn:aws:s3:::{BUCKET}/currents/*")
DELETE_ALL = objects_statement(["s3:DeleteObject"], f"arn:aws:s3:::{BUCKET}/*")
S3_STAR = {"Effect": "Allow", "Action": "s3:*", "Resource": [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"]}
COMPONENT = "braze:s3:CurrentsConnector"


def _stack(statements: list[dict[str, Any]], how: str, as_json: bool = True) -> Stack:
    """A Currents role known as such in one way, with these statements in its one policy."""
    stack = bucket_stack()
    document = doc(*statements, as_json=as_json)
    if how == "component":
        component = res(COMPONENT, "main", {})
        role = res(T_ROLE, "c-role", {"assumeRolePolicy": doc(trust())}, parent=component)
        policy = res(T_POLICY, "c-policy", {"policy": document}, parent=component)
        attach = res(
            T_ROLE_ATTACH, "c-attach", {"role": UNKNOWN, "policyArn": UNKNOWN}, {"role": [role], "policyArn": [policy]}
        )
        return stack.add(component, role, policy, attach)
    role_tags = {
        "role-tag": {"braze:integration": "currents"},
        "connector-tag": {"braze:connector": "main"},
        "policy-tag": {},
        "folder-tag": {},
    }[how]
    role_with_policy(stack, "c", document, role_props={"tags": role_tags} if role_tags else None)
    policy_tags = {"policy-tag": {"braze:integration": "currents"}, "folder-tag": {"braze:folder-path": "currents"}}
    if how in policy_tags:
        stack.replace("c-policy", res(T_POLICY, "c-policy", {"policy": document, "tags": policy_tags[how]}))
    return stack


def _native_stack(statements: list[dict[str, Any]]) -> Stack:
    stack = bucket_stack()
    role = res(
        "aws-native:iam:Role",
        "c-role",
        {
            "assumeRolePolicyDocument": doc(trust(), as_json=False),
            "tags": [{"key": "braze:integration", "value": "currents"}],
            "policies": [{"policyName": "s3", "policyDocument": doc(*statements, as_json=False)}],
        },
    )
    return stack.add(role)


HOW = ["role-tag", "policy-tag", "folder-tag", "connector-tag", "component"]
BUILDERS: dict[str, Callable[[list[dict[str, Any]]], Stack]] = {
    **{how: (lambda statements, how=how: _stack(statements, how)) for how in HOW},
    "object-document": lambda statements: _stack(statements, "role-tag", as_json=False),
    "aws-native-inline": _native_stack,
}


@pytest.mark.parametrize("how", sorted(BUILDERS))
def test_a_currents_principal_that_may_delete_is_over_privileged_currents(how: str) -> None:
    stack = BUILDERS[how]([bucket_statement(), CURRENTS, DELETE_ALL])
    assert run(separate_policies.RULE, stack).violations == []
    required = run(required_permissions.RULE, stack)
    assert required.violations == [], required.violations
    advice = run(least_privilege.RULE, stack).violations
    assert any("delete objects" in v.message for v in advice), advice


@pytest.mark.parametrize("how", sorted(BUILDERS))
def test_a_currents_principal_with_s3_star_controls_the_bucket_and_serves_one_integration(how: str) -> None:
    stack = BUILDERS[how]([S3_STAR])
    assert names(run(bucket_control.RULE, stack)) == ["c-role"]
    assert run(separate_policies.RULE, stack).violations == []
    assert run(required_permissions.RULE, stack).violations == []


def test_without_a_declaration_a_wildcard_delete_is_no_evidence_of_dashboard_export() -> None:
    stack = bucket_stack()
    role_with_policy(stack, "c", doc(bucket_statement(), CURRENTS, S3_STAR))
    model = build_model(stack.resources)
    holder = model.grants.of_principal(model.principals[stack.find("c-role").urn])
    assert holder.integrations == {"currents"}
    assert run(separate_policies.RULE, stack).violations == []
    assert names(run(bucket_control.RULE, stack)) == ["c-role"]


def test_without_a_declaration_a_delete_inside_the_folder_is_over_privileged_currents() -> None:
    stack = bucket_stack()
    folder_delete = objects_statement(
        ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"], f"arn:aws:s3:::{BUCKET}/currents/*"
    )
    role_with_policy(stack, "c", doc(bucket_statement(), folder_delete))
    assert run(separate_policies.RULE, stack).violations == []
    assert run(required_permissions.RULE, stack).violations == []
    assert any("delete objects" in v.message for v in run(least_privilege.RULE, stack).violations)


def test_without_a_declaration_a_named_delete_on_the_bucket_is_dashboard_export() -> None:
    """The unchanged inference: the export policy's own grants show dashboard export."""
    stack = bucket_stack()
    role_with_policy(stack, "e", export_policy_doc())
    model = build_model(stack.resources)
    assert model.grants.of_principal(model.principals[stack.find("e-role").urn]).integrations == {"dashboard-export"}


def test_a_dashboard_export_tag_and_a_currents_tag_on_one_principal_still_serve_both() -> None:
    stack = _stack([bucket_statement(), CURRENTS, DELETE_ALL], "role-tag")
    role = stack.find("c-role")
    stack.replace("c-role", res(T_ROLE, "c-role", {**role.props, "tags": {"braze:connector": "dashboard-export"}}))
    stack.replace(
        "c-policy",
        res(
            T_POLICY, "c-policy", {"policy": stack.find("c-policy").props["policy"], "tags": {"braze:folder-path": "c"}}
        ),
    )
    assert "c-role" in names(run(separate_policies.RULE, stack))


def test_a_currents_principal_whose_policy_is_known_only_after_deployment_gets_a_note() -> None:
    stack = _stack([bucket_statement()], "role-tag")
    stack.replace("c-policy", res(T_POLICY, "c-policy", {"policy": UNKNOWN}, {"policy": [stack.find("data")]}))
    result = run(required_permissions.RULE, stack)
    assert result.violations == [] and result.notes
