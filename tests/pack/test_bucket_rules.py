"""braze-no-sse-kms, braze-bucket-not-public, braze-bucket-tls-only, braze-bucket-protected."""

from __future__ import annotations

import json
from typing import Any

import pytest
from braze_rules.rules import not_public, protected, sse_kms, tls_only

from tests.pack.builders import (
    BUCKET,
    T_BUCKET,
    T_BUCKET_POLICY,
    T_PAB,
    UNKNOWN,
    bucket_stack,
    doc,
    good_stack,
    names,
    res,
    run,
    tls_doc,
)


def test_the_good_stack_passes_every_bucket_rule() -> None:
    for rule in (sse_kms.RULE, not_public.RULE, tls_only.RULE, protected.RULE):
        assert run(rule, good_stack()).violations == [], rule.name


def _swap(name: str, props: dict[str, Any], **kw: Any) -> Any:
    stack = good_stack()
    old = stack.find(name)
    deps = {k: [stack.find("data")] for k in old.property_dependencies}
    stack.replace(name, res(old.type, name, {**old.props, **props}, deps or None, **kw))
    return stack


@pytest.mark.parametrize(
    ("condition", "fails"),
    [
        ({"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}, True),
        ({"Null": {"s3:x-amz-server-side-encryption-aws-kms-key-id": "true"}}, True),
        ({"Null": {"s3:x-amz-server-side-encryption": "true"}}, True),
        ({"StringNotEquals": {"s3:x-amz-server-side-encryption": "AES256"}}, True),
        # IfExists is true when the header is absent (IAM): header-less writes are denied all the same.
        ({"StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption": "AES256"}}, True),
        (
            {
                "StringNotEquals": {"s3:x-amz-server-side-encryption": "AES256"},
                "Null": {"s3:x-amz-server-side-encryption": "false"},
            },
            False,
        ),
    ],
    ids=[
        "demands-kms",
        "demands-kms-key",
        "demands-header",
        "demands-aes-header",
        "if-exists-too",
        "wrong-header-only",
    ],
)
def test_bucket_policy_that_demands_an_encryption_header(condition: dict[str, Any], fails: bool) -> None:
    stack = good_stack()
    deny = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:PutObject",
        "Resource": f"arn:aws:s3:::{BUCKET}/*",
        "Condition": condition,
    }
    stack.add(res(T_BUCKET_POLICY, "enc-policy", {"bucket": BUCKET, "policy": doc(deny)}))
    assert (names(run(sse_kms.RULE, stack)) == ["enc-policy"]) is fails


def test_unknown_encryption_is_a_note() -> None:
    result = run(sse_kms.RULE, _swap("data-sse", {"rules": UNKNOWN}))
    assert result.violations == [] and result.notes


@pytest.mark.parametrize("flag", ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"])
def test_each_public_access_flag_off_fails(flag: str) -> None:
    result = run(not_public.RULE, _swap("data-pab", {flag: False}))
    assert names(result) == ["data-pab"] and flag in result.violations[0].message


def test_missing_public_access_block_fails_and_missing_flag_counts_as_off() -> None:
    stack = good_stack().remove("data-pab")
    assert names(run(not_public.RULE, stack)) == ["data"]
    pab = good_stack().find("data-pab")
    partial = {k: v for k, v in pab.props.items() if k != "restrictPublicBuckets"}
    stack = good_stack().replace("data-pab", res(T_PAB, "data-pab", partial, {"bucket": [good_stack().find("data")]}))
    assert "restrictPublicBuckets" in run(not_public.RULE, stack).violations[0].message


def test_public_canned_acl_fails() -> None:
    stack = _swap("data", {"acl": "public-read"}, protect=True)
    assert names(run(not_public.RULE, stack)) == ["data"]


def _tls_doc_with(condition: dict[str, Any], **statement: Any) -> Any:
    base = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"],
        "Condition": condition,
    }
    return doc({**base, **statement})


