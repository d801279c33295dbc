"""An in-memory S3/IAM/STS for `verify`'s decisions: every answer and every error chosen by the test.

moto (tests/test_verify_emulator.py) shows that verify agrees with an implementation of AWS; these
fakes show each decision on the answers moto cannot give on demand (throttling, a 5xx, an Inactive
key, BucketOwnerPreferred, a trust with two statements) in milliseconds, which is also what makes
`make mutation` over verify affordable.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import boto3
from botocore.exceptions import ClientError

from braze_s3_tools.verify.command import Integration, Report, Verifier

BRAZE = "716373062512"
BUCKET = "acme-braze-dev"
REGION = "eu-west-1"
EXTERNAL_ID = "5f0c8e2a-1111-2222-3333-444455556666"
ROLE_ARN = "arn:aws:iam::123456789012:role/braze/currents-main-role-1a2b3c4"


def aws_error(code: str, operation: str = "Operation") -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": code}}, operation)


def trust(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def braze_trust_statement(ids: list[str] | None = None, principal: Any = None) -> dict[str, Any]:
    return {
        "Effect": "Allow",
        "Principal": principal if principal is not None else {"AWS": f"arn:aws:iam::{BRAZE}:root"},
        "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"sts:ExternalId": ids if ids is not None else [EXTERNAL_ID]}},
    }


def folder_policy(folder: str = "currents", *, delete: bool = False, bucket: str = BUCKET) -> dict[str, Any]:
    objects = ["s3:PutObject", "s3:GetObject", *(["s3:DeleteObject"] if delete else [])]
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["s3:ListBucket", "s3:GetBucketLocation"],
                "Resource": f"arn:aws:s3:::{bucket}",
            },
            {
                "Effect": "Allow",
                "Action": objects,
                "Resource": f"arn:aws:s3:::{bucket}/{folder + '/' if folder else ''}*",
            },
        ],
    }


@dataclass
class World:
    """One bucket and one account as the test wants them."""

    location: str | None = REGION
    lock: dict[str, Any] | Exception = field(default_factory=lambda: aws_error("ObjectLockConfigurationNotFoundError"))
    encryption: list[dict[str, Any]] | Exception = field(default_factory=lambda: [{"SSEAlgorithm": "AES256"}])
    public_access_block: dict[str, bool] | Exception = field(
        default_factory=lambda: dict.fromkeys(
            ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"), True
        )
    )
    ownership: list[dict[str, str]] | Exception = field(
        default_factory=lambda: [{"ObjectOwnership": "BucketOwnerEnforced"}]
    )
    objects: dict[str, tuple[bytes, datetime, dict[str, Any]]] = field(default_factory=dict)
    # who ("caller", an access key id, "ROLE") -> may it do (operation, key)? Everything by default.
    permissions: dict[str, Callable[[str, str | None], bool]] = field(default_factory=dict)
    # (who, operation) -> the error it raises; who "*" for everyone
    errors: dict[tuple[str, str], Exception] = field(default_factory=dict)
    # IAM
    role_trust: Any = field(default_factory=lambda: trust(braze_trust_statement()))
    attached: dict[str, dict[str, Any]] = field(default_factory=dict)  # policy ARN -> document
    inline: dict[str, dict[str, Any]] = field(default_factory=dict)
    simulator: list[dict[str, Any]] | Exception = field(default_factory=lambda: aws_error("AccessDenied"))
    access_keys: dict[str, str] = field(default_factory=dict)  # key id -> Active | Inactive
    last_used: dict[str, Any] | Exception = field(default_factory=dict)
    assumed: list[dict[str, Any]] = field(default_factory=list)
    calls: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    pages: int = 1000  # objects per listing page
    buckets: tuple[str, ...] = (BUCKET, "acme-exports")  # the names S3 knows
    users: tuple[str, ...] = ("u", "currents-marketing-user")  # the IAM users

    def check(self, who: str, operation: str, key: str | None = None) -> None:
        self.calls.append((who, operation, {"Key": key} if key else {}))
        if who.startswith("invalid:"):  # credentials AWS would not recognise (a wrong secret or token)
            raise aws_error("InvalidAccessKeyId", operation)
        for candidate in ((who, operation), ("*", operation)):
            if candidate in self.errors:
                raise self.errors[candidate]
        allowed = self.permissions.get(who)
        if allowed is not None and not allowed(operation, key):
            raise aws_error("AccessDenied", operation)

    def known_bucket(self, bucket: Any) -> None:
        if bucket not in self.buckets:
            raise aws_error("NoSuchBucket")

    def writes(self, who: str | None = None) -> list[str]:
        return [c[2]["Key"] for c in self.calls if c[1] == "PutObject" and (who is None or c[0] == who)]


def _answer(value: Any) -> Any:
    if isinstance(value, Exception):
        raise value
    return value


class FakeS3:
    def __init__(self, world: World, who: str) -> None:
        self.world, self.who = world, who

    def get_bucket_location(self, Bucket: str) -> dict[str, Any]:  # noqa: N803 - boto3's names
        self.world.known_bucket(Bucket)
        self.world.check(self.who, "GetBucketLocation")
        return {"LocationConstraint": self.world.location}

    def get_object_lock_configuration(self, Bucket: str) -> dict[str, Any]:  # noqa: N803
        self.world.known_bucket(Bucket)
        return {"ObjectLockConfiguration": _answer(self.world.lock)}

    def get_bucket_encryption(self, Bucket: str) -> dict[str, Any]:  # noqa: N803
        self.world.known_bucket(Bucket)
        defaults = _answer(self.world.encryption)
        return {
            "ServerSideEncryptionConfiguration": {
                "Rules": [{"ApplyServerSideEncryptionByDefault": d} for d in defaults]
            }
        }

    def get_public_access_block(self, Bucket: str) -> dict[str, Any]:  # noqa: N803
        self.world.known_bucket(Bucket)
        return {"PublicAccessBlockConfiguration": _answer(self.world.public_access_block)}

    def get_bucket_ownership_controls(self, Bucket: str) -> dict[str, Any]:  # noqa: N803
        self.world.known_bucket(Bucket)
        return {"OwnershipControls": {"Rules": _answer(self.world.ownership)}}

    def list_objects_v2(self, Bucket: str, Prefix: str = "", MaxKeys: int = 1000) -> dict[str, Any]:  # noqa: N803
        self.world.known_bucket(Bucket)
        self.world.check(self.who, "ListObjectsV2", Prefix)
        return {"Contents": [{"Key": k} for k in sorted(self.world.objects) if k.startswith(Prefix)][:MaxKeys]}

    def put_object(self, Bucket: str, Key: str, Body: bytes, **extra: Any) -> dict[str, Any]:  # noqa: N803
        self.world.known_bucket(Bucket)
        self.world.check(self.who, "PutObject", Key)
        self.world.calls[-1][2].update(extra)
        self.world.objects[Key] = (Body, datetime.now(UTC), extra)
        return {}

    def get_object(self, Bucket: str, Key: str) -> dict[str, Any]:  # noqa: N803
        self.world.known_bucket(Bucket)
        self.world.check(self.who, "GetObject", Key)
        if Key not in self.world.objects:
            raise aws_error("NoSuchKey", "GetObject")
        body = self.world.objects[Key][0]
        return {"Body": type("Body", (), {"read": lambda self: body})()}

    def delete_object(self, Bucket: str, Key: str) -> dict[str, Any]:  # noqa: N803
        self.world.known_bucket(Bucket)
        self.world.check(self.who, "DeleteObject", Key)
        self.world.objects.pop(Key, None)
        return {}

    def get_paginator(self, name: str) -> Any:
        assert name == "list_objects_v2"
        world, who = self.world, self.who

        class Paginator:
            def paginate(self, Bucket: str, Prefix: str) -> list[dict[str, Any]]:  # noqa: N803
                world.known_bucket(Bucket)
                world.check(who, "ListObjectsV2", Prefix)
                items = [
                    {"Key": k, "LastModified": v[1]} for k, v in reversed(world.objects.items()) if k.startswith(Prefix)
                ]
                return [{"Contents": items[i : i + world.pages]} for i in range(0, len(items), world.pages)] or [{}]

        return Paginator()


def _known_role(name: Any) -> None:
    if name != ROLE_ARN.rsplit("/", 1)[1]:
        raise aws_error("NoSuchEntity")


class FakeIAM:
    def __init__(self, world: World, who: str) -> None:
        self.world, self.who = world, who

    def get_role(self, RoleName: str) -> dict[str, Any]:  # noqa: N803
        self.world.check(self.who, "GetRole")
        if RoleName != ROLE_ARN.rsplit("/", 1)[1]:
            raise aws_error("NoSuchEntity", "GetRole")
        return {"Role": {"RoleName": RoleName, "AssumeRolePolicyDocument": self.world.role_trust}}

    def list_attached_role_policies(self, RoleName: str) -> dict[str, Any]:  # noqa: N803
        self.world.check(self.who, "ListAttachedRolePolicies")
        _known_role(RoleName)
        return {"AttachedPolicies": [{"PolicyArn": arn} for arn in self.world.attached]}

    def get_policy(self, PolicyArn: str) -> dict[str, Any]:  # noqa: N803
        if PolicyArn not in self.world.attached:
            raise aws_error("NoSuchEntity", "GetPolicy")
        return {"Policy": {"DefaultVersionId": "v3"}}

    def get_policy_version(self, PolicyArn: str, VersionId: str) -> dict[str, Any]:  # noqa: N803
        assert VersionId == "v3", "the default version, not another one"
        return {"PolicyVersion": {"Document": self.world.attached[PolicyArn]}}

    def list_role_policies(self, RoleName: str) -> dict[str, Any]:  # noqa: N803
        _known_role(RoleName)
        return {"PolicyNames": sorted(self.world.inline)}

    def get_role_policy(self, RoleName: str, PolicyName: str) -> dict[str, Any]:  # noqa: N803
        _known_role(RoleName)
        return {"PolicyDocument": json.dumps(self.world.inline[PolicyName])}

    def simulate_principal_policy(self, **request: Any) -> dict[str, Any]:
        self.world.calls.append((self.who, "SimulatePrincipalPolicy", request))
        return {"EvaluationResults": _answer(self.world.simulator)}

    def list_access_keys(self, UserName: str) -> dict[str, Any]:  # noqa: N803
        self.world.check(self.who, "ListAccessKeys")
        if UserName not in self.world.users:
            raise aws_error("NoSuchEntity", "ListAccessKeys")
        return {"AccessKeyMetadata": [{"AccessKeyId": k, "Status": s} for k, s in self.world.access_keys.items()]}

    def get_access_key_last_used(self, AccessKeyId: str) -> dict[str, Any]:  # noqa: N803
        if AccessKeyId not in self.world.access_keys:
            raise aws_error("NoSuchEntity", "GetAccessKeyLastUsed")
        return {"AccessKeyLastUsed": _answer(self.world.last_used)}


class FakeSTS:
    def __init__(self, world: World, who: str) -> None:
        self.world, self.who = world, who

    def assume_role(self, **request: Any) -> dict[str, Any]:
        self.world.check(self.who, "AssumeRole")
        self.world.assumed.append(request)
        return {"Credentials": {"AccessKeyId": "ROLE", "SecretAccessKey": "role-secret", "SessionToken": "t"}}


# The credentials AWS knows: access key id -> (secret, session token). Anything else is "invalid:".
KNOWN = {
    "caller": ("caller", None),
    "AKIAMARKETING2026110": ("marketing-secret", None),
    "AKIAOLD": ("old", None),
    "ROLE": ("role-secret", "t"),
}


def who_of(session: Any) -> str:
    if session is None:
        return "caller"
    credentials = session.get_credentials()
    if credentials is None:
        return "caller"
    key = credentials.access_key
    secret, token = KNOWN.get(key, (None, None))
    if secret is not None and (credentials.secret_key, getattr(credentials, "token", None)) != (secret, token):
        return f"invalid:{key}"
    return str(key)


def fake_client(world: World, service: str, session: Any = None) -> Any:
    kind = {"s3": FakeS3, "iam": FakeIAM, "sts": FakeSTS}[service]
    return kind(world, who_of(session))


def verifier(world: World, outputs: dict[str, Any] | None = None, **options: Any) -> Verifier:
    """A Verifier whose every AWS call goes to ``world``."""
    v = Verifier(
        outputs if outputs is not None else {"region": REGION},
        endpoint_url=options.pop("endpoint_url", None),
        caller=boto3.Session(region_name=REGION, aws_access_key_id="caller", aws_secret_access_key="caller"),  # noqa: S106
        report=options.pop("report", Report()),
        propagation_timeout=options.pop("propagation_timeout", 0.0),
        sleep=lambda _: None,
        **options,
    )
    v.client = lambda service, session=None: fake_client(world, service, session)  # type: ignore[method-assign]
    return v


# --- helpers the verify test modules share ---------------------------------------------------------------

KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def by_name(report: Report) -> dict[str, Any]:
    return {c.name: c for c in report.checks}


def failed(report: Report) -> list[str]:
    return [c.line() for c in report.checks if c.ok is False]


def in_folder(folder: str | None) -> Any:
    """The permissions of a policy scoped to ``folder``, without DeleteObject (a Currents connector)."""
    return lambda operation, key: operation != "DeleteObject" and (key is None or key.startswith(f"{folder}/"))


def good_role_world(**changes: Any) -> World:
    world = World(attached={"arn:aws:iam::123456789012:policy/braze/currents-main": folder_policy()})
    for key, value in changes.items():
        setattr(world, key, value)
    return world


KEY_ID, SECRET = "AKIAMARKETING2026110", "marketing-secret"
_COMMON = {"integration": "currents", "bucket": BUCKET, "aes256": False}


def key_integration(**changes: Any) -> Integration:
    """The Currents marketing connector, with an access key; ``changes`` replace its fields."""
    keys = {"2026-11": {"accessKeyId": KEY_ID, "secretAccessKey": SECRET}}
    defaults = {"subject": "currents marketing", "folder": "currents-marketing", "auth": "accessKey", "keys": keys}
    return Integration(**{**_COMMON, **defaults, "active_key": "2026-11", **changes})


def role_integration(**changes: Any) -> Integration:
    """The Currents main connector, with a role; ``changes`` replace its fields."""
    defaults = {"subject": "currents main", "folder": "currents", "auth": "role", "role_arn": ROLE_ARN}
    return Integration(**{**_COMMON, **defaults, "account_id": BRAZE, "external_ids": [EXTERNAL_ID], **changes})
