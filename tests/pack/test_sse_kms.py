"""braze-no-sse-kms: a default KMS key every Braze principal of the bucket can use (key policy and IAM
read); the AWS managed key passes; a key outside the stack is a note."""

from __future__ import annotations

from typing import Any

import pytest
from braze_rules.resources import UNKNOWN as KNOWN_LATER
from braze_rules.resources import Res
from braze_rules.rules import sse_kms

from tests.pack.builders import (
    BUCKET,
    T_BUCKET,
    T_POLICY,
    T_ROLE_ATTACH,
    T_SSE,
    T_USER_ATTACH,
    UNKNOWN,
    bucket_stack,
    bucket_statement,
    currents_policy_doc,
    doc,
    export_policy_doc,
    names,
    objects_statement,
    res,
    role_with_policy,
    run,
    trust,
)
from tests.pack.test_bucket_rules import _swap

KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
KMS_GRANT = {"Effect": "Allow", "Action": ["kms:GenerateDataKey", "kms:Decrypt"], "Resource": KEY_ARN}


def _kms_rules(algorithm: str = "aws:kms", key: str | None = KEY_ARN) -> list[dict[str, Any]]:
    by_default = {"sseAlgorithm": algorithm, **({"kmsMasterKeyId": key} if key is not None else {})}
    return [{"applyServerSideEncryptionByDefault": by_default}]