@pytest.mark.parametrize(
    ("case", "policy"),
    [
        # Denies requests *with* TLS: the opposite of TLS-only (and it locks Braze out).
        ("secure-transport-true", _tls_doc_with({"Bool": {"aws:SecureTransport": "true"}})),
        ("secure-transport-true-list", _tls_doc_with({"Bool": {"aws:SecureTransport": ["true"]}})),
        ("another-key", _tls_doc_with({"Bool": {"aws:ViaAWSService": "false"}})),
        ("allow-not-deny", _tls_doc_with({"Bool": {"aws:SecureTransport": "false"}}, Effect="Allow")),
        (
            "objects-not-covered",
            _tls_doc_with({"Bool": {"aws:SecureTransport": "false"}}, Resource=f"arn:aws:s3:::{BUCKET}"),
        ),
        ("reads-not-covered", _tls_doc_with({"Bool": {"aws:SecureTransport": "false"}}, Action="s3:PutObject")),
    ],
)
def test_a_bucket_policy_that_does_not_deny_plain_http_is_not_tls_only(case: str, policy: Any) -> None:
    """Each condition of the TLS-only test matters: a mutant that accepts any of these passes a bucket without TLS."""
    result = run(tls_only.RULE, _swap("data-tls", {"policy": policy}))
    assert names(result) == ["data"], case


def test_missing_tls_policy_is_reported_and_unknown_policy_is_a_note() -> None:
    assert names(run(tls_only.RULE, good_stack().remove("data-tls"))) == ["data"]
    result = run(tls_only.RULE, _swap("data-tls", {"policy": UNKNOWN}))
    assert result.violations == [] and result.notes


def test_unprotected_or_force_destroyed_bucket_is_reported() -> None:
    assert names(run(protected.RULE, _swap("data", {}, protect=False))) == ["data"]
    assert (
        "forceDestroy" in run(protected.RULE, _swap("data", {"forceDestroy": True}, protect=True)).violations[0].message
    )


def test_sse_resource_shapes_with_unknown_items_do_not_crash() -> None:
    stack = _swap("data-sse", {"rules": [UNKNOWN, {"applyServerSideEncryptionByDefault": UNKNOWN}]})
    assert run(sse_kms.RULE, stack).notes


@pytest.mark.parametrize("partition", ["aws", "aws-cn", "aws-us-gov"])
def test_a_tls_only_policy_is_recognised_in_every_partition(partition: str) -> None:
    """A China or GovCloud bucket's own TLS statement names arn:aws-cn / arn:aws-us-gov resources."""
    policy = _tls_doc_with(
        {"Bool": {"aws:SecureTransport": "false"}},
        Resource=[f"arn:{partition}:s3:::{BUCKET}", f"arn:{partition}:s3:::{BUCKET}/*"],
    )
    assert run(tls_only.RULE, _swap("data-tls", {"policy": policy})).violations == [], partition


def test_a_tls_statement_for_another_bucket_does_not_count() -> None:
    policy = _tls_doc_with(
        {"Bool": {"aws:SecureTransport": "false"}}, Resource=["arn:aws:s3:::other", "arn:aws:s3:::other/*"]
    )
    assert names(run(tls_only.RULE, _swap("data-tls", {"policy": policy}))) == ["data"]


def _sse_deny(operator: str, values: Any) -> Any:
    return _tls_doc_with(
        {operator: {"s3:x-amz-server-side-encryption": values}},
        Action="s3:PutObject",
        Resource=f"arn:aws:s3:::{BUCKET}/*",
    )


@pytest.mark.parametrize(
    ("operator", "values"),
    [
        ("StringNotEquals", "AES256"),  # no IfExists: denies dashboard export, which sends no header
        ("StringNotLike", "AES*"),
        ("StringNotEqualsIgnoreCase", "aes256"),
        ("StringNotEqualsIfExists", "aws:kms"),  # denies the AES256 header Currents sends with its toggle on
        ("StringNotLikeIfExists", "aws:kms*"),
        ("StringNotEqualsIfExists", "aes256"),  # case matters for StringNotEquals: AES256 is denied
        ("Null", "true"),
        # IfExists: true when the header is absent (IAM's documentation), so header-less writes are denied
        ("StringNotEqualsIfExists", "AES256"),
        ("StringNotLikeIfExists", "AES*"),
        ("StringNotEqualsIgnoreCaseIfExists", "aes256"),
    ],
)
def test_a_bucket_policy_that_refuses_brazes_writes_in_any_operator_form_fails(operator: str, values: Any) -> None:
    result = run(sse_kms.RULE, _swap("data-tls", {"policy": _sse_deny(operator, values)}))
    assert names(result) == ["data-tls"], (operator, values)


