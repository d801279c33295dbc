"""braze-no-sse-kms: Braze can write through the bucket's encryption — its default KMS key is one
Braze's principals can use, and no bucket policy demands an encryption header Braze does not send.

(The name is kept from the pack's first releases, where any SSE-KMS was refused; organisations
reference it in their pack config.)
"""

from __future__ import annotations

import dataclasses
from typing import Any

from braze_rules import conditions, facts, iam, kms
from braze_rules.bucket_settings import DefaultEncryption, default_encryptions
from braze_rules.conditions import Caller
from braze_rules.findings import RuleResult
from braze_rules.model import PROBE, BrazeModel, BucketInfo, bucket_policy_statements
from braze_rules.resources import UNKNOWN, Res
from braze_rules.rule import Rule

NAME = "braze-no-sse-kms"
SSE_HEADER = "s3:x-amz-server-side-encryption"
KMS_KEY_HEADER = "s3:x-amz-server-side-encryption-aws-kms-key-id"
INFERRED = (
    "(AWS's semantics, inferred for Braze, which documents nothing about KMS: a write without an encryption header "
    "is encrypted with the bucket's default key and needs kms:GenerateDataKey on it; only Currents with its AES-256 "
    "toggle on sends a header, dashboard export never does)"
)


# Negated string operators, with or without IfExists / IgnoreCase: in a Deny they refuse what they do not list.
NEGATED_STRING_OPERATORS = ("StringNotEquals", "StringNotLike")


def _matches_aes256(value: str, operator: str) -> bool:
    """Whether a listed value lets AES256 through the negated operator (so AES256 writes are not denied)."""
    if "Like" in operator:
        return iam.resource_matches(value, "AES256")  # IAM wildcards, case-sensitive like StringLike
    if "IgnoreCase" in operator:
        return value.lower() == "aes256"
    return value == "AES256"


def _only_when_the_header_is_sent(condition: dict[str, object]) -> bool:
    """A `Null {header: "false"}` in the same statement: the Deny applies only to requests that send the header."""
    values = iam.condition_values(condition, "Null", SSE_HEADER)
    return isinstance(values, list) and bool(values) and all(v.lower() == "false" for v in values)


def _demands_header(statement: iam.Statement) -> str | None:
    """Why a Deny on PutObject breaks Braze: it requires KMS, or any encryption header.

    IAM evaluates a negated operator — with or without IfExists — as true when the key is absent ("If the key is
    not present, evaluate the condition element as true" for …IfExists; "the condition is true" for a negated
    operator without it: IAM's condition-operator documentation). So a Deny on a negated condition over the header
    refuses every write that sends none — dashboard export's, Currents' with its toggle off — unless the same
    statement also requires the header to be present (`Null: false`)."""
    if statement.allow or iam.statement_covers_action(statement, "s3:PutObject") is not True:
        return None
    condition = statement.condition if isinstance(statement.condition, dict) else {}  # UNKNOWN: nothing to read
    header_sent = _only_when_the_header_is_sent(condition)
    for operator in condition:
        values = iam.condition_values(condition, operator, SSE_HEADER)
        if isinstance(values, list):
            negated = operator.startswith(NEGATED_STRING_OPERATORS)
            if negated and any(v.lower().startswith("aws:kms") for v in values):
                return f"denies PutObject unless {SSE_HEADER} is aws:kms ({operator})"
            if negated and not header_sent:
                return (
                    f"denies PutObject without the {SSE_HEADER} header ({operator}: IAM evaluates a negated condition, "
                    "IfExists or not, as true when the header is absent)"
                )
            if negated and not any(_matches_aes256(v, operator) for v in values):
                return (
                    f"denies PutObject with {SSE_HEADER}: AES256, which Currents sends with its toggle on ({operator})"
                )
            if operator == "Null" and any(v.lower() == "true" for v in values):
                return f"denies PutObject without the {SSE_HEADER} header (Null: true)"
        key_values = iam.condition_values(condition, operator, KMS_KEY_HEADER)
        if isinstance(key_values, list):
            return f"denies PutObject unless a KMS key is given ({operator} on {KMS_KEY_HEADER})"
    return None


def _check_key(model: BrazeModel, bucket: BucketInfo, encryption: DefaultEncryption, result: RuleResult) -> None:
    """Each Braze principal that writes the bucket must be able to use its customer managed key."""
    for principal in model.braze_principals():
        if model.grants.of_principal(principal).on(bucket) is None:
            continue
        use = kms.can_use(model, principal, encryption)
        if use.usable is False and use.read_key_policy:
            result.violation(
                f'{encryption.res.label()} encrypts {bucket.label()} by default with the KMS key "{encryption.kms_key}", '
                f"which {principal.res.label()} cannot use: {use.why}. Braze's writes through it fail and {facts.LOSS} "
                f"{INFERRED}. Grant it kms:GenerateDataKey and kms:Decrypt on the key (braze-s3: bucket.kmsKeyArn "
                'does), or use sseAlgorithm "AES256".',
                encryption.res.urn,
                needs_stack=True,
            )
        elif use.usable is not True:
            result.note(
                f"{NAME}: whether {principal.res.label()} can use the KMS key of {bucket.label()} was not checked: "
                f"{use.why}."
            )


