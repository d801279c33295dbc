"""braze-bucket-tls-only: a Braze bucket's policy denies requests that do not use TLS."""

from __future__ import annotations

from braze_rules import iam
from braze_rules.findings import RuleResult
from braze_rules.model import BrazeModel, bucket_policies
from braze_rules.resources import UNKNOWN
from braze_rules.rule import Rule

NAME = "braze-bucket-tls-only"


def _denies_plain_http(statement: iam.Statement, bucket: str) -> bool:
    if statement.allow or statement.effect != "Deny":
        return False
    values = iam.condition_values(statement.condition, "Bool", "aws:SecureTransport")
    if not isinstance(values, list) or "false" not in [v.lower() for v in values]:
        return False
    return (
        iam.statement_covers_action(statement, "s3:GetObject") is True
        and iam.statement_covers_s3(statement, bucket, "any-key") is True
    )


def check(model: BrazeModel) -> RuleResult:
    result = RuleResult()
    for bucket in model.braze_buckets():
        if bucket.res is None:
            continue
        policies = bucket_policies(bucket)
        if any(doc is UNKNOWN for _, doc, _ in policies):
            result.note(
                f"{NAME}: the bucket policy of {bucket.label()} is not known until deployment and was not checked."
            )
            continue
        name = bucket.name if isinstance(bucket.name, str) else None
        docs = [doc for _, doc, _ in policies if isinstance(doc, iam.Document)]
        if name is None:
            if docs:
                continue  # the policy names the bucket by its ARN, known only after deployment
            result.violation(
                f"{bucket.label()} has no bucket policy denying requests without TLS. Add a Deny with Condition Bool aws:SecureTransport false.",
                bucket.res.urn,
            )
            continue
        if not any(_denies_plain_http(s, name) for doc in docs for s in doc.statements):
            result.violation(
                f"{bucket.label()} has no bucket policy statement denying requests without TLS. Exports and events "
                "could be read or written in clear text by a misconfigured client. Add a Deny on s3:* for the bucket and "
                'its objects with "Condition": {"Bool": {"aws:SecureTransport": "false"}} (the braze-s3 program does).',
                bucket.res.urn,
            )
    return result


RULE = Rule(
    name=NAME,
    description="A Braze bucket has a bucket policy that denies any request made without TLS.",
    enforcement="advisory",
    severity="medium",
    remediation='Add a bucket-policy statement: Effect Deny, Principal "*", Action s3:*, Resource the bucket and bucket/*, Condition Bool aws:SecureTransport "false".',
    check=check,
)
