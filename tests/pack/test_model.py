"""What the pack counts as Braze, and what it leaves alone."""

from __future__ import annotations

import pytest
from braze_rules.model_builder import build_model
from braze_rules.registry import RULES

from tests.pack.builders import (
    T_BUCKET,
    T_POLICY,
    T_ROLE,
    UNKNOWN,
    bucket_stack,
    doc,
    good_stack,
    res,
    role_with_policy,
    run,
    trust,
)


def test_good_handwritten_stack_has_no_violation_of_any_mandatory_rule() -> None:
    stack = good_stack()
    for rule in RULES:
        result = run(rule, stack)
        if rule.enforcement == "mandatory":
            assert not result.violations, f"{rule.name}: {[v.message for v in result.violations]}"


def test_a_role_trusting_braze_makes_its_policy_and_bucket_brazes() -> None:
    model = build_model(good_stack().resources, ("716373062512",))
    assert {p.res.name for p in model.braze_principals()} == {"currents-main-role", "currents-eu-role", "export-role"}
    assert [b.name for b in model.braze_buckets()] == ["acme-braze"]
    assert "trusts Braze's AWS account 716373062512" in model.braze_principals()[0].reasons


def test_unrelated_resources_get_no_violation_from_any_rule() -> None:
    """An Object Lock bucket, a KMS bucket, a vendor role without external id: not Braze's business."""
    unrelated = bucket_stack("other-data", protect=False, objectLockEnabled=True, forceDestroy=True)
    role_with_policy(
        unrelated,
        "vendor",
        doc({"Effect": "Allow", "Action": "s3:*", "Resource": "*"}),
        trust_doc=doc(trust(account="999999999999", external_ids=None)),
    )
    unrelated.add(
        res(
            T_ROLE, "star", {"assumeRolePolicy": doc({"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"})}
        )
    )
    for rule in RULES:
        assert run(rule, unrelated).violations == [], rule.name


def test_braze_tag_or_component_parent_marks_a_resource_as_brazes() -> None:
    tagged = res(T_BUCKET, "tagged", {"bucket": "t1", "tags": {"braze:bucket": "true"}})
    component = res("braze:s3:Bucket", "comp", {})
    child = res(T_BUCKET, "child", {"bucket": "t2"}, parent=component)
    plain = res(T_BUCKET, "plain", {"bucket": "t3"})
    model = build_model([tagged, component, child, plain])
    assert sorted(b.name for b in model.braze_buckets()) == ["t1", "t2"]


def test_a_policy_built_from_an_unknown_arn_still_links_to_its_bucket_by_dependency() -> None:
    stack = bucket_stack(protect=True)
    bucket = stack.find("data")
    role = res(T_ROLE, "r", {"assumeRolePolicy": doc(trust())})
    policy = res(T_POLICY, "p", {"policy": UNKNOWN}, {"policy": [bucket]})
    stack.add(
        role,
        policy,
        res(
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
            "a",
            {"role": UNKNOWN, "policyArn": UNKNOWN},
            {"role": [role], "policyArn": [policy]},
        ),
    )
    model = build_model(stack.resources)
    assert [p.res.name for p in model.braze_policies()] == ["p"]
    access = model.grants.of_policy(model.braze_policies()[0]).on(model.braze_buckets()[0])
    assert access is not None and "dependency" in access.reach


def _variants() -> list[tuple[str, list]]:  # type: ignore[type-arg]
    from tests.pack.builders import BUCKET, T_SSE, export_policy_doc

    kms = good_stack()
    sse = kms.find("data-sse")
    kms.replace(
        "data-sse",
        res(
            T_SSE,
            "data-sse",
            {**sse.props, "rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms"}}]},
            {"bucket": [kms.find("data")]},
        ),
    )
    locked = good_stack()
    locked.replace("data", res(T_BUCKET, "data", {"bucket": BUCKET, "objectLockEnabled": True}))
    unknowns = good_stack()
    role_with_policy(unknowns, "u", UNKNOWN, trust_doc=UNKNOWN)
    shared = good_stack()
    role_with_policy(shared, "both", export_policy_doc(), trust_doc=doc(trust(external_ids=None)))
    return [
        ("good", good_stack().resources),
        ("kms", kms.resources),
        ("locked", locked.resources),
        ("unknowns", unknowns.resources),
        ("shared", shared.resources),
    ]


def test_rules_see_the_same_through_the_sdks_property_proxy() -> None:
    """Nested lists and dicts arrive as SDK proxies; the rules must read them like plain data."""
    from braze_rules.registry import evaluate

    from tests.pack.builders import as_policy_resources

    for label, resources in _variants():
        for rule in RULES:
            direct = run(rule, resources)
            via_sdk = evaluate(rule, as_policy_resources(resources), {"brazeAccountIds": ["716373062512"]})
            assert via_sdk.violations == direct.violations, f"{label}/{rule.name}"
            assert via_sdk.notes == direct.notes, f"{label}/{rule.name}"


@pytest.mark.parametrize(
    ("key", "folder"),
    [
        ("currents/*", "currents"),
        ("team/currents/*", "team/currents"),
        ("/currents/*", "currents"),
        ("currents/", None),
        ("currents/x*", None),
        ("*", None),
        ("/*", None),
        ("curr*/*", None),
        ("curr?nts/*", None),
        ("a?b*/*", None),
    ],
)
def test_a_key_pattern_names_one_folder_only_when_it_is_a_literal_folder_and_everything_under_it(
    key: str, folder: str | None
) -> None:
    """A grant on `curr*/*` or `curr?nts/*` reaches several folders: it names none of them."""
    from braze_rules.model import folder_of_key_pattern

    assert folder_of_key_pattern(key) == folder


def test_messages_name_where_a_document_sits_and_a_bucket_whose_name_is_not_known_yet() -> None:
    """A finding must lead the reader to the right line: the resource, and the property when the
    resource holds several documents; a bucket named at deployment is said to be so."""
    from tests.pack.builders import BRAZE_ACCOUNT, T_ROLE_ATTACH

    stack = good_stack()
    stack.replace("data", res(T_BUCKET, "data", {"bucket": UNKNOWN, "tags": {"braze:bucket": "true"}}, protect=True))
    inline = res(T_ROLE, "inline-role", {"assumeRolePolicy": doc(trust()), "inlinePolicies": [{"policy": "{}"}]})
    external = {"role": UNKNOWN, "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}
    stack.add(inline, res(T_ROLE_ATTACH, "extra", external, {"role": [inline]}))
    model = build_model(stack.resources, (BRAZE_ACCOUNT,))
    labels = {p.res.name: p.label() for p in model.policies}
    assert labels["currents-main-policy"] == '"currents-main-policy" (aws:iam/policy:Policy)'
    assert labels["inline-role"] == '"inline-role" (aws:iam/role:Role) (inlinePolicies[0].policy)'
    assert labels["extra"].endswith("(policyArn)")
    assert next(p for p in model.policies if p.res.name == "extra").malformed is None, "unread is not malformed"
    (bucket,) = [b for b in model.braze_buckets() if b.res is not None]
    assert bucket.label() == 'bucket (name known after deployment) (resource "data")'
