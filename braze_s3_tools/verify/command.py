"""`verify`: with these credentials, can each integration do what Braze does, and only within its folder?

    pulumi stack output --json --show-secrets | python -m braze_s3_tools.verify
    python -m braze_s3_tools.verify --outputs outputs.json [--endpoint-url URL] [--json]
    python -m braze_s3_tools.verify --stack prod          # runs `pulumi stack output` itself
    python -m braze_s3_tools.verify --stack prod --read-only --freshness 6   # a scheduled, read-only check

The bucket and the roles are read with the standard AWS credential chain (the caller);
each access-key integration is exercised with *its own* keys, as Braze does. Probe objects
are unmistakable (`<folder>/braze-s3-verify/<timestamp>-<uuid>`) and removed afterwards;
any that could not be removed is reported. No secret is ever printed.

Exit status: 0 every check passed; 1 a check failed; 2 the outputs could not be read.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TextIO

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from braze_s3_tools.engine.stack_files import PROJECT_ROOT
from braze_s3_tools.verify.bucket import BucketChecks
from braze_s3_tools.verify.freshness import check_freshness, check_key_status
from braze_s3_tools.verify.outputs import Integration, buckets_of, integrations_of, read_outputs
from braze_s3_tools.verify.report import Check, Report
from braze_s3_tools.verify.report import error_code as _code
from braze_s3_tools.verify.roles import BUCKET_SCOPE, PROBE_DIR, RoleChecks, outside_key
from components.naming import partition_of

sys.path.insert(0, str(PROJECT_ROOT / "policypack"))  # the pack's IAM reader, shared on purpose
from braze_rules import facts

# The public surface, re-exported: callers and tests import these from here.
__all__ = ["Check", "Integration", "Report", "Verifier", "integrations_of", "main", "read_outputs"]

PROPAGATION_ERRORS = {
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "AccessDenied",
    "InvalidClientTokenId",
    "UnrecognizedClientException",
}
EXIT_OK, EXIT_FAILED, EXIT_INPUT = 0, 1, 2


class Verifier(BucketChecks, RoleChecks):
    def __init__(
        self,
        outputs: dict[str, Any],
        *,
        endpoint_url: str | None,
        caller: boto3.Session,
        report: Report,
        propagation_timeout: float = 120.0,
        sleep: Callable[[float], None] = time.sleep,
        role_stand_ins: dict[str, str] | None = None,
        read_only: bool = False,
        freshness_hours: float | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.outputs = outputs
        self.endpoint_url = endpoint_url
        self.region = outputs.get("region") or caller.region_name or "us-east-1"
        # Every ARN this check builds is in the bucket's partition (arn:aws-cn:…, arn:aws-us-gov:…).
        self.partition = partition_of(self.region)
        self.caller = caller
        self.report = report
        self.propagation_timeout = propagation_timeout
        self.sleep = sleep
        # Emulators only: role ARN -> a stand-in role with the same permission policies that the
        # caller may assume, to exercise those permissions the way Braze will.
        self.role_stand_ins = role_stand_ins or {}
        # A scheduled job's role may only read: no probe is written, keys are checked through IAM.
        self.read_only = read_only
        self.freshness_hours = freshness_hours
        self.now = now
        self.config = Config(retries={"max_attempts": 2, "mode": "standard"})

    def client(self, service: str, session: boto3.Session | None = None) -> Any:
        return (session or self.caller).client(
            service, endpoint_url=self.endpoint_url, region_name=self.region, config=self.config
        )

    # --- access keys: what Braze does, with the integration's own keys --------------------------

    def _with_propagation(self, subject: str, action: Callable[[], Any]) -> Any:
        """Retry the first call with backoff while IAM propagates new credentials."""
        started, delay = time.monotonic(), 1.0
        while True:
            try:
                return action()
            except ClientError as error:
                waited = time.monotonic() - started
                if _code(error) not in PROPAGATION_ERRORS or waited + delay > self.propagation_timeout:
                    raise
                self.report.progress(
                    f"{subject}: {_code(error)}; waiting for IAM to propagate new credentials ({waited:.0f} s of {self.propagation_timeout:.0f} s)"
                )
                self.sleep(delay)
                delay = min(delay * 2, 10.0)

    def check_keys(self, it: Integration) -> None:
        if not it.keys:
            self.report.add(
                it.subject, "access keys in the outputs", False, "no accessKeys: read the outputs with --show-secrets"
            )
            return
        for generation, key in sorted(it.keys.items()):
            secret = key.get("secretAccessKey")
            if not isinstance(secret, str) or secret.startswith("["):
                self.report.add(
                    it.subject,
                    f"key {generation}",
                    False,
                    "the secret is missing: pipe `pulumi stack output --json --show-secrets`",
                )
                continue
            session = boto3.Session(
                aws_access_key_id=key["accessKeyId"], aws_secret_access_key=secret, region_name=self.region
            )
            if generation == it.active_key:
                self.braze_probe(it, session, f"key {generation}")
            else:
                self._location(it, session, f"key {generation} (not the one in Braze)")

    def _location(self, it: Integration, session: boto3.Session, label: str) -> bool:
        s3 = self.client("s3", session)
        try:
            self._with_propagation(f"{it.subject} {label}", lambda: s3.get_bucket_location(Bucket=it.bucket))
            return self.report.add(it.subject, f"{label}: GetBucketLocation", True)
        except (ClientError, BotoCoreError) as error:
            return self.report.add(
                it.subject,
                f"{label}: GetBucketLocation",
                False,
                f'{_code(error)}: Braze reports "S3 credentials are invalid"',
            )

    def braze_probe(self, it: Integration, session: boto3.Session, label: str) -> None:
        """GetBucketLocation, a listing, Put (with the AES256 header when SSE is on), Get, Delete (export)."""
        if not self._location(it, session, label):
            return
        s3 = self.client("s3", session)
        prefix = f"{it.folder}/" if it.folder else ""
        key = f"{prefix}{PROBE_DIR}/{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{uuid.uuid4()}"

        def read_back() -> bytes:
            body: bytes = s3.get_object(Bucket=it.bucket, Key=key)["Body"].read()
            return body

        steps: list[tuple[str, Callable[[], Any]]] = [
            ("ListObjectsV2", lambda: s3.list_objects_v2(Bucket=it.bucket, Prefix=prefix, MaxKeys=1)),
            (
                "PutObject" + (" with AES256" if it.aes256 else ""),
                lambda: s3.put_object(
                    Bucket=it.bucket,
                    Key=key,
                    Body=b"braze-s3 verify probe",
                    **({"ServerSideEncryption": "AES256"} if it.aes256 else {}),
                ),
            ),
            ("GetObject", read_back),
        ]
        put_ok = False
        for name, step in steps:
            if name == "GetObject" and not put_ok:
                self.report.add(it.subject, f"{label}: {name}", None, "nothing to read back: the write failed")
                continue
            try:
                step()
                self.report.add(it.subject, f"{label}: {name}", True, key if name.startswith("PutObject") else "")
                put_ok = put_ok or name.startswith("PutObject")
            except (ClientError, BotoCoreError) as error:
                self.report.add(
                    it.subject,
                    f"{label}: {name}",
                    False,
                    f"{_code(error)}: Braze needs it ({'error handling' if name == 'GetObject' else 'credential test'})",
                )
        if it.integration == facts.DASHBOARD_EXPORT:
            try:
                s3.delete_object(Bucket=it.bucket, Key=key)
                self.report.add(it.subject, f"{label}: DeleteObject", True)
                put_ok = False
            except (ClientError, BotoCoreError) as error:
                self.report.add(
                    it.subject, f"{label}: DeleteObject", False, f"{_code(error)}: dashboard export deletes its files"
                )
        else:
            self._expect_denied(it, s3, label)
        if put_ok:
            self._remove_probe(it.bucket, key)

    def _expect_denied(self, it: Integration, s3: Any, label: str) -> None:
        """Currents: a write outside its folder (unless objectScope is bucket), and a delete, must both be refused."""
        outside = outside_key()
        attempts: tuple[tuple[str, Callable[[], Any], str | None], ...] = (
            (
                "write outside its folder is denied",
                lambda: s3.put_object(Bucket=it.bucket, Key=outside, Body=b"x"),
                outside,
            ),
            (
                "DeleteObject is denied",
                lambda: s3.delete_object(Bucket=it.bucket, Key=f"{it.folder}/{PROBE_DIR}/never-there"),
                None,
            ),
        )
        if it.object_scope == "bucket":
            self.report.add(it.subject, f"{label}: write outside its folder is denied", None, BUCKET_SCOPE)
            attempts = attempts[1:]
        for name, action, cleanup in attempts:
            try:
                action()
                self.report.add(
                    it.subject,
                    f"{label}: {name}",
                    False,
                    "; ".join(
                        r
                        for r in ("it succeeded: the policy is broader than this connector's folder", it.scope_note)
                        if r
                    ),
                )
                if cleanup:
                    self._remove_probe(it.bucket, cleanup)
            except (ClientError, BotoCoreError) as error:
                code = _code(error)
                if code == "AccessDenied":
                    self.report.add(it.subject, f"{label}: {name}", True, code)
                else:
                    # Throttling, a 5xx, NoSuchBucket, a lost connection: the request never reached a
                    # decision on these credentials' permissions, so nothing is shown either way.
                    self.report.add(
                        it.subject,
                        f"{label}: {name}",
                        False,
                        f"could not tell: {code} is not a denial (only AccessDenied shows the policy refuses it); "
                        "run verify again",
                    )

    def _remove_probe(self, bucket: str, key: str) -> None:
        try:
            self.client("s3").delete_object(Bucket=bucket, Key=key)
        except (ClientError, BotoCoreError):
            self.report.leftover_probes.append(f"s3://{bucket}/{key}")

    def run(self) -> Report:
        for bucket in buckets_of(self.outputs):
            self.check_bucket(
                bucket["name"],
                region=bucket.get("region"),
                kms_key_arn=bucket.get("kmsKeyArn"),
                mode=bucket.get("mode", "create"),
            )
        for it in integrations_of(self.outputs):
            if it.integration == facts.CURRENTS and not it.folder:
                self.report.add(
                    it.subject,
                    "folderPath in the outputs",
                    False,
                    "none: the connector's folder scope cannot be checked",
                )
            if it.auth == "accessKey" and self.read_only:
                check_key_status(
                    self.report, self.client("iam"), it.subject, user=it.user_name, keys=it.keys, active=it.active_key
                )
            elif it.auth == "accessKey":
                self.check_keys(it)
            else:
                self.check_role(it)
            if self.freshness_hours is not None and it.integration == facts.CURRENTS and it.folder:
                check_freshness(
                    self.report,
                    self.client("s3"),
                    it.subject,
                    bucket=it.bucket,
                    folder=it.folder,
                    max_age_hours=self.freshness_hours,
                    now=self.now,
                )
        return self.report


def main(argv: list[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    parser = argparse.ArgumentParser(prog="verify", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--outputs", help='stack outputs JSON file, or "-" for stdin')
    parser.add_argument("--stack", help="run `pulumi stack output` for this stack")
    parser.add_argument("--endpoint-url", help="an S3/IAM emulator, e.g. http://127.0.0.1:5000")
    parser.add_argument("--json", action="store_true", help="print one JSON report")
    parser.add_argument(
        "--freshness",
        type=float,
        metavar="HOURS",
        help="also fail when a Currents connector's newest file is older than HOURS (needs s3:ListBucket only)",
    )
    parser.add_argument(
        "--read-only",
        action="store_true",
        help="write nothing: no probe objects; access keys checked through IAM (Active, last used), no secret needed",
    )
    parser.add_argument(
        "--propagation-timeout",
        type=float,
        default=120.0,
        help="seconds to wait for new credentials to work (default 120)",
    )
    args = parser.parse_args(argv)
    try:
        outputs = read_outputs(args.outputs, args.stack, show_secrets=not args.read_only)
    except (OSError, ValueError, subprocess.CalledProcessError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INPUT
    report = Report(out=None if args.json else out)
    if not args.json:
        print(f'Checking the Braze S3 setup of bucket "{outputs.get("bucketName")}"', file=out)
    Verifier(
        outputs,
        endpoint_url=args.endpoint_url,
        caller=boto3.Session(),
        report=report,
        propagation_timeout=args.propagation_timeout,
        read_only=args.read_only,
        freshness_hours=args.freshness,
    ).run()
    if args.json:
        print(json.dumps(report.as_json(), indent=2), file=out)
    else:
        print(f"Summary: {report.summary()}", file=out)
        print(
            "Checked: the bucket's settings, and what these credentials can do in S3 and IAM (under each "
            "connector's folder). Not checked: Braze's own \"Test credentials\" and that Braze can assume a role, "
            "which only Braze can run.",
            file=out,
        )
    return EXIT_OK if report.ok else EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
