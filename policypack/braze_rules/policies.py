"""Adapters from `Rule` to pulumi-policy's `StackValidationPolicy` (imports the SDK)."""

from __future__ import annotations

import gc

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyPack,
    ReportViolation,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, UnknownValueError

from braze_rules import facts
from braze_rules.registry import ACCOUNT_IDS_SCHEMA, RULES, evaluate
from braze_rules.rule import Rule

PACK_NAME = "braze-s3"


def _not_checked(notes: list[str]) -> UnknownValueError:
    """The SDK turns this into one advisory diagnostic, whatever the rule's level: the way
    to say "not checked" visibly without failing the preview and without hiding the
    violations already reported."""
    error = UnknownValueError(UNKNOWN_STRING_VALUE, [])
    error.message = "checked what is known; not checkable before deployment: " + " | ".join(notes)
    return error


def to_policy(rule: Rule) -> StackValidationPolicy:
    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        try:
            config = args.get_config()
        except Exception:  # noqa: BLE001 - malformed config: fall back to the defaults
            config = {}
        result = evaluate(rule, list(args.resources), config)
        for violation in result.violations:
            report_violation(violation.message, violation.urn)
        if result.notes:
            raise _not_checked(result.notes)

    policy = StackValidationPolicy(
        name=rule.name,
        description=rule.description,
        validate=validate,
        enforcement_level=EnforcementLevel.MANDATORY if rule.enforcement == "mandatory" else EnforcementLevel.ADVISORY,
        config_schema=PolicyConfigSchema(properties=dict(ACCOUNT_IDS_SCHEMA)),
    )
    # Metadata the Pulumi Cloud console shows; set as attributes so older SDKs still load.
    policy.severity = Severity[rule.severity.upper()]
    policy.remediation_steps = rule.remediation
    policy.url = facts.DOCS_URL
    policy.tags = ["braze", "s3", "iam"]
    return policy


# (A copy of components/program.py's tuning, on purpose: the pack is published alone.)
# The SDK materialises the whole stack once per policy; with CPython's default generation-0
# threshold the cyclic GC rescans those objects over and over during one analysis. A larger
# threshold keeps the pack's time linear in the stack (docs/benchmarks.md).
GC_GENERATION0_THRESHOLD = 10_000


def build_pack() -> PolicyPack:
    """Start the pack (never returns: it serves the engine over gRPC)."""
    threshold0, threshold1, threshold2 = gc.get_threshold()
    if 0 < threshold0 < GC_GENERATION0_THRESHOLD:
        gc.set_threshold(GC_GENERATION0_THRESHOLD, threshold1, threshold2)
    return PolicyPack(
        name=PACK_NAME,
        policies=[to_policy(rule) for rule in RULES],
        description="Braze on Amazon S3: catch every mistake that stops Braze writing or exposes its data.",
        provider="aws",
        tags=["braze", "s3"],
    )
