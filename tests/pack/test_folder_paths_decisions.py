"""braze-distinct-folder-paths, the decisions test_folder_paths.py leaves open: which policies are a
Currents connector (by their own grants even on a role that dashboard export declares), which buckets
and policies are looked at, when a whole-bucket grant counts as writing in Braze's prefixes (only
where dashboard export writes, found through a policy, a role or the bucket policy), and how overlaps
are reported — once per pair of connectors, every pair, at the overlap nearest the root, on the
connector that writes inside the other's folder, the root connector alone for the bucket root."""

from __future__ import annotations

import json
from typing import Any

from braze_rules.rules.folder_paths import RULE

from tests.pack.builders import (
    BUCKET,
    T_BUCKET,
    T_BUCKET_POLICY,
    T_POLICY,
    T_ROLE,
    T_ROLE_ATTACH,
    UNKNOWN,
    Stack,
    bucket_stack,
    bucket_statement,
    currents_policy_doc,
    doc,
    export_policy_doc,
    names,
    objects_statement,
    res,
    role_with_policy,
    run,
    trust,
)

CURRENTS = {"tags": {"braze:integration": "currents"}}
EXPORT = {"tags": {"braze:integration": "dashboard-export"}}
ACCOUNT = "123456789012"


def writes(*keys: str, bucket: str = BUCKET) -> Any:
    """A Currents document: the bucket statement, PutObject and GetObject on each key pattern."""
    return doc(
        bucket_statement(bucket),
        *(objects_statement(["s3:PutObject", "s3:GetObject"], f"arn:aws:s3:::{bucket}/{k}") for k in keys),
    )


def messages(stack: Stack) -> list[str]:
    return [v.message for v in run(RULE, stack).violations]


def add_policy(stack: Stack, role: str, name: str, document: Any) -> None:
    """A second policy attached to ``role`` (a role `role_with_policy` made)."""
    policy = res(T_POLICY, name, {"policy": document})
    attach = res(
        T_ROLE_ATTACH,
        f"{name}-attach",
        {"role": UNKNOWN, "policyArn": UNKNOWN},
        {"role": [stack.find(f"{role}-role")], "policyArn": [policy]},
    )
    stack.add(policy, attach)


# Which policies are a Currents connector.


def test_an_untagged_currents_policy_on_a_role_dashboard_export_declares_is_still_a_connector() -> None:
    """The role carries dashboard export's tagged policy; the Currents policy beside it is untagged and
    shows Currents by its own grant (a folder it writes): its folder is checked all the same."""
    stack = bucket_stack()
    role_with_policy(stack, "shared", export_policy_doc())
    stack.replace("shared-policy", res(T_POLICY, "shared-policy", {"policy": export_policy_doc(), **EXPORT}))
    add_policy(stack, "shared", "shared-currents", writes("sent_messages/*"))
    result = run(RULE, stack)
    assert names(result) == ["shared-currents"], [v.message for v in result.violations]
    assert 'under "sent_messages/"' in result.violations[0].message


def test_a_policy_that_is_no_connector_before_the_connectors_does_not_end_the_check() -> None:
    """Dashboard export's policy comes first in the stack: it is skipped, the connectors after it are checked."""
    stack = bucket_stack()
    role_with_policy(stack, "export", export_policy_doc())
    role_with_policy(stack, "one", currents_policy_doc("sent_messages"))
    assert names(run(RULE, stack)) == ["one-policy"]


def test_a_bucket_named_only_after_deployment_before_the_braze_bucket_does_not_end_the_check() -> None:
    """A Braze bucket whose name is not known at preview (reached by a policy built from its outputs) has
    no folders to compare; the named bucket after it still has its overlap reported."""
    stack = Stack()
    unnamed = res(T_BUCKET, "later", {"bucket": UNKNOWN})
    stack.add(unnamed)
    stack.resources += bucket_stack().resources
    role_with_policy(stack, "later", UNKNOWN)
    later = stack.find("later-policy")
    stack.replace("later-policy", res(T_POLICY, "later-policy", {**later.props, **CURRENTS}, {"policy": [unnamed]}))
    role_with_policy(stack, "one", currents_policy_doc("currents"))
    role_with_policy(stack, "two", currents_policy_doc("currents/eu"))
    result = run(RULE, stack)
    assert names(result) == ["two-policy"], [v.message for v in result.violations]


def test_a_currents_policy_that_writes_nothing_on_the_bucket_is_no_folder_claim() -> None:
    """The connector's grants split in two policies: the bucket-level one (ListBucket, GetBucketLocation)
    writes no key; the other writes its folder. Neither is a finding."""
    stack = bucket_stack()
    role_with_policy(stack, "one", doc(bucket_statement()), role_props=CURRENTS)
    add_policy(stack, "one", "one-objects", writes("currents/*"))
    role_with_policy(stack, "two", currents_policy_doc("currents-eu"))
    assert run(RULE, stack).violations == []


# Braze's own prefixes.


