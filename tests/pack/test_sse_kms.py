"""braze-no-sse-kms: a default KMS key every Braze principal of the bucket can use (key policy and IAM
read); the AWS managed key passes; a key outside the stack is a note."""

from __future__ import annotations

from typing import Any

import pytest
from braze_rules.rules import sse_kms

from tests.pack.builders import (
    BUCKET,
    KMS_GRANT,
    KMS_KEY_ARN,
    T_BUCKET,
    T_SSE,
    UNKNOWN,
    bucket_stack,
    bucket_statement,
    currents_policy_doc,
    doc,
    export_policy_doc,
    kms_key,
    names,
    objects_statement,
    res,
    role_with_policy,
    run,
)
from tests.pack.test_bucket_rules import _swap


def _kms_rules(algorithm: str = "aws:kms", key: str | None = KMS_KEY_ARN) -> list[dict[str, Any]]:
    by_default = {"sseAlgorithm": algorithm, **({"kmsMasterKeyId": key} if key is not None else {})}
    return [{"applyServerSideEncryptionByDefault": by_default}]


def _with_key(stack: Any, key_policy: Any = None) -> Any:
    return stack.add(kms_key(key_policy))


@pytest.mark.parametrize("key", [None, "alias/aws/s3", "arn:aws:kms:eu-west-1:123456789012:alias/aws/s3"])
@pytest.mark.parametrize("algorithm", ["aws:kms", "aws:kms:dsse"])
def test_the_aws_managed_key_is_usable_by_the_accounts_principals(algorithm: str, key: str | None) -> None:
    result = run(sse_kms.RULE, _swap("data-sse", {"rules": _kms_rules(algorithm, key)}))
    assert result.violations == [] and result.notes == []


@pytest.mark.parametrize("algorithm", ["aws:kms", "aws:kms:dsse"])
def test_a_customer_key_braze_has_no_grant_on_fails_for_each_braze_principal(algorithm: str) -> None:
    stack = _with_key(_swap("data-sse", {"rules": _kms_rules(algorithm)}))
    result = run(sse_kms.RULE, stack)
    assert names(result) == ["data-sse"] * 3  # two Currents roles and the export role
    assert all(v.needs_stack and "kms:GenerateDataKey" in v.message for v in result.violations)


def test_a_customer_key_the_principals_iam_policies_grant_passes() -> None:
    stack = bucket_stack()
    for name, document in (
        ("currents", currents_policy_doc(extra=[KMS_GRANT])),
        ("export", export_policy_doc(extra=[KMS_GRANT])),
    ):
        role_with_policy(stack, name, document)
    stack = _with_key(stack)
    stack.replace("data-sse", res(T_SSE, "data-sse", {"bucket": BUCKET, "rules": _kms_rules()}))
    assert run(sse_kms.RULE, stack).violations == []


