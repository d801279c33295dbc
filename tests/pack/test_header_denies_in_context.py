"""braze-no-sse-kms judges a bucket-policy Deny that demands an encryption header by the whole statement: its
Principal or NotPrincipal, its Resource and its other conditions (ANDed with the header's) against the writes
of each Braze principal of the bucket. A Deny that never reaches Braze's writes — one that exempts Braze's role
(the fix braze-required-permissions asks for), one on another prefix, one aimed at another role, one that only
holds inside the company's network — is no reason to block; one that does reach them is, naming whose."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from braze_rules.rules import required_permissions, sse_kms

from tests.pack.builders import (
    BUCKET,
    T_BUCKET_POLICY,
    UNKNOWN,
    UNKNOWN_MARK,
    Stack,
    bucket_stack,
    bucket_statement,
    currents_policy_doc,
    doc,
    export_policy_doc,
    names,
    objects_statement,
    res,
    role_with_policy,
    run,
    with_bucket_policy,
)

ACCOUNT = "123456789012"
HEADER = "s3:x-amz-server-side-encryption"
OBJECTS = f"arn:aws:s3:::{BUCKET}/*"
EXPORT_ROLE = "braze-export"
CURRENTS_ROLE = "braze-currents"


def _arn(name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:role/{name}"


def _export(*statements: dict[str, Any]) -> Stack:
    stack = bucket_stack()
    role_with_policy(
        stack,
        "export",
        export_policy_doc(),
        role_props={"name": EXPORT_ROLE, "arn": _arn(EXPORT_ROLE), "tags": {"braze:integration": "dashboard-export"}},
    )
    return with_bucket_policy(stack, *statements)


def _currents(*statements: dict[str, Any], folder: str = "currents") -> Stack:
    stack = bucket_stack()
    role_with_policy(
        stack,
        "currents",
        currents_policy_doc(folder),
        role_props={"name": CURRENTS_ROLE, "arn": _arn(CURRENTS_ROLE), "tags": {"braze:integration": "currents"}},
    )
    return with_bucket_policy(stack, *statements)


def _deny(condition: dict[str, Any], resource: Any = OBJECTS, **element: Any) -> dict[str, Any]:
    return {
        "Effect": "Deny",
        **(element or {"Principal": "*"}),
        "Action": "s3:PutObject",
        "Resource": resource,
        "Condition": condition,
    }


REQUIRE_KMS = {"StringNotEquals": {HEADER: "aws:kms"}}
REQUIRE_A_HEADER = {"Null": {HEADER: "true"}}

PASSING: dict[str, dict[str, Any]] = {
    "exempts Braze's role by aws:PrincipalArn": _deny(
        {**REQUIRE_KMS, "ArnNotEquals": {"aws:PrincipalArn": _arn(EXPORT_ROLE)}}
    ),
    "exempts Braze's role by a StringNotLike pattern": _deny(
        {**REQUIRE_A_HEADER, "StringNotLike": {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/braze-*"}}
    ),
    "demands KMS on another prefix only": _deny(REQUIRE_A_HEADER, resource=f"arn:aws:s3:::{BUCKET}/secure/*"),
    "is aimed at another role": _deny(REQUIRE_KMS, Principal={"AWS": _arn("etl")}),
    "holds only through the company's VPC endpoint": _deny(
        {**REQUIRE_KMS, "StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}
    ),
    "exempts Braze's session and account by NotPrincipal": _deny(
        REQUIRE_A_HEADER,
        NotPrincipal={
            "AWS": [f"arn:aws:sts::{ACCOUNT}:assumed-role/{EXPORT_ROLE}/braze", f"arn:aws:iam::{ACCOUNT}:root"]
        },
    ),
}


@pytest.mark.parametrize("case", list(PASSING))
def test_a_header_deny_that_does_not_reach_brazes_writes_passes(case: str) -> None:
    stack = _export(PASSING[case])
    result = run(sse_kms.RULE, stack)
    assert result.violations == [] and result.notes == []
    assert run(required_permissions.RULE, stack).violations == []


FAILING: dict[str, dict[str, Any]] = {
    "for everyone": _deny(REQUIRE_KMS),
    "exempting another role only": _deny({**REQUIRE_KMS, "ArnNotEquals": {"aws:PrincipalArn": _arn("etl")}}),
    "naming Braze's role": _deny(REQUIRE_A_HEADER, Principal={"AWS": _arn(EXPORT_ROLE)}),
    "naming the account": _deny(REQUIRE_A_HEADER, Principal={"AWS": ACCOUNT}),
    "over TLS, as Braze always is": _deny({**REQUIRE_KMS, "Bool": {"aws:SecureTransport": "true"}}),
    "on the prefix dashboard export writes": _deny(REQUIRE_A_HEADER, resource=[f"arn:aws:s3:::{BUCKET}/*"]),
}


@pytest.mark.parametrize("case", list(FAILING))
def test_a_header_deny_that_reaches_brazes_writes_fails_naming_whose(case: str) -> None:
    result = run(sse_kms.RULE, _export(FAILING[case]))
    assert names(result) == ["data-tls"]
    assert '"export-role"' in result.violations[0].message


def test_a_header_deny_on_another_folder_than_the_connectors_passes_and_on_its_folder_fails() -> None:
    elsewhere = _deny(REQUIRE_KMS, resource=f"arn:aws:s3:::{BUCKET}/secure/*")
    result = run(sse_kms.RULE, _currents(elsewhere))
    assert result.violations == [] and result.notes == []
    on_its_folder = _deny(REQUIRE_KMS, resource=f"arn:aws:s3:::{BUCKET}/currents/*")
    assert names(run(sse_kms.RULE, _currents(on_its_folder))) == ["data-tls"]


def test_a_deny_of_header_less_writes_on_a_currents_folder_fails_whatever_the_toggle() -> None:
    """Currents sends AES256 only with its toggle on, which is set in Braze, not in the stack: a Deny of every
    write without the header stops the connector the day the toggle is off (the pack's documented choice)."""
    result = run(sse_kms.RULE, _currents(_deny(REQUIRE_A_HEADER, resource=f"arn:aws:s3:::{BUCKET}/currents/*")))
    assert names(result) == ["data-tls"]
    assert '"currents-role"' in result.violations[0].message


def test_a_header_deny_whose_exemption_is_known_only_after_deployment_is_a_note() -> None:
    """aws-native's policyDocument is an object: one value of it can be unknown at preview (a role's ARN)."""
    stack = _export()
    deny = _deny({**REQUIRE_KMS, "ArnNotEquals": {"aws:PrincipalArn": UNKNOWN}})
    native = res(
        "aws-native:s3:BucketPolicy",
        "data-kms-only",
        {"bucket": BUCKET, "policyDocument": doc(deny, as_json=False)},
        {"bucket": [stack.find("data")]},
    )
    result = run(sse_kms.RULE, stack.add(native))
    assert result.violations == []
    assert any(
        '"data-kms-only"' in n and "whether it reaches Braze's writes was not decided" in n for n in result.notes
    )


def test_the_bucket_policy_alone_before_its_step_decides_what_it_can() -> None:
    """Resource-level: no principal at hand. A Deny on every writer is certain; one whose exemption may name
    Braze's principal is left to the stack run (a note now)."""
    alone = bucket_stack(tags={"braze:bucket": BUCKET})
    everyone = run(sse_kms.RULE, with_bucket_policy(alone, _deny(REQUIRE_KMS)))
    assert names(everyone) == ["data-tls"]
    exempting = _deny({**REQUIRE_KMS, "ArnNotEquals": {"aws:PrincipalArn": _arn(EXPORT_ROLE)}})
    result = run(sse_kms.RULE, with_bucket_policy(bucket_stack(tags={"braze:bucket": BUCKET}), exempting))
    assert result.violations == [] and result.notes


def test_the_remediation_recommends_the_form_the_rule_accepts() -> None:
    accepted = _deny({"StringNotEquals": {HEADER: "AES256"}, "Null": {HEADER: "false"}})
    assert run(sse_kms.RULE, _export(accepted)).violations == []
    refused = _deny({"StringNotEqualsIfExists": {HEADER: "AES256"}})
    assert run(sse_kms.RULE, _export(refused)).violations
    assert "StringNotEqualsIfExists" not in sse_kms.RULE.remediation
    assert 'Null {"s3:x-amz-server-side-encryption": "false"}' in sse_kms.RULE.remediation


def test_a_deny_that_requires_kms_is_named_as_such_whatever_the_case_of_its_value() -> None:
    for value in ("aws:kms", "AWS:KMS", "aws:kms:dsse"):
        result = run(sse_kms.RULE, _export(_deny({"StringNotEquals": {HEADER: value}})))
        assert names(result) == ["data-tls"] and f"unless {HEADER} is aws:kms" in result.violations[0].message


def test_a_null_true_beside_a_negated_header_condition_is_a_deny_of_header_less_writes() -> None:
    both = _deny({"StringNotEquals": {HEADER: "AES256"}, "Null": {HEADER: "true"}})
    result = run(sse_kms.RULE, _export(both))
    assert names(result) == ["data-tls"] and "IAM evaluates a negated condition" in result.violations[0].message


def test_a_bucket_policy_allow_with_a_header_condition_demands_nothing() -> None:
    allow = {**_deny(REQUIRE_KMS), "Effect": "Allow"}  # to everyone: only its Effect makes it harmless here
    result = run(sse_kms.RULE, _export(allow))
    assert result.violations == [] and result.notes == []


def test_a_bucket_policy_unknown_at_preview_is_a_note() -> None:
    stack = _export()
    stack.replace(
        "data-tls",
        res(T_BUCKET_POLICY, "data-tls", {"bucket": BUCKET, "policy": UNKNOWN}, {"bucket": [stack.find("data")]}),
    )
    result = run(sse_kms.RULE, stack)
    assert result.violations == [] and any(
        '"data-tls"' in n and "not known until deployment" in n for n in result.notes
    )


def test_a_header_deny_that_also_requires_an_acl_header_on_writes_is_undecided() -> None:
    """Braze does not document its ACL header: on its writes, whether `StringNotEquals s3:x-amz-acl` holds
    cannot be told (on a read the header is absent and it would hold: the write's own request decides)."""
    deny = _deny({**REQUIRE_KMS, "StringNotEquals": {HEADER: "aws:kms", "s3:x-amz-acl": "bucket-owner-full-control"}})
    result = run(sse_kms.RULE, _export(deny))
    assert result.violations == []
    assert any("x-amz-acl" in n and "was not decided" in n for n in result.notes), result.notes


def test_a_header_deny_on_a_bucket_named_only_after_deployment_is_a_note() -> None:
    stack = _export()
    bucket = stack.find("data")
    stack.replace(
        "data",
        dataclasses.replace(bucket, props={**bucket.props, "bucket": UNKNOWN_MARK, "tags": {"braze:bucket": "true"}}),
    )
    result = run(sse_kms.RULE, with_bucket_policy(stack, _deny(REQUIRE_KMS)))
    assert result.violations == []
    assert any("(or the bucket's name) are known only after deployment" in n for n in result.notes), result.notes


def test_each_writer_of_the_bucket_is_judged_not_only_the_first_or_the_last() -> None:
    """Two roles write the bucket; the Deny exempts one of them by ARN: it still stops the other."""
    stack = bucket_stack()
    for name in ("first", "second"):
        role_with_policy(
            stack,
            name,
            export_policy_doc(),
            role_props={
                "name": f"braze-{name}",
                "arn": _arn(f"braze-{name}"),
                "tags": {"braze:integration": "dashboard-export"},
            },
        )
    for exempt, stopped in (("first", "second"), ("second", "first")):
        deny = _deny({**REQUIRE_KMS, "ArnNotEquals": {"aws:PrincipalArn": _arn(f"braze-{exempt}")}})
        result = run(sse_kms.RULE, with_bucket_policy(stack, deny))
        assert names(result) == ["data-tls"] and f'"{stopped}-role"' in result.violations[0].message


def test_a_principal_whose_integration_nothing_shows_is_judged_as_writing_anywhere() -> None:
    """A role that trusts Braze and may write the whole bucket, no delete, no folder, no tag: neither
    integration shows; its writes may land anywhere, so a Deny on the bucket's objects reaches them."""
    stack = bucket_stack()
    grant = doc(bucket_statement(), objects_statement(["s3:PutObject", "s3:GetObject"], OBJECTS))
    role_with_policy(stack, "plain", grant, role_props={"name": "braze-plain", "arn": _arn("braze-plain")})
    result = run(sse_kms.RULE, with_bucket_policy(stack, _deny(REQUIRE_KMS)))
    assert names(result) == ["data-tls"] and '"plain-role"' in result.violations[0].message


def test_a_principal_that_does_not_reach_the_bucket_is_not_a_writer_of_it() -> None:
    """A second Braze role writes another bucket only: the Deny on this bucket is judged on this bucket's
    writer (exempted), not on the other role."""
    stack = _export()
    role_with_policy(
        stack,
        "elsewhere",
        export_policy_doc(bucket="acme-other"),
        role_props={"name": "braze-elsewhere", "tags": {"braze:integration": "dashboard-export"}},
    )
    deny = _deny({**REQUIRE_KMS, "ArnNotEquals": {"aws:PrincipalArn": _arn(EXPORT_ROLE)}})
    result = run(sse_kms.RULE, with_bucket_policy(stack, deny))
    assert result.violations == [] and result.notes == []


def test_on_the_bucket_alone_the_finding_names_no_writer() -> None:
    result = run(sse_kms.RULE, with_bucket_policy(bucket_stack(tags={"braze:bucket": BUCKET}), _deny(REQUIRE_KMS)))
    assert names(result) == ["data-tls"] and "takes in the writes of" not in result.violations[0].message
