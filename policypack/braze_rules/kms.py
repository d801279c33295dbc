"""Whether a Braze principal can use the KMS key a bucket encrypts with by default.

AWS's semantics (Braze documents nothing about KMS; see the facts file): a write to a bucket whose
default is SSE-KMS, without an encryption header, is encrypted with that key, and S3 then needs the
writer to hold `kms:GenerateDataKey` on it (`kms:Decrypt` to read back and for multipart uploads).
With the AWS managed key `aws/s3` any principal of the bucket's account may. With a customer
managed key, the key policy decides: it names the principal, or it delegates to the account
(`arn:aws:iam::<account>:root`, the default key policy) and the principal's IAM policies must
grant the actions on the key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from braze_rules import iam
from braze_rules.bucket_settings import DefaultEncryption
from braze_rules.model import BrazeModel, PrincipalInfo, parse_document_value
from braze_rules.resources import UNKNOWN, Res
from braze_rules.shapes import KMS_KEY_POLICIES, KMS_KEYS

KMS_ACTIONS = ("kms:GenerateDataKey", "kms:Decrypt")
_AWS_MANAGED = re.compile(r"(^|:)alias/aws/s3$")
# The properties of each encryption shape a key reference lives under (for property dependencies).
_KEY_PROPERTIES = (
    "rules",
    "serverSideEncryptionConfiguration",
    "serverSideEncryptionConfigurations",
    "bucketEncryption",
)
# Stands for a key whose ARN is known only after deployment: only wildcard grants reach it.
UNKNOWN_KEY_ARN = "arn:aws:kms:unknown-region:000000000000:key/braze-s3-key-not-known-yet"


@dataclass(frozen=True)
class KeyUse:
    """Whether a principal can use the key: True, False or UNKNOWN, and why, in a sentence fragment."""

    usable: bool | Any
    why: str
    read_key_policy: bool = True  # False: the key is outside the stack, so "not usable" is only inferred


def aws_managed(encryption: DefaultEncryption) -> bool:
    """No key id (S3 uses `aws/s3`), or the `aws/s3` alias itself."""
    key = encryption.kms_key
    return key is None or key == "" or (isinstance(key, str) and bool(_AWS_MANAGED.search(key)))


def key_resource(model: BrazeModel, encryption: DefaultEncryption) -> Res | None:
    """The stack's KMS key the encryption names: by dependency, else by a literal ARN or key id."""
    for prop in _KEY_PROPERTIES:
        for urn in encryption.res.deps_of(prop):
            found = model.resources.get(urn)
            if found is not None and found.type in KMS_KEYS:
                return found
    if isinstance(encryption.kms_key, str):
        for res in model.resources.values():
            if res.type in KMS_KEYS and encryption.kms_key in (res.props.get("arn"), res.props.get("keyId")):
                return res
    return None


def _key_policy(model: BrazeModel, key: Res) -> Any:
    """The key's policy document: a KeyPolicy resource of it, else its own `policy`/`keyPolicy`;
    None when none is set (AWS then applies the default policy, which delegates to the account)."""
    for res in model.resources.values():
        if res.type in KMS_KEY_POLICIES and (
            key.urn in res.deps_of("keyId") or res.props.get("keyId") == key.props.get("keyId") is not None
        ):
            return parse_document_value(res.props.get("policy"))[0]
    raw = key.props.get("policy", key.props.get("keyPolicy"))
    return None if raw is None else parse_document_value(raw)[0]


_ACCOUNT = re.compile(r"[0-9]{12}|arn:[^:]+:iam::[0-9]{12}:root")


def _aws_principals(principal: Any) -> list[Any]:
    """The `AWS` principals of a Principal element ("*" stands for everyone), UNKNOWN kept."""
    if principal == "*":
        return ["*"]
    value = principal.get("AWS") if isinstance(principal, dict) else None
    return [value] if isinstance(value, str) or value is UNKNOWN else value if isinstance(value, list) else []


