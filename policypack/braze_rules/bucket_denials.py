"""Bucket-policy Deny statements that refuse Braze's own requests.

An explicit Deny in the bucket policy wins over any Allow Braze's role or user holds. The ones
that hit Braze: a Deny without a condition on `*` (or on everyone but a `NotPrincipal` list), and a
Deny that admits only your network — Braze writes from its own, never through your VPC endpoint
or from your IP ranges. Conditions on TLS (Braze uses it) and on encryption headers
(`braze-no-sse-kms` judges those) do not count here.
"""

from __future__ import annotations

from dataclasses import dataclass

from braze_rules import iam
from braze_rules.model import BucketInfo, bucket_policy_statements
from braze_rules.resources import Res

# Condition keys whose negated forms admit only requests from the customer's own network.
NETWORK_KEYS = ("aws:SourceVpce", "aws:SourceVpc", "aws:SourceIp", "aws:VpcSourceIp")
NEGATED = ("StringNotEquals", "StringNotLike", "NotIpAddress", "ArnNotEquals", "ArnNotLike")
HARMLESS_KEYS = (
    "aws:SecureTransport",
    "s3:x-amz-server-side-encryption",
    "s3:x-amz-server-side-encryption-aws-kms-key-id",
)


@dataclass(frozen=True)
class Denial:
    res: Res
    why: str


def _condition_keys(statement: iam.Statement) -> list[tuple[str, str]]:
    """(operator, key) of every condition of the statement."""
    condition = statement.condition if isinstance(statement.condition, dict) else {}
    return [(op, key) for op, block in condition.items() if isinstance(block, dict) for key in block]


def _why(statement: iam.Statement) -> str | None:
    """Why this Deny, when it applies, applies to Braze's requests; None when it does not."""
    keys = _condition_keys(statement)
    if not isinstance(statement.condition, dict):
        return None  # not known until deployment
    if not keys:
        if statement.not_principal is not None:
            return None  # whether Braze's session is among the exceptions is not readable from here
        _, others = iam.principal_accounts(statement.principal)
        return "denies every principal without a condition" if "*" in others else None
    if any(k.lower() in (h.lower() for h in HARMLESS_KEYS) for _, k in keys):
        return None
    network = [(op, k) for op, k in keys if k.lower() in (n.lower() for n in NETWORK_KEYS)]
    if network and all(op.split(":")[-1].startswith(NEGATED) for op, _ in network):
        op, key = network[0]
        return f"admits only your own network ({op} on {key}); Braze writes from its own"
    return None


def denials(bucket: BucketInfo, action: str, key: str | None) -> list[Denial]:
    """The bucket-policy statements that deny ``action`` on the bucket (``key`` None) or ``bucket/key`` to Braze."""
    if not isinstance(bucket.name, str):
        return []
    found = bucket.denials.get((action, key))
    if found is None:
        found = bucket.denials[(action, key)] = _denials(bucket, bucket.name, action, key)
    return found


def _denials(bucket: BucketInfo, name: str, action: str, key: str | None) -> list[Denial]:
    found = []
    for res, statement in bucket_policy_statements(bucket):
        if statement.effect != "Deny" or iam.statement_covers_action(statement, action) is not True:
            continue
        if iam.statement_covers_s3(statement, name, key) is not True:
            continue
        why = _why(statement)
        if why:
            found.append(Denial(res, why))
    return found
