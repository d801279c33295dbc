"""A plain, engine-independent view of the resources a rule looks at.

Rules never touch `pulumi_policy`'s property proxy: reading an unknown through it raises,
and one escaped `UnknownValueError` silences a whole mandatory stack rule. Instead the
raw deserialised properties are read here, and unknown values are the explicit `UNKNOWN`
marker that every check must handle.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# The engine's sentinels for values not known during preview (pulumi_policy/proxy.py).
UNKNOWN_SENTINELS = frozenset(
    {
        "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",  # bool
        "3eeb2bf0-c639-47a8-9e75-3b44932eb421",  # number
        "04da6b54-80e4-46f7-96ec-b56ff0331ba9",  # string (and the generic one)
        "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",  # array
        "030794c1-ac77-496b-92df-f27374a8bd58",  # asset
        "e48ece36-62e2-4504-bad9-02848725956a",  # archive
        "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",  # object
    }
)


class _Unknown:
    """A value only the cloud knows yet."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        raise TypeError("an unknown value has no truth value; test `is UNKNOWN` first")


UNKNOWN: Any = _Unknown()
MISSING: Any = None


def is_unknown(value: Any) -> bool:
    return value is UNKNOWN


def clean(value: Any) -> Any:
    """Raw engine values → Python values with `UNKNOWN` in place of the sentinels."""
    if isinstance(value, str):
        return UNKNOWN if value in UNKNOWN_SENTINELS else value
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    if isinstance(value, Mapping):  # the SDK's dict proxy, nested: read its target, never through it
        return clean(raw_props(value))
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):  # the SDK's list proxy
        return clean(raw_list(value))
    return value


def raw_list(proxy: Sequence[Any]) -> list[Any]:
    try:
        target = proxy["__target"]  # type: ignore[call-overload]
    except Exception:  # noqa: BLE001 - not the SDK's proxy: read item by item below
        target = None
    if isinstance(target, list):
        return target
    out: list[Any] = []
    for index in range(len(proxy)):
        try:
            out.append(proxy[index])
        except Exception:  # noqa: BLE001 - UnknownValueError and the like: unknown
            out.append(next(iter(UNKNOWN_SENTINELS)))
    return out


_URN_TYPE_CHAIN = re.compile(r"^urn:pulumi:[^:]*::[^:]*::(?P<types>.*)::[^:]*$", re.DOTALL)


@dataclass
class Res:
    """One resource: its type, its raw properties (with `UNKNOWN`), and its links."""

    urn: str
    type: str
    name: str
    props: dict[str, Any]
    parent: str | None = None
    dependencies: list[str] = field(default_factory=list)
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)
    protect: bool = False

    def get(self, *path: str | int) -> Any:
        """A nested property; `UNKNOWN` if any step is unknown, None if any step is absent."""
        value: Any = self.props
        for step in path:
            if value is UNKNOWN:
                return UNKNOWN
            if isinstance(step, int):
                if not isinstance(value, list) or step >= len(value):
                    return None
                value = value[step]
            else:
                if not isinstance(value, dict):
                    return None
                value = value.get(step)
        return value

    def type_chain(self) -> list[str]:
        """The types of this resource and its ancestors, as the URN records them."""
        match = _URN_TYPE_CHAIN.match(self.urn)
        return match.group("types").split("$") if match else [self.type]

    def deps_of(self, prop: str) -> list[str]:
        return self.property_dependencies.get(prop, [])

    def label(self) -> str:
        """How messages name the resource: its Pulumi name and type."""
        return f'"{self.name}" ({self.type})'


def values_at(value: Any, path: str) -> list[Any]:
    """Every value at a dotted path, a list at any step read item by item (as `shapes` writes paths);
    `UNKNOWN` where a step is unknown, nothing where a step is absent or not an object."""
    found: list[Any] = [value]
    for step in path.split("."):
        nxt: list[Any] = []
        for item in found:
            items = item if isinstance(item, list) else [item]
            for one in items:
                if one is UNKNOWN:
                    nxt.append(UNKNOWN)
                elif isinstance(one, dict) and step in one:
                    nxt.append(one[step])
        found = nxt
    out: list[Any] = []
    for item in found:
        out.extend(item if isinstance(item, list) else [item])
    return out


def tags_of(res: Res) -> dict[str, Any] | Any:
    """Tags as a dict, whatever the provider's shape; `UNKNOWN` when not known."""
    tags = res.props.get("tags")
    if tags is UNKNOWN:
        return UNKNOWN
    if isinstance(tags, dict):
        return tags
    if isinstance(tags, list):  # aws-native: [{key, value}]
        out: dict[str, Any] = {}
        for item in tags:
            if isinstance(item, dict) and isinstance(item.get("key"), str):
                out[item["key"]] = item.get("value")
        return out
    return {}


def from_policy_resources(resources: Iterable[Any]) -> list[Res]:
    """Adapt `pulumi_policy.PolicyResource`s (stack policies) to `Res`."""
    return [from_policy_resource(r) for r in resources]


def raw_props(props: Any) -> dict[str, Any]:
    """The deserialised properties behind the SDK's proxy, unknowns as the engine's sentinels."""
    # The SDK's proxy hands out its target under this key; reading the target directly
    # sees unknown sentinels instead of raising on them.
    try:
        target = props["__target"]
    except Exception:  # noqa: BLE001 - not the SDK's proxy: fall back to a guarded walk below
        target = None
    if isinstance(target, dict):
        return target
    out: dict[str, Any] = {}
    try:
        keys = list(props)
    except Exception:  # noqa: BLE001 - not a mapping at all: nothing to read
        return out
    for key in keys:
        try:
            out[key] = props[key]
        except Exception:  # noqa: BLE001 - UnknownValueError and the like: unknown
            out[key] = next(iter(UNKNOWN_SENTINELS))
    return out


def from_policy_resource(resource: Any) -> Res:
    """A stack policy's `PolicyResource` or a resource policy's `ResourceValidationArgs` as `Res`.

    The parent comes from the options, where the engine puts the parent's URN for `Analyze` and
    `AnalyzeStack` alike (`Options.Parent`, pulumi/pulumi pkg/resource/deploy/step_generator.go and
    analyze_snapshot.go) — even when the parent is not among the resources sent. A resource policy's
    arguments have no dependencies."""
    opts = resource.opts
    return Res(
        urn=resource.urn,
        type=resource.resource_type,
        name=resource.name,
        props=clean(raw_props(resource.props)),
        parent=opts.parent or None,
        dependencies=[d.urn for d in getattr(resource, "dependencies", ())],
        property_dependencies={
            key: [d.urn for d in deps] for key, deps in getattr(resource, "property_dependencies", {}).items()
        },
        protect=bool(opts.protect),
    )
