"""`verify` logic that needs no emulator: IAM propagation waits, input handling, output shapes."""

from __future__ import annotations

import io
import json
import shutil
import sys
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from braze_s3_tools.verify import command as verify
from braze_s3_tools.verify.command import Integration, Report, Verifier, integrations_of


def _error(code: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": code}}, "GetBucketLocation")


class FlakyS3:
    """GetBucketLocation fails like freshly created credentials do, then works."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls = 0

    def get_bucket_location(self, Bucket: str) -> dict[str, Any]:  # noqa: N803 - boto3's parameter name
        self.calls += 1
        if self.calls <= self.failures:
            raise _error("InvalidAccessKeyId")
        return {"LocationConstraint": "eu-west-1"}


def _verifier(s3: FlakyS3, timeout: float, sleeps: list[float]) -> tuple[Verifier, io.StringIO]:
    out = io.StringIO()
    v = Verifier(
        {"region": "eu-west-1"},
        endpoint_url=None,
        caller=boto3.Session(region_name="eu-west-1"),
        report=Report(out=out),
        propagation_timeout=timeout,
        sleep=sleeps.append,
    )
    v.client = lambda service, session=None: s3  # type: ignore[method-assign]
    return v, out


IT = Integration("currents marketing", "currents", "acme-braze-dev", "currents-marketing", "accessKey", False)


def test_new_credentials_are_retried_with_backoff_and_the_wait_is_said() -> None:
    sleeps: list[float] = []
    verifier, out = _verifier(FlakyS3(failures=3), timeout=60, sleeps=sleeps)
    assert verifier._location(IT, boto3.Session(region_name="eu-west-1"), "key 2026-11")
    assert sleeps == [1.0, 2.0, 4.0]
    assert out.getvalue().count("waiting for IAM to propagate new credentials") == 3


def test_the_wait_is_bounded_and_then_fails_with_brazes_words() -> None:
    sleeps: list[float] = []
    verifier, _ = _verifier(FlakyS3(failures=100), timeout=0.5, sleeps=sleeps)
    assert not verifier._location(IT, boto3.Session(region_name="eu-west-1"), "key 2026-11")
    assert sleeps == []
    assert "S3 credentials are invalid" in verifier.report.checks[-1].reason


def test_integrations_are_read_from_stack_outputs() -> None:
    outputs = {
        "bucketName": "b-1",
        "currents": {
            "main": {
                "integration": "currents",
                "authMethod": "role",
                "roleArn": "arn:aws:iam::1:role/r",
                "folderPath": "currents",
                "aes256Encryption": True,
                "externalIds": ["e1"],
                "brazeAccountId": "716373062512",
            }
        },
        "dashboardExport": {
            "integration": "dashboard-export",
            "authMethod": "accessKey",
            "accessKeys": {"g1": {"accessKeyId": "AKIA", "secretAccessKey": "s"}},
            "activeAccessKey": "g1",
        },
    }
    main, export = integrations_of(outputs)
    assert (main.subject, main.bucket, main.folder, main.aes256, main.external_ids) == (
        "currents main",
        "b-1",
        "currents",
        True,
        ["e1"],
    )
    assert (export.subject, export.auth, export.active_key, export.folder) == (
        "dashboard export",
        "accessKey",
        "g1",
        None,
    )


def test_outputs_without_secrets_fail_clearly_without_calling_aws() -> None:
    verifier, _ = _verifier(FlakyS3(0), timeout=1, sleeps=[])
    it = Integration(
        "currents marketing",
        "currents",
        "b-1",
        "c",
        "accessKey",
        False,
        keys={"g1": {"accessKeyId": "AKIA", "secretAccessKey": "[secret]"}},
        active_key="g1",
    )
    verifier.check_keys(it)
    assert "--show-secrets" in verifier.report.checks[-1].reason


def test_no_outputs_and_no_cli_exits_2(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(shutil, "which", lambda _: None)  # no `pulumi` on PATH
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    assert verify.main([]) == verify.EXIT_INPUT
    assert "no `pulumi` CLI found" in capsys.readouterr().err


def test_outputs_from_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps({"bucketName": "x-y-z"})))
    assert verify.read_outputs("-", None) == {"bucketName": "x-y-z"}


@pytest.mark.parametrize(("region", "partition"), [("cn-north-1", "aws-cn"), ("us-gov-west-1", "aws-us-gov")])
def test_policy_checks_build_arns_in_the_buckets_partition(region: str, partition: str) -> None:
    """A correct policy of a China or GovCloud bucket must not be reported as missing permissions."""
    from braze_rules import iam

    bucket = f"arn:{partition}:s3:::acme-braze-dev"
    doc = iam.parse_document(
        {
            "Statement": [
                {"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetBucketLocation"], "Resource": bucket},
                {"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject"], "Resource": f"{bucket}/currents/*"},
            ]
        }
    )
    assert isinstance(doc, iam.Document)
    report = Report()
    verifier = Verifier({"region": region}, endpoint_url=None, caller=boto3.Session(region_name=region), report=report)
    it = Integration("currents main", "currents", "acme-braze-dev", "currents", "role", False)
    verifier._check_permissions(it, doc.statements)
    assert [c.line() for c in report.checks if c.ok is False] == []
    assert {c.name for c in report.checks if c.ok} >= {
        "policy grants what Braze checks",
        "policy stays inside the folder",
    }


class FailsWith(FlakyS3):
    def __init__(self, code: str, failures: int) -> None:
        super().__init__(failures)
        self.code = code

    def get_bucket_location(self, Bucket: str) -> dict[str, Any]:  # noqa: N803 - boto3's parameter name
        self.calls += 1
        if self.calls <= self.failures:
            raise _error(self.code)
        return {"LocationConstraint": "eu-west-1"}


@pytest.mark.parametrize(
    "code",
    [
        "InvalidAccessKeyId",
        "SignatureDoesNotMatch",
        "AccessDenied",
        "InvalidClientTokenId",
        "UnrecognizedClientException",
    ],
)
def test_each_error_of_credentials_not_yet_propagated_is_waited_for(code: str) -> None:
    sleeps: list[float] = []
    verifier, out = _verifier(FailsWith(code, failures=1), timeout=60, sleeps=sleeps)
    assert verifier._location(IT, boto3.Session(region_name="eu-west-1"), "key 2026-11")
    assert sleeps == [1.0]
    assert (
        f"currents marketing key 2026-11: {code}; waiting for IAM to propagate new credentials (0 s of 60 s)"
        in out.getvalue()
    )


def test_another_error_is_not_waited_for() -> None:
    sleeps: list[float] = []
    verifier, _ = _verifier(FailsWith("NoSuchBucket", failures=1), timeout=60, sleeps=sleeps)
    assert not verifier._location(IT, boto3.Session(region_name="eu-west-1"), "key 2026-11")
    assert sleeps == []
    assert verifier.report.checks[-1].reason == 'NoSuchBucket: Braze reports "S3 credentials are invalid"'


def test_the_backoff_doubles_up_to_ten_seconds() -> None:
    sleeps: list[float] = []
    verifier, _ = _verifier(FlakyS3(failures=7), timeout=1000, sleeps=sleeps)
    assert verifier._location(IT, boto3.Session(region_name="eu-west-1"), "key 2026-11")
    assert sleeps == [1.0, 2.0, 4.0, 8.0, 10.0, 10.0, 10.0]


def test_clients_go_to_the_endpoint_and_region_with_two_attempts() -> None:
    caller = boto3.Session(region_name="us-west-2", aws_access_key_id="a", aws_secret_access_key="b")  # noqa: S106
    verifier = Verifier({"region": "eu-west-1"}, endpoint_url="http://127.0.0.1:9", caller=caller, report=Report())
    s3 = verifier.client("s3")
    assert (s3.meta.endpoint_url, s3.meta.region_name) == ("http://127.0.0.1:9", "eu-west-1")
    assert s3.meta.config.retries == {"mode": "standard", "total_max_attempts": 3}, "two retries: three attempts"
    assert s3._request_signer._credentials.access_key == "a"
    own = boto3.Session(aws_access_key_id="own", aws_secret_access_key="x", region_name="eu-west-1")  # noqa: S106
    assert verifier.client("iam", own)._request_signer._credentials.access_key == "own"
    assert Verifier({}, endpoint_url=None, caller=caller, report=Report()).region == "us-west-2"
    assert Verifier({}, endpoint_url=None, caller=boto3.Session(region_name=None), report=Report()).region in (
        "us-east-1",
        boto3.Session().region_name,
    )
