"""What makes a resource Braze's, on stacks that are not Braze's or only partly: only the tag contract's four keys
(`braze:owner` or a cost tag spread by defaultTags is an organisation's own), and not a bucket policy's Allow to
everyone (a public website bucket, an organisation-wide read) beside the buckets the Braze principals are granted by
name. Every policy of the pack runs as the engine runs it: each resource alone (`Analyze`), then the stack."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from braze_rules import conditions
from braze_rules.registry import RULES, evaluate, evaluate_linked, evaluate_resource

from tests.pack.builders import (
    BUCKET,
    KMS_KEY_ARN,
    T_BUCKET,
    T_BUCKET_POLICY,
    UNKNOWN,
    Stack,
    as_policy_resources,
    doc,
    export_policy_doc,
    good_stack,
    res,
    role_with_policy,
    user_with_policy,
)

CONFIG = {"brazeAccountIds": ["716373062512"]}
EC2_TRUST = doc({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"})


def mandatory(stack: Stack | list[Any]) -> list[tuple[str, str]]:
    """(policy, message) of every mandatory finding, resource by resource and then on the stack."""
    resources = as_policy_resources(stack.resources if isinstance(stack, Stack) else stack)
    found = []
    for rule in RULES:
        if rule.enforcement != "mandatory":
            continue
        results = [evaluate_resource(rule, r, CONFIG) for r in resources] if rule.per_resource else []
        results.append((evaluate_linked if rule.per_resource else evaluate)(rule, resources, CONFIG, object()))
        found += [(rule.name, v.message) for result in results for v in result.violations]
    return found


@pytest.mark.parametrize("tag", ["braze:owner", "braze:team", "braze:cost-center", "braze:env"])
def test_a_braze_prefixed_tag_outside_the_contract_leaves_a_compliance_bucket_alone(tag: str) -> None:
    bucket = res(T_BUCKET, "audit", {"bucket": "acme-audit", "objectLockEnabled": True, "tags": {tag: "crm"}})
    assert mandatory([bucket]) == []


def test_a_contract_tag_makes_the_same_bucket_brazes() -> None:
    bucket = res(
        T_BUCKET, "audit", {"bucket": "acme-audit", "objectLockEnabled": True, "tags": {"braze:bucket": "true"}}
    )
    assert "braze-no-object-lock" in {policy for policy, _ in mandatory([bucket])}


def test_a_braze_prefixed_tag_outside_the_contract_leaves_an_ec2_role_and_a_data_lake_policy_alone() -> None:
    ec2 = role_with_policy(
        Stack(),
        "web",
        doc({"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}),
        trust_doc=EC2_TRUST,
        role_props={"tags": {"braze:owner": "crm"}},
    )
    assert mandatory(ec2) == []
    lake = Stack().add(res(T_BUCKET, "lake", {"bucket": "acme-lake", "objectLockEnabled": True}))
    role_with_policy(
        lake,
        "etl",
        doc({"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::acme-lake/*"}),
        trust_doc=EC2_TRUST,
    )
    policy = lake.find("etl-policy")
    lake.replace("etl-policy", dataclasses.replace(policy, props={**policy.props, "tags": {"braze:owner": "crm"}}))
    assert mandatory(lake) == []


LOGS = ["arn:aws:s3:::acme-logs", "arn:aws:s3:::acme-logs/*"]
EVERYONE = {
    "public-website": {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": LOGS[1]},
    "org-wide-read": {
        "Effect": "Allow",
        "Principal": {"AWS": "*"},
        "Action": ["s3:GetObject", "s3:ListBucket"],
        "Resource": LOGS,
        "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}},
    },
    "same-account": {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": LOGS,
        "Condition": {"StringEquals": {"aws:PrincipalAccount": "123456789012"}},
    },
}


def _with_logs_bucket(statement: dict[str, Any]) -> Stack:
    stack = good_stack()
    logs = res(T_BUCKET, "logs", {"bucket": "acme-logs", "objectLockEnabled": True})
    policy = res(T_BUCKET_POLICY, "logs-policy", {"bucket": "acme-logs", "policy": doc(statement)}, {"bucket": [logs]})
    return stack.add(logs, policy)


@pytest.mark.parametrize("case", sorted(EVERYONE))
def test_a_bucket_policy_allow_to_everyone_leaves_another_bucket_of_a_braze_stack_alone(case: str) -> None:
    found = mandatory(_with_logs_bucket(EVERYONE[case]))
    assert [f for f in found if "acme-logs" in f[1] or '"logs"' in f[1]] == [], found


def test_a_bucket_policy_allow_naming_a_braze_role_makes_that_bucket_brazes() -> None:
    named = {**EVERYONE["public-website"], "Principal": {"AWS": "arn:aws:iam::123456789012:role/braze-export"}}
    stack = _with_logs_bucket(named)
    role = stack.find("export-role")
    stack.replace("export-role", dataclasses.replace(role, props={**role.props, "name": "braze-export"}))
    stack.add(res("aws:iam/policy:Policy", "account", {"arn": "arn:aws:iam::123456789012:policy/x", "policy": doc()}))
    assert any(policy == "braze-no-object-lock" and "acme-logs" in message for policy, message in mandatory(stack))


def test_users_whose_own_policies_cannot_be_brazes_are_not_matched_against_every_bucket_policy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The fingerprint is decided on a user's own actions first: a stack of many application users and many
    bucket policies is read in one pass, not users × bucket-policy statements."""
    calls = []
    real = conditions.grants
    monkeypatch.setattr(conditions, "grants", lambda *a: calls.append(a) or real(*a))
    stack = Stack()
    for i in range(30):
        bucket = res(T_BUCKET, f"b{i}", {"bucket": f"team-bucket-{i}"})
        allow = {
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::123456789012:role/app-{i}"},
            "Action": ["s3:GetObject", "s3:PutObject"],
            "Resource": f"arn:aws:s3:::team-bucket-{i}/*",
        }
        stack.add(
            bucket,
            res(T_BUCKET_POLICY, f"bp{i}", {"bucket": f"team-bucket-{i}", "policy": doc(allow)}, {"bucket": [bucket]}),
        )
        own = {
            "Effect": "Allow",
            "Action": ["s3:GetObject", "sqs:SendMessage"],
            "Resource": f"arn:aws:s3:::team-bucket-{i}/*",
        }
        user_with_policy(stack, f"app{i}", doc(own))
    assert mandatory(stack) == []
    assert calls == []


