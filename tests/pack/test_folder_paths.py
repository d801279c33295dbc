"""braze-distinct-folder-paths: nested, equal, normalised; from tags and from documents."""

from __future__ import annotations

from typing import Any

import pytest
from braze_rules.rules.folder_paths import RULE

from tests.pack.builders import (
    T_POLICY,
    UNKNOWN,
    bucket_stack,
    bucket_statement,
    currents_policy_doc,
    doc,
    export_policy_doc,
    good_stack,
    names,
    objects_statement,
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


def test_each_pair_of_connectors_is_reported_once_with_how_their_folders_relate() -> None:
    """Three connectors: `a` and `a/b` nest, `a` and `a` again are equal. Every connector in a conflict
    is named (each finding on the later claim, naming the earlier one), the message saying which
    relation and which bucket."""
    stack = bucket_stack()
    role_with_policy(stack, "one", currents_policy_doc("a"))
    role_with_policy(stack, "two", currents_policy_doc("a/b"))
    role_with_policy(stack, "three", currents_policy_doc("a"))
    messages = sorted(v.message for v in run(RULE, stack).violations)
    assert len(messages) == 2, messages
    assert all('in bucket "acme-braze" (resource "data")' in m for m in messages), messages
    (nested,) = [m for m in messages if 'under "a/b/"' in m]
    (same,) = [m for m in messages if 'under "a/"' in m]
    assert 'a folder inside "a/", the folder of' in nested and "the same folder as" in same
    assert {'"one-role"', '"two-role"', '"three-role"'} <= {
        w for m in messages for w in m.split() if w.endswith('-role"')
    }


def test_a_connector_writing_two_folders_is_compared_on_both_and_not_with_itself() -> None:
    stack = bucket_stack()
    two_folders = currents_policy_doc(
        "x", extra=[{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::acme-braze/x/y/*"}]
    )
    role_with_policy(stack, "one", two_folders)
    role_with_policy(stack, "two", currents_policy_doc("z"))
    role_with_policy(stack, "three", currents_policy_doc("x/y"))
    assert names(run(RULE, stack)) == ["three-policy"]


def test_a_currents_policy_attached_to_nothing_is_its_own_connector() -> None:
    stack = bucket_stack()
    role_with_policy(stack, "one", currents_policy_doc("currents"))
    tags = {"braze:integration": "currents"}
    stack.add(res(T_POLICY, "spare", {"policy": currents_policy_doc("currents"), "tags": tags}))
    (finding,) = run(RULE, stack).violations
    assert '"spare" (aws:iam/policy:Policy)' in finding.message and '"one-role"' in finding.message


def test_an_export_policy_beside_a_connector_is_not_a_folder_claim() -> None:
    stack = bucket_stack()
    role_with_policy(stack, "one", currents_policy_doc("exports"))
    tags = {"braze:integration": "dashboard-export"}
    export = currents_policy_doc(
        "exports",
        extra=[{"Effect": "Allow", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::acme-braze/exports/*"}],
    )
    stack.add(res(T_POLICY, "export", {"policy": export, "tags": tags}))
    assert run(RULE, stack).violations == []


# Braze's own prefixes (facts sheet: message archiving writes sent_messages/<channel>/<e-mail | phone>/…,
# exports segment-export/…): a Currents folder that is one, lies inside one or contains one is reported,
# whatever the shape the folder is given in.
@pytest.mark.parametrize(
    ("folder", "relation", "prefix"),
    [
        ("sent_messages", "Braze's own", "sent_messages"),
        ("sent_messages/email", "a folder inside Braze's own", "sent_messages"),
        ("segment-export", "Braze's own", "segment-export"),
        ("segment-export/x/y", "a folder inside Braze's own", "segment-export"),
    ],
)
@pytest.mark.parametrize("form", ["grant", "tag", "grant-at-preview"])
def test_a_currents_folder_in_brazes_own_prefixes_fails(folder: str, relation: str, prefix: str, form: str) -> None:
    stack = bucket_stack()
    if form == "grant":
        role_with_policy(stack, "one", currents_policy_doc(folder))
    else:
        # The program's contract: the folder tag decides, whatever the grant (here Braze's published bucket/*,
        # or a document known only after deployment that reaches the bucket by dependency).
        document = currents_policy_doc("currents") if form == "tag" else UNKNOWN
        role_with_policy(stack, "one", document)
        policy = stack.find("one-policy")
        tags = {"braze:integration": "currents", "braze:folder-path": folder + "/"}
        deps = {"policy": [stack.find("data")]} if form == "grant-at-preview" else None
        stack.replace("one-policy", res(T_POLICY, "one-policy", {**policy.props, "tags": tags}, deps))
    result = run(RULE, stack)
    assert names(result) == ["one-policy"], [v.message for v in result.violations]
    message = result.violations[0].message
    assert f'{relation} "{prefix}/" prefix' in message and 'in bucket "acme-braze"' in message
    assert ("e-mail addresses and phone numbers" in message) is (prefix == "sent_messages")


@pytest.mark.parametrize("tag", ["/", "//"])
def test_a_currents_folder_at_the_bucket_root_contains_brazes_prefixes_and_fails(tag: str) -> None:
    stack = bucket_stack()
    role_with_policy(stack, "one", currents_policy_doc("currents"))
    policy = stack.find("one-policy")
    tags = {"braze:integration": "currents", "braze:folder-path": tag}
    stack.replace("one-policy", res(T_POLICY, "one-policy", {**policy.props, "tags": tags}))
    result = run(RULE, stack)
    assert names(result) == ["one-policy"]
    assert 'at the root of bucket "acme-braze"' in result.violations[0].message
    assert 'contains Braze\'s own "sent_messages/" and "segment-export/" prefixes' in result.violations[0].message


@pytest.mark.parametrize("folder", ["sent_messages_x", "sent", "currents/sent_messages", "segment-exports", "x"])
def test_folders_that_only_share_letters_with_brazes_prefixes_pass(folder: str) -> None:
    stack = bucket_stack()
    role_with_policy(stack, "one", currents_policy_doc(folder))
    assert run(RULE, stack).violations == []


def _declared_currents(stack: Any, name: str, resource: str) -> None:
    """A Currents role (tagged, no folder tag) whose write grant is not a folder of its own."""
    document = doc(bucket_statement(), objects_statement(["s3:PutObject", "s3:GetObject"], resource))
    role_with_policy(stack, name, document, role_props={"tags": {"braze:integration": "currents"}})


@pytest.mark.parametrize("pattern", ["*", "sent*", "s?nt_messages/*", "*/email/*"])
def test_a_currents_grant_reaching_brazes_prefixes_fails_where_dashboard_export_writes(pattern: str) -> None:
    """`bucket/*` is Braze's published Currents policy: harmless in a Currents-only bucket, where Braze
    writes no archive, but in the bucket dashboard export serves it reads and overwrites the archives."""
    shared = bucket_stack()
    _declared_currents(shared, "one", f"arn:aws:s3:::acme-braze/{pattern}")
    role_with_policy(shared, "export", export_policy_doc())
    result = run(RULE, shared)
    assert names(result) == ["one-policy"], [v.message for v in result.violations]
    assert f'any key matching "{pattern}"' in result.violations[0].message
    alone = bucket_stack()
    _declared_currents(alone, "one", f"arn:aws:s3:::acme-braze/{pattern}")
    assert run(RULE, alone).violations == []


def test_a_currents_grant_on_other_keys_beside_dashboard_export_passes() -> None:
    stack = bucket_stack()
    _declared_currents(stack, "one", "arn:aws:s3:::acme-braze/curr*")
    role_with_policy(stack, "export", export_policy_doc())
    assert run(RULE, stack).violations == []
