"""What a reviewer must not miss in a plan against a baseline: risks to Braze's credentials and data.

Each risk has a stable code (machines filter on it), the resource it is about, and a sentence that
says what happens and what to do.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from braze_s3_tools.plan.bucket_state import bucket_state_risks, existed_before
from braze_s3_tools.plan.diff import Change

CREDENTIALS = {
    "aws:iam/role:Role": "role (its ARN is what Braze holds)",
    "aws:iam/user:User": "user (its access keys are what Braze holds)",
    "aws:iam/accessKey:AccessKey": "access key",
}
BUCKET = "aws:s3/bucket:Bucket"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"


@dataclass(frozen=True)
class Risk:
    code: str
    urn: str
    message: str

    def as_json(self) -> dict[str, str]:
        return {"code": self.code, "urn": self.urn, "message": self.message}


def risks(old: dict[str, Any], new: dict[str, Any], changes: list[Change]) -> list[Risk]:
    found: list[Risk] = []
    old_resources = {r["urn"]: r for r in old.get("resources", [])}
    new_resources = {r["urn"]: r for r in new.get("resources", [])}
    for change in changes:
        found += _credential_risks(change, old)
        found += _bucket_risks(change, old_resources.get(change.urn), new_resources.get(change.urn))
        if change.type == LIFECYCLE and change.op in ("update", "replace", "create"):
            new_lifecycle = new_resources[change.urn]
            if change.op != "create" or existed_before(new_lifecycle.get("inputs", {}).get("bucket"), old, new):
                found += _lifecycle_risks(change, _old_lifecycle(change, new_lifecycle, old), new_lifecycle)
    found += [Risk(code, urn, message) for code, urn, message in bucket_state_risks(old, new)]
    found += _form_risks(old, new)
    found += _pack_risks(old, new)
    return found


def _credential_risks(change: Change, old: dict[str, Any]) -> list[Risk]:
    what = CREDENTIALS.get(change.type)
    if what is None or change.op not in ("replace", "delete"):
        return []
    if change.type == "aws:iam/accessKey:AccessKey":
        generation = _generation(change.name)
        if change.op == "delete" and generation not in _active_generations(old):
            return []  # an older generation retired after rotation: Braze holds the newer one
        if change.op == "delete":
            return [
                Risk(
                    "ACTIVE_KEY_REMOVED",
                    change.urn,
                    f'{change.name} deletes the access key of generation "{generation}", the one Braze holds '
                    "(activeAccessKey): Braze's writes fail from `pulumi up` on. Add the new generation first, put its "
                    "key into Braze, then remove the old one in a second change (docs/operations.md).",
                )
            ]
    verb = "replaces" if change.op == "replace" else "deletes"
    why = f" (because of {', '.join(change.replace_keys)})" if change.replace_keys else ""
    return [
        Risk(
            "CREDENTIAL_REPLACED" if change.op == "replace" else "CREDENTIAL_DELETED",
            change.urn,
            f"{change.name}: this change {verb} a Braze {what}{why}. The credentials typed into Braze stop working "
            "at `pulumi up`; Braze's connector fails until the new values are typed in, and events it cannot write "
            "are dropped after 48 hours to 5 days.",
        )
    ]


def _generation(key_name: str) -> str:
    """`currents-marketing-key-2026-11` → `2026-11` (the program names keys `<component>-key-<generation>`)."""
    return key_name.split("-key-", 1)[-1]


def _active_generations(plan: dict[str, Any]) -> set[str]:
    outputs = plan.get("outputs") or {}
    integrations = [*(outputs.get("currents") or {}).values(), outputs.get("dashboardExport") or {}]
    return {
        i["activeAccessKey"] for i in integrations if isinstance(i, dict) and isinstance(i.get("activeAccessKey"), str)
    }


def _bucket_risks(change: Change, old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[Risk]:
    if change.type != BUCKET:
        return []
    if change.op in ("replace", "delete"):
        verb = "replaces" if change.op == "replace" else "deletes"
        return [
            Risk(
                "BUCKET_REPLACED" if change.op == "replace" else "BUCKET_DELETED",
                change.urn,
                f"{change.name}: this change {verb} the bucket that holds every Currents file and export. With "
                "retainOnDelete the old bucket stays in AWS but leaves the stack; Braze keeps writing to the name it "
                "was given. Check the bucket name, or move data and Braze's settings on purpose.",
            )
        ]
    if old and new:
        lost = [flag for flag in ("protect", "retainOnDelete") if old.get(flag) and not new.get(flag)]
        if lost:
            return [
                Risk(
                    "PROTECTION_LOST",
                    change.urn,
                    f"{change.name}: {' and '.join(lost)} switched off on a bucket that had it: a later destroy or "
                    "replacement would delete it and its files.",
                )
            ]
    return []


def _rule_days(rule: dict[str, Any]) -> dict[str, int]:
    """Days after which a rule acts: expiry, noncurrent expiry, and each transition by storage class."""
    days: dict[str, int] = {}
    expiration = rule.get("expiration")
    if isinstance(expiration, dict) and isinstance(expiration.get("days"), int):
        days["expiration"] = expiration["days"]
    noncurrent = rule.get("noncurrentVersionExpiration")
    if isinstance(noncurrent, dict) and isinstance(noncurrent.get("noncurrentDays"), int):
        days["noncurrent expiration"] = noncurrent["noncurrentDays"]
    for transition in rule.get("transitions") or []:
        if isinstance(transition, dict) and isinstance(transition.get("days"), int):
            days[f"transition to {transition.get('storageClass')}"] = transition["days"]
    return days


def _enabled_rules(resource: dict[str, Any] | None) -> list[tuple[str, str, dict[str, int]]]:
    """(id, prefix, days per action) of each enabled rule of a lifecycle configuration."""
    rules = (resource or {}).get("inputs", {}).get("rules")
    found = []
    for index, rule in enumerate(rules if isinstance(rules, list) else []):
        if not isinstance(rule, dict) or rule.get("status", "Enabled") != "Enabled":
            continue
        filter_ = rule.get("filter")
        prefix = filter_.get("prefix", "") if isinstance(filter_, dict) else ""
        found.append((str(rule.get("id", f"#{index}")), prefix if isinstance(prefix, str) else "", _rule_days(rule)))
    return found


def _acting(rules: list[tuple[str, str, dict[str, int]]], prefix: str) -> dict[str, tuple[int, str]]:
    """Per action, the soonest day any rule acts on every object under ``prefix`` — and which rule: the rules
    whose own prefix covers it (S3 applies all of them; the earliest wins)."""
    soonest: dict[str, tuple[int, str]] = {}
    for rule_id, rule_prefix, days in rules:
        if not prefix.startswith(rule_prefix):
            continue
        for action, day in days.items():
            if action not in soonest or day < soonest[action][0]:
                soonest[action] = (day, rule_id)
    return soonest


def _old_lifecycle(change: Change, new: dict[str, Any], old_plan: dict[str, Any]) -> dict[str, Any] | None:
    """The configuration that acted on this bucket before: the same resource, or — for a new lifecycle
    resource on a bucket that already existed — whatever configuration that bucket had."""
    old_resources = old_plan.get("resources", [])
    same: dict[str, Any] | None = next((r for r in old_resources if r["urn"] == change.urn), None)
    if same is not None:
        return same
    bucket = new.get("inputs", {}).get("bucket")
    return next(
        (r for r in old_resources if r["type"] == LIFECYCLE and r.get("inputs", {}).get("bucket") == bucket), None
    )


def _lifecycle_risks(change: Change, old: dict[str, Any] | None, new: dict[str, Any]) -> list[Risk]:
    """What acts on each prefix, old against new — not rules by id: renaming a connector moves nothing,
    swapping two connectors' folders moves an expiry onto files that never expired."""
    before, after = _enabled_rules(old), _enabled_rules(new)
    prefixes = sorted({prefix for _, prefix, _ in before + after} | {""})
    found: list[Risk] = []
    for prefix in prefixes:
        was, now = _acting(before, prefix), _acting(after, prefix)
        for action, (days, rule_id) in sorted(now.items()):
            if action in was and days >= was[action][0]:
                continue
            previously = f"{was[action][0]} days" if action in was else "never"
            where = f'under "{prefix}"' if prefix else "in the whole bucket, dashboard exports included"
            found.append(
                Risk(
                    "LIFECYCLE_SOONER" if prefix else "LIFECYCLE_TOUCHES_EXPORTS",
                    change.urn,
                    f'{change.name}: rule "{rule_id}" now acts sooner on existing objects {where}: {action} after '
                    f"{days} days (was {previously}). S3 applies it to files already there at its next run; exports "
                    "have no other copy.",
                )
            )
    return found


