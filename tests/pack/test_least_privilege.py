"""braze-least-privilege (advisory): nothing beyond Braze's actions, bucket and folder."""

from __future__ import annotations

import pytest
from braze_rules.rules.least_privilege import RULE

from tests.pack.builders import (
    BUCKET,
    T_POLICY,
    T_ROLE_ATTACH,
    UNKNOWN,
    bucket_stack,
    bucket_statement,
    doc,
    good_stack,
    names,
    objects_statement,
    res,
    role_with_policy,
    run,
)


def test_program_shaped_policies_pass() -> None:
    assert run(RULE, good_stack()).violations == []


@pytest.mark.parametrize(
    ("statement", "words"),
    [
        ({"Effect": "Allow", "Action": "s3:*", "Resource": f"arn:aws:s3:::{BUCKET}/c/*"}, "s3:*"),
        ({"Effect": "Allow", "Action": "*", "Resource": f"arn:aws:s3:::{BUCKET}/c/*"}, "allows *"),
        ({"Effect": "Allow", "NotAction": "iam:*", "Resource": f"arn:aws:s3:::{BUCKET}/c/*"}, "NotAction"),
        ({"Effect": "Allow", "Action": "s3:PutObject", "NotResource": "arn:aws:s3:::x"}, "NotResource"),
        ({"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}, "every bucket"),
        (
            {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::another-bucket/*"},
            "a bucket Braze does not write to",
        ),
        ({"Effect": "Allow", "Action": "s3:DeleteObject", "Resource": f"arn:aws:s3:::{BUCKET}/c/*"}, "delete objects"),
        ({"Effect": "Allow", "Action": "s3:PutObjectAcl", "Resource": f"arn:aws:s3:::{BUCKET}/c/*"}, "s3:PutObjectAcl"),
    ],
    ids=[
        "s3-star",
        "star",
        "not-action",
        "not-resource",
        "all-buckets",
        "other-bucket",
        "currents-delete",
        "extra-action",
    ],
)
def test_more_than_braze_needs_is_reported(statement: dict[str, object], words: str) -> None:
    stack = bucket_stack()
    role_with_policy(
        stack,
        "c",
        doc(
            bucket_statement(),
            objects_statement(["s3:PutObject", "s3:GetObject"], f"arn:aws:s3:::{BUCKET}/c/*"),
            statement,
        ),
    )
    policy = stack.find("c-policy")
    stack.replace("c-policy", res(T_POLICY, "c-policy", {**policy.props, "tags": {"braze:integration": "currents"}}))
    result = run(RULE, stack)
    assert "c-policy" in names(result), [v.message for v in result.violations]
    assert any(words in v.message for v in result.violations), [v.message for v in result.violations]


def test_currents_policy_outside_its_tagged_folder_is_reported() -> None:
    stack = bucket_stack()
    role_with_policy(
        stack,
        "c",
        doc(bucket_statement(), objects_statement(["s3:PutObject", "s3:GetObject"], f"arn:aws:s3:::{BUCKET}/*")),
    )
    policy = stack.find("c-policy")
    stack.replace(
        "c-policy",
        res(
            T_POLICY,
            "c-policy",
            {**policy.props, "tags": {"braze:integration": "currents", "braze:folder-path": "currents"}},
        ),
    )
    assert any("outside its folder" in v.message for v in run(RULE, stack).violations)


def test_an_attached_aws_managed_policy_is_reported() -> None:
    stack = good_stack()
    stack.add(
        res(
            T_ROLE_ATTACH,
            "full",
            {"role": UNKNOWN, "policyArn": "arn:aws:iam::aws:policy/AmazonS3FullAccess"},
            {"role": [stack.find("export-role")]},
        )
    )
    result = run(RULE, stack)
    assert any("AmazonS3FullAccess" in v.message for v in result.violations)


KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
CURRENTS_TAGS = {"braze:integration": "currents", "braze:folder-path": "c"}


def _findings(
    *statements: dict[str, object], tags: dict[str, str] | None = None, role_tags: dict[str, str] | None = None
) -> list[str]:
    """The rule's messages for a role holding Braze's Currents grants in folder `c/` and ``statements``."""
    stack = bucket_stack()
    document = doc(
        bucket_statement(),
        objects_statement(["s3:PutObject", "s3:GetObject"], f"arn:aws:s3:::{BUCKET}/c/*"),
        *statements,
        as_json=False,  # so that UNKNOWN stays the engine's unknown inside it
    )
    role_with_policy(stack, "c", document, role_props={"tags": role_tags} if role_tags else None)
    policy = stack.find("c-policy")
    stack.replace(
        "c-policy", res(T_POLICY, "c-policy", {**policy.props, "tags": CURRENTS_TAGS if tags is None else tags})
    )
    result = run(RULE, stack)
    return [v.message for v in result.violations] + result.notes


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ({"Effect": "Allow", "Action": ["kms:GenerateDataKey", "kms:Decrypt"], "Resource": KEY}, None),
        ({"Effect": "Allow", "Action": ["KMS:GENERATEDATAKEY", "kms:decrypt"], "Resource": [KEY]}, None),
        ({"Effect": "Allow", "Action": "kms:*", "Resource": KEY}, "kms:*"),
        ({"Effect": "Allow", "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": KEY}, "kms:Decrypt, kms:Encrypt"),
        ({"Effect": "Allow", "Action": "kms:Decrypt", "Resource": KEY.rsplit("/", 1)[0] + "/*"}, "kms:Decrypt"),
        ({"Effect": "Allow", "Action": "kms:Decrypt", "Resource": []}, "kms:Decrypt"),
        ({"Effect": "Allow", "Action": [], "Resource": KEY}, None),
        ({"Effect": "Allow", "Action": "s3:putobject", "Resource": f"arn:aws:s3:::{BUCKET}/c/*"}, None),
        ({"Effect": "Allow", "Action": "s3:Put*", "Resource": f"arn:aws:s3:::{BUCKET}/c/*"}, "s3:Put*"),
        ({"Effect": "Allow", "Action": "s3:PutObjec?", "Resource": f"arn:aws:s3:::{BUCKET}/c/*"}, "s3:PutObjec?"),
    ],
)
def test_the_use_of_a_named_kms_key_is_braze_s_need_and_anything_else_is_extra(
    statement: dict[str, object], expected: str | None
) -> None:
    found = [m for m in _findings(statement) if "allows" in m and "more than Braze" in m]
    if expected is None:
        assert found == []
    else:
        assert len(found) == 1 and f"allows {expected}:" in found[0], found


@pytest.mark.parametrize(
    ("statements", "expected"),
    [
        ([{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::*"}], "every bucket"),
        ([{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::*/c/*"}], "every bucket"),
        ([{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::acme-braz?/c/*"}], None),
        ([{"Effect": "Allow", "Action": "s3:PutObject", "Resource": KEY}], None),  # not a bucket: not this check's
        # every statement is read: after a Deny, and after one whose resources are unknown at preview
        (
            [
                {"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"},
                {"Effect": "Allow", "Action": "s3:*", "Resource": f"arn:aws:s3:::{BUCKET}/c/*"},
            ],
            "s3:*",
        ),
        (
            [
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": UNKNOWN},
                {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::another/*"},
            ],
            "a bucket Braze does not write to",
        ),
        # a Currents policy that deletes is reported even where the objects are known only after deployment
        ([{"Effect": "Allow", "Action": "s3:DeleteObject", "Resource": UNKNOWN}], "delete objects"),
        (
            [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{BUCKET}/d/*"}],
            "outside its folder",
        ),
        ([{"Effect": "Allow", "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{BUCKET}/"}], None),
    ],
)
def test_every_statement_and_resource_is_judged(statements: list[dict[str, object]], expected: str | None) -> None:
    found = _findings(*statements)
    if expected is None:
        assert found == []
    else:
        assert any(expected in m for m in found), found


def test_a_policy_serving_export_too_may_delete_and_an_inferred_currents_policy_stays_in_its_folder() -> None:
    delete = {"Effect": "Allow", "Action": "s3:DeleteObject", "Resource": f"arn:aws:s3:::{BUCKET}/exports/*"}
    export_tags = {"braze:integration": "dashboard-export"}
    # the policy declares export, its role Currents: both integrations, so deleting is not a Currents excess
    both = _findings(delete, tags=export_tags, role_tags={"braze:integration": "currents"})
    assert not any("delete objects" in m for m in both), both
    assert any("delete objects" in m for m in _findings(delete)), "a Currents-only policy may not"
    # nothing declared anywhere, attached to nothing: the grants show Currents (writes in a folder, no
    # delete), and the folder tag holds
    outside = objects_statement(["s3:PutObject"], f"arn:aws:s3:::{BUCKET}/d/*")
    inside = objects_statement(["s3:PutObject", "s3:GetObject"], f"arn:aws:s3:::{BUCKET}/c/*")
    alone = res(T_POLICY, "p", {"policy": doc(bucket_statement(), inside, outside), "tags": {"braze:folder-path": "c"}})
    found = run(RULE, bucket_stack().add(alone)).violations
    assert any("outside its folder" in v.message for v in found), [v.message for v in found]