def _with_read_only_bucket(actions: list[str]) -> Stack:
    """The good stack, its main Currents role also holding `actions` on a second bucket with Object Lock."""
    stack = good_stack()
    config = res(T_BUCKET, "cfg", {"bucket": "acme-config", "objectLockEnabled": True})
    policy = res(
        "aws:iam/policy:Policy",
        "cfg-read",
        {"policy": doc({"Effect": "Allow", "Action": actions, "Resource": "arn:aws:s3:::acme-config/*"})},
    )
    attach = res(
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "cfg-attach",
        {"role": UNKNOWN, "policyArn": UNKNOWN},
        {"role": [stack.find("currents-main-role")], "policyArn": [policy]},
    )
    return stack.add(config, policy, attach)


def test_a_bucket_a_braze_role_only_reads_beside_its_write_bucket_is_not_brazes() -> None:
    assert [f for f in mandatory(_with_read_only_bucket(["s3:GetObject"])) if "acme-config" in f[1]] == []
    written = mandatory(_with_read_only_bucket(["s3:GetObject", "s3:PutObject"]))
    assert any(policy == "braze-no-object-lock" and "acme-config" in message for policy, message in written)


def test_an_untagged_braze_user_granted_the_kms_actions_braze_no_sse_kms_asks_for_is_still_brazes() -> None:
    """The fingerprint admits a statement of exactly kms:GenerateDataKey and kms:Decrypt (the rule's own fix);
    any other action beside Braze's still makes the user some other application's."""

    def stack_with(extra: dict[str, Any]) -> Stack:
        stack = Stack().add(res(T_BUCKET, "data", {"bucket": BUCKET, "acl": "public-read"}))
        return user_with_policy(stack, "export", export_policy_doc(extra=[extra]))

    kms = {"Effect": "Allow", "Action": ["kms:GenerateDataKey", "kms:Decrypt"], "Resource": KMS_KEY_ARN}
    assert "braze-bucket-not-public" in {policy for policy, _ in mandatory(stack_with(kms))}
    other = {**kms, "Action": ["kms:GenerateDataKey", "kms:Encrypt"]}
    assert mandatory(stack_with(other)) == []


def _untagged_user_on_a_locked_bucket(policy: Any, bucket_policy: dict[str, Any] | None = None) -> Stack:
    stack = Stack().add(res(T_BUCKET, "data", {"bucket": BUCKET, "objectLockEnabled": True}))
    user_with_policy(stack, "app", policy, user_props={"arn": "arn:aws:iam::123456789012:user/app-user"})
    if bucket_policy is not None:
        data = stack.find("data")
        stack.add(
            res(T_BUCKET_POLICY, "data-policy", {"bucket": BUCKET, "policy": doc(bucket_policy)}, {"bucket": [data]})
        )
    return stack


def test_one_statement_of_all_five_of_brazes_actions_is_brazes_fingerprint() -> None:
    five = doc(
        {
            "Effect": "Allow",
            "Action": ["s3:ListBucket", "s3:GetBucketLocation", "s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
            "Resource": [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"],
        }
    )
    assert "braze-no-object-lock" in {policy for policy, _ in mandatory(_untagged_user_on_a_locked_bucket(five))}


def test_a_bucket_policy_granting_the_user_more_than_brazes_actions_breaks_the_fingerprint() -> None:
    """Braze's five actions in its own policy, but the bucket policy also grants it s3:* by its ARN: some other
    application's user, whatever its own policy looks like."""
    everything = {
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::123456789012:user/app-user"},
        "Action": "s3:*",
        "Resource": [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"],
    }
    assert mandatory(_untagged_user_on_a_locked_bucket(export_policy_doc(), everything)) == []
    assert mandatory(_untagged_user_on_a_locked_bucket(export_policy_doc())) != []
