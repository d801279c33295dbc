"""braze-least-privilege (advisory): nothing beyond Braze's actions, bucket and folder."""

from __future__ import annotations

import pytest
from braze_rules.rules.least_privilege import RULE

from tests.pack.builders import (
    BUCKET,
    T_POLICY,
    T_ROLE_ATTACH,
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
    ("statement", "words"),
    [
        ({"Effect": "Allow", "Action": "s3:*", "Resource": f"arn:aws:s3:::{BUCKET}/c/*"}, "s3:*"),
        ({"Effect": "Allow", "Action": "*", "Resource": f"arn:aws:s3:::{BUCKET}/c/*"}, "allows *"),
        ({"Effect": "Allow", "NotAction": "iam:*", "Resource": f"arn:aws:s3:::{BUCKET}/c/*"}, "NotAction"),
        ({"Effect": "Allow", "Action": "s3:PutObject", "NotResource": "arn:aws:s3:::x"}, "NotResource"),
        ({"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}, "every bucket"),
        (
            {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::another-bucket/*"},
            "a bucket Braze does not write to",
        ),
        ({"Effect": "Allow", "Action": "s3:DeleteObject", "Resource": f"arn:aws:s3:::{BUCKET}/c/*"}, "delete objects"),
        ({"Effect": "Allow", "Action": "s3:PutObjectAcl", "Resource": f"arn:aws:s3:::{BUCKET}/c/*"}, "s3:PutObjectAcl"),
    ],
    ids=[
        "s3-star",
        "star",
        "not-action",
        "not-resource",
        "all-buckets",
        "other-bucket",
        "currents-delete",
        "extra-action",
    ],
)
def test_more_than_braze_needs_is_reported(statement: dict[str, object], words: str) -> None:
    stack = bucket_stack()
    role_with_policy(
        stack,
        "c",
        doc(
            bucket_statement(),
            objects_statement(["s3:PutObject", "s3:GetObject"], f"arn:aws:s3:::{BUCKET}/c/*"),
            statement,
        ),
    )
    policy = stack.find("c-policy")
    stack.replace("c-policy", res(T_POLICY, "c-policy", {**policy.props, "tags": {"braze:integration": "currents"}}))
    result = run(RULE, stack)
    assert "c-policy" in names(result), [v.message for v in result.violations]
    assert any(words in v.message for v in result.violations), [v.message for v in result.violations]


def test_currents_policy_outside_its_tagged_folder_is_reported() -> None:
    stack = bucket_stack()
    role_with_policy(
        stack,
        "c",
        doc(bucket_statement(), objects_statement(["s3:PutObject", "s3:GetObject"], f"arn:aws:s3:::{BUCKET}/*")),
    )
    policy = stack.find("c-policy")
    stack.replace(
        "c-policy",
        res(
            T_POLICY,
            "c-policy",
            {**policy.props, "tags": {"braze:integration": "currents", "braze:folder-path": "currents"}},
        ),
    )
    assert any("outside its folder" in v.message for v in run(RULE, stack).violations)


def test_an_attached_aws_managed_policy_is_reported() -> None:
    stack = good_stack()
    stack.add(
        res(
            T_ROLE_ATTACH,
            "full",
            {"role": UNKNOWN, "policyArn": "arn:aws:iam::aws:policy/AmazonS3FullAccess"},
            {"role": [stack.find("export-role")]},
        )
    )
    result = run(RULE, stack)
    assert any("AmazonS3FullAccess" in v.message for v in result.violations)
