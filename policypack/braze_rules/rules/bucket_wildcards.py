"""braze-no-bucket-name-wildcards: no `name*` (other buckets) nor `name/` (an empty key) in a Braze policy."""

from __future__ import annotations

from collections.abc import Iterator

from braze_rules import iam
from braze_rules.findings import RuleResult
from braze_rules.model import BrazeModel, bucket_policies
from braze_rules.resources import Res
from braze_rules.rule import Rule

NAME = "braze-no-bucket-name-wildcards"


def _documents(model: BrazeModel) -> Iterator[tuple[Res, str, iam.Document]]:
    for policy in model.braze_policies():
        if isinstance(policy.doc, iam.Document):
            yield policy.res, policy.label(), policy.doc
    for bucket in model.braze_buckets():
        for res, doc, _ in bucket_policies(bucket):
            if isinstance(doc, iam.Document):
                yield res, res.label(), doc


def describe(pattern: str) -> str:
    """What a bucket-name pattern matches, in words, with examples that it does match."""
    inner = pattern.strip("*")
    literal = "*" not in inner and "?" not in inner and bool(inner)
    if literal and pattern == f"{inner}*":
        return f'every bucket whose name starts with "{inner}" ({inner}-prod, {inner}backup, …)'
    if literal and pattern == f"*{inner}":
        return f'every bucket whose name ends with "{inner}" (prod-{inner}, old{inner}, …)'
    if literal and pattern.startswith("*") and pattern.endswith("*"):
        return f'every bucket whose name contains "{inner}" ({inner}-prod, acme-{inner}-logs, …)'
    if set(pattern) <= {"*", "?"}:
        return "every bucket of the account" if "*" in pattern else f"every bucket with a {len(pattern)}-character name"
    return f'every bucket whose name matches "{pattern}" (a * stands for any characters, a ? for one)'


def check(model: BrazeModel) -> RuleResult:
    result = RuleResult()
    for res, label, doc in _documents(model):
        for statement in doc.statements:
            if not statement.allow or not isinstance(statement.resources, list):
                continue
            for arn in statement.resources:
                parsed = iam.s3_bucket_of(arn)
                if parsed is None:
                    continue
                bucket, key = parsed
                if bucket != "*" and ("*" in bucket or "?" in bucket):
                    result.violation(
                        f'{label} grants on "{arn}": the wildcard in the bucket name matches {describe(bucket)}, with '
                        "all the actions of the statement. "
                        f'Braze\'s published dashboard-export policy has this flaw. Use "arn:aws:s3:::<bucket>" for '
                        'bucket actions and "arn:aws:s3:::<bucket>/*" (or "<bucket>/<folder>/*") for objects.',
                        res.urn,
                    )
                elif key == "":
                    result.violation(
                        f'{label} grants on "{arn}", which matches only an object with an empty key: it grants nothing '
                        'Braze uses and hides a missing "/*". Use "arn:aws:s3:::<bucket>/*" or "<bucket>/<folder>/*".',
                        res.urn,
                    )
    return result


RULE = Rule(
    name=NAME,
    description="No Braze policy names an S3 resource with a wildcard in the bucket name (arn:aws:s3:::name*) or the empty key (arn:aws:s3:::name/).",
    enforcement="mandatory",
    severity="critical",
    remediation=(
        'Replace "arn:aws:s3:::BUCKET*" and "arn:aws:s3:::BUCKET/" with "arn:aws:s3:::BUCKET" (bucket actions) '
        'and "arn:aws:s3:::BUCKET/*" or "arn:aws:s3:::BUCKET/<folder>/*" (object actions).'
    ),
    check=check,
)
