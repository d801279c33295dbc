"""`kms.can_use`, decision by decision: every way a key's own policy and the principal's IAM policies together
let a Braze principal write through the bucket's default KMS key (or not, or not knowably before deployment).

`test_sse_kms.py` holds the rule built on it (`braze-no-sse-kms`: which stacks fail, at which level).
"""

from __future__ import annotations

from typing import Any

import pytest
from braze_rules import kms
from braze_rules.bucket_settings import default_encryptions
from braze_rules.model_builder import build_model
from braze_rules.resources import UNKNOWN as KNOWN_LATER
from braze_rules.resources import Res

from tests.pack.builders import (
    BUCKET,
    KMS_GRANT,
    KMS_KEY_ARN,
    T_POLICY,
    T_ROLE_ATTACH,
    T_SSE,
    T_USER_ATTACH,
    UNKNOWN,
    bucket_stack,
    doc,
    export_policy_doc,
    kms_key,
    res,
    role_with_policy,
    trust,
)

ROLE_ARN = "arn:aws:iam::123456789012:role/export-role"
GENERATE_ONLY = {"Effect": "Allow", "Action": "kms:GenerateDataKey", "Resource": KMS_KEY_ARN}


def _statement(principal: Any, effect: str = "Allow", action: Any = "kms:*") -> dict[str, Any]:
    return {"Effect": effect, "Principal": principal, "Action": action, "Resource": "*"}


def _key_use(
    key: Res | None,
    iam_extra: list[dict[str, Any]] | None = None,
    default_key: Any = KMS_KEY_ARN,
    principal: Res | None = None,
    linked: bool = False,
    unknown_policy: bool = False,
) -> Any:
    """What `can_use` says for the export principal of a bucket encrypted by default with ``default_key``."""
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
    by_default = {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": default_key}
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


def _native_key(*statements: dict[str, Any]) -> Res:
    """aws-native's key policy is an object: a part of it can be unknown at preview."""
    return res("aws-native:kms:Key", "data-key", {"arn": KMS_KEY_ARN, "keyPolicy": doc(*statements, as_json=False)})


@pytest.mark.parametrize(
    ("case", "key", "iam_extra", "usable", "read_key_policy"),  # iam_extra None: a policy known later
    [
        ("outside, IAM grants both actions", None, [KMS_GRANT], True, True),
        ("outside, IAM grants GenerateDataKey only", None, [GENERATE_ONLY], False, False),
        ("outside, an IAM policy known later", None, None, KNOWN_LATER, False),
        ("default key policy, IAM grants", kms_key(), [KMS_GRANT], True, True),
        ("default key policy, no IAM grant", kms_key(), [], False, True),
        ("default key policy, an IAM policy known later", kms_key(), None, KNOWN_LATER, True),
        ("names the role", kms_key(doc(_statement({"AWS": ROLE_ARN}))), [], True, True),
        ("names everyone", kms_key(doc(_statement("*"))), [], True, True),
        ("denies the role", kms_key(doc(_statement({"AWS": ROLE_ARN}, effect="Deny"))), [KMS_GRANT], False, True),
        (
            "lets everyone, denies the role",
            kms_key(doc(_statement("*"), _statement({"AWS": ROLE_ARN}, effect="Deny"))),
            [KMS_GRANT],
            False,
            True,
        ),
        (
            "delegates, denies the account",
            kms_key(doc(_statement({"AWS": "123456789012"}), _statement({"AWS": "123456789012"}, effect="Deny"))),
            [KMS_GRANT],
            False,
            True,
        ),
        (
            "names the role, denies another role",
            kms_key(doc(_statement({"AWS": ROLE_ARN}), _statement({"AWS": ROLE_ARN + "-x"}, effect="Deny"))),
            [],
            True,
            True,
        ),
        (
            "names the role, denies others under a condition",
            kms_key(
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
            kms_key(
                doc(_statement("*"), _statement({"AWS": ROLE_ARN}, effect="Deny", action="kms:ScheduleKeyDeletion"))
            ),
            [],
            True,
            True,
        ),
        (
            "lets the role decrypt only",
            kms_key(doc(_statement({"AWS": ROLE_ARN}, action="kms:Decrypt"))),
            [],
            False,
            True,
        ),
        (
            "a service first, then the role",
            kms_key(doc(_statement({"Service": "logs.amazonaws.com"}), _statement({"AWS": ROLE_ARN}))),
            [],
            True,
            True,
        ),
        (
            "a malformed principal, then the role",
            kms_key(doc(_statement("arn:aws:iam::1:root"), _statement({"AWS": ROLE_ARN}))),
            [],
            True,
            True,
        ),
        ("delegates by account id", kms_key(doc(_statement({"AWS": "123456789012"}))), [KMS_GRANT], True, True),
        (
            "delegates, IAM grants nothing",
            kms_key(doc(_statement({"AWS": "arn:aws:iam::123456789012:root"}))),
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
        (
            "neither",
            kms_key(doc(_statement({"AWS": "arn:aws:iam::123456789012:role/other"}))),
            [KMS_GRANT],
            False,
            True,
        ),
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
    assert _key_use(kms_key(doc(_statement({"AWS": named}))), principal=principal).usable is usable


def test_the_key_is_found_by_its_link_when_its_arn_is_known_only_after_deployment() -> None:
    """`kmsMasterKeyId: key.arn` in a program: at preview the ARN is unknown, the dependency names the key."""
    key = res("aws:kms/key:Key", "data-key", {"arn": UNKNOWN, "policy": doc(_statement({"AWS": ROLE_ARN}))})
    assert _key_use(key, default_key=UNKNOWN, linked=True).usable is True
    unread = _key_use(key, default_key=UNKNOWN, linked=False)
    assert (unread.usable, unread.read_key_policy) == (False, False), "not linked: the key is not this one"


def test_an_unknown_key_arn_is_reached_only_by_a_wildcard_iam_grant() -> None:
    key = res("aws:kms/key:Key", "data-key", {"arn": UNKNOWN})
    assert _key_use(key, [{**KMS_GRANT, "Resource": "*"}], default_key=UNKNOWN, linked=True).usable is True
    assert _key_use(key, [KMS_GRANT], default_key=UNKNOWN, linked=True).usable is False


def test_the_key_is_found_by_its_key_id_and_judged_by_its_arn() -> None:
    key = kms_key(keyId="1234abcd")
    assert _key_use(key, [KMS_GRANT], default_key="1234abcd").usable is True
    assert _key_use(key, [], default_key="1234abcd").read_key_policy is True, "found: its default policy was read"
