"""IAM and bucket-policy documents, as plain dicts: pure, so every statement is testable.

The action sets are Braze's (see ../shared/braze-s3-facts.md): both integrations need
ListBucket + GetBucketLocation on the bucket; Currents needs Put + Get on its objects
(GetObject serves Braze's error handling); dashboard export also needs DeleteObject.
The policy pack keeps its own copy of these sets; tests hold the two equal.
"""

from __future__ import annotations

from typing import Any, Literal

Document = dict[str, Any]

VERSION = "2012-10-17"
BUCKET_ACTIONS = ("s3:ListBucket", "s3:GetBucketLocation")
CURRENTS_OBJECT_ACTIONS = ("s3:PutObject", "s3:GetObject")
DASHBOARD_EXPORT_OBJECT_ACTIONS = ("s3:PutObject", "s3:GetObject", "s3:DeleteObject")


def bucket_arn(partition: str, bucket: str) -> str:
    return f"arn:{partition}:s3:::{bucket}"


def objects_arn(partition: str, bucket: str, folder: str | None = None) -> str:
    """Objects of the bucket, or only those under ``folder/`` — never ``bucket*`` or ``bucket/``."""
    prefix = f"{folder}/" if folder else ""
    return f"{bucket_arn(partition, bucket)}/{prefix}*"


def _bucket_statement(partition: str, bucket: str) -> Document:
    return {
        "Sid": "BrazeBucketLevel",
        "Effect": "Allow",
        "Action": list(BUCKET_ACTIONS),
        "Resource": bucket_arn(partition, bucket),
    }


# What writing and reading an object encrypted with a customer managed key needs (AWS's
# semantics, inferred for Braze: see ../shared/braze-s3-facts.md): GenerateDataKey to write,
# Decrypt to read back and for multipart uploads. Nothing else, and only through S3.
KMS_ACTIONS = ("kms:GenerateDataKey", "kms:Decrypt")


def kms_statement(key_arn: str, region: str | None) -> Document:
    """The key of a KMS-encrypted bucket, usable only by S3 on this principal's behalf (in the key's region)."""
    statement: Document = {"Sid": "BrazeBucketKey", "Effect": "Allow", "Action": list(KMS_ACTIONS), "Resource": key_arn}
    key_region = key_arn.split(":")[3]
    statement["Condition"] = {"StringEquals": {"kms:ViaService": f"s3.{region or key_region}.amazonaws.com"}}
    return statement


def currents_policy(
    partition: str,
    bucket: str,
    folder: str,
    scope: Literal["folder", "bucket"] = "folder",
    *,
    kms_key_arn: str | None = None,
    region: str | None = None,
) -> Document:
    """What one Currents connector may do: write and read back Avro files under its folder."""
    statements = [
        _bucket_statement(partition, bucket),
        {
            "Sid": "BrazeCurrentsObjects",
            "Effect": "Allow",
            "Action": list(CURRENTS_OBJECT_ACTIONS),
            "Resource": objects_arn(partition, bucket, folder if scope == "folder" else None),
        },
    ]
    if kms_key_arn:
        statements.append(kms_statement(kms_key_arn, region))
    return {"Version": VERSION, "Statement": statements}


def dashboard_export_policy(
    partition: str, bucket: str, *, kms_key_arn: str | None = None, region: str | None = None
) -> Document:
    """What dashboard export may do: its files have no common prefix, so the whole bucket."""
    statements = [
        _bucket_statement(partition, bucket),
        {
            "Sid": "BrazeDashboardExportObjects",
            "Effect": "Allow",
            "Action": list(DASHBOARD_EXPORT_OBJECT_ACTIONS),
            "Resource": objects_arn(partition, bucket),
        },
    ]
    if kms_key_arn:
        statements.append(kms_statement(kms_key_arn, region))
    return {"Version": VERSION, "Statement": statements}


def braze_trust_policy(partition: str, account_id: str, external_ids: tuple[str, ...]) -> Document:
    """Trust Braze's account only, and only with one of the external ids Braze shows.

    `StringEquals` (never `StringLike`) so an id is matched exactly; a list of ids lets
    an external id be rotated without a gap.
    """
    ids: str | list[str] = external_ids[0] if len(external_ids) == 1 else list(external_ids)
    return {
        "Version": VERSION,
        "Statement": [
            {
                "Sid": "BrazeAssumeRole",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:{partition}:iam::{account_id}:root"},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"sts:ExternalId": ids}},
            }
        ],
    }


def tls_only_bucket_policy(partition: str, bucket: str) -> Document:
    """Deny every request to the bucket or its objects that does not use TLS."""
    return {
        "Version": VERSION,
        "Statement": [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [bucket_arn(partition, bucket), objects_arn(partition, bucket)],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ],
    }