def _names_principal(principal: PrincipalInfo, value: str) -> bool:
    name = principal.res.props.get("name", principal.res.props.get("roleName", principal.res.props.get("userName")))
    kind = "role" if principal.kind == "role" else "user"
    return isinstance(name, str) and bool(
        re.fullmatch(rf"arn:[^:]+:iam::[0-9]{{12}}:{kind}/(.*/)?{re.escape(name)}", value)
    )


def _names(values: list[Any], principal: PrincipalInfo) -> str | None:
    """How a statement's `AWS` principals reach ``principal``: "direct" (its ARN or everyone),
    "account" (an account, i.e. IAM decides), or None."""
    if any(v == "*" or (isinstance(v, str) and _names_principal(principal, v)) for v in values):
        return "direct"
    if any(isinstance(v, str) and _ACCOUNT.fullmatch(v) for v in values):
        return "account"
    return None


def _key_policy_lets(document: Any, principal: PrincipalInfo) -> str | Any:
    """ "direct" (names the principal or everyone), "delegates" (to an account), "no", or UNKNOWN.

    An unconditional Deny of kms:GenerateDataKey to the principal, its account or everyone wins over
    any Allow; a Deny under a condition is not judged (key policies use them for kms:ViaService and
    the like, which S3's requests on Braze's behalf meet)."""
    if document is None:
        return "delegates"  # no policy set: AWS's default key policy delegates to the key's account
    if not isinstance(document, iam.Document) or document.unknown_parts:
        return UNKNOWN
    verdict: str | Any = "no"
    for statement in document.statements:
        if iam.statement_covers_action(statement, KMS_ACTIONS[0]) is not True:
            continue
        values = _aws_principals(statement.principal)
        reach = _names(values, principal)
        if not statement.allow:
            if reach and not statement.condition:
                return "no"
            continue
        if reach == "direct":
            verdict = "direct"
        elif reach == "account" and verdict != "direct":
            verdict = "delegates"
        elif UNKNOWN in values and verdict == "no":  # e.g. the principal's own ARN, known after deployment
            verdict = UNKNOWN
    return verdict


def can_use(model: BrazeModel, principal: PrincipalInfo, encryption: DefaultEncryption) -> KeyUse:
    """Whether the principal can encrypt (and decrypt) with the bucket's default key."""
    key = key_resource(model, encryption)
    arn = key.props.get("arn") if key is not None else encryption.kms_key
    target = arn if isinstance(arn, str) and arn.startswith("arn:") else UNKNOWN_KEY_ARN
    holder = model.grants.of_principal(principal)
    verdicts = [iam.allows(holder.statements, action, target) for action in KMS_ACTIONS]
    iam_grants: bool | Any = False if False in verdicts else (UNKNOWN if UNKNOWN in verdicts else True)
    if iam_grants is False and holder.unreadable:
        iam_grants = UNKNOWN  # a policy known only after deployment may grant the key's actions
    if key is None:
        if iam_grants is True:
            return KeyUse(True, "its IAM policies grant kms:GenerateDataKey and kms:Decrypt on the key")
        return KeyUse(
            UNKNOWN if iam_grants is UNKNOWN else False,
            "its IAM policies do not grant kms:GenerateDataKey and kms:Decrypt on the key, so the key policy (outside "
            "this stack, not read) would have to name it",
            read_key_policy=False,
        )
    lets = _key_policy_lets(_key_policy(model, key), principal)
    if lets == "direct":
        return KeyUse(True, f"the key policy of {key.label()} names it")
    if lets == "delegates":
        if iam_grants is True:
            return KeyUse(True, "its IAM policies grant the key's actions and the key policy delegates to the account")
        return KeyUse(iam_grants, f"its IAM policies do not grant kms:GenerateDataKey and kms:Decrypt on {key.label()}")
    if lets is UNKNOWN:
        return KeyUse(UNKNOWN, f"the key policy of {key.label()} is not known until deployment")
    return KeyUse(False, f"the key policy of {key.label()} neither names it nor delegates to its account")
