"""The principals, managed policy and group the grants and attachment-form tests link to each other:
a Currents role trusting Braze, a Currents-tagged user, the Currents policy with an ARN, a group."""

from __future__ import annotations

from typing import Any

from tests.pack.builders import T_POLICY, T_ROLE, T_USER, currents_policy_doc, doc, res, trust

INTEGRATION_TAGS = {"braze:integration": "currents"}
POLICY_ARN = "arn:aws:iam::123456789012:policy/braze-currents"


def braze_role(name: str = "braze-currents", **props: Any) -> Any:
    return res(T_ROLE, "role", {"name": name, "assumeRolePolicy": doc(trust()), **props})


def braze_user(name: str = "braze-user", **props: Any) -> Any:
    return res(T_USER, "user", {"name": name, "tags": INTEGRATION_TAGS, **props})


def managed_policy(document: Any = None) -> Any:
    return res(T_POLICY, "policy", {"policy": document or currents_policy_doc(), "arn": POLICY_ARN})


def iam_group(native: bool = False, **props: Any) -> Any:
    if native:
        return res("aws-native:iam:Group", "group", {"groupName": "braze", **props})
    return res("aws:iam/group:Group", "group", {"name": "braze", **props})