def _form_values(plan: dict[str, Any]) -> dict[tuple[str, str], Any]:
    return {(f["title"], label): value for f in plan.get("brazeForms", []) for label, value in f["fields"].items()}


def _form_risks(old: dict[str, Any], new: dict[str, Any]) -> list[Risk]:
    before, after = _form_values(old), _form_values(new)
    found = []
    for (title, label), value in after.items():
        if (title, label) in before and before[(title, label)] != value and not isinstance(value, dict):
            found.append(
                Risk(
                    "BRAZE_FORM_CHANGED",
                    "",
                    f"{title}: {label} changes from {_shown(before[(title, label)])} to {_shown(value)}: type it into "
                    "Braze right after `pulumi up`.",
                )
            )
    return found


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "[secret]" if value.get("secret") else "(known after `pulumi up`)"
    if isinstance(value, bool):
        return "ON" if value else "OFF"
    return json.dumps(value) if not isinstance(value, str) else f'"{value}"'


def _mandatory(plan: dict[str, Any]) -> set[tuple[str, str]]:
    policy = plan.get("policy") or {}
    return {
        (d["policy"], d.get("resource", "")) for d in policy.get("diagnostics", []) if d.get("level") == "mandatory"
    }


def _pack_risks(old: dict[str, Any], new: dict[str, Any]) -> list[Risk]:
    if not new.get("policy") or not old.get("policy"):
        return []
    return [
        Risk("PACK_VERDICT_WORSE", "", f"the policy pack now blocks: {policy} on {resource} (it did not before).")
        for policy, resource in sorted(_mandatory(new) - _mandatory(old))
    ]
