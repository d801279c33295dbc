"""The URNs a resource may have had before, as the engine computes them from the `aliases` option.

pulumi/pulumi pkg/resource/deploy/step_generator.go: `generateAliases` turns each alias spec into
a URN (`collapseAliasToUrn`: missing name or type default to the resource's own; `noParent`
drops the parent), then multiplies out the parent's aliases with `inheritedChildAlias` — a child
of an aliased parent is found under that parent's old URN, its name's parent-name prefix
rewritten. URNs follow `Deployment.generateURN` (deployment.go): the parent's qualified type, but
never the root stack's.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from braze_s3_tools.engine.harness import STACK_TYPE, Registration


def _parts(urn: str) -> tuple[str, str, str, str]:
    """(stack, project, qualified type, name) of a URN."""
    head, project, qualified, name = urn.split("::", 3)
    return head.removeprefix("urn:pulumi:"), project, qualified, name


def new_urn(stack: str, project: str, parent_type: str, type_: str, name: str) -> str:
    qualified = f"{parent_type}${type_}" if parent_type and parent_type != STACK_TYPE else type_
    return f"urn:pulumi:{stack}::{project}::{qualified}::{name}"


def _qualified_type(urn: str) -> str:
    return _parts(urn)[2]


def alias_urns(resources: Iterable[Registration]) -> dict[str, list[str]]:
    """Each resource's alias URNs (its own and the ones inherited from its parent), by URN."""
    found: dict[str, list[str]] = {}
    for res in resources:  # parents are registered before their children
        stack, project, _, _ = _parts(res.urn)
        own: list[str] = []
        for alias in res.aliases:
            if "urn" in alias:
                own.append(alias["urn"])
                continue
            spec: dict[str, Any] = alias.get("spec", {})
            name, type_ = spec.get("name") or res.name, spec.get("type") or res.type
            if spec.get("noParent"):
                parent_type = ""
            else:
                parent = spec.get("parentUrn") or res.parent
                parent_type = _qualified_type(parent) if parent else ""
            own.append(new_urn(stack, project, parent_type, type_, name))
        inherited = []
        parent_name = _parts(res.parent)[3] if res.parent else ""
        for parent_alias in found.get(res.parent, []):
            for type_, name in [(res.type, res.name), *((_parts(u)[2].rsplit("$", 1)[-1], _parts(u)[3]) for u in own)]:
                alias_name = (
                    _parts(parent_alias)[3] + name[len(parent_name) :] if name.startswith(parent_name) else name
                )
                inherited.append(new_urn(stack, project, _qualified_type(parent_alias), type_, alias_name))
        merged = list(dict.fromkeys([*own, *inherited]))
        if merged:
            found[res.urn] = merged
    return found
