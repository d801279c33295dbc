"""Bucket-policy Denies judged by all of them — Principal/NotPrincipal and every condition, ANDed —
against Braze's request context, three-valued (issue 24, class 1): braze-required-permissions reports
a Deny that applies, notes one it cannot tell, and passes one that does not apply."""

from __future__ import annotations

from typing import Any

import pytest
from braze_rules import conditions, iam
from braze_rules.bucket_denials import denials
from braze_rules.model import BucketInfo
from braze_rules.model_builder import build_model
from braze_rules.resources import UNKNOWN as UNKNOWN_MARK
from braze_rules.rules import sse_kms
from braze_rules.rules.required_permissions import RULE

from tests.pack.builders import (
    BUCKET,
    T_BUCKET_POLICY,
    UNKNOWN,
    Stack,
    bucket_stack,
    currents_policy_doc,
    doc,
    export_policy_doc,
    res,
    role_with_policy,
    run,
    user_with_policy,
)

ACCOUNT = "123456789012"
ROLE = "braze-currents"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/{ROLE}"
SESSION_ARN = f"arn:aws:sts::{ACCOUNT}:assumed-role/{ROLE}/braze"
RESOURCES = [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"]
VPC_ONLY = {"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}


def deny(condition: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
    statement: dict[str, Any] = {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": RESOURCES}
    statement.update(fields)
    if "NotPrincipal" in fields:
        del statement["Principal"]
    if condition is not None:
        statement["Condition"] = condition
    return statement


def stack_with(
    *statements: dict[str, Any],
    account_known: bool = True,
    name: str | None = ROLE,
    integration: str = "currents",
    policy: Any = None,
) -> Stack:
    """One Braze role (named, its ARN known once deployed) and a bucket policy of these statements."""
    stack = bucket_stack()
    props: dict[str, Any] = {"tags": {"braze:integration": integration}}
    if name is not None:
        props["name"] = name
    if account_known and name is not None:
        props["arn"] = f"arn:aws:iam::{ACCOUNT}:role/{name}"
    document = currents_policy_doc() if integration == "currents" else export_policy_doc()
    role_with_policy(stack, "c", document, role_props=props)
    body = policy if policy is not None else doc(*statements)
    return stack.replace("data-tls", res(T_BUCKET_POLICY, "data-tls", {"bucket": BUCKET, "policy": body}))


def outcome(stack: Stack) -> tuple[list[str], list[str]]:
    """(messages of the violations tied to the bucket policy, notes about it)."""
    result = run(RULE, stack)
    found = [v.message for v in result.violations if v.urn and v.urn.endswith("::data-tls")]
    return found, [n for n in result.notes if '"data-tls"' in n]


def test_a_vpc_only_deny_that_exempts_brazes_role_by_principal_arn_passes() -> None:
    """The very fix the rule's message asks for: exempt Braze's role."""
    for operator in ("ArnNotLike", "ArnNotEquals", "StringNotLike", "StringNotEquals"):
        exempt = {operator: {"aws:PrincipalArn": [ROLE_ARN, f"arn:aws:iam::{ACCOUNT}:role/admin"]}}
        assert outcome(stack_with(deny({**VPC_ONLY, **exempt}))) == ([], []), operator


def test_the_exemption_by_a_wildcard_or_by_another_partition_field_form_also_passes() -> None:
    exempt = {"ArnNotLike": {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/braze-*"}}
    assert outcome(stack_with(deny({**VPC_ONLY, **exempt}))) == ([], [])
    exempt = {"ArnNotLike": {"aws:PrincipalArn": "arn:*:iam::*:role/braze-*"}}
    assert outcome(stack_with(deny({**VPC_ONLY, **exempt}), account_known=False)) == ([], [])


def test_an_exemption_whose_account_the_stack_does_not_show_is_a_note_not_a_violation() -> None:
    exempt = {"ArnNotLike": {"aws:PrincipalArn": ROLE_ARN}}
    found, notes = outcome(stack_with(deny({**VPC_ONLY, **exempt}), account_known=False))
    assert found == [] and notes and "account" in notes[0]


def test_an_exemption_of_a_role_auto_named_at_deployment_is_a_note() -> None:
    exempt = {"ArnNotLike": {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/c-role-*"}}
    found, notes = outcome(stack_with(deny({**VPC_ONLY, **exempt}), name=None))
    assert found == [] and notes and '"c-role"' in notes[0]


def test_an_auto_named_role_cannot_be_an_exemption_its_resource_name_rules_out() -> None:
    exempt = {"ArnNotLike": {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/admin-*"}}
    found, _ = outcome(stack_with(deny({**VPC_ONLY, **exempt}), name=None))
    assert len(found) == 1


@pytest.mark.parametrize(
    "principal",
    [{"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, {"AWS": [ACCOUNT]}, {"AWS": ROLE_ARN}, {"AWS": [SESSION_ARN, "x"]}],
    ids=["account-root", "account-id-list", "role-arn", "session-arn"],
)
def test_a_deny_of_writes_to_the_buckets_own_account_or_to_brazes_role_fails(principal: dict[str, Any]) -> None:
    found, _ = outcome(stack_with(deny(Principal=principal, Action="s3:PutObject")))
    assert len(found) == 1 and "s3:PutObject" in found[0]


def test_a_deny_by_principal_account_condition_fails() -> None:
    found, _ = outcome(stack_with(deny({"StringEquals": {"aws:PrincipalAccount": ACCOUNT}}, Action="s3:PutObject")))
    assert len(found) == 1 and ACCOUNT in found[0]


def test_a_deny_of_another_account_passes_and_of_an_unknown_account_is_a_note() -> None:
    other = deny(Principal={"AWS": "arn:aws:iam::111122223333:root"}, Action="s3:PutObject")
    assert outcome(stack_with(other)) == ([], [])
    found, notes = outcome(stack_with(other, account_known=False))
    assert found == [] and notes


@pytest.mark.parametrize(
    "condition",
    [
        {"ArnNotLike": {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/admin-*"}},
        {"StringNotLike": {"aws:PrincipalArn": [f"arn:aws:iam::{ACCOUNT}:role/admin", "arn:aws:iam::*:role/ops*"]}},
        {"StringNotEquals": {"aws:PrincipalTag/team": "platform"}},
        {
            "ArnNotEquals": {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/admin"},
            "Bool": {"aws:ViaAWSService": "false"},
        },
    ],
    ids=["arn-not-like", "string-not-like-list", "principal-tag", "two-operators"],
)
def test_a_deny_of_everyone_but_the_admins_fails(condition: dict[str, Any]) -> None:
    found, _ = outcome(stack_with(deny(condition)))
    assert len(found) == 1 and '"c-role"' in found[0]


def test_a_deny_of_everyone_but_the_admins_by_not_principal_fails_and_one_exempting_braze_passes() -> None:
    admins = {"AWS": [f"arn:aws:iam::{ACCOUNT}:role/admin", f"arn:aws:iam::{ACCOUNT}:root"]}
    found, _ = outcome(stack_with(deny(NotPrincipal=admins)))
    assert len(found) == 1 and "NotPrincipal" in found[0]
    exempt = {"AWS": [SESSION_ARN, ROLE_ARN, f"arn:aws:iam::{ACCOUNT}:root"]}
    assert outcome(stack_with(deny(NotPrincipal=exempt))) == ([], [])
    found, notes = outcome(stack_with(deny(NotPrincipal={"AWS": ROLE_ARN})))
    assert found == [] and notes and "NotPrincipal" in notes[0]


@pytest.mark.parametrize("value", ["true", True, ["true"]], ids=["string", "json-bool", "list"])
def test_an_inverted_tls_statement_denying_requests_with_tls_fails(value: Any) -> None:
    found, _ = outcome(stack_with(deny({"Bool": {"aws:SecureTransport": value}})))
    assert len(found) == 1 and "TLS" in found[0]


@pytest.mark.parametrize("value", ["false", False], ids=["string", "json-bool"])
def test_the_usual_tls_statement_passes(value: Any) -> None:
    assert outcome(stack_with(deny({"Bool": {"aws:SecureTransport": value}}))) == ([], [])


@pytest.mark.parametrize(
    "condition",
    [
        {"StringNotEquals": {"aws:PrincipalOrgID": "o-abc123"}},
        {"NumericLessThan": {"s3:TlsVersion": "1.2"}},
        {"StringNotEquals": {"acme:SomethingElse": "x"}},
    ],
    ids=["org-id", "tls-version", "unknown-key"],
)
def test_a_condition_on_a_key_the_pack_cannot_tell_is_a_note_not_a_violation(condition: dict[str, Any]) -> None:
    found, notes = outcome(stack_with(deny(condition)))
    assert found == [] and notes and "cannot be told" in notes[0]


def test_a_key_that_cannot_be_told_beside_one_that_rules_braze_out_passes_silently() -> None:
    condition = {"StringNotEquals": {"aws:PrincipalOrgID": "o-abc123"}, "Bool": {"aws:SecureTransport": "false"}}
    assert outcome(stack_with(deny(condition))) == ([], [])


@pytest.mark.parametrize(
    ("condition", "integration", "expected"),
    [
        ({"StringEquals": {"s3:x-amz-server-side-encryption": "AES256"}}, "currents", "note"),
        ({"StringEquals": {"s3:x-amz-server-side-encryption": "AES256"}}, "dashboard-export", "pass"),
        ({"Null": {"s3:x-amz-server-side-encryption": "false"}}, "dashboard-export", "pass"),
        # a demand for a header is braze-no-sse-kms's finding, reported there once
        ({"Null": {"s3:x-amz-server-side-encryption": "true"}}, "dashboard-export", "sse-kms"),
        ({"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}, "currents", "sse-kms"),
        # IAM: an absent key makes …IfExists true, so this Deny refuses every write without the header —
        # a demand for the header, braze-no-sse-kms's finding (mandatory there), reported once
        ({"StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption": "AES256"}}, "dashboard-export", "sse-kms"),
        ({"StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption": "AES256"}}, "currents", "sse-kms"),
        # what lets header-less writes through: deny only a header that is present and not AES256
        (
            {
                "StringNotEquals": {"s3:x-amz-server-side-encryption": "AES256"},
                "Null": {"s3:x-amz-server-side-encryption": "false"},
            },
            "dashboard-export",
            "pass",
        ),
    ],
    ids=[
        "currents-toggle",
        "export-sends-none",
        "null-false-export",
        "null-true-export",
        "kms-only",
        "if-exists-export",
        "if-exists-currents",
        "present-and-not-aes256",
    ],
)
def test_the_encryption_header_is_the_one_each_integration_sends(
    condition: dict[str, Any], integration: str, expected: str
) -> None:
    """Only a write carries it: dashboard export never, Currents with its AES-256 toggle (set in Braze) on."""
    body = deny(condition, Action="s3:PutObject", Resource=f"arn:aws:s3:::{BUCKET}/*")
    found, notes = outcome(stack_with(body, integration=integration))
    assert len(found) == (expected == "fail"), found
    assert bool(notes) is (expected == "note"), notes
    if expected == "note":
        assert "AES-256 toggle" in notes[0]
    if expected == "sse-kms":
        assert run(sse_kms.RULE, stack_with(body, integration=integration)).violations


def test_unknown_parts_at_preview_are_notes_with_their_reason() -> None:
    """An object document (aws-native, or a dict of outputs) can be unknown in part; a JSON string is
    unknown as a whole."""
    for statement, why in [
        (deny({**VPC_ONLY, "ArnNotLike": {"aws:PrincipalArn": UNKNOWN}}), "known only after deployment"),
        (deny({**VPC_ONLY, "ArnNotLike": {"aws:PrincipalArn": [ROLE_ARN, UNKNOWN]}}), "known only after deployment"),
        (deny(UNKNOWN), "Condition is known only after deployment"),
        (deny({"StringNotEquals": UNKNOWN}), "condition is known only after deployment"),
        (deny(Principal={"AWS": UNKNOWN}), "Principal is known only after deployment"),
        (deny(Principal=UNKNOWN), "Principal is known only after deployment"),
        (deny(NotPrincipal={"AWS": [UNKNOWN]}), "NotPrincipal is known only after deployment"),
        (deny(Effect=UNKNOWN), "Effect, Action or Resource is known only after deployment"),
    ]:
        found, notes = outcome(stack_with(policy=doc(statement, as_json=False)))
        assert found == [] and notes and why in notes[0], (statement, notes)
    found, notes = outcome(stack_with(policy=UNKNOWN))
    assert found == [] and notes and "document is known only after deployment" in notes[0]


def test_an_unknown_value_does_not_matter_where_braze_carries_no_such_key() -> None:
    """Whatever VPC endpoint a negated operator names, Braze's requests come through none."""
    found, notes = outcome(
        stack_with(policy=doc(deny({"StringNotEquals": {"aws:SourceVpce": UNKNOWN}}), as_json=False))
    )
    assert len(found) == 1 and "own network" in found[0] and notes == []


@pytest.mark.parametrize("as_json", [True, False], ids=["json", "object"])
@pytest.mark.parametrize("single", [True, False], ids=["statement-object", "statement-list"])
def test_document_shapes_read_the_same(as_json: bool, single: bool) -> None:
    statement = deny({"ArnNotLike": {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/admin"}}, Action="s3:PutObject")
    body: Any = {"Version": "2012-10-17", "Statement": statement if single else [statement]}
    if as_json:
        import json

        body = json.dumps(body)
    found, _ = outcome(stack_with(policy=body))
    assert len(found) == 1


def test_an_aws_native_bucket_policy_is_read_the_same() -> None:
    stack = stack_with(deny())
    native = res(
        "aws-native:s3:BucketPolicy",
        "data-tls",
        {"bucket": BUCKET, "policyDocument": doc(deny({"Bool": {"aws:SecureTransport": True}}), as_json=False)},
        {"bucket": [stack.find("data")]},
    )
    found, _ = outcome(stack.replace("data-tls", native))
    assert len(found) == 1 and "TLS" in found[0]


def test_an_iam_user_is_judged_as_a_user() -> None:
    """A user has no session: aws:username is its name, a NotPrincipal must list the user and the account."""
    stack = bucket_stack()
    user_with_policy(
        stack,
        "u",
        currents_policy_doc(),
        {"tags": {"braze:integration": "currents"}, "arn": f"arn:aws:iam::{ACCOUNT}:user/u-user"},
    )
    exempt_by_name = deny({**VPC_ONLY, "StringNotEquals": {**VPC_ONLY["StringNotEquals"], "aws:username": "u-user"}})
    stack.replace("data-tls", res(T_BUCKET_POLICY, "data-tls", {"bucket": BUCKET, "policy": doc(exempt_by_name)}))
    assert outcome(stack) == ([], [])
    exempt = {"AWS": [f"arn:aws:iam::{ACCOUNT}:user/u-user", f"arn:aws:iam::{ACCOUNT}:root"]}
    stack.replace(
        "data-tls", res(T_BUCKET_POLICY, "data-tls", {"bucket": BUCKET, "policy": doc(deny(NotPrincipal=exempt))})
    )
    assert outcome(stack) == ([], [])


# The operators, one by one, against the context of a named role whose account is known.
CALLER = conditions.Caller("role", '"c-role"', name=ROLE, account=ACCOUNT, integrations=frozenset({"currents"}))


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"StringNotEqualsIfExists": {"aws:SourceVpce": "vpce-1"}}, True),
        ({"StringEqualsIfExists": {"aws:SourceVpce": "vpce-1"}}, True),
        ({"StringEquals": {"aws:SourceVpce": "vpce-1"}}, False),
        ({"Null": {"aws:SourceVpce": "true"}}, True),
        ({"Null": {"aws:SourceVpce": "false"}}, False),
        ({"Null": {"aws:PrincipalArn": "true"}}, False),
        ({"ForAllValues:StringEquals": {"aws:SourceVpce": "vpce-1"}}, True),
        ({"ForAnyValue:StringEquals": {"aws:SourceVpce": "vpce-1"}}, False),
        ({"ForAnyValue:StringNotEquals": {"aws:PrincipalType": "User"}}, True),
        ({"ForAllValues:StringEquals": {"aws:PrincipalType": "User"}}, False),
        ({"StringEqualsIgnoreCase": {"aws:PrincipalType": "assumedrole"}}, True),
        ({"StringEquals": {"aws:PrincipalType": "assumedrole"}}, False),
        ({"StringNotEqualsIgnoreCase": {"aws:PrincipalType": ["user", "ASSUMEDROLE"]}}, False),
        ({"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/braze-?urrents"}}, True),
        ({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/*"}}, True),
        ({"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::*:user/*"}}, False),
        ({"ArnLike": {"aws:PrincipalArn": "not-an-arn"}}, False),
        ({"NotIpAddress": {"aws:SourceIp": ["10.0.0.0/8", "203.0.113.0/24"]}}, True),
        ({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}, False),
        ({"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}, True),
        ({"NotIpAddress": {"aws:SourceIp": "::/0"}}, False),
        ({"IpAddress": {"aws:SourceIp": "not-a-range"}}, UNKNOWN_MARK),
        ({"NumericGreaterThan": {"aws:MultiFactorAuthAge": "3600"}}, False),
        ({"NumericGreaterThanIfExists": {"aws:MultiFactorAuthAge": "3600"}}, True),
        ({"DateGreaterThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}}, UNKNOWN_MARK),
        ({"Bool": {"aws:PrincipalIsAWSService": "true"}}, False),
        ({"StringEquals": {"aws:username": "x"}}, False),
        ({"StringEquals": {"aws:PrincipalTag/Team": "x"}}, False),
        ({"SomeNewOperator": {"aws:PrincipalType": "x"}}, UNKNOWN_MARK),
        ({"StringEquals": "malformed"}, UNKNOWN_MARK),
    ],
)
def test_each_operator_against_brazes_request(condition: dict[str, Any], expected: Any) -> None:
    statement = iam.parse_document(doc(deny(condition))).statements[0]
    assert conditions.applies(statement, CALLER, "s3:GetObject").applies is expected


def test_the_old_reader_keeps_its_answer_for_a_caller_it_does_not_name() -> None:
    """`denials` without a caller (the emulator's check) reports only Denies certain to hit any Braze principal."""
    model = build_model(stack_with(deny(VPC_ONLY), deny({"StringNotEquals": {"aws:PrincipalOrgID": "o-1"}})).resources)
    bucket: BucketInfo = model.braze_buckets()[0]
    found = denials(bucket, "s3:PutObject", "x")
    assert [d.why for d in found] == [
        "admits only your own network (StringNotEquals on aws:SourceVpce); Braze writes from its own"
    ]


def test_the_reader_judges_the_caller_it_is_given() -> None:
    """A Deny of everyone but one role spares that role only."""
    exempt = deny({"ArnNotEquals": {"aws:PrincipalArn": ROLE_ARN}}, Action="s3:PutObject")
    model = build_model(stack_with(exempt).resources)
    bucket: BucketInfo = model.braze_buckets()[0]
    braze = conditions.caller_of(model, model.braze_principals()[0])
    other = conditions.Caller("role", '"other"', name="other", account=ACCOUNT)
    assert denials(bucket, "s3:PutObject", "x", braze) == []
    assert len(denials(bucket, "s3:PutObject", "x", other)) == 1


def test_a_header_demand_braze_no_sse_kms_reports_is_not_noted_again_even_when_undecided() -> None:
    """Undecided for another reason (the organisation), the Deny still demands the KMS header: its finding."""
    condition = {
        "StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms", "aws:PrincipalOrgID": "o-abc123"},
    }
    body = deny(condition, Action="s3:PutObject", Resource=f"arn:aws:s3:::{BUCKET}/*")
    assert outcome(stack_with(body, integration="dashboard-export")) == ([], [])
