"""Two plans of one stack compared the way the engine compares state with the program's goal.

Resources are matched by URN, then by the URNs their aliases give (the engine's lookup order):
only in the new plan → `create`, only in the old → `delete`;
in both with equal inputs → `same`, else `update`, or `replace` when a changed input is one the
provider replaces on (`replacements.REPLACE_ON`). A replacement ripples: a resource whose
replace-on input comes from a replaced resource (its property dependency) is replaced too,
because that input is unknown until the new resource exists — as the engine sees it. Documents
(`policy`, `assumeRolePolicy`) are compared statement by statement. Pure: plans in, changes out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from braze_s3_tools.plan.replacements import replaces

DOCUMENT_INPUTS = frozenset({"policy", "assumeRolePolicy"})
UNKNOWN = {"unknown": True}  # how a plan writes a value unknown at preview
OPS = ("create", "update", "replace", "delete", "same")


@dataclass
class Change:
    urn: str
    type: str
    name: str
    op: str
    diff: dict[str, Any] = field(default_factory=dict)  # input → {"old", "new"} or a statements diff
    replace_keys: list[str] = field(default_factory=list)  # the inputs (or dependencies) that force the replacement

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"urn": self.urn, "type": self.type, "name": self.name, "op": self.op, "diff": self.diff}
        if self.replace_keys:
            out["replaceKeys"] = self.replace_keys
        return out


def _resources(plan: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["urn"]: r for r in plan.get("resources", [])}


def parsed_document(value: Any) -> Any:
    """A policy document as data: JSON text parsed, anything else (or text that is not JSON) as it is."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _statements(document: Any) -> dict[str, Any]:
    """Statements by Sid (or position): what a reviewer recognises across versions."""
    if not isinstance(document, dict):
        return {}
    statements = document.get("Statement", [])
    statements = statements if isinstance(statements, list) else [statements]
    return {_statement_key(s, i): s for i, s in enumerate(statements)}


def _statement_key(statement: Any, index: int) -> str:
    sid = statement.get("Sid") if isinstance(statement, dict) else None
    return sid if isinstance(sid, str) and sid else f"#{index}"


def document_diff(old: Any, new: Any) -> dict[str, Any]:
    """A statement-level diff of two IAM documents (JSON strings or objects)."""
    before, after = _statements(parsed_document(old)), _statements(parsed_document(new))
    if not before and not after:
        return {"old": old, "new": new}
    return {
        "statements": {
            "added": {k: after[k] for k in after if k not in before},
            "removed": {k: before[k] for k in before if k not in after},
            "changed": {k: {"old": before[k], "new": after[k]} for k in before if k in after and before[k] != after[k]},
        }
    }


def _input_diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    diff: dict[str, Any] = {}
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        if before in (after, UNKNOWN):
            # A value the base plan could not know (computed by the provider then, e.g. an autoname an older
            # plan did not emulate) says nothing about a change: the state holds whatever it was.
            continue
        if key in DOCUMENT_INPUTS and isinstance(before, str) and isinstance(after, str):
            diff[key] = document_diff(before, after)
        else:
            diff[key] = {"old": before, "new": after}
    return diff


def compare(old_plan: dict[str, Any], new_plan: dict[str, Any]) -> list[Change]:
    """Every resource of either plan with its operation, in the new plan's order (deletions last)."""
    old, new = _resources(old_plan), _resources(new_plan)
    changes: dict[str, Change] = {}
    matched: set[str] = set()
    for urn, res in new.items():
        # The URN first, then its aliases, as the engine looks up the old state (`getOldResource`).
        was = next((u for u in (urn, *res.get("aliases", [])) if u in old and u not in matched), None)
        if was is None:
            changes[urn] = Change(urn, res["type"], res["name"], "create")
            continue
        matched.add(was)
        diff = _input_diff(old[was].get("inputs", {}), res.get("inputs", {}))
        forcing = sorted(replaces(res["type"], set(diff))) if res.get("custom", True) else []
        op = "replace" if forcing else "update" if diff else "same"
        changes[urn] = Change(urn, res["type"], res["name"], op, diff, forcing)
    _ripple(new, changes)
    for urn, res in old.items():
        if urn not in matched:
            changes[urn] = Change(urn, res["type"], res["name"], "delete")
    return list(changes.values())


def _ripple(new: dict[str, dict[str, Any]], changes: dict[str, Change]) -> None:
    """A replaced (or newly created) resource's outputs are unknown until it exists: every input
    that depends on it changes, and replaces its holder when the provider replaces on it."""
    moved = {urn for urn, c in changes.items() if c.op in ("replace", "create")}
    while True:
        grown = False
        for urn, res in new.items():
            change = changes[urn]
            if change.op in ("replace", "create") or not res.get("custom", True):
                continue
            touched = {key for key, deps in res.get("dependencies", {}).items() if moved & set(deps)}
            if not touched:
                continue
            forcing = sorted(replaces(res["type"], touched))
            for key in touched - set(change.diff):
                change.diff[key] = {"old": res["inputs"].get(key), "new": {"unknown": True}}
            if forcing:
                change.op, change.replace_keys = "replace", sorted({*change.replace_keys, *forcing})
                moved.add(urn)
                grown = True
            elif change.op == "same":
                change.op = "update"
        if not grown:
            return


def counts(changes: list[Change]) -> dict[str, int]:
    return {op: sum(c.op == op for c in changes) for op in OPS}
