"""braze-no-bucket-control, the decisions test_bucket_control.py leaves open: when "not checked" is said
(a statement whose Effect is known only after deployment, even as the principal's only one; never for
a control grant decided to reach other buckets only), and how an attached policy from outside the
stack is recognised as a full-access one (by the last segment of its ARN, whatever its path)."""

from __future__ import annotations

from braze_rules.rules.bucket_control import RULE

from tests.pack.builders import (
    BUCKET,
    T_ROLE_ATTACH,
    UNKNOWN,
    bucket_stack,
    currents_policy_doc,
    doc,
    good_stack,
    names,
    objects_statement,
    res,
    role_with_policy,
    run,
)


def test_a_principals_only_statement_with_an_effect_known_after_deployment_is_a_note() -> None:
    """The bucket is Braze's through the stack's connectors; a Currents-tagged role holds one statement,
    s3:* on it, whose Effect is known only after deployment: it may allow control or deny it. Not a
    pass: the rule says it was not checked."""
    stack = good_stack()
    statement = {"Effect": UNKNOWN, "Action": "s3:*", "Resource": f"arn:aws:s3:::{BUCKET}"}
    role_with_policy(
        stack, "ops", doc(statement, as_json=False), role_props={"tags": {"braze:integration": "currents"}}
    )
    result = run(RULE, stack)
    assert result.violations == []
    (note,) = result.notes
    assert '"ops-role"' in note and "was not checked" in note


def test_control_of_another_bucket_only_is_decided_not_a_note() -> None:
    """s3:* on `another-bucket` passes the quick look (it may be a control grant) and is then decided:
    it reaches no Braze bucket. Neither a finding nor "not checked"."""
    stack = bucket_stack()
    other = objects_statement(["s3:*"], "arn:aws:s3:::another-bucket")
    role_with_policy(stack, "currents-main", currents_policy_doc(extra=[other]))
    result = run(RULE, stack)
    assert result.violations == [] and result.notes == []


def test_a_full_access_policy_is_named_by_the_last_segment_of_its_arn_whatever_its_path() -> None:
    """A copy of AdministratorAccess an organisation keeps under a path (`policy/org/AdministratorAccess`),
    attached from outside the stack: reported by its name like AWS's own."""
    stack = bucket_stack()
    role_with_policy(stack, "currents-main", currents_policy_doc())
    role = stack.find("currents-main-role")
    arn = "arn:aws:iam::123456789012:policy/org/AdministratorAccess"
    stack.add(res(T_ROLE_ATTACH, "admin", {"role": "currents-main-role", "policyArn": arn}, {"role": [role]}))
    result = run(RULE, stack)
    assert names(result) == ["currents-main-role"]
    assert "managed policy AdministratorAccess attached" in result.violations[0].message
