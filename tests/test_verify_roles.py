"""`verify`'s role checks on an in-memory AWS: the trust names only Braze and every Allow needs the external
id; the role's policy judged statement by statement (issue 26)."""

from __future__ import annotations

from typing import Any

import pytest

from braze_s3_tools.verify.command import Integration, Report
from braze_s3_tools.verify.roles import BUCKET_SCOPE, PROBE_DIR
from tests.verify_fakes import (
    BRAZE,
    BUCKET,
    EXTERNAL_ID,
    ROLE_ARN,
    World,
    aws_error,
    braze_trust_statement,
    by_name,
    failed,
    folder_policy,
    good_role_world,
    in_folder,
    role_integration,
    trust,
    verifier,
)

# --- roles ------------------------------------------------------------------------------------------


def role_checks(world: World, it: Integration | None = None, **options: Any) -> tuple[Report, dict[str, Any]]:
    v = verifier(world, **options)
    it = it or role_integration()
    v.check_role(it)
    assert {c.subject for c in v.report.checks} == {it.subject}
    return v.report, by_name(v.report)


def test_a_correct_role_passes_and_what_only_braze_can_do_is_said() -> None:
    report, checks = role_checks(good_role_world())
    assert failed(report) == []
    assert {n: c.ok for n, c in checks.items()} == {
        "GetRole": True,
        "trust names only Braze's account": True,
        "StringEquals sts:ExternalId = the configured ids": True,
        "policy grants what Braze checks": True,
        "policy stays inside the folder": True,
        "policy has no DeleteObject": True,
        "IAM policy simulator": None,
        "Braze can assume the role": None,
    }
    assert checks["trust names only Braze's account"].reason == f"trusts {BRAZE}"
    assert checks["GetRole"].reason == ROLE_ARN
    assert checks["policy stays inside the folder"].reason == ""
    assert checks["Braze can assume the role"].reason.startswith('only Braze can check this: use "Test credentials"')


TRUSTS: list[tuple[str, dict[str, Any], bool, bool]] = [
    # id, trust, names only Braze, external id right
    ("braze-only", trust(braze_trust_statement()), True, True),
    ("account-id-form", trust(braze_trust_statement(principal={"AWS": BRAZE})), True, True),
    (
        "second-allow-without-external-id",
        trust(braze_trust_statement(), {**braze_trust_statement(), "Condition": {}}),
        True,
        False,
    ),
    (
        "second-allow-with-another-operator",
        trust(
            braze_trust_statement(),
            {**braze_trust_statement(), "Condition": {"StringLike": {"sts:ExternalId": "*"}}},
        ),
        True,
        False,
    ),
    (
        "braze-and-star",
        trust(braze_trust_statement(principal={"AWS": [f"arn:aws:iam::{BRAZE}:root", "*"]})),
        False,
        True,
    ),
    ("star-in-a-second-statement", trust(braze_trust_statement(), braze_trust_statement(principal="*")), False, True),
    ("another-account-too", trust(braze_trust_statement(principal={"AWS": [BRAZE, "123456789012"]})), False, True),
    ("a-service", trust(braze_trust_statement(principal={"Service": "ec2.amazonaws.com"})), False, True),
    (
        "not-principal",
        trust({**braze_trust_statement(), "Principal": None, "NotPrincipal": {"AWS": "123456789012"}}),
        False,
        True,
    ),
    ("another-id", trust(braze_trust_statement(ids=["not-the-configured-id"])), True, False),
    ("one-id-short", trust(braze_trust_statement(ids=[])), True, False),
    (
        "braze-and-not-principal",
        trust(braze_trust_statement(), {**braze_trust_statement(), "Principal": None, "NotPrincipal": {"AWS": BRAZE}}),
        False,
        True,
    ),
    ("a-deny-is-no-trust", trust({**braze_trust_statement(), "Effect": "Deny"}), False, False),
    (
        "tag-session-is-not-assume-role",
        trust(braze_trust_statement(), {**braze_trust_statement(principal="*"), "Action": "sts:TagSession"}),
        True,
        True,
    ),
]


@pytest.mark.parametrize(
    ("trust_doc", "only_braze", "external_id"), [t[1:] for t in TRUSTS], ids=[t[0] for t in TRUSTS]
)
def test_the_trust_names_only_braze_and_every_allow_needs_the_external_id(
    trust_doc: dict[str, Any], only_braze: bool, external_id: bool
) -> None:
    if trust_doc["Statement"][0].get("Principal", "") is None:
        del trust_doc["Statement"][0]["Principal"]
    _, checks = role_checks(good_role_world(role_trust=trust_doc))
    assert checks["trust names only Braze's account"].ok is only_braze, checks["trust names only Braze's account"]
    assert checks["StringEquals sts:ExternalId = the configured ids"].ok is external_id


