"""braze-distinct-folder-paths: nested, equal, normalised; from tags and from documents."""

from __future__ import annotations

import pytest
from braze_rules.rules.folder_paths import RULE

from tests.pack.builders import (
    T_POLICY,
    bucket_stack,
    currents_policy_doc,
    good_stack,
    names,
    res,
    role_with_policy,
    run,
)


@pytest.mark.parametrize(
    ("a", "b"), [("currents", "currents"), ("currents", "currents/eu"), ("a/b", "a/b/c/d"), ("currents/", "currents")]
)
def test_same_or_nested_folders_of_two_connectors_fail(a: str, b: str) -> None:
    stack = bucket_stack()
    role_with_policy(stack, "one", currents_policy_doc(a.rstrip("/")))
    role_with_policy(stack, "two", currents_policy_doc(b))
    result = run(RULE, stack)
    assert len(result.violations) == 1, [v.message for v in result.violations]
    assert "Give each connector its own folder" in result.violations[0].message


@pytest.mark.parametrize(("a", "b"), [("currents", "currents-eu"), ("a", "ab"), ("x/y", "x/z")])
def test_distinct_folders_pass(a: str, b: str) -> None:
    stack = bucket_stack()
    role_with_policy(stack, "one", currents_policy_doc(a))
    role_with_policy(stack, "two", currents_policy_doc(b))
    assert run(RULE, stack).violations == []


def test_folder_tags_of_the_program_contract_are_compared_after_normalising() -> None:
    stack = bucket_stack()
    role_with_policy(stack, "one", currents_policy_doc("currents", as_json=False))
    role_with_policy(stack, "two", currents_policy_doc("events"))
    two = stack.find("two-policy")
    stack.replace(
        "two-policy",
        res(
            T_POLICY,
            "two-policy",
            {**two.props, "tags": {"braze:integration": "currents", "braze:folder-path": "/currents//eu/"}},
        ),
    )
    assert names(run(RULE, stack)) == ["two-policy"]


def test_one_connector_with_two_statements_on_its_own_folder_is_not_a_conflict() -> None:
    stack = good_stack()
    assert run(RULE, stack).violations == []


def test_folders_on_different_buckets_do_not_conflict() -> None:
    stack = bucket_stack("bucket-a")
    stack.resources += bucket_stack("bucket-b").resources[:0]
    role_with_policy(stack, "one", currents_policy_doc("currents", bucket="bucket-a"))
    role_with_policy(stack, "two", currents_policy_doc("currents", bucket="bucket-b"))
    assert run(RULE, stack).violations == []
