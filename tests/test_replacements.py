"""The replacement facts `plan --against` uses: each one, and that every type the program creates has them."""

from __future__ import annotations

from typing import Any

import pytest

from braze_s3_tools.engine.harness import run_program
from braze_s3_tools.plan.diff import compare
from braze_s3_tools.plan.replacements import REPLACE_ON, replaces

FACTS = sorted((type_, key) for type_, fact in REPLACE_ON.items() for key in fact.keys)


def _plan(type_: str, inputs: dict[str, Any]) -> dict[str, Any]:
    return {
        "resources": [
            {"urn": f"urn:pulumi:s::p::{type_}::r", "type": type_, "name": "r", "custom": True, "inputs": inputs}
        ]
    }


@pytest.mark.parametrize(("type_", "key"), FACTS, ids=[f"{t.split(':')[-1]}.{k}" for t, k in FACTS])
def test_each_replace_on_input_replaces_and_tags_only_update(type_: str, key: str) -> None:
    before = _plan(type_, {key: "a", "tags": {"team": "x"}})
    (replaced,) = compare(before, _plan(type_, {key: "b", "tags": {"team": "x"}}))
    assert replaced.op == "replace" and replaced.replace_keys == [key]
    (updated,) = compare(before, _plan(type_, {key: "a", "tags": {"team": "y"}}))
    assert updated.op == "update"


def test_a_users_name_and_path_update_in_place_but_a_roles_replace() -> None:
    assert replaces("aws:iam/user:User", {"name", "path"}) == set()
    assert replaces("aws:iam/role:Role", {"name", "path"}) == {"name", "path"}


def test_each_fact_names_the_provider_source_it_comes_from() -> None:
    assert all(
        fact.source.startswith("internal/service/") and fact.source.endswith(".go") for fact in REPLACE_ON.values()
    )


@pytest.mark.parametrize(
    ("stack", "overrides"),
    [
        ("dev", {"braze-s3:alerts": {"staleAfterHours": 6, "email": ["oncall@example.com"]}}),
        ("prod", {}),
        ("existing", {}),
    ],
)
def test_every_type_the_program_creates_has_its_replacement_facts(stack: str, overrides: dict[str, Any]) -> None:
    run = run_program(stack, overrides=overrides)
    assert run.error is None, run.error
    created = {r.type for r in run.resources if r.custom}
    assert created - set(REPLACE_ON) == set()
