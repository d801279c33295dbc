"""braze-prefer-role-auth: access keys are a standing secret; a role with an external id is safer."""

from __future__ import annotations

from braze_rules import facts
from braze_rules.findings import RuleResult
from braze_rules.model import BrazeModel
from braze_rules.rule import Rule

NAME = "braze-prefer-role-auth"


def check(model: BrazeModel) -> RuleResult:
    result = RuleResult()
    for principal in model.braze_principals():
        if principal.kind != "user":
            continue
        keys = len(principal.access_keys)
        result.violation(
            f"{principal.res.label()} gives Braze an IAM user{f' with {keys} access key(s)' if keys else ''}: a standing "
            f"secret that can leak, and whose expiry or rotation without updating Braze stops the connector ({facts.LOSS}). "
            "Prefer Braze's AWS Role ARN method: auth: role with the external id from Braze.",
            principal.res.urn,
        )
    return result


RULE = Rule(
    name=NAME,
    description="Braze integrations authenticate with a role and an external id rather than an IAM user's access keys.",
    enforcement="advisory",
    severity="low",
    remediation="Switch the integration to auth: role (braze-s3:currents[i].auth / braze-s3:dashboardExport.auth) with externalIds from Braze; see docs/operations.md for the move without downtime.",
    check=check,
)
