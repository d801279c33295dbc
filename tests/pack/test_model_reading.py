"""How the model's queries read what the grants hold, and how findings name what they blame.

A key pattern granted without its slash (`currents*`) names a folder only when the rest is literal: a
wildcard inside it reaches several. A finding names a bucket the stack only references by its name
alone, and an aws-native policy by its resource alone (its document is its `policyDocument`; only a
document inside another resource is named by its path). The folder check reads a Currents policy that
grants no PutObject, or reaches the bucket only through a grant on every bucket, without claiming a
folder for it.
"""

from __future__ import annotations

from typing import Any

import pytest
from braze_rules.model import folder_of_prefix
from braze_rules.rules import folder_paths, least_privilege, required_permissions

from tests.pack.builders import (
    BUCKET,
    Stack,
    bucket_stack,
    bucket_statement,
    doc,
    names,
    objects_statement,
    res,
    run,
    trust,
)
from tests.pack.principals import INTEGRATION_TAGS, POLICY_ARN, braze_role, managed_policy


@pytest.mark.parametrize(
    ("key", "folder"),
    [
        ("currents*", "currents"),
        ("team/currents*", "team/currents"),
        ("/currents*", "currents"),
        ("currents/*", None),  # a folder proper: folder_of_key_pattern's
        ("*", None),
        ("currents", None),
        ("cur*rents*", None),
        ("cur?ents*", None),
        ("a?b*c*", None),
    ],
)
def test_a_prefix_grant_names_one_folder_only_when_the_rest_is_literal(key: str, folder: str | None) -> None:
    """`cur*rents*` reaches `curXrents-a/` and `currents/` alike, `cur?ents*` every `curXents…`: no one folder."""
    assert folder_of_prefix(key) == folder


def test_a_finding_names_a_bucket_the_stack_only_references_by_its_name_alone() -> None:
    """No bucket resource to name: `bucket "legacy-exports"`, and nothing after it."""
    document = doc(
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::legacy-exports"},
        objects_statement(["s3:PutObject", "s3:GetObject"], "arn:aws:s3:::legacy-exports/currents/*"),
    )
    stack = Stack().add(braze_role(managedPolicyArns=[POLICY_ARN], tags=INTEGRATION_TAGS), managed_policy(document))
    (violation,) = run(required_permissions.RULE, stack).violations
    assert (
        'lacks s3:GetBucketLocation on arn:aws:s3:::legacy-exports on bucket "legacy-exports". Braze'
        in violation.message
    )


def _native_role(**props: Any) -> Any:
    return res(
        "aws-native:iam:Role",
        "native-role",
        {"roleName": "braze-currents", "assumeRolePolicyDocument": doc(trust(), as_json=False), **props},
    )


S3_ALL = {"Effect": "Allow", "Action": "s3:*", "Resource": f"arn:aws:s3:::{BUCKET}/*"}


def test_a_finding_names_an_aws_native_policy_by_its_resource_and_an_inline_one_by_its_path() -> None:
    document = doc(bucket_statement(), S3_ALL, as_json=False)
    managed = res(
        "aws-native:iam:ManagedPolicy", "native-policy", {"policyDocument": document, "roles": ["braze-currents"]}
    )
    found = run(least_privilege.RULE, bucket_stack().add(_native_role(), managed)).violations
    assert [v.message.split(" allows ")[0] for v in found] == ['"native-policy" (aws-native:iam:ManagedPolicy)']
    inline = _native_role(policies=[{"policyName": "braze", "policyDocument": document}])
    found = run(least_privilege.RULE, bucket_stack().add(inline)).violations
    assert [v.message.split(" allows ")[0] for v in found] == [
        '"native-role" (aws-native:iam:Role) (policies[0].policyDocument)'
    ]


def _currents_policy_stack(*statements: dict[str, Any], **bucket_props: Any) -> Stack:
    return bucket_stack(**bucket_props).add(
        braze_role(managedPolicyArns=[POLICY_ARN], tags=INTEGRATION_TAGS), managed_policy(doc(*statements))
    )


def test_a_currents_policy_that_grants_no_putobject_claims_no_folder() -> None:
    """It lists and reads but forgot PutObject: the required permissions say so; the folder check finds
    no folder it writes, and nothing to report."""
    stack = _currents_policy_stack(
        bucket_statement(), objects_statement(["s3:GetObject"], f"arn:aws:s3:::{BUCKET}/currents/*")
    )
    assert names(run(required_permissions.RULE, stack)) == ["role"]
    assert run(folder_paths.RULE, stack).violations == []


def test_a_currents_policy_that_reaches_the_bucket_only_through_every_bucket_claims_no_folder_there() -> None:
    """`arn:aws:s3:::*/currents/*` writes `currents/` in every bucket, the tagged Braze bucket among them:
    a breadth the least-privilege check reports; the folder check claims no folder of this bucket for it."""
    stack = _currents_policy_stack(
        objects_statement(["s3:ListBucket", "s3:GetBucketLocation"], "arn:aws:s3:::*"),
        objects_statement(["s3:PutObject", "s3:GetObject"], "arn:aws:s3:::*/currents/*"),
        tags={"braze:bucket": "true"},
    )
    assert run(folder_paths.RULE, stack).violations == []
    assert run(least_privilege.RULE, stack).violations
