"""A folder granted without its slash (issue 24, class 6): `bucket/currents*` is the folder `currents`
for what Braze needs (braze-required-permissions), and — IAM's `*` matching any characters — it also
reaches `currents-marketing/…`, an overlap braze-distinct-folder-paths reports."""

from __future__ import annotations

from typing import Any

import pytest
from braze_rules.model_builder import build_model
from braze_rules.rules import folder_paths, required_permissions

from tests.pack.builders import BUCKET, Stack, bucket_stack, bucket_statement, doc, names, role_with_policy, run

TAGS = {"tags": {"braze:integration": "currents"}}


def _doc(key: str, as_json: bool = True, as_list: bool = True) -> Any:
    resource = f"arn:aws:s3:::{BUCKET}/{key}"
    objects = {
        "Effect": "Allow",
        "Action": ["s3:PutObject", "s3:GetObject"],
        "Resource": [resource] if as_list else resource,
    }
    return doc(bucket_statement(), objects, as_json=as_json)


def _stack(*keys: str, **shape: bool) -> Stack:
    stack = bucket_stack()
    for index, key in enumerate(keys):
        role_with_policy(stack, f"c{index}", _doc(key, **shape), role_props=TAGS)
    return stack


@pytest.mark.parametrize("as_json", [True, False], ids=["json", "object"])
@pytest.mark.parametrize("as_list", [True, False], ids=["resource-list", "resource-string"])
def test_a_folder_without_its_slash_is_the_folder(as_json: bool, as_list: bool) -> None:
    stack = _stack("currents*", as_json=as_json, as_list=as_list)
    assert run(required_permissions.RULE, stack).violations == []
    model = build_model(stack.resources)
    holder = model.grants.of_principal(model.braze_principals()[0])
    assert holder.currents_folder(model.braze_buckets()[0]) == "currents"


@pytest.mark.parametrize("as_json", [True, False], ids=["json", "object"])
def test_it_overlaps_every_folder_whose_name_starts_so(as_json: bool) -> None:
    result = run(folder_paths.RULE, _stack("currents*", "currents-marketing/*", as_json=as_json))
    assert names(result) == ["c0-policy"]
    assert '"currents-marketing/"' in result.violations[0].message and '"c1-role"' in result.violations[0].message


@pytest.mark.parametrize(
    ("keys", "overlap"),
    [
        (("currents*", "currents/*"), True),  # the same folder
        (("currents*", "currents/eu/*"), True),  # a folder inside it
        (("currents*", "events/*"), False),
        (("currents/*", "currents-marketing*"), False),  # the slashless one does not reach back
        (("currents-marketing*", "currents*"), True),
    ],
    ids=["same", "inside", "unrelated", "other-way", "both-slashless"],
)
def test_which_folders_a_slashless_grant_reaches(keys: tuple[str, str], overlap: bool) -> None:
    assert bool(run(folder_paths.RULE, _stack(*keys)).violations) is overlap


def test_a_currents_connector_is_inferred_from_a_slashless_folder() -> None:
    stack = bucket_stack()
    role_with_policy(stack, "c", _doc("currents*"))
    model = build_model(stack.resources)
    assert model.grants.of_principal(model.braze_principals()[0]).integrations == {"currents"}
    assert run(required_permissions.RULE, stack).violations == []
