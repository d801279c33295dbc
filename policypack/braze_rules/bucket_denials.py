"""Bucket-policy Deny statements that refuse Braze's own requests.

An explicit Deny in the bucket policy wins over any Allow Braze's role or user holds. Each Deny
that covers the action and the key is judged by all of it — Principal or NotPrincipal, and every
condition ANDed — against Braze's request context (`conditions`): it applies, it does not, or it
cannot be told here (the reason says what is missing). The encryption header is the one each
integration sends: none for dashboard export, none or `AES256` for Currents (its toggle).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from braze_rules import conditions, iam
from braze_rules.conditions import Caller
from braze_rules.model import BucketInfo, bucket_policy_statements
from braze_rules.resources import UNKNOWN, Res


@dataclass(frozen=True)
class Denial:
    res: Res
    why: str
    certain: bool = True  # False: it may apply, not known here (``why`` says what is missing)
    statement: iam.Statement | None = field(default=None, compare=False)


def judge(bucket: BucketInfo, action: str, key: str | None, caller: Caller | None = None) -> list[Denial]:
    """The bucket-policy Denies that do (``certain``) or may refuse ``caller``'s request for ``action`` on
    the bucket (``key`` None) or ``bucket/key``. Without a caller: any of Braze's principals."""
    if not isinstance(bucket.name, str):
        return []
    caller = caller or conditions.generic_caller()
    memo = (action, key, caller)
    found = bucket.denials.get(memo)
    if found is None:
        found = bucket.denials[memo] = _denials(bucket, bucket.name, action, key, caller)
    return found


def denials(bucket: BucketInfo, action: str, key: str | None, caller: Caller | None = None) -> list[Denial]:
    """The Denies certain to refuse the request (`judge` without the undecided ones)."""
    return [d for d in judge(bucket, action, key, caller) if d.certain]


def _denials(bucket: BucketInfo, name: str, action: str, key: str | None, caller: Caller) -> list[Denial]:
    found: list[Denial] = []

    def unknown(res: Res) -> None:
        found.append(Denial(res, "its document is known only after deployment", certain=False))

    for res, statement in bucket_policy_statements(bucket, unknown):
        if statement.allow or iam.statement_covers_action(statement, action) is False:
            continue
        covers: Any = iam.statement_covers_s3(statement, name, key)
        if covers is False:
            continue
        verdict = conditions.applies(statement, caller, action)
        if verdict.applies is False:
            continue
        parts = (statement.effect, iam.statement_covers_action(statement, action), covers)
        if verdict.applies is True and UNKNOWN not in parts and statement.effect == "Deny":
            found.append(Denial(res, verdict.why, statement=statement))
        else:
            why = (
                verdict.why
                if verdict.applies is UNKNOWN
                else "its Effect, Action or Resource is known only after deployment"
            )
            found.append(Denial(res, why, certain=False, statement=statement))
    return found
