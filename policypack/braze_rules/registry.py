"""The pack's rules, in order, and how each becomes a pulumi-policy stack policy.

Most rules are stack policies: what counts as Braze is a property of the whole stack (tags,
parents, trust, which policy grants on which bucket). A rule that one resource can decide
(`per_resource`) is also a resource policy under its own name, which the engine runs before
that resource's step, and its stack policy `<name>-linked` reports only what the whole stack
adds. Each policy declares the same `brazeAccountIds` config key, because Pulumi's pack
config is per policy.
"""

from __future__ import annotations

import gc
import json
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from braze_rules import facts
from braze_rules.findings import RuleResult
from braze_rules.model import BrazeModel
from braze_rules.model_builder import build_model
from braze_rules.resources import Res, clean, from_policy_resource, from_policy_resources, raw_list, raw_props
from braze_rules.rule import Rule
from braze_rules.rules import (
    bucket_control,
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
    bucket_control.RULE,
    sse_kms.RULE,
    not_public.RULE,
    tls_only.RULE,
    protected.RULE,
    prefer_role.RULE,
)

# Every policy of the pack, in order: the pack's public interface (config files, README).
POLICY_NAMES: tuple[str, ...] = tuple(name for rule in RULES for name in rule.policy_names)

ACCOUNT_IDS_SCHEMA: dict[str, Any] = {
    "brazeAccountIds": {
        "type": "array",
        "items": {"type": "string", "pattern": "^[0-9]{12}$"},
        "default": list(facts.DEFAULT_BRAZE_ACCOUNT_IDS),
        "description": "AWS account ids Braze assumes roles from (shown on Braze's Currents and Technology Partners pages).",
    }
}


def account_ids(config: Any) -> tuple[str, ...]:
    """The configured Braze accounts.

    The CLI fills each policy's schema defaults before `Configure` (`createConfigWithDefaults`,
    pulumi/pulumi pkg/resource/analyzer/config.go), so a pack run by the engine always gets
    `brazeAccountIds`. The fallback is for callers that are not the engine: the SDK's own test
    helpers and direct gRPC clients, which apply no default."""
    ids = config.get("brazeAccountIds") if isinstance(config, dict) else None
    if not isinstance(ids, list):
        return facts.DEFAULT_BRAZE_ACCOUNT_IDS
    return tuple(str(i) for i in ids if isinstance(i, (str, int)))


# The SDK hands each stack policy its own copy of the same stack (pulumi-policy's `AnalyzeStack`
# deserialises the request once per policy). The model is built once per distinct stack content
# and shared. The key is the JSON of what the engine sent — each resource's raw deserialised
# properties (unknowns as the engine's sentinels, the SDK's nested proxies read through their
# targets) and links — so a rule that finds its model pays one fast pass over the values, not a
# rebuild. Equal keys mean equal stacks. The policies of one call find the model by the call's
# response object without even that pass; and the first call of a process (the engine's only one:
# it starts the pack for each operation) computes no key at all until a second call needs it.
_MODELS: OrderedDict[str, BrazeModel] = OrderedDict()
_MODELS_KEPT = 4
# Set by the pack's process (`policies.build_pack`), never by in-process callers: each new model is
# moved out of the cyclic collector's reach (`gc.freeze`). It lives as long as the process, and
# otherwise every full collection during the SDK's per-policy copies of the stack rescans it
# (measured: most of the pack's own work at 10,000 resources, docs/benchmarks.md).
FREEZE_MODELS = False


@dataclass
class _LastCall:
    seen: object | None = None  # the call's response, or the resources list when there is none
    ids: tuple[str, ...] = ()
    model: BrazeModel | None = None
    unkeyed: list[Any] | None = None  # its resources, while its content key has not been needed


_LAST = _LastCall()


def _built(resources: list[Any], ids: tuple[str, ...]) -> BrazeModel:
    model = build_model(from_policy_resources(resources), ids)
    if FREEZE_MODELS:
        gc.freeze()
    return model


def _remember(key: str, model: BrazeModel) -> None:
    _MODELS[key] = model
    while len(_MODELS) > _MODELS_KEPT:
        _MODELS.popitem(last=False)


