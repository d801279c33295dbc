"""braze-no-sse-kms: Braze cannot write with SSE-KMS, nor through a policy that demands an encryption header."""

from __future__ import annotations

from typing import Any

from braze_rules import iam
from braze_rules.findings import RuleResult
from braze_rules.model import BrazeModel, BucketInfo, bucket_policy_statements
from braze_rules.resources import UNKNOWN, Res
from braze_rules.rule import Rule
from braze_rules.shapes import SSE_CONFIGS

NAME = "braze-no-sse-kms"
WHY = "Braze cannot write to SSE-KMS buckets (kms:GenerateDataKey is denied to it); every write fails"
SSE_HEADER = "s3:x-amz-server-side-encryption"
KMS_KEY_HEADER = "s3:x-amz-server-side-encryption-aws-kms-key-id"


def _algorithm(item: Any, wrapper: str) -> Any:
    """`item[wrapper].sseAlgorithm`, with unknowns kept and anything malformed as None."""
    if item is UNKNOWN:
        return UNKNOWN
    inner = item.get(wrapper) if isinstance(item, dict) else None
    if inner is UNKNOWN:
        return UNKNOWN
    return inner.get("sseAlgorithm") if isinstance(inner, dict) else None


def _algorithms(res: Res) -> list[Any]:
    """Default-encryption algorithms of an SSE resource or a bucket, in every provider's shape."""
    found: list[Any] = []
    rules = res.get("rules")  # v7 / V2 resources
    if rules is UNKNOWN:
        found.append(UNKNOWN)
    found += (
        [_algorithm(rule, "applyServerSideEncryptionByDefault") for rule in rules] if isinstance(rules, list) else []
    )
    legacy = res.get("serverSideEncryptionConfiguration", "rule", "applyServerSideEncryptionByDefault", "sseAlgorithm")
    if legacy is not None:
        found.append(legacy)
    native = res.get("bucketEncryption", "serverSideEncryptionConfiguration")
    if native is UNKNOWN:
        found.append(UNKNOWN)
    found += [_algorithm(item, "serverSideEncryptionByDefault") for item in native] if isinstance(native, list) else []
    return found


# Negated string operators, with or without IfExists / IgnoreCase: in a Deny they refuse what they do not list.
NEGATED_STRING_OPERATORS = ("StringNotEquals", "StringNotLike")


def _matches_aes256(value: str, operator: str) -> bool:
    """Whether a listed value lets AES256 through the negated operator (so AES256 writes are not denied)."""
    if "Like" in operator:
        return iam.resource_matches(value, "AES256")  # IAM wildcards, case-sensitive like StringLike
    if "IgnoreCase" in operator:
        return value.lower() == "aes256"
    return value == "AES256"


def _demands_header(statement: iam.Statement) -> str | None:
    """Why a Deny on PutObject breaks Braze: it requires KMS, or any encryption header."""
    if statement.allow or iam.statement_covers_action(statement, "s3:PutObject") is not True:
        return None
    condition = statement.condition if isinstance(statement.condition, dict) else {}  # UNKNOWN: nothing to read
    for operator in condition:
        values = iam.condition_values(condition, operator, SSE_HEADER)
        if isinstance(values, list):
            negated = operator.startswith(NEGATED_STRING_OPERATORS)
            if negated and any(v.lower().startswith("aws:kms") for v in values):
                return f"denies PutObject unless {SSE_HEADER} is aws:kms ({operator})"
            if negated and not operator.endswith("IfExists"):
                # A negated operator matches when the key is absent: every write without the header is denied.
                return f"denies PutObject without the {SSE_HEADER} header ({operator}; use {operator}IfExists)"
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


def _check_bucket(bucket: BucketInfo, result: RuleResult) -> None:
    sources = [c for c in bucket.children if c.type in SSE_CONFIGS] + ([bucket.res] if bucket.res else [])
    for res in sources:
        for algorithm in _algorithms(res):
            if algorithm is UNKNOWN:
                result.note(
                    f"{NAME}: the default encryption of {bucket.label()} is not known until deployment and was not checked."
                )
            elif isinstance(algorithm, str) and algorithm.lower().startswith("aws:kms"):
                result.violation(
                    f'{res.label()} sets default encryption "{algorithm}" on {bucket.label()}. {WHY}. Use sseAlgorithm '
                    '"AES256" (SSE-S3), which Braze supports with and without its AES-256 toggle.',
                    res.urn,
                )

    def not_known(res: Res) -> None:
        result.note(f"{NAME}: the bucket policy {res.label()} is not known until deployment and was not checked.")

    for res, statement in bucket_policy_statements(bucket, not_known):
        why = _demands_header(statement)
        if why:
            result.violation(
                f"{res.label()} {why} on {bucket.label()}. Dashboard export sends no encryption header and Currents "
                "sends AES256 only when its toggle is on, so these writes are refused. Rely on default SSE-S3, or "
                f'deny with StringNotEqualsIfExists {{"{SSE_HEADER}": "AES256"}}.',
                res.urn,
            )


def check(model: BrazeModel) -> RuleResult:
    result = RuleResult()
    for bucket in model.braze_buckets():
        _check_bucket(bucket, result)
    return result


RULE = Rule(
    name=NAME,
    description="A Braze bucket's default encryption is not SSE-KMS, and no bucket policy demands a KMS (or any) encryption header on writes.",
    enforcement="mandatory",
    severity="critical",
    remediation=(
        'Set the bucket\'s default encryption to sseAlgorithm "AES256" (the braze-s3 program always does); '
        "remove bucket-policy statements that deny PutObject without a KMS or encryption header, or use "
        "StringNotEqualsIfExists on s3:x-amz-server-side-encryption = AES256."
    ),
    check=check,
    per_resource=True,
)