@pytest.mark.parametrize(
    ("operator", "values"),
    [
        ("StringNotEquals", "AES256"),
        ("StringNotLike", "AES*"),
        ("StringNotEqualsIgnoreCase", "aes256"),
        ("StringNotEqualsIfExists", "AES256"),
    ],
)
def test_the_right_encryption_deny_lets_braze_write(operator: str, values: Any) -> None:
    """Deny only a wrong header, and only when one is sent (Null: false): dashboard export (no header) and
    Currents (AES256) both pass."""
    policy = _tls_doc_with(
        {
            operator: {"s3:x-amz-server-side-encryption": values},
            "Null": {"s3:x-amz-server-side-encryption": "false"},
        },
        Action="s3:PutObject",
        Resource=f"arn:aws:s3:::{BUCKET}/*",
    )
    assert run(sse_kms.RULE, _swap("data-tls", {"policy": policy})).violations == []


TLS_STATEMENT = {
    "Effect": "Deny",
    "Principal": "*",
    "Action": "s3:*",
    "Resource": [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"],
    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
}


def test_an_unconditional_allow_to_everyone_makes_a_braze_bucket_public() -> None:
    allow_all = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{BUCKET}/*"}
    result = run(not_public.RULE, _swap("data-tls", {"policy": doc(allow_all, TLS_STATEMENT)}))
    assert names(result) == ["data-tls"] and '"*"' in result.violations[0].message
    aws_star = {**allow_all, "Principal": {"AWS": "*"}}
    assert names(run(not_public.RULE, _swap("data-tls", {"policy": doc(aws_star)}))) == ["data-tls"]


def test_an_allow_to_everyone_under_a_condition_or_to_a_role_is_not_public() -> None:
    conditioned = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{BUCKET}/*",
        "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}},
    }
    role = {**conditioned, "Principal": {"AWS": "arn:aws:iam::123456789012:role/reader"}}
    role.pop("Condition")
    for statement in (conditioned, role):
        assert run(not_public.RULE, _swap("data-tls", {"policy": doc(statement, TLS_STATEMENT)})).violations == []


NATIVE_BUCKET = "aws-native:s3:Bucket"
ALL_FLAGS = {
    "blockPublicAcls": True,
    "blockPublicPolicy": True,
    "ignorePublicAcls": True,
    "restrictPublicBuckets": True,
}


def _native(props: dict[str, Any]) -> list[Any]:
    return [
        res(NATIVE_BUCKET, "native", {"bucketName": "n1", "tags": [{"key": "braze:bucket", "value": "true"}], **props})
    ]


def test_an_aws_native_bucket_with_its_inline_block_all_true_is_not_public() -> None:
    result = run(not_public.RULE, _native({"publicAccessBlockConfiguration": ALL_FLAGS}))
    assert result.violations == [] and result.notes == []


def test_an_aws_native_inline_block_with_a_flag_off_fails() -> None:
    result = run(not_public.RULE, _native({"publicAccessBlockConfiguration": {**ALL_FLAGS, "ignorePublicAcls": False}}))
    assert names(result) == ["native"] and "ignorePublicAcls" in result.violations[0].message


def test_an_unknown_aws_native_block_is_a_note_and_no_missing_block_violation() -> None:
    result = run(not_public.RULE, _native({"publicAccessBlockConfiguration": UNKNOWN}))
    assert result.violations == [] and len(result.notes) == 1 and "not known" in result.notes[0]


def test_unknown_flags_of_a_block_resource_are_a_note() -> None:
    result = run(not_public.RULE, _swap("data-pab", {"restrictPublicBuckets": UNKNOWN}))
    assert result.violations == [] and any("restrictPublicBuckets" in n for n in result.notes)


def test_an_unknown_bucket_policy_is_a_note_for_the_public_check() -> None:
    result = run(not_public.RULE, _swap("data-tls", {"policy": UNKNOWN}))
    assert result.violations == [] and any("bucket policy" in n for n in result.notes)


@pytest.mark.parametrize("acl", ["private", "bucket-owner-full-control", "log-delivery-write"])
def test_a_private_canned_acl_is_not_public(acl: str) -> None:
    assert run(not_public.RULE, bucket_stack(acl=acl, tags={"braze:bucket": "true"})).violations == []


def test_every_braze_bucket_is_checked_not_only_the_first() -> None:
    """Two Braze buckets: one without any block, one whose block is off; both are reported."""
    first = res(T_BUCKET, "first", {"bucket": "b-one", "tags": {"braze:bucket": "true"}})
    second = res(T_BUCKET, "second", {"bucket": "b-two", "tags": {"braze:bucket": "true"}})
    block = res(T_PAB, "second-pab", {"bucket": "b-two", **ALL_FLAGS, "blockPublicAcls": False}, {"bucket": [second]})
    assert names(run(not_public.RULE, [first, second, block])) == ["first", "second-pab"]


ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


@pytest.mark.parametrize(
    ("type_", "props"),
    [
        (T_BUCKET, {"acl": "public-read"}),
        (T_BUCKET, {"grants": [{"type": "Group", "uri": ALL_USERS, "permissions": ["READ"]}]}),
        ("aws:s3/bucketAclV2:BucketAclV2", {"acl": "public-read-write"}),
        (
            "aws:s3/bucketAcl:BucketAcl",
            {
                "accessControlPolicy": {
                    "grants": [{"grantee": {"type": "Group", "uri": ALL_USERS}, "permission": "READ"}]
                }
            },
        ),
        ("aws-native:s3:Bucket", {"accessControl": "PublicRead"}),
    ],
    ids=["canned", "v6-inline-grants", "acl-v2-resource", "acl-resource-grants", "native-access-control"],
)
def test_a_public_acl_in_any_shape_fails(type_: str, props: dict[str, Any]) -> None:
    stack = good_stack()
    if type_ == T_BUCKET:
        stack.replace("data", res(T_BUCKET, "data", {**stack.find("data").props, **props}, protect=True))
        expected = "data"
    elif type_.startswith("aws-native"):
        tags = [{"key": "braze:bucket", "value": "true"}]
        stack.add(res(type_, "native", {"bucketName": "n1", "tags": tags, **props}))
        expected = "native"
    else:
        stack.add(res(type_, "acl", {"bucket": BUCKET, **props}, {"bucket": [stack.find("data")]}))
        expected = "acl"
    found = [v for v in run(not_public.RULE, stack).violations if "ACL" in v.message or "accessControl" in v.message]
    assert [v.urn.rsplit("::", 1)[-1] for v in found] == [expected]


def test_a_private_acl_passes() -> None:
    stack = good_stack()
    stack.add(res("aws:s3/bucketAclV2:BucketAclV2", "acl", {"bucket": BUCKET, "acl": "private"}))
    assert run(not_public.RULE, stack).violations == []


@pytest.mark.parametrize("shape", ["BucketPolicy", "aws-native BucketPolicy", "the bucket's own policy (v6)"])
def test_a_tls_only_policy_counts_in_every_shape_a_bucket_policy_takes(shape: str) -> None:
    stack = good_stack().remove("data-tls")
    bucket = stack.find("data")
    if shape == "the bucket's own policy (v6)":
        stack.replace("data", res(T_BUCKET, "data", {**bucket.props, "policy": tls_doc()}, protect=True))
    elif shape == "BucketPolicy":
        stack.add(res(T_BUCKET_POLICY, "tls", {"bucket": BUCKET, "policy": tls_doc()}, {"bucket": [bucket]}))
    else:
        native = {"bucket": BUCKET, "policyDocument": json.loads(tls_doc())}
        stack.add(res("aws-native:s3:BucketPolicy", "tls", native, {"bucket": [bucket]}))
    assert run(tls_only.RULE, stack).violations == [], shape
