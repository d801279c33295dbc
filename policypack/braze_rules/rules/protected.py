"""braze-bucket-protected: a Braze bucket is protected in Pulumi and never force-destroyed."""

from __future__ import annotations

from braze_rules.findings import RuleResult
from braze_rules.model import BrazeModel
from braze_rules.resources import UNKNOWN
from braze_rules.rule import Rule

NAME = "braze-bucket-protected"
WHY = (
    "the bucket is the only copy of API exports (they have no download link) and of Currents data older than "
    "Braze's 30 days, which Braze cannot replay"
)


def check(model: BrazeModel) -> RuleResult:
    result = RuleResult()
    for bucket in model.braze_buckets():
        res = bucket.res
        if res is None:
            continue
        force = res.get("forceDestroy")
        if force is True:
            result.violation(
                f"{bucket.label()} sets forceDestroy: true, so deleting it deletes every object; {WHY}. Remove forceDestroy.",
                res.urn,
            )
        elif force is UNKNOWN:
            result.note(f"{NAME}: forceDestroy of {bucket.label()} is not known until deployment.")
        if not res.protect:
            result.violation(
                f"{bucket.label()} is not protected: a `pulumi destroy` or a replacing change deletes it; {WHY}. Set the "
                "resource option protect (braze-s3:bucket.protect: true).",
                res.urn,
            )
    return result


RULE = Rule(
    name=NAME,
    description="A Braze bucket has the Pulumi protect option and does not set forceDestroy.",
    enforcement="advisory",
    severity="high",
    remediation="Set braze-s3:bucket.protect: true (resource option protect=True) and never forceDestroy; production policy groups make this rule mandatory.",
    check=check,
)