def test_a_connector_writing_its_folder_and_a_braze_prefix_is_reported_for_the_prefix() -> None:
    """`currents/*` comes first and reaches no Braze prefix: the grant after it, `sent_messages/*`, is still read."""
    stack = bucket_stack()
    role_with_policy(stack, "one", writes("currents/*", "sent_messages/*"))
    result = run(RULE, stack)
    assert names(result) == ["one-policy"]
    assert 'under "sent_messages/"' in result.violations[0].message


def test_a_whole_bucket_grant_in_a_currents_only_bucket_does_not_hide_a_named_braze_prefix() -> None:
    """Braze's published `bucket/*` (harmless where no dashboard export writes) sorts before the folder
    `segment-export/*` the same policy names: the folder is reported all the same."""
    stack = bucket_stack()
    role_with_policy(stack, "one", writes("*", "segment-export/*"), role_props=CURRENTS)
    result = run(RULE, stack)
    assert names(result) == ["one-policy"], [v.message for v in result.violations]
    assert 'under "segment-export/"' in result.violations[0].message


def test_dashboard_exports_own_grant_shared_with_currents_does_not_hide_a_named_braze_prefix() -> None:
    """One policy grants dashboard export's `bucket/*` (with DeleteObject) and a folder in `sent_messages/`:
    the shared grant is separate-integration-policies' finding, the folder is this rule's."""
    stack = bucket_stack()
    shared = export_policy_doc(
        extra=[objects_statement(["s3:PutObject", "s3:GetObject"], f"arn:aws:s3:::{BUCKET}/sent_messages/*")]
    )
    role_with_policy(stack, "shared", shared)
    result = run(RULE, stack)
    assert names(result) == ["shared-policy"], [v.message for v in result.violations]
    assert 'under "sent_messages/"' in result.violations[0].message


def test_a_currents_role_holding_dashboard_exports_grant_still_reaches_brazes_prefixes() -> None:
    """The role is tagged Currents alone, its one policy grants `bucket/*` with DeleteObject: the declaration
    wins (issue 24, class 4) — an over-privileged Currents connector, whose whole-bucket writes reach Braze's
    archives in a bucket dashboard export serves. More privilege must not make that finding disappear."""
    stack = bucket_stack()
    role_with_policy(stack, "shared", export_policy_doc(), role_props=CURRENTS)
    role_with_policy(stack, "export", export_policy_doc())
    assert names(run(RULE, stack)) == ["shared-policy"]


def test_an_undeclared_policy_with_dashboard_exports_grant_is_left_to_separate_integration_policies() -> None:
    """Nothing declares it: Put/Get/Delete on `bucket/*` is dashboard export's grant, not a Currents folder."""
    stack = bucket_stack()
    role_with_policy(stack, "export", export_policy_doc())
    role_with_policy(stack, "two", export_policy_doc())
    assert run(RULE, stack).violations == []


def _whole_bucket_currents(stack: Stack, bucket: str = BUCKET) -> None:
    role_with_policy(stack, "one", writes("*", bucket=bucket), role_props=CURRENTS)


def test_dashboard_export_found_through_a_policy_attached_to_nothing() -> None:
    """The stack's dashboard export policy is not attached (yet): it still says the bucket serves dashboard
    export, where a whole-bucket Currents grant reaches Braze's archives."""
    stack = bucket_stack()
    _whole_bucket_currents(stack)
    stack.add(res(T_POLICY, "export", {"policy": export_policy_doc(), **EXPORT}))
    result = run(RULE, stack)
    assert names(result) == ["one-policy"], [v.message for v in result.violations]