@pytest.mark.parametrize(
    ("principal", "fails"),
    [("arn:aws:iam::123456789012:role/export-role", False), ("arn:aws:iam::123456789012:role/someone-else", True)],
)
def test_a_key_policy_that_names_the_principal_or_not(principal: str, fails: bool) -> None:
    stack = bucket_stack()
    role_with_policy(stack, "export", export_policy_doc(), role_props={"name": "export-role"})
    key_policy = doc({"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "kms:*", "Resource": "*"})
    stack = _with_key(stack).add(
        res(
            "aws:kms/keyPolicy:KeyPolicy",
            "data-key-policy",
            {"keyId": "k", "policy": key_policy},
            {"keyId": [stack.find("data-key")]},
        )
    )
    stack.replace("data-sse", res(T_SSE, "data-sse", {"bucket": BUCKET, "rules": _kms_rules()}))
    result = run(sse_kms.RULE, stack)
    assert (names(result) == ["data-sse"]) is fails
    assert not fails or "neither names it nor delegates" in result.violations[0].message


def test_a_key_outside_the_stack_is_a_note_not_a_violation() -> None:
    result = run(sse_kms.RULE, _swap("data-sse", {"rules": _kms_rules()}))
    assert result.violations == [] and any("not read" in n for n in result.notes)


def test_customer_keys_in_the_v6_inline_v6_bucketv2_and_aws_native_shapes_fail() -> None:
    by_default = {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": KMS_KEY_ARN}
    tags = {"braze:bucket": "true"}
    legacy = res(
        T_BUCKET,
        "legacy",
        {
            "bucket": "l1",
            "tags": tags,
            "serverSideEncryptionConfiguration": {"rule": {"applyServerSideEncryptionByDefault": by_default}},
        },
    )
    v2 = res(
        "aws:s3/bucketV2:BucketV2",
        "v2",
        {
            "bucket": "v1",
            "tags": tags,
            # The SDKs' BucketV2 shape (v6 and v7): plural lists down to the by-default objects.
            "serverSideEncryptionConfigurations": [{"rules": [{"applyServerSideEncryptionByDefaults": [by_default]}]}],
        },
    )
    native = res(
        "aws-native:s3:Bucket",
        "native",
        {
            "bucketName": "n1",
            "tags": [{"key": "braze:bucket", "value": "true"}],
            "bucketEncryption": {"serverSideEncryptionConfiguration": [{"serverSideEncryptionByDefault": by_default}]},
        },
    )
    everywhere = objects_statement(["s3:PutObject", "s3:GetObject"], "arn:aws:s3:::*/currents/*")
    stack = _with_key(bucket_stack().add(legacy, v2, native))
    role_with_policy(
        stack, "c", doc(bucket_statement("l1"), bucket_statement("v1"), bucket_statement("n1"), everywhere)
    )
    assert names(run(sse_kms.RULE, stack)) == ["legacy", "native", "v2"]


def _role_and_key(key: Any) -> Any:
    stack = bucket_stack()
    role_with_policy(stack, "export", export_policy_doc(), role_props={"name": "export-role"})
    stack.add(key)
    stack.replace("data-sse", res(T_SSE, "data-sse", {"bucket": BUCKET, "rules": _kms_rules()}))
    return stack


def _key_policy_naming(principal: Any) -> Any:
    return doc({"Effect": "Allow", "Principal": principal, "Action": "kms:*", "Resource": "*"})


@pytest.mark.parametrize(
    ("key_type", "policy_property"), [("aws:kms/key:Key", "policy"), ("aws-native:kms:Key", "keyPolicy")]
)
@pytest.mark.parametrize(
    ("principal", "fails"),
    [
        ({"AWS": "arn:aws:iam::123456789012:role/export-role"}, False),
        ({"AWS": "arn:aws:iam::123456789012:role/braze/export-role"}, False),  # a role path
        ("*", False),
        ({"AWS": ["arn:aws:iam::123456789012:role/other", "arn:aws:iam::123456789012:role/export-role"]}, False),
        ({"AWS": "arn:aws:iam::123456789012:role/other"}, True),
        ({"AWS": "arn:aws:iam::123456789012:root"}, True),  # delegates to IAM, which grants nothing on the key
    ],
    ids=["names-role", "names-role-with-path", "everyone", "in-a-list", "other-role", "delegates"],
)
def test_the_keys_own_policy_in_each_shape(key_type: str, policy_property: str, principal: Any, fails: bool) -> None:
    key = res(key_type, "data-key", {"arn": KMS_KEY_ARN, policy_property: _key_policy_naming(principal)})
    assert (names(run(sse_kms.RULE, _role_and_key(key))) == ["data-sse"]) is fails


def test_a_key_policy_resource_is_found_by_key_id_too() -> None:
    key = res("aws:kms/key:Key", "data-key", {"arn": KMS_KEY_ARN, "keyId": "1234abcd"})
    stack = _role_and_key(key)
    naming = _key_policy_naming({"AWS": "arn:aws:iam::123456789012:role/export-role"})
    stack.add(res("aws:kms/keyPolicy:KeyPolicy", "kp", {"keyId": "1234abcd", "policy": naming}))
    assert run(sse_kms.RULE, stack).violations == []  # the KeyPolicy of this key names the role
    stack.replace("kp", res("aws:kms/keyPolicy:KeyPolicy", "kp", {"keyId": "5678efgh", "policy": naming}))
    assert names(run(sse_kms.RULE, stack)) == ["data-sse"]  # another key's: the default delegates, IAM grants nothing


def test_a_key_policy_known_only_after_deployment_is_a_note() -> None:
    key = res("aws:kms/key:Key", "data-key", {"arn": KMS_KEY_ARN, "policy": UNKNOWN})
    result = run(sse_kms.RULE, _role_and_key(key))
    assert result.violations == [] and any("not known until deployment" in n for n in result.notes)


def test_an_empty_key_id_is_the_aws_managed_key() -> None:
    result = run(sse_kms.RULE, _swap("data-sse", {"rules": _kms_rules(key="")}))
    assert result.violations == [] and result.notes == []


def test_a_kms_grant_known_only_after_deployment_is_a_note_not_a_violation() -> None:
    """`policy: key.arn.apply(...)` in a program: at preview the grant is unknown, so is the verdict."""
    stack = _role_and_key(kms_key())
    role = stack.find("export-role")
    stack.add(res("aws:iam/rolePolicy:RolePolicy", "kms", {"role": UNKNOWN, "policy": UNKNOWN}, {"role": [role]}))
    result = run(sse_kms.RULE, stack)
    assert result.violations == [] and any("was not checked" in n for n in result.notes)
