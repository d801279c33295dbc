"""braze-prefer-role-auth (advisory)."""

from __future__ import annotations

from braze_rules.rules.prefer_role import RULE

from tests.pack.builders import currents_policy_doc, good_stack, names, run, user_with_policy


def test_roles_only_pass() -> None:
    assert run(RULE, good_stack()).violations == []


def test_a_braze_user_with_keys_is_reported() -> None:
    stack = good_stack()
    user_with_policy(stack, "keys", currents_policy_doc("keys-folder"), {"tags": {"braze:integration": "currents"}})
    result = run(RULE, stack)
    assert names(result) == ["keys-user"] and "1 access key" in result.violations[0].message