def test_dashboard_export_found_through_the_bucket_policy() -> None:
    """Dashboard export's role has no policy of its own: the bucket policy grants it. The bucket serves
    dashboard export all the same."""
    stack = bucket_stack()
    _whole_bucket_currents(stack)
    role_arn = f"arn:aws:iam::{ACCOUNT}:role/braze-export"
    role = res(
        T_ROLE, "export-role", {"name": "braze-export", "arn": role_arn, "assumeRolePolicy": doc(trust()), **EXPORT}
    )
    grant = {
        "Effect": "Allow",
        "Principal": {"AWS": role_arn},
        "Action": ["s3:ListBucket", "s3:GetBucketLocation", "s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
        "Resource": [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"],
    }
    tls = stack.find("data-tls")
    body = doc(*json.loads(tls.props["policy"])["Statement"], grant)
    stack.add(role).replace(
        "data-tls", res(T_BUCKET_POLICY, "data-tls", {**tls.props, "policy": body}, {"bucket": [stack.find("data")]})
    )
    result = run(RULE, stack)
    assert names(result) == ["one-policy"], [v.message for v in result.violations]


def test_dashboard_export_on_another_bucket_does_not_make_this_one_serve_it() -> None:
    """Dashboard export writes in `acme-archive`; the whole-bucket Currents grant is in `acme-braze`, where
    Braze writes no archive: no finding."""
    stack = bucket_stack()
    stack.add(res(T_BUCKET, "archive", {"bucket": "acme-archive"}))
    _whole_bucket_currents(stack)
    role_with_policy(stack, "export", export_policy_doc(bucket="acme-archive"))
    assert run(RULE, stack).violations == []


# What the message says.


def test_a_folder_in_one_braze_prefix_names_that_prefix_alone() -> None:
    (message,) = messages(role_with_policy(bucket_stack(), "one", currents_policy_doc("sent_messages")))
    assert 'Braze\'s own "sent_messages/" prefix (sent_messages/:' in message
    assert '"segment-export/" prefix' not in message


def test_a_whole_bucket_grant_where_dashboard_export_writes_says_it_reaches_inside_brazes_prefixes() -> None:
    stack = bucket_stack()
    _whole_bucket_currents(stack)
    role_with_policy(stack, "export", export_policy_doc())
    (message,) = messages(stack)
    assert (
        'which also serves dashboard export, so inside Braze\'s own "sent_messages/" and "segment-export/" prefixes ('
        in message
    )


# Overlaps between connectors.


def test_a_connector_inside_the_folders_of_two_others_is_reported_for_each() -> None:
    """`two` writes `x/1` inside `one`'s `x` and `y/1` inside `three`'s `y`: two pairs, two findings."""
    stack = bucket_stack()
    role_with_policy(stack, "one", writes("x/*"))
    role_with_policy(stack, "two", writes("x/1/*", "y/1/*"))
    role_with_policy(stack, "three", writes("y/*"))
    found = messages(stack)
    assert len(found) == 2, found
    assert any('"one-role"' in m for m in found) and any('"three-role"' in m for m in found), found


def test_a_pair_already_reported_does_not_hide_the_next_folder_of_the_same_connector() -> None:
    """`c3` shares `a` with `c1` (reported), then writes `a/b`, which is also `c2`'s folder: that pair is
    reported too — every pair of connectors once."""
    stack = bucket_stack()
    role_with_policy(stack, "c1", writes("a/*"))
    role_with_policy(stack, "c2", writes("a/b/*"))
    role_with_policy(stack, "c3", writes("a/*", "a/b/*"))
    found = messages(stack)
    assert len(found) == 3, found
    pairs = {frozenset(w for w in m.split() if w.startswith('"c') and w.endswith('-role"')) for m in found}
    assert pairs == {
        frozenset({'"c1-role"', '"c2-role"'}),
        frozenset({'"c1-role"', '"c3-role"'}),
        frozenset({'"c2-role"', '"c3-role"'}),
    }, found


def test_two_connectors_overlapping_twice_are_reported_once_at_the_overlap_nearest_the_root() -> None:
    """`one` writes `a/b/c` (inside `two`'s `a`) and `z` (containing `two`'s `z/w`): one finding, for
    `z/w` — one level down — on `two`, the connector writing inside the other's folder."""
    stack = bucket_stack()
    role_with_policy(stack, "one", writes("a/b/c/*", "z/*"))
    role_with_policy(stack, "two", writes("a/*", "z/w/*"))
    result = run(RULE, stack)
    assert names(result) == ["two-policy"], [v.message for v in result.violations]
    assert 'under "z/w/"' in result.violations[0].message


def test_a_connector_at_the_bucket_root_is_reported_once_for_brazes_prefixes_not_again_per_folder() -> None:
    """The root contains every folder: the root connector is the one to move (its finding says so);
    the connector in its own folder beside it is not blamed."""
    stack = bucket_stack()
    role_with_policy(stack, "root", currents_policy_doc("currents"))
    policy = stack.find("root-policy")
    tags = {"braze:integration": "currents", "braze:folder-path": "/"}
    stack.replace("root-policy", res(T_POLICY, "root-policy", {**policy.props, "tags": tags}))
    role_with_policy(stack, "two", currents_policy_doc("currents-eu"))
    result = run(RULE, stack)
    assert names(result) == ["root-policy"], [v.message for v in result.violations]
    assert "at the root of" in result.violations[0].message


# A folder granted without its slash (`currents*`).


def test_a_slashless_grant_on_a_folder_already_reported_as_the_same_folder_is_reported_once() -> None:
    stack = bucket_stack()
    role_with_policy(stack, "c0", writes("currents*"), role_props=CURRENTS)
    role_with_policy(stack, "c1", writes("currents/*"), role_props=CURRENTS)
    found = messages(stack)
    assert len(found) == 1, found


def test_a_slashless_grant_reaching_two_folders_of_one_connector_is_reported_once() -> None:
    stack = bucket_stack()
    role_with_policy(stack, "c0", writes("currents*"), role_props=CURRENTS)
    role_with_policy(stack, "c1", writes("currents-eu/*", "currents-us/*"), role_props=CURRENTS)
    (message,) = messages(stack)
    assert 'any key starting with "currents" in bucket "acme-braze" (resource "data")' in message
