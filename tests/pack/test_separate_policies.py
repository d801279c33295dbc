"""braze-separate-integration-policies: shared policy, shared principal, inline forms."""

from __future__ import annotations

from braze_rules.rules.separate_policies import RULE

from tests.pack.builders import (
    BUCKET,
    T_ROLE,
    T_ROLE_ATTACH,
    UNKNOWN,
    bucket_statement,
    doc,
    export_policy_doc,
    good_stack,
    names,
    objects_statement,
    res,
    run,
    trust,
)


def test_separate_policies_pass() -> None:
    assert run(RULE, good_stack()).violations == []


def test_one_policy_for_both_integrations_fails() -> None:
    stack = good_stack()
    combined = doc(
        bucket_statement(),
        objects_statement(["s3:PutObject", "s3:GetObject"], f"arn:aws:s3:::{BUCKET}/currents/*"),
        objects_statement(["s3:PutObject", "s3:GetObject", "s3:DeleteObject"], f"arn:aws:s3:::{BUCKET}/*"),
    )
    stack.replace("export-policy", res("aws:iam/policy:Policy", "export-policy", {"policy": combined}))
    assert "export-policy" in names(run(RULE, stack))


def test_the_export_policy_attached_to_a_currents_role_fails() -> None:
    stack = good_stack()
    stack.add(
        res(
            T_ROLE_ATTACH,
            "shared",
            {"role": UNKNOWN, "policyArn": UNKNOWN},
            {"role": [stack.find("currents-main-role")], "policyArn": [stack.find("export-policy")]},
        )
    )
    found = names(run(RULE, stack))
    assert "currents-main-role" in found


def test_inline_policies_of_one_role_serving_both_fail() -> None:
    stack = good_stack()
    stack.add(
        res(
            T_ROLE,
            "both",
            {
                "assumeRolePolicy": doc(trust()),
                "inlinePolicies": [
                    {
                        "name": "currents",
                        "policy": doc(
                            bucket_statement(),
                            objects_statement(["s3:PutObject", "s3:GetObject"], f"arn:aws:s3:::{BUCKET}/c2/*"),
                        ),
                    },
                    {"name": "export", "policy": export_policy_doc(as_json=False)},
                ],
            },
        )
    )
    assert names(run(RULE, stack)) == ["both"]