def test_the_trust_reasons_name_what_is_wrong() -> None:
    doc = trust(braze_trust_statement(principal={"AWS": [BRAZE, "*"]}), {**braze_trust_statement(), "Condition": {}})
    _, checks = role_checks(good_role_world(role_trust=doc))
    assert checks["trust names only Braze's account"].reason == f"trusts {BRAZE}, *"
    assert checks["StringEquals sts:ExternalId = the configured ids"].reason == (
        "1 Allow statement(s) without StringEquals sts:ExternalId"
    )
    _, checks = role_checks(good_role_world(role_trust=trust(braze_trust_statement(ids=["a", "b"]))))
    assert checks["StringEquals sts:ExternalId = the configured ids"].reason == "2 id(s) in the trust, 1 configured"
    two = trust(
        braze_trust_statement(),
        {**braze_trust_statement(), "Condition": {}},
        {**braze_trust_statement(), "Condition": {}},
    )
    _, checks = role_checks(good_role_world(role_trust=two))
    assert checks["StringEquals sts:ExternalId = the configured ids"].reason == (
        "2 Allow statement(s) without StringEquals sts:ExternalId"
    )
    _, checks = role_checks(good_role_world(role_trust=trust()))
    assert checks["trust names only Braze's account"].reason == "trusts nobody"
    assert checks["StringEquals sts:ExternalId = the configured ids"].reason == "no Allow of sts:AssumeRole"


def test_several_external_ids_across_statements_are_one_set() -> None:
    doc = trust(braze_trust_statement(ids=["a"]), braze_trust_statement(ids=["b"]))
    _, checks = role_checks(good_role_world(role_trust=doc), role_integration(external_ids=["b", "a"]))
    assert checks["StringEquals sts:ExternalId = the configured ids"].ok is True


def test_a_malformed_trust_fails() -> None:
    _, checks = role_checks(good_role_world(role_trust="{not json"))
    assert checks["trust policy"].ok is False and checks["trust policy"].reason.startswith("the document ")


def test_a_role_without_arn_or_unreadable_fails_and_stops() -> None:
    report, checks = role_checks(good_role_world(), role_integration(role_arn=None))
    assert [(c.name, c.ok, c.reason) for c in report.checks] == [("role ARN in the outputs", False, "no roleArn")]
    world = good_role_world(errors={("caller", "GetRole"): aws_error("AccessDenied")})
    report, checks = role_checks(world)
    assert [(c.name, c.ok) for c in report.checks] == [("GetRole", False)]
    assert checks["GetRole"].reason.startswith("AccessDenied: ")


@pytest.mark.parametrize(
    ("policy", "wrong"),
    [
        (folder_policy(delete=True), {"policy has no DeleteObject"}),
        (folder_policy(folder=""), {"policy stays inside the folder"}),
        (folder_policy(folder="currents-marketing"), {"policy grants what Braze checks"}),
        (folder_policy(bucket="acme-braze-dev-other"), {"policy grants what Braze checks"}),
    ],
    ids=["delete", "whole-bucket", "another-folder", "another-bucket"],
)
def test_the_roles_policy_is_judged_statement_by_statement(policy: dict[str, Any], wrong: set[str]) -> None:
    report, _ = role_checks(good_role_world(attached={"arn:p": policy}))
    assert {c.name for c in report.checks if c.ok is False} == wrong


def test_missing_permissions_are_named_and_inline_policies_count() -> None:
    policy = folder_policy()
    policy["Statement"][1]["Action"] = ["s3:PutObject"]
    _, checks = role_checks(good_role_world(attached={"arn:p": policy}))
    assert checks["policy grants what Braze checks"].reason == (
        f"s3:GetObject on arn:aws:s3:::{BUCKET}/currents/{PROBE_DIR}/x"
    )
    _, checks = role_checks(good_role_world(attached={}, inline={"braze": folder_policy()}))
    assert checks["policy grants what Braze checks"].ok is True
    _, checks = role_checks(
        good_role_world(attached={"arn:a": folder_policy()}, inline={"braze": folder_policy(delete=True)})
    )
    assert checks["policy has no DeleteObject"].ok is False, "inline and attached policies together"
    _, checks = role_checks(
        good_role_world(attached={"arn:a": folder_policy(delete=True)}, inline={"braze": folder_policy()})
    )
    assert checks["policy has no DeleteObject"].ok is False, "the attached one is not forgotten for the inline one"
    bucket_part, object_part = folder_policy()["Statement"]
    split = {"arn:a": {"Statement": [bucket_part]}, "arn:b": {"Statement": [object_part]}}
    _, checks = role_checks(
        good_role_world(attached=split, inline={"x": {"Statement": [bucket_part]}, "y": {"Statement": [object_part]}})
    )
    assert checks["policy grants what Braze checks"].ok is True, "every attached and inline policy counts"
    _, checks = role_checks(
        good_role_world(attached={}, inline={"x": {"Statement": [bucket_part]}, "y": {"Statement": [object_part]}})
    )
    assert checks["policy grants what Braze checks"].ok is True, "every inline policy counts"


