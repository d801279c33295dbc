"""A Currents connector's folder, from every place a hand-written program may declare it, against Braze's own
prefixes and the other connectors: a `braze:folder-path` tag on the role or user (the program puts it on the
policy), a folder granted without its slash, and a connector declared Currents that may also delete — more
privilege never makes a mandatory finding disappear."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from braze_rules.rules import folder_paths, required_permissions

from tests.pack.builders import (
    BUCKET,
    Stack,
    bucket_stack,
    bucket_statement,
    currents_policy_doc,
    doc,
    export_policy_doc,
    names,
    objects_statement,
    role_with_policy,
    run,
    user_with_policy,
)

OBJECTS = f"arn:aws:s3:::{BUCKET}/*"
WHOLE_BUCKET_CURRENTS = doc(bucket_statement(), objects_statement(["s3:PutObject", "s3:GetObject"], OBJECTS))
CURRENTS = {"braze:integration": "currents"}


def _currents_on_whole_bucket(actions: list[str]) -> Stack:
    stack = bucket_stack()
    document = doc(bucket_statement(), objects_statement(actions, OBJECTS))
    role_with_policy(stack, "c", document, role_props={"tags": CURRENTS})
    role_with_policy(
        stack, "export", export_policy_doc(), role_props={"tags": {"braze:integration": "dashboard-export"}}
    )
    return stack


def test_a_declared_currents_role_that_may_also_delete_still_reaches_brazes_prefixes() -> None:
    without_delete = run(folder_paths.RULE, _currents_on_whole_bucket(["s3:PutObject", "s3:GetObject"]))
    with_delete = run(folder_paths.RULE, _currents_on_whole_bucket(["s3:PutObject", "s3:GetObject", "s3:DeleteObject"]))
    assert names(without_delete) == names(with_delete) == ["c-policy"]


def test_an_undeclared_policy_serving_both_integrations_is_left_to_separate_policies() -> None:
    """No declaration: Put/Get/Delete on the whole bucket is dashboard export's grant; a second integration
    on it is braze-separate-integration-policies' finding, not a Currents folder."""
    stack = bucket_stack()
    role_with_policy(stack, "export", export_policy_doc())
    assert run(folder_paths.RULE, stack).violations == []


@pytest.mark.parametrize("folder", ["sent_messages", "segment-export"])
def test_a_slashless_grant_at_a_reserved_prefix_fails_in_any_bucket(folder: str) -> None:
    slashless = doc(bucket_statement(), objects_statement(["s3:PutObject", "s3:GetObject"], f"{OBJECTS[:-1]}{folder}*"))
    stack = bucket_stack()
    role_with_policy(stack, "c", slashless, role_props={"tags": CURRENTS})
    result = run(folder_paths.RULE, stack)
    assert names(result) == ["c-policy"]
    assert f'under "{folder}/"' in result.violations[0].message


def test_a_slashless_grant_that_only_starts_like_a_reserved_prefix_is_judged_by_what_it_reaches() -> None:
    """`sent*` names no reserved folder: it reaches sent_messages/ only as a pattern, which matters where
    Braze writes its archives (a bucket dashboard export serves), not in a Currents-only bucket."""
    grant = doc(bucket_statement(), objects_statement(["s3:PutObject", "s3:GetObject"], f"{OBJECTS[:-1]}sent*"))
    alone = bucket_stack()
    role_with_policy(alone, "c", grant, role_props={"tags": CURRENTS})
    assert run(folder_paths.RULE, alone).violations == []
    role_with_policy(alone, "export", export_policy_doc())
    assert names(run(folder_paths.RULE, alone)) == ["c-policy"]


@pytest.mark.parametrize("principal", ["role", "user"])
def test_a_folder_path_tag_on_the_principal_at_a_reserved_prefix_fails(principal: str) -> None:
    stack = bucket_stack()
    tags = {**CURRENTS, "braze:folder-path": "sent_messages/"}
    if principal == "role":
        role_with_policy(stack, "c", WHOLE_BUCKET_CURRENTS, role_props={"tags": tags})
    else:
        user_with_policy(stack, "c", WHOLE_BUCKET_CURRENTS, user_props={"tags": tags})
    result = run(folder_paths.RULE, stack)
    assert names(result) == ["c-policy"] and '"sent_messages/"' in result.violations[0].message


def test_two_principals_tagged_with_one_folder_overlap_and_with_two_folders_do_not() -> None:
    def stack_of(folders: tuple[str, str]) -> Any:
        stack = bucket_stack()
        for name, folder in zip(("a", "b"), folders, strict=True):
            role_with_policy(
                stack, name, WHOLE_BUCKET_CURRENTS, role_props={"tags": {**CURRENTS, "braze:folder-path": folder}}
            )
        return stack

    same = run(folder_paths.RULE, stack_of(("currents", "currents/")))
    assert len(same.violations) == 1 and "the same folder as" in same.violations[0].message
    assert run(folder_paths.RULE, stack_of(("currents-a", "currents-b"))).violations == []


def test_the_policys_own_folder_tag_wins_over_its_principals() -> None:
    """The program tags the policy; a role tag that disagrees does not add a folder."""
    stack = bucket_stack()
    role_with_policy(
        stack,
        "c",
        currents_policy_doc("currents"),
        role_props={"tags": {**CURRENTS, "braze:folder-path": "sent_messages"}},
    )
    policy = stack.find("c-policy")
    tagged = dataclasses.replace(policy, props={**policy.props, "tags": {"braze:folder-path": "currents"}})
    stack.replace("c-policy", tagged)
    assert run(folder_paths.RULE, stack).violations == []


def test_a_principals_folder_tag_is_the_folder_its_permissions_are_checked_on() -> None:
    stack = bucket_stack()
    tags = {**CURRENTS, "braze:folder-path": "events"}
    role_with_policy(stack, "c", currents_policy_doc("currents"), role_props={"tags": tags})
    result = run(required_permissions.RULE, stack)
    assert names(result) == ["c-role"] and f"{OBJECTS[:-1]}events/*" in result.violations[0].message


@pytest.mark.parametrize("key", ["curr?nts/*", "currents/*/*"])
def test_a_currents_grant_with_wildcards_inside_its_folder_is_checked_on_a_key_it_allows(key: str) -> None:
    """The folder set in Braze is one the grant allows (`currents` for `curr?nts/*`): nothing is missing,
    whereas the same grant without GetObject lacks it there."""
    stack = bucket_stack()
    grant = doc(bucket_statement(), objects_statement(["s3:PutObject", "s3:GetObject"], f"{OBJECTS[:-1]}{key}"))
    role_with_policy(stack, "c", grant, role_props={"tags": CURRENTS})
    assert run(required_permissions.RULE, stack).violations == []
    put_only = bucket_stack()
    role_with_policy(
        put_only,
        "c",
        doc(bucket_statement(), objects_statement(["s3:PutObject"], f"{OBJECTS[:-1]}{key}")),
        role_props={"tags": CURRENTS},
    )
    result = run(required_permissions.RULE, put_only)
    assert names(result) == ["c-role"] and "s3:GetObject" in result.violations[0].message
