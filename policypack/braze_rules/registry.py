"""The pack's rules, in order, and how each becomes a pulumi-policy stack policy.

Every rule is a stack policy: what counts as Braze is a property of the whole stack
(tags, parents, trust, which policy grants on which bucket). Each declares the same
`brazeAccountIds` config key, because Pulumi's pack config is per policy.
"""

from __future__ import annotations

from typing import Any

from braze_rules import facts
from braze_rules.findings import RuleResult
from braze_rules.model import build_model
from braze_rules.resources import from_policy_resources
from braze_rules.rule import Rule
from braze_rules.rules import (
    bucket_wildcards,
    external_id,
    folder_paths,
    least_privilege,
    not_public,
    object_lock,
    prefer_role,
    protected,
    required_permissions,
    separate_policies,
    sse_kms,
    tls_only,
)

RULES: tuple[Rule, ...] = (
    object_lock.RULE,
    folder_paths.RULE,
    separate_policies.RULE,
    external_id.RULE,
    bucket_wildcards.RULE,
    required_permissions.RULE,
    least_privilege.RULE,
    sse_kms.RULE,
    not_public.RULE,
    tls_only.RULE,
    protected.RULE,
    prefer_role.RULE,
)

ACCOUNT_IDS_SCHEMA: dict[str, Any] = {
    "brazeAccountIds": {
        "type": "array",
        "items": {"type": "string", "pattern": "^[0-9]{12}$"},
        "default": list(facts.DEFAULT_BRAZE_ACCOUNT_IDS),
        "description": "AWS account ids Braze assumes roles from (shown on Braze's Currents and Technology Partners pages).",
    }
}


def account_ids(config: Any) -> tuple[str, ...]:
    """The configured Braze accounts; the engine does not apply schema defaults for us."""
    ids = config.get("brazeAccountIds") if isinstance(config, dict) else None
    if not isinstance(ids, list):
        return facts.DEFAULT_BRAZE_ACCOUNT_IDS
    return tuple(str(i) for i in ids if isinstance(i, (str, int)))


def evaluate(rule: Rule, resources: list[Any], config: Any) -> RuleResult:
    """Run one rule over engine resources; never raises (a crash would block every stack of the org)."""
    try:
        model = build_model(from_policy_resources(resources), account_ids(config))
        return rule.check(model)
    except Exception as error:  # noqa: BLE001 - reported as a visible note instead of a crash that blocks every stack
        return RuleResult(
            notes=[f"{rule.name} could not evaluate this stack ({type(error).__name__}); please report it."]
        )