def test_an_outside_grant_is_named_and_a_bucket_scope_is_said_not_checked() -> None:
    _, checks = role_checks(good_role_world(attached={"arn:p": folder_policy(folder="")}))
    assert checks["policy stays inside the folder"].reason == "s3:PutObject, s3:GetObject allowed outside currents/"
    _, checks = role_checks(
        good_role_world(attached={"arn:p": folder_policy(folder="")}), role_integration(object_scope="bucket")
    )
    assert (checks["policy stays inside the folder"].ok, checks["policy stays inside the folder"].reason) == (
        None,
        BUCKET_SCOPE,
    )
    _, checks = role_checks(
        good_role_world(attached={"arn:p": folder_policy(folder="")}), role_integration(object_scope_given=False)
    )
    assert (
        checks["policy stays inside the folder"].ok is False
        and "no objectScope" in checks["policy stays inside the folder"].reason
    )


def test_dashboard_export_needs_delete_and_has_no_folder_checks() -> None:
    it = role_integration(subject="dashboard export", integration="dashboard-export", folder=None)
    report, checks = role_checks(good_role_world(attached={"arn:p": folder_policy(folder="")}), it)
    assert checks["policy grants what Braze checks"].ok is False
    assert "s3:DeleteObject" in checks["policy grants what Braze checks"].reason
    report, checks = role_checks(good_role_world(attached={"arn:p": folder_policy(folder="", delete=True)}), it)
    assert failed(report) == []
    assert "policy stays inside the folder" not in checks and "policy has no DeleteObject" not in checks


def test_unreadable_policies_fail() -> None:
    world = good_role_world(errors={("caller", "ListAttachedRolePolicies"): aws_error("AccessDenied")})
    _, checks = role_checks(world)
    assert (checks["read the role's policies"].ok, checks["read the role's policies"].reason) == (False, "AccessDenied")
    assert "policy grants what Braze checks" not in checks


def test_the_policy_simulator_decides_when_the_caller_may_use_it() -> None:
    bucket, probe_arn = f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/currents/{PROBE_DIR}/x"
    results = [
        {"EvalActionName": "s3:ListBucket", "EvalResourceName": bucket, "EvalDecision": "allowed"},
        {"EvalActionName": "s3:GetBucketLocation", "EvalResourceName": bucket, "EvalDecision": "allowed"},
        {"EvalActionName": "s3:PutObject", "EvalResourceName": probe_arn, "EvalDecision": "allowed"},
        {"EvalActionName": "s3:GetObject", "EvalResourceName": probe_arn, "EvalDecision": "explicitDeny"},
        # pairs verify did not ask about (the simulator crosses every action with every resource)
        {"EvalActionName": "s3:PutObject", "EvalResourceName": bucket, "EvalDecision": "implicitDeny"},
    ]
    world = good_role_world(simulator=results)
    _, checks = role_checks(world)
    check = checks["IAM policy simulator allows Braze's actions"]
    assert (check.ok, check.reason) == (False, f"s3:GetObject on {probe_arn}")
    request = next(c[2] for c in world.calls if c[1] == "SimulatePrincipalPolicy")
    assert request == {
        "PolicySourceArn": ROLE_ARN,
        "ActionNames": ["s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket", "s3:PutObject"],
        "ResourceArns": [bucket, probe_arn],
    }
    results[3]["EvalDecision"] = "allowed"
    _, checks = role_checks(good_role_world(simulator=results))
    assert checks["IAM policy simulator allows Braze's actions"].ok is True
    _, checks = role_checks(good_role_world())
    assert checks["IAM policy simulator"].reason == "not available to this caller (AccessDenied)"


def test_a_stand_in_role_is_probed_with_the_connectors_folder_unless_read_only() -> None:
    world = good_role_world(permissions={"ROLE": in_folder("currents")})
    stand_ins = {ROLE_ARN: "arn:aws:iam::123456789012:role/braze/stand-in"}
    report, checks = role_checks(world, role_stand_ins=stand_ins)
    assert world.assumed == [{"RoleArn": stand_ins[ROLE_ARN], "RoleSessionName": "braze", "ExternalId": EXTERNAL_ID}]
    assert checks["with the role's permissions: PutObject"].ok is True
    assert checks["with the role's permissions: write outside its folder is denied"].ok is True
    assert failed(report) == []
    world = good_role_world()
    role_checks(world, role_stand_ins=stand_ins, read_only=True)
    assert world.assumed == [] and world.writes() == []
    world = good_role_world(errors={("caller", "AssumeRole"): aws_error("AccessDenied")})
    _, checks = role_checks(world, role_stand_ins=stand_ins)
    assert (
        checks["assume the role's stand-in (emulator)"].ok,
        checks["assume the role's stand-in (emulator)"].reason,
    ) == (
        False,
        "AccessDenied",
    )
    world = good_role_world()
    role_checks(world, role_integration(external_ids=[]), role_stand_ins=stand_ins)
    assert world.assumed[0]["ExternalId"] == ""
