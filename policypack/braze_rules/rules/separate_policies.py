"""braze-separate-integration-policies: Currents and dashboard export never share a policy or principal."""

from __future__ import annotations

from braze_rules import facts
from braze_rules.findings import RuleResult
from braze_rules.model import BrazeModel, PolicyDoc
from braze_rules.rule import Rule

NAME = "braze-separate-integration-policies"
WHY = (
    "Braze requires two separate policies when one bucket serves Currents and dashboard export: "
    "their permissions differ (dashboard export deletes, Currents must not), so a shared policy or "
    "principal gives Currents DeleteObject or ties both integrations to one credential"
)


def _policy_integrations(model: BrazeModel, policy: PolicyDoc) -> set[str]:
    """What the policy serves: declared on it or on its principals (tags, components, folder, connector),
    else what its own grants show. A Currents policy that may also delete is an over-privileged Currents
    policy (braze-least-privilege), not dashboard export."""
    return model.grants.of_policy(policy).integrations


def check(model: BrazeModel) -> RuleResult:
    result = RuleResult()
    for bucket in model.braze_buckets():
        policies = [p for p in model.braze_policies() if model.grants.of_policy(p).on(bucket) is not None]
        served: set[str] = set()
        for policy in policies:
            served |= _policy_integrations(model, policy)
        if served != set(facts.INTEGRATIONS):
            continue
        for policy in policies:
            if _policy_integrations(model, policy) == set(facts.INTEGRATIONS):
                result.violation(
                    f"{policy.label()} serves both Currents and dashboard export on {bucket.label()}. {WHY}. "
                    "Give each integration its own policy and its own role or user (the braze-s3 program "
                    "does: braze-s3:currents[i] and braze-s3:dashboardExport).",
                    policy.res.urn,
                )
        principals = {urn for p in policies for urn in p.principals}
        for urn in sorted(principals):
            principal = model.principals[urn]
            if model.grants.of_principal(principal).integrations >= set(facts.INTEGRATIONS):
                result.violation(
                    f"{principal.res.label()} is used by both Currents and dashboard export on {bucket.label()}. "
                    f"{WHY}. Use one principal per integration.",
                    urn,
                )
    return result


RULE = Rule(
    name=NAME,
    description="Where one bucket serves Currents and dashboard export, no IAM policy and no principal serves both.",
    enforcement="mandatory",
    severity="high",
    remediation=(
        "Create one policy and one role (or user) for dashboard export and one per Currents connector; "
        "never attach the same policy to both, nor both policies to one principal."
    ),
    check=check,
)
