"""Lifecycle rules of a connector's Currents files, validated as S3 validates them."""

from __future__ import annotations

from typing import Any

from components.config import schema
from components.config.reader import Reader
from components.settings import PROJECT, BucketSettings, CurrentsSettings, DataLifecycle, Transition

DATA_LIFECYCLE_KEYS = schema.children("currents[].lifecycle")
TRANSITION_KEYS = schema.children("currents[].lifecycle.transitions[]")
STORAGE_CLASSES = schema.STORAGE_CLASSES

# S3's transition waterfall (Amazon S3 User Guide, "Transitioning objects using Amazon S3
# Lifecycle"): a class may only move to one later in this order, and ONEZONE_IA not to GLACIER_IR.
TRANSITION_ORDER = ("STANDARD_IA", "INTELLIGENT_TIERING", "ONEZONE_IA", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE")


def _transition_allowed(source: str, target: str) -> bool:
    if (source, target) == ("ONEZONE_IA", "GLACIER_IR"):
        return False
    return TRANSITION_ORDER.index(target) > TRANSITION_ORDER.index(source)


# S3 refuses a transition to these classes before an object is 30 days old, and keeps objects
# 30 days in them before a later transition.
_THIRTY_DAY_MINIMUM = ("STANDARD_IA", "ONEZONE_IA")


def parse_data_lifecycle(reader: Reader, value: Any, path: str) -> DataLifecycle | None:
    obj = reader.mapping(value, path, DATA_LIFECYCLE_KEYS)
    if obj is None:
        return None
    expiration = reader.days(obj, path, "currents[].lifecycle.expirationDays")
    transitions: list[Transition] = []
    raw_transitions = obj.get("transitions") or []
    if not isinstance(raw_transitions, list):
        reader.problem(
            f"{path}.transitions",
            f"must be a list of {{days, storageClass}}; got {reader.show(f'{path}.transitions', raw_transitions, hint=False)}",
        )
        raw_transitions = []
    for index, raw in enumerate(raw_transitions):
        tpath = f"{path}.transitions[{index}]"
        item = reader.mapping(raw, tpath, TRANSITION_KEYS)
        if item is None:
            continue
        if item.get("days") is None:
            reader.problem(f"{tpath}.days", "is required: after how many days the files move")
            continue
        days = reader.days(item, tpath, "currents[].lifecycle.transitions[].days")
        if days is None:
            continue
        storage_class = reader.string(item, "storageClass", tpath)
        if storage_class is None:
            continue
        if storage_class not in STORAGE_CLASSES:
            reader.problem(
                f"{tpath}.storageClass",
                f"{reader.show(f'{tpath}.storageClass', storage_class)} is not a storage class; use one of {', '.join(STORAGE_CLASSES)}",
            )
            continue
        if storage_class in _THIRTY_DAY_MINIMUM and days < 30:
            reader.problem(
                f"{tpath}.days",
                f"{reader.show(f'{tpath}.days', days, hint=False)} is too early; S3 moves objects to {storage_class} after 30 days at the soonest",
            )
            continue
        if any(t.storage_class == storage_class for t in transitions):
            reader.problem(
                f"{tpath}.storageClass",
                f"{reader.show(f'{tpath}.storageClass', storage_class)} is listed twice; S3 allows one transition per class",
            )
            continue
        previous = transitions[-1] if transitions else None
        if previous is not None and not _transition_allowed(previous.storage_class, storage_class):
            reader.problem(
                f"{tpath}.storageClass",
                f"S3 cannot move objects from {previous.storage_class} to {storage_class}; order transitions along "
                f"{' → '.join(TRANSITION_ORDER)} (ONEZONE_IA cannot go to GLACIER_IR)",
            )
            continue
        if previous is not None and previous.storage_class in _THIRTY_DAY_MINIMUM and days < previous.days + 30:
            reader.problem(
                f"{tpath}.days",
                f"{reader.show(f'{tpath}.days', days, hint=False)} is too early; S3 keeps objects 30 days in {previous.storage_class} "
                f"before the next transition (at the soonest {previous.days + 30})",
            )
            continue
        if transitions and days <= transitions[-1].days:
            reader.problem(
                f"{tpath}.days",
                f"{reader.show(f'{tpath}.days', days, hint=False)} is not after the previous transition ({reader.show(f'{tpath}.days', transitions[-1].days, hint=False)}); list transitions in order",
            )
            continue
        if expiration is not None and days >= expiration:
            reader.problem(
                f"{tpath}.days",
                f"{reader.show(f'{tpath}.days', days, hint=False)} is not before expirationDays ({reader.show(f'{tpath}.days', expiration, hint=False)}); the files would be deleted first",
            )
            continue
        transitions.append(Transition(days, storage_class))
    if expiration is None and not transitions:
        return None
    return DataLifecycle(expiration, tuple(transitions))


# S3 accepts at most this many rules in one bucket's lifecycle configuration.
MAX_LIFECYCLE_RULES = 1000


def check_lifecycle_rule_count(reader: Reader, bucket: BucketSettings, currents: list[CurrentsSettings]) -> None:
    rules = 1 + bucket.versioning + (bucket.expire_all_objects_days is not None)
    rules += sum(1 for c in currents if c.lifecycle is not None)
    if rules > MAX_LIFECYCLE_RULES:
        reader.problem(
            f"{PROJECT}:currents",
            f"needs {rules} lifecycle rules in one bucket; S3 allows {MAX_LIFECYCLE_RULES}: drop the lifecycle of some connectors",
        )
