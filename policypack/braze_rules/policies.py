"""Adapters from `Rule` to pulumi-policy's `StackValidationPolicy` (imports the SDK)."""

from __future__ import annotations

import gc
import os
from typing import Any

from pulumi.runtime.proto import analyzer_pb2
from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyConfigSchema,
    PolicyPack,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, UnknownValueError

from braze_rules import facts, registry
from braze_rules.findings import RuleResult
from braze_rules.registry import ACCOUNT_IDS_SCHEMA, RULES, evaluate, evaluate_linked, evaluate_resource
from braze_rules.rule import Rule

PACK_NAME = "braze-s3"
ADVISORY_LEVEL = analyzer_pb2.ADVISORY  # an AnalyzeDiagnostic's level: blocks nothing


def dry_run() -> bool | None:
    """Whether this analysis is a preview: the engine starts the pack once per operation with
    `PULUMI_DRY_RUN` set to its mode ("true" for a preview, "false" for the update of `pulumi up`;
    pulumi-policy reads the same variable for `pulumi.runtime.is_dry_run()`). None when it is not
    set (a caller that is not the engine): the mode is then unknown and the wording says neither."""
    value = os.environ.get("PULUMI_DRY_RUN")
    return None if value is None else value.strip().lower() == "true"


def not_checked_message(notes: list[str], preview: bool | None) -> str:
    """What a rule could not check, worded for the operation: "during preview" only in a preview."""
    when = {True: " during this preview", False: " in this update", None: ""}[preview]
    return f"checked what is known; not checked{when}: " + " | ".join(notes)


def _not_checked(notes: list[str], preview: bool | None) -> UnknownValueError:
    """The fallback: the SDK turns this into one advisory diagnostic, whatever the rule's level, and
    prefixes it with "can't run policy … during preview" in every mode (pulumi_policy/policy.py)."""
    error = UnknownValueError(UNKNOWN_STRING_VALUE, [])
    error.message = not_checked_message(notes, preview)
    if preview is False:
        error.message = "(not a preview: pulumi-policy words every such note so) " + error.message
    return error


def _say_not_checked(notes: list[str], report_violation: ReportViolation) -> None:
    """One advisory diagnostic naming what was not checked, worded truthfully in both modes.

    The SDK's own channel for this, an `UnknownValueError`, is reported as "can't run policy … during
    preview" even under `pulumi up`. So the note is reported as the policy's own diagnostic (the
    SDK fills in the pack, version, policy and severity) and then set to advisory, the level the SDK
    gives its own unknown-value notes, in the response every `report_violation` of a call writes to
    (`request_of`). An SDK that builds the response otherwise gets the fallback exception."""
    preview = dry_run()
    response: Any = request_of(report_violation)
    diagnostics = getattr(response, "diagnostics", None)
    if diagnostics is None:
        raise _not_checked(notes, preview)
    message = not_checked_message(notes, preview)
    before = len(diagnostics)
    report_violation(message, None)
    if len(diagnostics) != before + 1 or not diagnostics[-1].message.endswith(message):
        raise _not_checked(notes, preview)  # pragma: no cover - an SDK that reports elsewhere
    diagnostics[-1].enforcementLevel = ADVISORY_LEVEL


def _config(args: StackValidationArgs | ResourceValidationArgs) -> Any:
    try:
        return args.get_config()
    except Exception:  # noqa: BLE001 - malformed config: fall back to the defaults
        return {}


def _report(result: RuleResult, report_violation: ReportViolation, with_urn: bool) -> None:
    for violation in result.violations:
        report_violation(violation.message, violation.urn if with_urn else None)
    if result.notes:
        _say_not_checked(result.notes, report_violation)


def _decorate(policy: Policy, rule: Rule) -> Policy:
    # Metadata the Pulumi Cloud console shows; set as attributes so older SDKs still load.
    policy.severity = Severity[rule.severity.upper()]
    policy.remediation_steps = rule.remediation
    policy.url = facts.DOCS_URL
    policy.tags = ["braze", "s3", "iam"]
    return policy


def _level(rule: Rule) -> EnforcementLevel:
    return EnforcementLevel.MANDATORY if rule.enforcement == "mandatory" else EnforcementLevel.ADVISORY


def _schema() -> PolicyConfigSchema:
    return PolicyConfigSchema(properties=dict(ACCOUNT_IDS_SCHEMA))


def request_of(report_violation: ReportViolation) -> object | None:
    """The `AnalyzeResponse` pulumi-policy builds once per `AnalyzeStack` call: every stack policy's
    `report_violation` closes over it (`_create_report_violation` in pulumi_policy/policy.py). It tells
    the policies of one call apart from the next call's without reading the stack; read, never
    changed. None when an SDK version builds it otherwise: the pack then compares content."""
    for cell in getattr(report_violation, "__closure__", None) or ():
        try:
            value: object = cell.cell_contents
        except ValueError:  # an empty cell
            continue
        if type(value).__name__ == "AnalyzeResponse":
            return value
    return None


def to_policy(rule: Rule) -> StackValidationPolicy:
    """The stack policy of a rule (for a per-resource rule: only what the whole stack adds)."""
    evaluate_stack = evaluate_linked if rule.per_resource else evaluate

    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        result = evaluate_stack(rule, list(args.resources), _config(args), request_of(report_violation))
        _report(result, report_violation, with_urn=True)

    description = rule.description
    if rule.per_resource:
        description = (
            f"{rule.description[:-1]}: what only the whole stack shows (resources linked to a Braze bucket or role "
            f"by name, dependency or attachment), after {rule.name} checked each resource before its step."
        )
    policy = StackValidationPolicy(
        name=rule.linked_name if rule.per_resource else rule.name,
        description=description,
        validate=validate,
        enforcement_level=_level(rule),
        config_schema=_schema(),
    )
    return _decorate(policy, rule)  # type: ignore[return-value]


def to_resource_policy(rule: Rule) -> ResourceValidationPolicy:
    """The resource policy of a per-resource rule: the engine calls it before each step."""

    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        _report(evaluate_resource(rule, args, _config(args)), report_violation, with_urn=False)

    policy = ResourceValidationPolicy(
        name=rule.name,
        description=rule.description,
        validate=validate,
        enforcement_level=_level(rule),
        config_schema=_schema(),
    )
    return _decorate(policy, rule)  # type: ignore[return-value]


def policies() -> list[Policy]:
    """Every policy of the pack, in the order of `registry.POLICY_NAMES`."""
    built: list[Policy] = []
    for rule in RULES:
        if rule.per_resource:
            built.append(to_resource_policy(rule))
        built.append(to_policy(rule))
    return built


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
    registry.FREEZE_MODELS = True  # this process is the pack's own: see registry.FREEZE_MODELS
    return PolicyPack(
        name=PACK_NAME,
        policies=policies(),
        description="Braze on Amazon S3: catch every mistake that stops Braze writing or exposes its data.",
        provider="aws",
        tags=["braze", "s3"],
    )
