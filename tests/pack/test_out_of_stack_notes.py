"""A policy attached by ARN from outside the stack is never readable by the pack — not at preview, not after
deployment. Its notes say so, instead of "not known until deployment", which under `pulumi up` (after
deployment) would be false; a policy of the stack whose document is unknown at preview keeps that wording."""

from __future__ import annotations

from braze_rules.rules import bucket_control, required_permissions

from tests.pack.builders import (
    T_ROLE,
    T_ROLE_ATTACH,
    UNKNOWN,
    bucket_stack,
    currents_policy_doc,
    doc,
    res,
    role_with_policy,
    run,
    trust,
)

ACCOUNT = "123456789012"
OUTSIDE = f"arn:aws:iam::{ACCOUNT}:policy/shared-audit"


def test_an_out_of_stack_policy_beside_the_stacks_own_is_named_as_unreadable_not_pending() -> None:
    stack = bucket_stack()
    role_with_policy(
        stack,
        "c",
        currents_policy_doc(),
        role_props={"name": "braze-currents", "tags": {"braze:integration": "currents"}},
    )
    stack.add(res(T_ROLE_ATTACH, "ext", {"role": "braze-currents", "policyArn": OUTSIDE}))
    notes = run(bucket_control.RULE, stack).notes
    assert len(notes) == 1 and OUTSIDE in notes[0] and "outside this stack" in notes[0]
    assert not any("deployment" in n for n in notes)


def test_a_stack_policy_unknown_at_preview_keeps_its_wording_and_both_are_said() -> None:
    stack = bucket_stack()
    role_with_policy(
        stack, "c", UNKNOWN, role_props={"name": "braze-currents", "tags": {"braze:integration": "currents"}}
    )
    notes = run(bucket_control.RULE, stack).notes
    assert len(notes) == 1 and "not all known until deployment" in notes[0]
    stack.add(res(T_ROLE_ATTACH, "ext", {"role": "braze-currents", "policyArn": OUTSIDE}))
    both = run(bucket_control.RULE, stack).notes
    assert len(both) == 2 and any(OUTSIDE in n for n in both)


def test_a_role_whose_only_policy_is_outside_the_stack_is_not_checked_and_says_why() -> None:
    stack = bucket_stack()
    role = res(
        T_ROLE,
        "c-role",
        {"name": "braze-currents", "assumeRolePolicy": doc(trust()), "tags": {"braze:integration": "currents"}},
    )
    stack.add(role, res(T_ROLE_ATTACH, "ext", {"role": "braze-currents", "policyArn": OUTSIDE}, {"role": [role]}))
    result = run(required_permissions.RULE, stack)
    assert result.violations == []
    assert len(result.notes) == 1 and OUTSIDE in result.notes[0] and "deployment" not in result.notes[0]
    pending = bucket_stack()
    role_with_policy(pending, "c", UNKNOWN, role_props={"tags": {"braze:integration": "currents"}})
    assert any("not known until deployment" in n for n in run(required_permissions.RULE, pending).notes)
