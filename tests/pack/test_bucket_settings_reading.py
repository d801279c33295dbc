"""Reading a bucket's ACLs and default encryption (`bucket_settings`) in the shapes its other tests leave open.

- ACL grants are read one by one: a grant written as one object instead of a list is still a grant,
  and an item that is not an object (unknown at preview, malformed) or has no grantee object beside a
  public grant neither hides it nor stops the rule.
- A Braze bucket the stack only references (an existing bucket, known by name) has no resource of its
  own: the ACL and default-encryption resources the stack sets for it are read all the same.
- Every type the encryption reader takes (each bucket type, each encryption configuration type) has
  the paths it is read at, so none is skipped unread (or stops the rule).
"""

from __future__ import annotations

from typing import Any

import pytest
from braze_rules.bucket_settings import default_encryptions
from braze_rules.model_builder import build_model
from braze_rules.rules import not_public, sse_kms
from braze_rules.shapes import BUCKETS, SSE_BY_DEFAULT, SSE_CONFIGS

from tests.pack.builders import (
    BRAZE_ACCOUNT,
    BUCKET,
    T_BUCKET,
    UNKNOWN,
    Stack,
    currents_policy_doc,
    good_stack,
    names,
    res,
    role_with_policy,
    run,
)

T_ACL_V2 = "aws:s3/bucketAclV2:BucketAclV2"
T_SSE_V2 = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
OWNER = {"type": "CanonicalUser", "id": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}


def _acl_findings(stack: Stack) -> list[str]:
    """The ACL findings of braze-bucket-not-public, as "<resource>: <grantee>"."""
    found = [v for v in run(not_public.RULE, stack).violations if "ACL" in v.message]
    return [f"{v.urn.rsplit('::', 1)[-1]}: {v.message.split('an ACL grant to ')[-1].split(';')[0]}" for v in found]


def _with_acl_resource(access_control_policy: dict[str, Any]) -> Stack:
    stack = good_stack()
    props = {"bucket": BUCKET, "accessControlPolicy": access_control_policy}
    return stack.add(res(T_ACL_V2, "data-acl", props, {"bucket": [stack.find("data")]}))


def _with_inline_grants(grants: Any) -> Stack:
    stack = good_stack()
    bucket = stack.find("data")
    return stack.replace("data", res(T_BUCKET, "data", {**bucket.props, "grants": grants}, protect=True))


def test_an_inline_grant_written_as_one_object_is_read() -> None:
    stack = _with_inline_grants({"type": "Group", "uri": ALL_USERS, "permissions": ["READ"]})
    assert _acl_findings(stack) == ["data: AllUsers"]


def test_an_acl_resources_grant_written_as_one_object_is_read() -> None:
    grant = {"grantee": {"type": "Group", "uri": AUTHENTICATED_USERS}, "permission": "READ"}
    assert _acl_findings(_with_acl_resource({"grants": grant, "owner": OWNER})) == ["data-acl: AuthenticatedUsers"]


NOT_A_GRANT_OBJECT = [UNKNOWN, "READ", None]
NO_GRANTEE_OBJECT = [{"permission": "READ"}, {"grantee": UNKNOWN, "permission": "READ"}, {"grantee": "everyone"}]


@pytest.mark.parametrize(
    "other",
    NOT_A_GRANT_OBJECT + NO_GRANTEE_OBJECT,
    ids=["unknown", "a-string", "null", "no-grantee", "unknown-grantee", "grantee-a-string"],
)
def test_an_acl_resources_item_without_a_grantee_object_does_not_hide_a_public_grant(other: Any) -> None:
    public = {"grantee": {"type": "Group", "uri": ALL_USERS}, "permission": "READ"}
    owner = {"grantee": OWNER, "permission": "FULL_CONTROL"}
    stack = _with_acl_resource({"grants": [other, owner, public], "owner": OWNER})
    assert _acl_findings(stack) == ["data-acl: AllUsers"]


@pytest.mark.parametrize("other", NOT_A_GRANT_OBJECT, ids=["unknown", "a-string", "null"])
def test_an_inline_grant_that_is_not_an_object_does_not_hide_a_public_one(other: Any) -> None:
    stack = _with_inline_grants([other, {"type": "Group", "uri": ALL_USERS, "permissions": ["READ"]}])
    assert _acl_findings(stack) == ["data: AllUsers"]


def test_grants_not_known_until_deployment_are_no_finding() -> None:
    assert _acl_findings(_with_inline_grants(UNKNOWN)) == []
    assert _acl_findings(_with_acl_resource({"grants": UNKNOWN, "owner": OWNER})) == []


def _referenced_bucket(*config: Any) -> Stack:
    """No bucket resource: Braze's Currents role grants on "acme-braze", which exists outside the stack."""
    return role_with_policy(Stack(), "currents-main", currents_policy_doc()).add(*config)


def test_a_public_acl_the_stack_sets_on_a_referenced_bucket_is_reported() -> None:
    acl = res(T_ACL_V2, "data-acl", {"bucket": BUCKET, "acl": "public-read"})
    result = run(not_public.RULE, _referenced_bucket(acl))
    assert names(result) == ["data-acl"] and 'the canned ACL "public-read"' in result.violations[0].message


def test_a_private_acl_the_stack_sets_on_a_referenced_bucket_passes() -> None:
    acl = res(T_ACL_V2, "data-acl", {"bucket": BUCKET, "acl": "private"})
    assert run(not_public.RULE, _referenced_bucket(acl)).violations == []


def _sse(algorithm: Any) -> Any:
    rules = [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": algorithm}}]
    return res(T_SSE_V2, "data-sse", {"bucket": BUCKET, "rules": rules})


def test_the_default_encryption_the_stack_sets_on_a_referenced_bucket_is_read() -> None:
    result = run(sse_kms.RULE, _referenced_bucket(_sse(UNKNOWN)))
    assert result.violations == []
    assert result.notes == [
        f'braze-no-sse-kms: the default encryption of bucket "{BUCKET}" is not known until deployment and was not '
        "checked."
    ]
    clean = run(sse_kms.RULE, _referenced_bucket(_sse("AES256")))
    assert clean.violations == [] and clean.notes == []


def _braze_bucket(type_: str) -> Any:
    if type_.startswith("aws-native"):
        return res(type_, "data", {"bucketName": BUCKET, "tags": [{"key": "braze:bucket", "value": "true"}]})
    return res(type_, "data", {"bucket": BUCKET, "tags": {"braze:bucket": "true"}})


@pytest.mark.parametrize("type_", sorted(BUCKETS | SSE_CONFIGS))
def test_every_type_the_encryption_reader_takes_has_its_paths_and_reads_none_when_none_is_set(type_: str) -> None:
    assert SSE_BY_DEFAULT[type_], type_
    if type_ in BUCKETS:
        resources = [_braze_bucket(type_)]
    else:
        resources = [_braze_bucket(T_BUCKET), res(type_, "data-sse", {"bucket": BUCKET})]
    (bucket,) = build_model(resources, (BRAZE_ACCOUNT,)).braze_buckets()
    assert default_encryptions(bucket) == []
