"""braze-no-object-lock: Braze Currents cannot write to a bucket with Object Lock."""

from __future__ import annotations

from braze_rules import facts
from braze_rules.findings import RuleResult
from braze_rules.model import BrazeModel
from braze_rules.resources import UNKNOWN
from braze_rules.rule import Rule
from braze_rules.shapes import LOCK_CONFIGS

NAME = "braze-no-object-lock"
WHY = "Braze Currents does not support buckets with S3 Object Lock; its writes fail and " + facts.LOSS


def check(model: BrazeModel) -> RuleResult:
    result = RuleResult()
    for bucket in model.braze_buckets():
        where = bucket.label()
        res = bucket.res
        if res is not None:
            enabled = res.get("objectLockEnabled")  # v7 and aws-native: a boolean
            legacy = res.get("objectLockConfiguration", "objectLockEnabled")  # v6 inline, aws-native: "Enabled"
            native_config = res.get("objectLockConfiguration")
            if enabled is True or enabled == "true":
                result.violation(
                    f"{where} sets objectLockEnabled: true. {WHY}. Remove objectLockEnabled (a new bucket is needed: S3 cannot turn Object Lock off).",
                    res.urn,
                )
            elif legacy == "Enabled":
                result.violation(
                    f'{where} has an inline objectLockConfiguration with objectLockEnabled "Enabled". {WHY}. Remove the objectLockConfiguration block.',
                    res.urn,
                )
            elif isinstance(native_config, dict) and native_config.get("rule") not in (None, UNKNOWN):
                result.violation(
                    f"{where} has an objectLockConfiguration with a default retention rule. {WHY}. Remove it.", res.urn
                )
            elif enabled is UNKNOWN or legacy is UNKNOWN or native_config is UNKNOWN:
                result.note(f"{NAME}: Object Lock on {where} is not known until deployment and was not checked.")
        for child in bucket.children:
            if child.type in LOCK_CONFIGS:
                result.violation(
                    f"{child.label()} configures Object Lock on {where}. {WHY}. Delete this resource.", child.urn
                )
    return result


RULE = Rule(
    name=NAME,
    description="No bucket Braze writes to may have S3 Object Lock, in any form.",
    enforcement="mandatory",
    severity="critical",
    remediation=(
        "Remove objectLockEnabled / objectLockConfiguration from the bucket and delete any "
        "BucketObjectLockConfiguration on it. S3 cannot switch Object Lock off on an existing bucket: "
        "create a new bucket (braze-s3:bucket.name) and point Braze at it."
    ),
    check=check,
    per_resource=True,
)
