"""`verify`'s bucket checks: the settings Braze depends on, read live with the caller's credentials."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from braze_s3_tools.verify.report import Report
from braze_s3_tools.verify.report import error_code as _code

ENCRYPTION_CHECK = "default encryption Braze can write through"


def _aws_managed_key(key: Any) -> bool:
    """No key id (S3 uses `aws/s3`) or the `aws/s3` alias."""
    return not key or str(key).endswith("alias/aws/s3")


class BucketChecks:
    """Mixed into `Verifier`: one bucket's region, Object Lock, encryption, public access block, ownership."""

    report: Report
    region: str
    read_only: bool
    endpoint_url: str | None

    def client(self, service: str) -> Any:
        raise NotImplementedError  # Verifier's

    def check_bucket(
        self, bucket: str, *, region: str | None = None, kms_key_arn: str | None = None, mode: str = "create"
    ) -> None:
        """The settings Braze depends on, read live: for a `reference` bucket (which this stack never
        changes) they are the only check there is."""
        s3 = self.client("s3")
        subject = f'bucket "{bucket}"' + (" (reference: not managed by this stack)" if mode == "reference" else "")
        expected_region = region or self.region
        try:
            location = s3.get_bucket_location(Bucket=bucket).get("LocationConstraint") or "us-east-1"
            self.report.add(
                subject,
                "region",
                location == expected_region,
                f"{location}" + ("" if location == expected_region else f", outputs say {expected_region}"),
            )
        except (ClientError, BotoCoreError) as error:
            self.report.add(
                subject,
                "readable by the caller",
                False,
                f"{_code(error)}: cannot read the bucket with the caller's credentials",
            )
            return
        try:
            lock = s3.get_object_lock_configuration(Bucket=bucket).get("ObjectLockConfiguration", {})
            enabled = lock.get("ObjectLockEnabled") == "Enabled"
            self.report.add(
                subject,
                "Object Lock off",
                not enabled,
                "Object Lock is enabled: Braze Currents cannot write to this bucket; a new bucket is needed"
                if enabled
                else "",
            )
        except ClientError as error:
            if _code(error) in ("ObjectLockConfigurationNotFoundError", "NoSuchObjectLockConfiguration"):
                self.report.add(subject, "Object Lock off", True)
            else:
                self.report.add(subject, "Object Lock off", None, f"{_code(error)}")
        try:
            rules = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
            self._check_encryption(
                subject, [r.get("ApplyServerSideEncryptionByDefault", {}) for r in rules], kms_key_arn
            )
        except ClientError as error:
            self.report.add(subject, ENCRYPTION_CHECK, None, _code(error))
        try:
            block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
            off = [
                k
                for k in ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")
                if not block.get(k)
            ]
            self.report.add(
                subject, "public access blocked (4 flags)", not off, f"off: {', '.join(off)}" if off else ""
            )
        except ClientError as error:
            self.report.add(
                subject, "public access blocked (4 flags)", False, f"{_code(error)}: no public access block"
            )
        try:
            rules = s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"]
            ownership = rules[0].get("ObjectOwnership") if rules else None
            self.report.add(subject, "BucketOwnerEnforced", ownership == "BucketOwnerEnforced", str(ownership))
        except ClientError as error:
            self.report.add(subject, "BucketOwnerEnforced", False, _code(error))

    def _check_encryption(self, subject: str, defaults: list[dict[str, Any]], granted_key: str | None = None) -> None:
        """SSE-S3 and the AWS managed key `aws/s3` let any principal of the account write; so does the
        customer managed key this stack grants (`kmsKeyArn`). Another customer managed key needs
        kms:GenerateDataKey and kms:Decrypt that this stack does not grant: the write probes tell."""
        customer = [
            d.get("KMSMasterKeyID")
            for d in defaults
            if str(d.get("SSEAlgorithm", "")).startswith("aws:kms")
            and not _aws_managed_key(d.get("KMSMasterKeyID"))
            and not (granted_key and d.get("KMSMasterKeyID") in (granted_key, granted_key.rsplit("/", 1)[-1]))
        ]
        shown = ", ".join(
            str(d.get("SSEAlgorithm")) + (f" ({d['KMSMasterKeyID']})" if d.get("KMSMasterKeyID") else "")
            for d in defaults
        )
        if not customer:
            self.report.add(subject, ENCRYPTION_CHECK, True, shown)
            return
        self.report.add(
            subject,
            ENCRYPTION_CHECK,
            None,
            f"{shown}: a customer managed key, which Braze's principals can use only if its key policy or their IAM "
            "policies grant kms:GenerateDataKey and kms:Decrypt"
            + (
                "; the write probes below exercise it with these credentials"
                if not self.read_only
                else "; not probed (read-only)"
            )
            + (" (an emulator does not enforce KMS)" if self.endpoint_url else ""),
        )
