"""The pack reads aws-native's policy shapes, linked by name or by dependency, as it reads pulumi-aws's.

aws-native documents are objects (not JSON strings); a `ManagedPolicy` names its principals in
`roles`/`users` lists; a `RolePolicy`/`UserPolicy` names one in `roleName`/`userName`; a role holds
inline `policies[].policyDocument`. Each of these must make the same findings.
"""

from __future__ import annotations

from typing import Any

import pytest
from braze_rules.rules import bucket_control, least_privilege, required_permissions

from tests.pack.builders import (
    BUCKET,
    bucket_stack,
    bucket_statement,
    doc,
    names,
    objects_statement,
    res,
    run,
    trust,
)

BRAZE_OBJECTS = objects_statement(["s3:PutObject", "s3:GetObject"], f"arn:aws:s3:::{BUCKET}/currents/*")
S3_ALL = {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}


def _native_role(props: dict[str, Any] | None = None) -> Any:
    return res(
        "aws-native:iam:Role",
        "native-role",
        {"roleName": "braze-currents", "assumeRolePolicyDocument": doc(trust(), as_json=False), **(props or {})},
    )


def _stack_with(policy_res: Any | None, role_props: dict[str, Any] | None = None) -> Any:
    stack = bucket_stack()
    stack.add(_native_role(role_props))
    if policy_res is not None:
        stack.add(policy_res)
    return stack


def _managed(document: Any, link: str) -> Any:
    if link == "name":
        return res(
            "aws-native:iam:ManagedPolicy", "native-policy", {"policyDocument": document, "roles": ["braze-currents"]}
        )
    return res("aws-native:iam:ManagedPolicy", "native-policy", {"policyDocument": document, "roles": ["x"]})


@pytest.mark.parametrize(
    "shape",
    ["managed-by-name", "role-policy-by-name", "user-policy-by-name", "inline-policies"],
)
def test_brazes_grants_in_every_native_shape_satisfy_the_required_permissions(shape: str) -> None:
    document = doc(bucket_statement(), BRAZE_OBJECTS, as_json=False)
    stack = _native_stack(shape, document)
    assert run(required_permissions.RULE, stack).violations == [], shape


@pytest.mark.parametrize(
    "shape",
    ["managed-by-name", "role-policy-by-name", "user-policy-by-name", "inline-policies"],
)
def test_bucket_control_in_every_native_shape_is_found(shape: str) -> None:
    document = doc(bucket_statement(), BRAZE_OBJECTS, S3_ALL, as_json=False)
    stack = _native_stack(shape, document)
    principal = "native-user" if shape == "user-policy-by-name" else "native-role"
    assert principal in names(run(bucket_control.RULE, stack)), shape
    assert run(least_privilege.RULE, stack).violations, f"{shape}: s3:* is more than Braze needs"


def _native_stack(shape: str, document: dict[str, Any]) -> Any:
    if shape == "managed-by-name":
        return _stack_with(_managed(document, "name"))
    if shape == "role-policy-by-name":
        return _stack_with(
            res(
                "aws-native:iam:RolePolicy", "native-inline", {"policyDocument": document, "roleName": "braze-currents"}
            )
        )
    if shape == "user-policy-by-name":
        stack = bucket_stack()
        stack.add(
            res(
                "aws-native:iam:User",
                "native-user",
                {"userName": "braze-user", "tags": [{"key": "braze:integration", "value": "currents"}]},
            )
        )
        stack.add(
            res("aws-native:iam:UserPolicy", "native-inline", {"policyDocument": document, "userName": "braze-user"})
        )
        return stack
    return _stack_with(None, {"policies": [{"policyName": "braze", "policyDocument": document}]})


def test_a_native_managed_policy_naming_another_role_does_not_apply() -> None:
    document = doc(bucket_statement(), BRAZE_OBJECTS, S3_ALL, as_json=False)
    assert run(bucket_control.RULE, _stack_with(_managed(document, "other"))).violations == []
