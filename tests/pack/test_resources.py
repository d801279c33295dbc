"""How the pack reads what the engine hands it: the SDK's objects become plain `Res`, unknowns explicit.

Every rule sees the stack through this adapter, so a link or a flag it drops (a parent, a
dependency, protection) or an unknown it turns into a value changes what the rules decide.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import pytest
from braze_rules.registry import evaluate_resource
from braze_rules.resources import UNKNOWN, Res, clean, from_policy_resources, is_unknown, raw_list, raw_props, tags_of
from braze_rules.rules import object_lock
from pulumi_policy.policy import PolicyCustomTimeouts, PolicyResourceOptions, ResourceValidationArgs
from pulumi_policy.proxy import UnknownValueError

from tests.pack.builders import T_BUCKET, T_POLICY, T_ROLE, as_policy_resources, res

COMPONENT = "braze:s3:CurrentsConnector"
SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # the engine's unknown string


def _linked_stack() -> list[Res]:
    component = res(COMPONENT, "events", {})
    bucket = res(T_BUCKET, "data", {"bucket": "acme-braze", "tags": {"team": "crm"}}, protect=True, parent=component)
    role = res(T_ROLE, "writer", {"assumeRolePolicy": "{}"}, parent=component)
    policy = res(T_POLICY, "writes", {"policy": UNKNOWN}, deps={"policy": [bucket], "name": [role]}, parent=component)
    return [component, bucket, role, policy]


def test_the_sdks_stack_resources_come_back_with_every_link_and_flag() -> None:
    stack = _linked_stack()
    assert from_policy_resources(as_policy_resources(stack)) == stack


def test_a_parent_outside_the_analysed_resources_is_still_known_from_the_options() -> None:
    orphan = res(T_BUCKET, "data", {"bucket": "acme-braze"}, parent=res(COMPONENT, "events", {}))
    (adapted,) = from_policy_resources(as_policy_resources([orphan]))
    assert adapted.parent == orphan.parent


def _validation_args(resource: Res, protect: bool) -> ResourceValidationArgs:
    """What a resource policy receives before a step: no parent object, no dependencies."""
    (policy_resource,) = as_policy_resources([resource])
    opts = PolicyResourceOptions(protect, [], None, [], PolicyCustomTimeouts(0, 0, 0), [], resource.parent)
    return ResourceValidationArgs(resource.type, policy_resource.props, resource.urn, resource.name, opts, None)


@pytest.mark.parametrize("protect", [True, False])
def test_a_resource_policys_arguments_are_read_without_stack_links(protect: bool) -> None:
    bucket = res(T_BUCKET, "data", {"bucket": "acme-braze"}, parent=res(COMPONENT, "events", {}))
    (adapted,) = from_policy_resources([_validation_args(bucket, protect)])
    assert (adapted.parent, adapted.dependencies, adapted.property_dependencies) == (bucket.parent, [], {})
    assert adapted.protect is protect


def test_a_bucket_alone_is_braze_by_the_component_its_urn_names() -> None:
    """Before the step the engine shows one resource: its URN's type chain is all that says it
    belongs to a Braze component. An untagged Object Lock bucket there is still caught."""
    bucket = res(T_BUCKET, "data", {"bucket": "acme-braze", "objectLockEnabled": True}, parent=res(COMPONENT, "e", {}))
    assert bucket.type_chain() == ["pulumi:pulumi:Stack", COMPONENT, T_BUCKET]
    found = evaluate_resource(object_lock.RULE, _validation_args(bucket, False), {})
    assert len(found.violations) == 1
    unrelated = res(T_BUCKET, "data", {"bucket": "acme-braze", "objectLockEnabled": True})
    assert evaluate_resource(object_lock.RULE, _validation_args(unrelated, False), {}).violations == []


def test_a_urn_the_pattern_cannot_read_falls_back_to_the_resources_own_type() -> None:
    assert Res(urn="not-a-urn", type=T_BUCKET, name="data", props={}).type_chain() == [T_BUCKET]


def test_the_sdks_proxies_are_read_through_their_targets_unknowns_kept() -> None:
    (bucket,) = as_policy_resources([res(T_BUCKET, "data", {"bucket": UNKNOWN, "grants": [UNKNOWN, "x"]})])
    target = raw_props(bucket.props)
    assert target is bucket.props["__target"], "the target itself: no per-key walk through the proxy"
    assert clean(target) == {"bucket": UNKNOWN, "grants": [UNKNOWN, "x"]}


class _RaisingMapping(Mapping[str, Any]):
    """A proxy of another shape (a future SDK): no `__target`, raises on unknown values."""

    def __init__(self, values: dict[str, Any]) -> None:
        self._values = values

    def __getitem__(self, key: str) -> Any:
        if self._values[key] is UNKNOWN:
            raise UnknownValueError("unknown")
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


class _RaisingSequence(Sequence[Any]):
    def __init__(self, values: list[Any]) -> None:
        self._values = values

    def __getitem__(self, index: Any) -> Any:
        if not isinstance(index, int):
            raise TypeError("indices only")
        if self._values[index] is UNKNOWN:
            raise UnknownValueError("unknown")
        return self._values[index]

    def __len__(self) -> int:
        return len(self._values)


def test_a_proxy_of_another_shape_is_walked_and_what_raises_is_unknown() -> None:
    props = _RaisingMapping({"bucket": "acme", "policy": UNKNOWN})
    assert clean(raw_props(props)) == {"bucket": "acme", "policy": UNKNOWN}
    assert clean(raw_list(_RaisingSequence(["a", UNKNOWN]))) == ["a", UNKNOWN]
    assert clean({"nested": _RaisingMapping({"k": UNKNOWN}), "list": _RaisingSequence([UNKNOWN, "b"])}) == {
        "nested": {"k": UNKNOWN},
        "list": [UNKNOWN, "b"],
    }


def test_clean_keeps_what_is_not_a_sequence_of_values() -> None:
    assert clean(b"ab") == b"ab"
    assert clean(SENTINEL) is UNKNOWN and clean(("a", SENTINEL)) == ["a", UNKNOWN]
    assert raw_props(42) == {}, "not a mapping: nothing to read"


def test_unknown_is_explicit_and_refuses_a_truth_value() -> None:
    assert is_unknown(UNKNOWN) and not is_unknown(None) and not is_unknown("UNKNOWN")
    assert repr(UNKNOWN) == "UNKNOWN"
    with pytest.raises(TypeError, match="is UNKNOWN"):
        bool(UNKNOWN)


def test_aws_native_tag_lists_skip_items_without_a_key() -> None:
    tagged = res(T_BUCKET, "data", {"tags": [{"key": "braze:bucket", "value": "true"}, "junk", {"value": "x"}]})
    assert tags_of(tagged) == {"braze:bucket": "true"}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (("list", 0), "a"),
        (("list", 1), "b"),
        (("list", 2), None),
        (("map", 0), None),
        (("map", "k", "deeper"), None),
        (("later", "k"), UNKNOWN),
        (("absent", "k"), None),
    ],
)
def test_a_nested_property_is_a_value_unknown_or_absent(path: tuple[Any, ...], expected: Any) -> None:
    holder = res(T_BUCKET, "data", {"list": ["a", "b"], "map": {"k": "v"}, "later": UNKNOWN})
    assert holder.get(*path) is expected if expected in (None, UNKNOWN) else holder.get(*path) == expected