def _unproxied(value: Any) -> Any:
    """For `json.dumps`: the SDK nests its read-only proxies inside the deserialised values; their targets."""
    if isinstance(value, Mapping):
        return raw_props(value)
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        return raw_list(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


def _content_key(resources: list[Any], ids: tuple[str, ...]) -> str:
    """One pass over the engine's values (JSON encoding runs in C; only the SDK's proxies call back)."""
    rows = [
        (
            r.urn,
            r.resource_type,
            raw_props(r.props),
            r.opts.parent,  # the parent's URN: the engine sets it in every resource's options
            [d.urn for d in r.dependencies],
            {k: [d.urn for d in v] for k, v in r.property_dependencies.items()},
            bool(r.opts.protect),
        )
        for r in resources
    ]
    try:
        return json.dumps([ids, rows], default=_unproxied)
    except (TypeError, ValueError):  # a value JSON cannot hold: the slower exact form
        return repr([ids, [(*row[:2], clean(row[2]), *row[3:]) for row in rows]])


def model_for(resources: list[Any], config: Any, request: object | None = None) -> BrazeModel:
    """The Braze model of the engine's resources, shared by every rule of one analysis.

    ``request`` is an object the SDK creates once per `AnalyzeStack` call and shows every policy
    of that call (see `policies.request_of`): the same one means the same stack, so the content key
    is not even computed. The last one is held, so its identity cannot be reused by a later call.
    """
    ids = account_ids(config)
    last = _LAST
    for seen in (resources, request):
        if seen is not None and last.seen is seen and last.ids == ids and last.model is not None:
            return last.model
    if request is not None and last.model is None:  # the first call: no other content to compare with
        model = _built(resources, ids)
        last.seen, last.ids, last.model, last.unkeyed = request, ids, model, resources
        return model
    if last.unkeyed is not None and last.model is not None:  # a second call: now the first one's key matters
        _remember(_content_key(last.unkeyed, last.ids), last.model)
        last.unkeyed = None
    key = _content_key(resources, ids)
    cached = _MODELS.get(key)
    if cached is None:
        cached = _built(resources, ids)
        _remember(key, cached)
    last.seen, last.ids, last.model = request if request is not None else resources, ids, cached
    return cached


def _guarded(rule: Rule, run: Any) -> RuleResult:
    """Never raise: a crash would block every stack of the org; say so visibly instead."""
    try:
        result: RuleResult = run()
        return result
    except Exception as error:  # noqa: BLE001 - reported as a visible note instead of a crash that blocks every stack
        return RuleResult(
            notes=[f"{rule.name} could not evaluate this stack ({type(error).__name__}); please report it."]
        )


def evaluate(rule: Rule, resources: list[Any], config: Any, request: object | None = None) -> RuleResult:
    """Run one rule over engine resources (the whole stack)."""
    return _guarded(rule, lambda: rule.check(model_for(resources, config, request)))


def _alone(rule: Rule, res: Res, ids: tuple[str, ...]) -> RuleResult:
    """What ``rule`` finds in one resource by itself: its tags, its component parents (from its
    URN), its own documents. Findings about something missing need the stack and are left out."""
    result = rule.check(build_model([res], ids))
    result.violations = [v for v in result.violations if not v.needs_stack]
    return result


def evaluate_resource(rule: Rule, resource: Any, config: Any) -> RuleResult:
    """The per-resource run of a rule, for the engine's `Analyze` before the resource's step."""
    return _guarded(rule, lambda: _alone(rule, from_policy_resource(resource), account_ids(config)))


def evaluate_linked(rule: Rule, resources: list[Any], config: Any, request: object | None = None) -> RuleResult:
    """The stack run of a per-resource rule, less what the per-resource run already reported
    (the same resource, or the same note): each finding is reported once."""

    def run() -> RuleResult:
        model = model_for(resources, config, request)
        full = rule.check(model)
        ids = account_ids(config)
        alone: dict[str, RuleResult] = {}

        def seen_alone(urn: str) -> RuleResult | None:
            res = model.resources.get(urn)
            if res is None:
                return None
            if urn not in alone:
                alone[urn] = _alone(rule, res, ids)
            return alone[urn]

        kept = RuleResult()
        for violation in full.violations:
            # A finding only the stack shows (`needs_stack`) was never the resource's own: kept beside what the
            # resource alone reported (a missing public access block beside a public ACL).
            local = seen_alone(violation.urn) if violation.urn and not violation.needs_stack else None
            if local is None or not local.violations:
                kept.violations.append(violation)
        if full.notes:  # which of them each resource alone already gave (one small model per Braze resource)
            braze = [b.res for b in model.braze_buckets() if b.res] + [
                c for b in model.braze_buckets() for c in b.children
            ]
            braze += [p.res for p in model.braze_principals()]
            local_notes = {note for res in braze for note in (seen_alone(res.urn) or RuleResult()).notes}
            kept.notes = [note for note in full.notes if note not in local_notes]
        return kept

    return _guarded(rule, run)