def _check_bucket(model: BrazeModel, bucket: BucketInfo, result: RuleResult) -> None:
    for encryption in default_encryptions(bucket):
        if encryption.algorithm is UNKNOWN:
            result.note(
                f"{NAME}: the default encryption of {bucket.label()} is not known until deployment and was not checked."
            )
        elif encryption.kms and not kms.aws_managed(encryption):
            _check_key(model, bucket, encryption, result)

    def not_known(res: Res) -> None:
        result.note(f"{NAME}: the bucket policy {res.label()} is not known until deployment and was not checked.")

    for res, statement in bucket_policy_statements(bucket, not_known):
        why = _demands_header(statement)
        if not why:
            continue
        reach = _reaches_brazes_writes(model, bucket, statement)
        if reach.applies is True:
            result.violation(
                f"{res.label()} {why} on {bucket.label()}{reach.why}. Dashboard export sends no encryption header and "
                "Currents sends AES256 only when its toggle is on, so these writes are refused. Rely on default "
                f'encryption, or deny only a wrong header: StringNotEquals {{"{SSE_HEADER}": "AES256"}} together with '
                f'Null {{"{SSE_HEADER}": "false"}} in the same statement.',
                res.urn,
            )
        elif reach.applies is not False:
            result.note(
                f"{NAME}: {res.label()} {why} on {bucket.label()}; whether it reaches Braze's writes was not decided "
                f"here: {reach.why}."
            )


def _without_header_conditions(statement: iam.Statement) -> iam.Statement:
    """The statement with its conditions on the encryption header left out: what remains decides whether
    the header demand reaches Braze's writes at all (its Principal or NotPrincipal, its Resource, and the
    other conditions, ANDed with it)."""
    condition: Any = statement.condition
    if isinstance(condition, dict):
        kept: dict[str, Any] = {}
        for operator, block in condition.items():
            if isinstance(block, dict):
                rest = {k: v for k, v in block.items() if str(k).lower() != SSE_HEADER}
                if rest:
                    kept[operator] = rest
            else:
                kept[operator] = block
        condition = kept
    return dataclasses.replace(statement, condition=condition)  # its Action is the same: so are its caches


def _writers(model: BrazeModel, bucket: BucketInfo) -> list[tuple[Caller, str, str]]:
    """(request context, a key it writes, its label) for each Braze principal of the stack that writes the
    bucket: Currents in its folder, dashboard export anywhere. With none at hand (the bucket alone, before
    its step), any of Braze's principals writing anywhere."""
    found: list[tuple[Caller, str, str]] = []
    for principal in model.braze_principals():
        holder = model.grants.of_principal(principal)
        if holder.on(bucket) is None:
            continue
        integrations = holder.integrations
        caller = conditions.caller_of(model, principal)  # the header, the integrations' one difference, is set aside
        keys = []
        if facts.DASHBOARD_EXPORT in integrations:
            keys.append(PROBE)
        if facts.CURRENTS in integrations or not integrations:
            folder = holder.currents_folder(bucket)
            keys.append(f"{folder}/{PROBE}" if folder else PROBE)
        found += [(caller, key, principal.res.label()) for key in dict.fromkeys(keys)]
    return found or [(conditions.generic_caller(), PROBE, "")]


def _reaches_brazes_writes(model: BrazeModel, bucket: BucketInfo, statement: iam.Statement) -> conditions.Verdict:
    """Whether a header-demanding Deny takes in some Braze principal's writes: True (``why`` names whose),
    False, or UNKNOWN with what is missing."""
    rest = _without_header_conditions(statement)
    undecided: list[str] = []
    for caller, key, label in _writers(model, bucket):
        covers = iam.statement_covers_s3(statement, bucket.name, key) if isinstance(bucket.name, str) else UNKNOWN
        if covers is False:
            continue
        verdict = conditions.applies(rest, caller, "s3:PutObject")
        if verdict.applies is True and covers is True:
            return conditions.Verdict(True, f" (it takes in the writes of {label})" if label else "")
        if verdict.applies is UNKNOWN:
            undecided.append(verdict.why)
        elif verdict.applies is True:
            undecided.append("the keys it covers (or the bucket's name) are known only after deployment")
    return conditions.Verdict(UNKNOWN, undecided[0]) if undecided else NOT_REACHED


NOT_REACHED = conditions.Verdict(False, "it takes in none of Braze's writes")


def check(model: BrazeModel) -> RuleResult:
    result = RuleResult()
    for bucket in model.braze_buckets():
        _check_bucket(model, bucket, result)
    return result


RULE = Rule(
    name=NAME,
    description="Braze can write through a Braze bucket's encryption: a customer managed default KMS key is one every Braze principal of the bucket can use, and no bucket policy demands a KMS (or any) encryption header on writes.",
    enforcement="mandatory",
    severity="critical",
    remediation=(
        'Use sseAlgorithm "AES256" or the AWS managed key aws/s3, or grant each Braze role or user '
        "kms:GenerateDataKey and kms:Decrypt on the customer managed key (the braze-s3 program does with "
        "bucket.kmsKeyArn); remove bucket-policy statements that deny PutObject without a KMS or encryption "
        'header, or deny only a wrong header: StringNotEquals {"s3:x-amz-server-side-encryption": "AES256"} '
        'together with Null {"s3:x-amz-server-side-encryption": "false"} in the same statement (an '
        "…IfExists or negated condition alone is true when the header is absent, as it is on dashboard export's "
        "writes)."
    ),
    check=check,
    per_resource=True,
)
