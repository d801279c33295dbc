"""braze-required-permissions: what Braze's credential test needs, per integration."""

from __future__ import annotations

import pytest
from braze_rules.rules.required_permissions import RULE

from tests.pack.builders import (
    BUCKET,
    T_BUCKET_POLICY,
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


def test_program_shaped_policies_pass() -> None:
    assert run(RULE, good_stack()).violations == []


@pytest.mark.parametrize(
    ("statements", "missing"),
    [
        (
            [bucket_statement(), objects_statement(["s3:PutObject"], f"arn:aws:s3:::{BUCKET}/currents/*")],
            "s3:GetObject",
        ),
        ([objects_statement(["s3:PutObject", "s3:GetObject"], f"arn:aws:s3:::{BUCKET}/currents/*")], "s3:ListBucket"),
        (
            [
                {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{BUCKET}"},
                objects_statement(["s3:PutObject", "s3:GetObject"], f"arn:aws:s3:::{BUCKET}/currents/*"),
            ],
            "s3:GetBucketLocation",
        ),
    ],
    ids=["no-get-object", "no-bucket-actions", "no-get-bucket-location"],
)
def test_missing_braze_action_fails(statements: list[dict[str, object]], missing: str) -> None:
    stack = bucket_stack()
    role_with_policy(stack, "c", doc(*statements))
    result = run(RULE, stack)
    assert names(result) == ["c-role"]
    assert missing in result.violations[0].message


def test_dashboard_export_without_delete_fails() -> None:
    stack = bucket_stack()
    role_with_policy(
        stack,
        "export",
        doc(bucket_statement(), objects_statement(["s3:PutObject", "s3:GetObject"], f"arn:aws:s3:::{BUCKET}/*")),
    )
    role = stack.find("export-role")
    stack.replace(
        "export-role", res(role.type, "export-role", {**role.props, "tags": {"braze:integration": "dashboard-export"}})
    )
    result = run(RULE, stack)
    assert "s3:DeleteObject" in result.violations[0].message


@pytest.mark.parametrize(
    "statements",
    [
        [{"Effect": "Allow", "Action": "s3:*", "Resource": [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"]}],
        [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}],
        [{"Effect": "Allow", "Action": ["s3:List*", "s3:Get*", "s3:Put*"], "NotResource": "arn:aws:s3:::other/*"}],
    ],
    ids=["s3-star", "not-action", "not-resource"],
)
def test_wildcard_forms_count_as_granted(statements: list[dict[str, object]]) -> None:
    stack = bucket_stack()
    role_with_policy(stack, "c", doc(*statements))
    assert run(RULE, stack).violations == []


def test_an_unconditional_deny_takes_the_permission_away() -> None:
    stack = bucket_stack()
    deny = {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}
    role_with_policy(
        stack,
        "c",
        doc(
            bucket_statement(), objects_statement(["s3:PutObject", "s3:GetObject"], f"arn:aws:s3:::{BUCKET}/c/*"), deny
        ),
    )
    assert "s3:GetObject" in run(RULE, stack).violations[0].message


def test_a_braze_role_without_any_policy_fails() -> None:
    from tests.pack.builders import T_ROLE, trust

    stack = bucket_stack()
    stack.add(res(T_ROLE, "lonely", {"assumeRolePolicy": doc(trust())}))
    assert names(run(RULE, stack)) == ["lonely"]


def test_unknown_policy_document_is_a_note_not_a_violation() -> None:
    stack = bucket_stack()
    role_with_policy(stack, "c", UNKNOWN)
    stack.replace(
        "c-policy", res("aws:iam/policy:Policy", "c-policy", {"policy": UNKNOWN}, {"policy": [stack.find("data")]})
    )
    result = run(RULE, stack)
    assert result.violations == [] and result.notes


@pytest.mark.parametrize("partition", ["aws-cn", "aws-us-gov"])
def test_policies_of_a_china_or_govcloud_bucket_grant_what_braze_needs(partition: str) -> None:
    """The ARNs of such a bucket are arn:aws-cn:… / arn:aws-us-gov:…; they must count as granted."""
    stack = bucket_stack()
    bucket = {
        "Effect": "Allow",
        "Action": ["s3:ListBucket", "s3:GetBucketLocation"],
        "Resource": f"arn:{partition}:s3:::{BUCKET}",
    }
    objects = objects_statement(["s3:PutObject", "s3:GetObject"], f"arn:{partition}:s3:::{BUCKET}/currents/*")
    role_with_policy(stack, "currents-main", doc(bucket, objects))
    assert run(RULE, stack).violations == []


def _deny(action: str | list[str], condition: dict[str, object] | None = None) -> dict[str, object]:
    statement: dict[str, object] = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": action,
        "Resource": [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"],
    }
    if condition:
        statement["Condition"] = condition
    return statement


@pytest.mark.parametrize(
    ("statement", "denied_roles"),
    [
        (_deny("s3:PutObject"), ["currents-eu-role", "currents-main-role", "export-role"]),
        (
            _deny("s3:*", {"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}),
            ["currents-eu-role", "currents-main-role", "export-role"],
        ),
        (
            _deny("s3:PutObject", {"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}),
            ["currents-eu-role", "currents-main-role", "export-role"],
        ),
        (_deny("s3:DeleteObject"), ["export-role"]),
        (_deny("s3:*", {"Bool": {"aws:SecureTransport": "false"}}), []),
        (_deny("s3:*", {"StringNotEquals": {"aws:PrincipalOrgID": "o-abc123"}}), []),
        (_deny("s3:PutBucketPolicy"), []),
    ],
    ids=["deny-put", "vpce-only", "ip-only", "deny-delete", "tls-only", "org-only", "unrelated-action"],
)
def test_a_bucket_policy_deny_that_hits_brazes_requests_fails(
    statement: dict[str, object], denied_roles: list[str]
) -> None:
    stack = good_stack()
    stack.replace("data-tls", res(T_BUCKET_POLICY, "data-tls", {"bucket": BUCKET, "policy": doc(statement)}))
    found = [v for v in run(RULE, stack).violations if v.urn.endswith("::data-tls")]
    assert sorted(r for r in denied_roles for v in found if f'"{r}"' in v.message) == denied_roles
    assert len(found) == len(denied_roles)


ALL_ROLES = ["currents-eu-role", "currents-main-role", "export-role"]
VPC_ONLY = {"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}


@pytest.mark.parametrize(
    ("statements", "denied_roles", "why"),
    [
        # a Deny of the objects alone: Braze's object writes are its target
        (
            [{**_deny("s3:PutObject", VPC_ONLY), "Resource": f"arn:aws:s3:::{BUCKET}/*"}],
            ALL_ROLES,
            "admits only your own network (StringNotEquals on aws:SourceVpce)",
        ),
        (
            [
                _deny("s3:PutBucketPolicy"),  # another action
                {**_deny("s3:PutObject"), "Resource": "arn:aws:s3:::another-bucket/*"},  # another bucket
                _deny("s3:*", {"Bool": {"aws:SecureTransport": "false"}}),  # harmless
                _deny("s3:PutObject"),
            ],
            ALL_ROLES,
            "every principal",
        ),
        ([{**_deny("s3:PutObject"), "Principal": {"AWS": "arn:aws:iam::111122223333:root"}}], [], None),
        ([_deny("s3:*", {**VPC_ONLY, "Bool": {"aws:SecureTransport": "false"}})], [], None),  # plain HTTP only
        # ForAnyValue is false when the request carries no such key (IAM): Braze's has no VPC endpoint
        ([_deny("s3:*", {"ForAnyValue:StringNotLike": {"aws:SourceVpce": "vpce-*"}})], [], None),
        ([_deny("s3:*", {"ForAllValues:StringNotLike": {"aws:SourceVpce": "vpce-*"}})], ALL_ROLES, "ForAllValues"),
    ],
    ids=["objects-only", "after-a-harmless-deny", "another-account", "tls-and-vpc", "for-any-value", "for-all-values"],
)
def test_which_bucket_policy_denials_reach_braze_and_why(
    statements: list[dict[str, object]], denied_roles: list[str], why: str | None
) -> None:
    stack = good_stack()
    stack.replace("data-tls", res(T_BUCKET_POLICY, "data-tls", {"bucket": BUCKET, "policy": doc(*statements)}))
    found = [v for v in run(RULE, stack).violations if v.urn.endswith("::data-tls")]
    assert sorted(r for r in denied_roles for v in found if f'"{r}"' in v.message) == denied_roles
    assert all(why in v.message for v in found if why), [v.message for v in found]
