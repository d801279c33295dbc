"""plan --against's lifecycle risks compare what acts on each prefix, old against new — never rules by id."""

from __future__ import annotations

from typing import Any

from braze_s3_tools.plan.diff import Change
from braze_s3_tools.plan.risks import LIFECYCLE, risks

BUCKET_URN = "urn:pulumi:dev::braze-s3::aws:s3/bucket:Bucket::braze-bucket"
URN = (
    "urn:pulumi:dev::braze-s3::aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration::braze-bucket-lifecycle"
)


def rule(
    rule_id: str, prefix: str, expire: int | None = None, *, status: str = "Enabled", **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {"id": rule_id, "filter": {"prefix": prefix}, "status": status, **extra}
    if expire is not None:
        body["expiration"] = {"days": expire}
    return body


def plan(*rules: dict[str, Any], lifecycle: bool = True) -> dict[str, Any]:
    resources: list[dict[str, Any]] = [
        {"urn": BUCKET_URN, "type": "aws:s3/bucket:Bucket", "name": "braze-bucket", "inputs": {"bucket": "acme"}}
    ]
    if lifecycle:
        resources.append(
            {
                "urn": URN,
                "type": LIFECYCLE,
                "name": "braze-bucket-lifecycle",
                "inputs": {"bucket": "acme", "rules": list(rules)},
            }
        )
    return {"resources": resources}


def lifecycle_risks(old: dict[str, Any], new: dict[str, Any], op: str = "update") -> list[tuple[str, str]]:
    change = Change(URN, LIFECYCLE, "braze-bucket-lifecycle", op)
    return [(r.code, r.message) for r in risks(old, new, [change]) if r.code.startswith("LIFECYCLE")]


ABORT = rule("abort-incomplete-multipart-uploads", "", abortIncompleteMultipartUpload={"daysAfterInitiation": 7})


def test_renaming_a_connector_moves_no_expiry() -> None:
    old = plan(ABORT, rule("currents-main", "currents/", 90))
    new = plan(ABORT, rule("currents-primary", "currents/", 90))
    assert lifecycle_risks(old, new) == []


def test_swapping_two_connectors_folders_moves_an_expiry_onto_files_that_never_expired() -> None:
    old = plan(rule("currents-main", "currents/", 90), rule("currents-marketing", "currents-marketing/"))
    new = plan(rule("currents-main", "currents-marketing/", 90), rule("currents-marketing", "currents/"))
    found = lifecycle_risks(old, new)
    assert [code for code, _ in found] == ["LIFECYCLE_SOONER"]
    assert 'under "currents-marketing/": expiration after 90 days (was never)' in found[0][1]


def test_a_shorter_expiry_on_the_same_prefix_is_a_risk_and_a_longer_one_is_not() -> None:
    old = plan(rule("currents-main", "currents/", 90))
    assert (
        "expiration after 30 days (was 90 days)"
        in lifecycle_risks(old, plan(rule("currents-main", "currents/", 30)))[0][1]
    )
    assert lifecycle_risks(old, plan(rule("currents-main", "currents/", 120))) == []


def test_a_whole_bucket_expiry_touches_exports_and_every_folder_it_shortens() -> None:
    old = plan(rule("currents-main", "currents/", 90))
    new = plan(rule("currents-main", "currents/", 90), rule("expire-all", "", 30))
    codes = sorted(code for code, _ in lifecycle_risks(old, new))
    assert codes == ["LIFECYCLE_SOONER", "LIFECYCLE_TOUCHES_EXPORTS"]


def test_a_rule_covering_a_prefix_acts_on_it_whatever_its_id() -> None:
    """A new broader rule (`currents`, no slash) acts on currents-marketing/ too: the soonest rule wins."""
    old = plan(rule("currents-marketing", "currents-marketing/", 60))
    new = plan(rule("currents-marketing", "currents-marketing/", 60), rule("legacy", "currents", 10))
    messages = [message for _, message in lifecycle_risks(old, new)]
    assert any('under "currents-marketing/": expiration after 10 days (was 60 days)' in m for m in messages)


def test_a_disabled_rule_acts_on_nothing() -> None:
    old = plan(rule("currents-main", "currents/", 90))
    assert lifecycle_risks(old, plan(rule("currents-main", "currents/", 1, status="Disabled"))) == []
    assert lifecycle_risks(plan(rule("x", "currents/", 1, status="Disabled")), plan(rule("x", "currents/", 5)))


def test_a_lifecycle_added_to_an_existing_bucket_acts_on_its_files() -> None:
    old = plan(lifecycle=False)
    new = plan(rule("expire-all", "", 30))
    assert [code for code, _ in lifecycle_risks(old, new, op="create")] == ["LIFECYCLE_TOUCHES_EXPORTS"]


def test_a_lifecycle_of_a_new_bucket_has_no_existing_files_to_act_on() -> None:
    old: dict[str, Any] = {"resources": []}
    assert lifecycle_risks(old, plan(rule("expire-all", "", 30)), op="create") == []


def test_a_value_the_base_plan_could_not_know_is_no_change() -> None:
    """An older plan showed an autonamed role's name as unknown; the plan now knows the name Check gives it:
    the attachment that takes it is not replaced for that (the state holds whatever the name was)."""
    from braze_s3_tools.plan.diff import compare

    urn = "urn:pulumi:dev::braze-s3::aws:iam/rolePolicyAttachment:RolePolicyAttachment::a"
    attachment = {"urn": urn, "type": "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "name": "a", "custom": True}
    old = {"resources": [{**attachment, "inputs": {"role": {"unknown": True}, "policyArn": "arn:p"}}]}
    new = {"resources": [{**attachment, "inputs": {"role": "currents-main-role-ae6a309", "policyArn": "arn:p"}}]}
    assert [c.op for c in compare(old, new)] == ["same"]
    newer = {"resources": [{**attachment, "inputs": {"role": "currents-main-role-ae6a309", "policyArn": "arn:q"}}]}
    assert [c.op for c in compare(old, newer)] == ["replace"]