def _with_key(stack: Any, key_policy: Any = None) -> Any:
    props = {"arn": KEY_ARN, **({"policy": key_policy} if key_policy is not None else {})}
    return stack.add(res("aws:kms/key:Key", "data-key", props))


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
    by_default = {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": KEY_ARN}
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
            "serverSideEncryptionConfigurations": [{"rules": [{"applyServerSideEncryptionByDefault": by_default}]}],
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
    key = res(key_type, "data-key", {"arn": KEY_ARN, policy_property: _key_policy_naming(principal)})
    assert (names(run(sse_kms.RULE, _role_and_key(key))) == ["data-sse"]) is fails


def test_a_key_policy_resource_is_found_by_key_id_too() -> None:
    key = res("aws:kms/key:Key", "data-key", {"arn": KEY_ARN, "keyId": "1234abcd"})
    stack = _role_and_key(key)
    naming = _key_policy_naming({"AWS": "arn:aws:iam::123456789012:role/export-role"})
    stack.add(res("aws:kms/keyPolicy:KeyPolicy", "kp", {"keyId": "1234abcd", "policy": naming}))
    assert run(sse_kms.RULE, stack).violations == []  # the KeyPolicy of this key names the role
    stack.replace("kp", res("aws:kms/keyPolicy:KeyPolicy", "kp", {"keyId": "5678efgh", "policy": naming}))
    assert names(run(sse_kms.RULE, stack)) == ["data-sse"]  # another key's: the default delegates, IAM grants nothing


def test_a_key_policy_known_only_after_deployment_is_a_note() -> None:
    key = res("aws:kms/key:Key", "data-key", {"arn": KEY_ARN, "policy": UNKNOWN})
    result = run(sse_kms.RULE, _role_and_key(key))
    assert result.violations == [] and any("not known until deployment" in n for n in result.notes)


# --- can_use, decision by decision: every way a key policy and IAM together let a principal use the key ---

ROLE_ARN = "arn:aws:iam::123456789012:role/export-role"
GENERATE_ONLY = {"Effect": "Allow", "Action": "kms:GenerateDataKey", "Resource": KEY_ARN}


def _statement(principal: Any, effect: str = "Allow", action: Any = "kms:*") -> dict[str, Any]:
    return {"Effect": effect, "Principal": principal, "Action": action, "Resource": "*"}


def _key_use(
    key: Res | None,
    iam_extra: list[dict[str, Any]] | None = None,
    kms_key: Any = KEY_ARN,
    principal: Res | None = None,
    linked: bool = False,
    unknown_policy: bool = False,
) -> Any:
    """What `can_use` says for the export principal of a bucket encrypted by default with ``kms_key``."""
    from braze_rules import kms
    from braze_rules.bucket_settings import default_encryptions
    from braze_rules.model_builder import build_model

    stack = bucket_stack()
    if principal is None:
        role_with_policy(stack, "export", export_policy_doc(extra=iam_extra), role_props={"name": "export-role"})
    else:
        policy = res(T_POLICY, "export-policy", {"policy": export_policy_doc(extra=iam_extra)})
        attach_type = T_ROLE_ATTACH if "Role" in principal.type else T_USER_ATTACH
        holder = "role" if "Role" in principal.type else "user"
        attach = res(
            attach_type,
            "export-attach",
            {holder: UNKNOWN, "policyArn": UNKNOWN},
            {holder: [principal], "policyArn": [policy]},
        )
        stack.add(principal, policy, attach)
    if unknown_policy:  # a second policy of the role, known only after deployment
        role = stack.find("export-role")
        stack.add(res("aws:iam/rolePolicy:RolePolicy", "later", {"role": UNKNOWN, "policy": UNKNOWN}, {"role": [role]}))
    if key is not None:
        stack.add(key)
    by_default = {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": kms_key}
    deps = {"rules": [key]} if linked and key is not None else None
    stack.replace(
        "data-sse",
        res(T_SSE, "data-sse", {"bucket": BUCKET, "rules": [{"applyServerSideEncryptionByDefault": by_default}]}, deps),
    )
    model = build_model(stack.resources, ("716373062512",))
    (bucket,) = model.braze_buckets()
    (encryption,) = default_encryptions(bucket)
    (export,) = [p for p in model.braze_principals() if p.kind != "group"]
    return kms.can_use(model, export, encryption)


def _key(policy: Any = None, **props: Any) -> Res:
    return res(
        "aws:kms/key:Key", "data-key", {"arn": KEY_ARN, **props, **({"policy": policy} if policy is not None else {})}
    )


def _native_key(*statements: dict[str, Any]) -> Res:
    """aws-native's key policy is an object: a part of it can be unknown at preview."""
    return res("aws-native:kms:Key", "data-key", {"arn": KEY_ARN, "keyPolicy": doc(*statements, as_json=False)})


@pytest.mark.parametrize(
    ("case", "key", "iam_extra", "usable", "read_key_policy"),  # iam_extra None: a policy known later
    [
        ("outside, IAM grants both actions", None, [KMS_GRANT], True, True),
        ("outside, IAM grants GenerateDataKey only", None, [GENERATE_ONLY], False, False),
        ("outside, an IAM policy known later", None, None, KNOWN_LATER, False),
        ("default key policy, IAM grants", _key(), [KMS_GRANT], True, True),
        ("default key policy, no IAM grant", _key(), [], False, True),
        ("default key policy, an IAM policy known later", _key(), None, KNOWN_LATER, True),
        ("names the role", _key(doc(_statement({"AWS": ROLE_ARN}))), [], True, True),
        ("names everyone", _key(doc(_statement("*"))), [], True, True),
        ("denies the role", _key(doc(_statement({"AWS": ROLE_ARN}, effect="Deny"))), [KMS_GRANT], False, True),
        (
            "lets everyone, denies the role",
            _key(doc(_statement("*"), _statement({"AWS": ROLE_ARN}, effect="Deny"))),
            [KMS_GRANT],
            False,
            True,
        ),
        (
            "delegates, denies the account",
            _key(doc(_statement({"AWS": "123456789012"}), _statement({"AWS": "123456789012"}, effect="Deny"))),
            [KMS_GRANT],
            False,
            True,
        ),
        (
            "names the role, denies another role",
            _key(doc(_statement({"AWS": ROLE_ARN}), _statement({"AWS": ROLE_ARN + "-x"}, effect="Deny"))),
            [],
            True,
            True,
        ),
        (
            "names the role, denies others under a condition",
            _key(
                doc(
                    _statement({"AWS": ROLE_ARN}),
                    {
                        **_statement("*", effect="Deny"),
                        "Condition": {"StringNotLike": {"kms:ViaService": "s3.*.amazonaws.com"}},
                    },
                )
            ),
            [],
            True,
            True,
        ),
        (
            "denies the role another action only",
            _key(doc(_statement("*"), _statement({"AWS": ROLE_ARN}, effect="Deny", action="kms:ScheduleKeyDeletion"))),
            [],
            True,
            True,
        ),
        ("lets the role decrypt only", _key(doc(_statement({"AWS": ROLE_ARN}, action="kms:Decrypt"))), [], False, True),
        (
            "a service first, then the role",
            _key(doc(_statement({"Service": "logs.amazonaws.com"}), _statement({"AWS": ROLE_ARN}))),
            [],
            True,
            True,
        ),
        (
            "a malformed principal, then the role",
            _key(doc(_statement("arn:aws:iam::1:root"), _statement({"AWS": ROLE_ARN}))),
            [],
            True,
            True,
        ),
        ("delegates by account id", _key(doc(_statement({"AWS": "123456789012"}))), [KMS_GRANT], True, True),
        (
            "delegates, IAM grants nothing",
            _key(doc(_statement({"AWS": "arn:aws:iam::123456789012:root"}))),
            [],
            False,
            True,
        ),
        ("a principal known later", _native_key(_statement(UNKNOWN)), [KMS_GRANT], KNOWN_LATER, True),
        ("an AWS principal known later", _native_key(_statement({"AWS": [UNKNOWN]})), [KMS_GRANT], KNOWN_LATER, True),
        (
            "delegates, then a principal known later",
            _native_key(_statement({"AWS": "123456789012"}), _statement(UNKNOWN)),
            [KMS_GRANT],
            KNOWN_LATER,
            True,
        ),
        (
            "delegates, then an AWS principal known later",
            _native_key(_statement({"AWS": "123456789012"}), _statement({"AWS": UNKNOWN})),
            [KMS_GRANT],
            True,
            True,
        ),
        (
            "a principal known later, then delegates",  # the unknown one could be anything: not judged
            _native_key(_statement(UNKNOWN), _statement({"AWS": "123456789012"})),
            [KMS_GRANT],
            KNOWN_LATER,
            True,
        ),
        ("neither", _key(doc(_statement({"AWS": "arn:aws:iam::123456789012:role/other"}))), [KMS_GRANT], False, True),
    ],
)
def test_can_use_the_key(case: str, key: Res | None, iam_extra: Any, usable: Any, read_key_policy: bool) -> None:
    use = _key_use(key, iam_extra or [], unknown_policy=iam_extra is None)
    assert (use.usable, use.read_key_policy) == (usable, read_key_policy), case
    assert isinstance(use.why, str) and len(use.why) > 20


@pytest.mark.parametrize(
    ("principal", "named", "usable"),
    [
        (
            res("aws-native:iam:Role", "export", {"roleName": "export-role", "assumeRolePolicy": doc(trust())}),
            ROLE_ARN,
            True,
        ),
        (
            res(
                "aws:iam/user:User",
                "export",
                {"name": "export-user", "tags": {"braze:integration": "dashboard-export"}},
            ),
            "arn:aws:iam::123456789012:user/export-user",
            True,
        ),
        (
            res(
                "aws-native:iam:User",
                "export",
                {"userName": "export-user", "tags": [{"key": "braze:integration", "value": "dashboard-export"}]},
            ),
            "arn:aws:iam::123456789012:user/teams/export-user",
            True,
        ),
        (
            res(
                "aws:iam/user:User",
                "export",
                {"name": "export-role", "tags": {"braze:integration": "dashboard-export"}},
            ),
            ROLE_ARN,  # a role's ARN with the user's name: another principal
            False,
        ),
    ],
    ids=["native-role-by-roleName", "user-by-name", "native-user-by-userName-with-path", "user-is-not-the-role"],
)
def test_a_key_policy_names_roles_and_users_in_every_shape(principal: Res, named: str, usable: bool) -> None:
    assert _key_use(_key(doc(_statement({"AWS": named}))), principal=principal).usable is usable


def test_the_key_is_found_by_its_link_when_its_arn_is_known_only_after_deployment() -> None:
    """`kmsMasterKeyId: key.arn` in a program: at preview the ARN is unknown, the dependency names the key."""
    key = res("aws:kms/key:Key", "data-key", {"arn": UNKNOWN, "policy": doc(_statement({"AWS": ROLE_ARN}))})
    assert _key_use(key, kms_key=UNKNOWN, linked=True).usable is True
    unread = _key_use(key, kms_key=UNKNOWN, linked=False)
    assert (unread.usable, unread.read_key_policy) == (False, False), "not linked: the key is not this one"


def test_an_unknown_key_arn_is_reached_only_by_a_wildcard_iam_grant() -> None:
    key = res("aws:kms/key:Key", "data-key", {"arn": UNKNOWN})
    assert _key_use(key, [{**KMS_GRANT, "Resource": "*"}], kms_key=UNKNOWN, linked=True).usable is True
    assert _key_use(key, [KMS_GRANT], kms_key=UNKNOWN, linked=True).usable is False


def test_the_key_is_found_by_its_key_id_and_judged_by_its_arn() -> None:
    key = _key(keyId="1234abcd")
    assert _key_use(key, [KMS_GRANT], kms_key="1234abcd").usable is True
    assert _key_use(key, [], kms_key="1234abcd").read_key_policy is True, "found: its default policy was read"


def test_an_empty_key_id_is_the_aws_managed_key() -> None:
    result = run(sse_kms.RULE, _swap("data-sse", {"rules": _kms_rules(key="")}))
    assert result.violations == [] and result.notes == []


def test_a_kms_grant_known_only_after_deployment_is_a_note_not_a_violation() -> None:
    """`policy: key.arn.apply(...)` in a program: at preview the grant is unknown, so is the verdict."""
    stack = _role_and_key(_key())
    role = stack.find("export-role")
    stack.add(res("aws:iam/rolePolicy:RolePolicy", "kms", {"role": UNKNOWN, "policy": UNKNOWN}, {"role": [role]}))
    result = run(sse_kms.RULE, stack)
    assert result.violations == [] and any("was not checked" in n for n in result.notes)
