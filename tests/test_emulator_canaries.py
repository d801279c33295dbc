"""Canaries on the emulator itself: does moto still behave like AWS on exactly what this project relies on?

The emulator tests (verify, verify-local) trust moto to evaluate IAM as AWS does for these requests.
When a moto release breaks one of them (5.2.6 checked listings against `s3:ListObjectsV2` instead of
`s3:ListBucket`), these fail first, with a message saying that the emulator is wrong, which version,
and that the project's policies are not — so the regression reads as what it is. The principals
here are built by hand, with the narrowest policies Braze's facts allow, independent of the program.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib.metadata import version
from typing import Any

import pytest
from botocore.exceptions import ClientError

from braze_s3_tools.emulator.server import MotoServer, client

pytestmark = pytest.mark.slow

REGION = "eu-west-1"
BUCKET = "canary-braze"
NEIGHBOUR = "canary-braze-other"  # shares the prefix: no grant of BUCKET may reach it
FOLDER = "currents"
EXTERNAL_ID = "canary-external-id"
MOTO = version("moto")


def emulator_wrong(what: str, aws: str) -> str:
    return (
        f"moto {MOTO} is wrong here, not this project: {what}. On AWS, {aws}. "
        "Pin moto to a release these canaries pass (requirements-dev.in excludes the known-bad ones, "
        "with the reason), and report it to moto."
    )


def _policy(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


BUCKET_LEVEL = {
    "Effect": "Allow",
    "Action": ["s3:ListBucket", "s3:GetBucketLocation"],
    "Resource": f"arn:aws:s3:::{BUCKET}",
}
CURRENTS_OBJECTS = {
    "Effect": "Allow",
    "Action": ["s3:PutObject", "s3:GetObject"],
    "Resource": f"arn:aws:s3:::{BUCKET}/{FOLDER}/*",
}
EXPORT_OBJECTS = {
    "Effect": "Allow",
    "Action": ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
    "Resource": f"arn:aws:s3:::{BUCKET}/*",
}


@pytest.fixture(scope="module")
def emulator() -> Iterator[dict[str, Any]]:
    with MotoServer() as server:
        s3 = client("s3", server.url, REGION)
        iam = client("iam", server.url, REGION)
        for name in (BUCKET, NEIGHBOUR):
            s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
        s3.put_object(Bucket=NEIGHBOUR, Key=f"{FOLDER}/kept.avro", Body=b"x")
        s3.put_object(Bucket=BUCKET, Key="segment-export/kept.zip", Body=b"x")
        credentials = {}
        for user, statements in {
            "currents": (BUCKET_LEVEL, CURRENTS_OBJECTS),
            "export": (BUCKET_LEVEL, EXPORT_OBJECTS),
            "admin": ({"Effect": "Allow", "Action": "*", "Resource": "*"},),
        }.items():
            arn = iam.create_user(UserName=f"canary-{user}")["User"]["Arn"]
            iam.put_user_policy(UserName=f"canary-{user}", PolicyName="p", PolicyDocument=_policy(*statements))
            key = iam.create_access_key(UserName=f"canary-{user}")["AccessKey"]
            credentials[user] = {
                "aws_access_key_id": key["AccessKeyId"],
                "aws_secret_access_key": key["SecretAccessKey"],
            }
            credentials[f"{user}-arn"] = arn
        trust = _policy(
            {
                "Effect": "Allow",
                "Principal": {"AWS": credentials["admin-arn"]},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"sts:ExternalId": EXTERNAL_ID}},
            }
        )
        role_arn = iam.create_role(RoleName="canary-currents-role", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
        iam.put_role_policy(
            RoleName="canary-currents-role", PolicyName="p", PolicyDocument=_policy(BUCKET_LEVEL, CURRENTS_OBJECTS)
        )
        server.enforce_iam()
        yield {"url": server.url, "credentials": credentials, "role_arn": role_arn}


def _s3(emulator: dict[str, Any], who: str) -> Any:
    return client("s3", emulator["url"], REGION, emulator["credentials"][who])


def _denied(call: Any, **kwargs: Any) -> bool:
    try:
        call(**kwargs)
    except ClientError as error:
        return error.response["Error"]["Code"] in {"AccessDenied", "AccessDeniedException", "403"}
    return False


def _allowed(call: Any, **kwargs: Any) -> str:
    """'' when the call succeeds, else the error code the emulator answered."""
    try:
        call(**kwargs)
    except ClientError as error:
        return str(error.response["Error"]["Code"])
    return ""


@pytest.mark.parametrize("listing", ["list_objects_v2", "list_objects"])
def test_listing_is_authorised_by_s3_list_bucket(emulator: dict[str, Any], listing: str) -> None:
    s3 = _s3(emulator, "currents")
    error = _allowed(getattr(s3, listing), Bucket=BUCKET, Prefix=f"{FOLDER}/")
    assert not error, emulator_wrong(
        f"{listing} by a principal holding s3:ListBucket on the bucket was refused ({error})",
        "ListObjects and ListObjectsV2 are authorised by the IAM action s3:ListBucket (there is no s3:ListObjectsV2 action)",
    )


def test_get_bucket_location_is_authorised(emulator: dict[str, Any]) -> None:
    error = _allowed(_s3(emulator, "currents").get_bucket_location, Bucket=BUCKET)
    assert not error, emulator_wrong(
        f"GetBucketLocation with s3:GetBucketLocation was refused ({error})", "it is allowed"
    )


@pytest.mark.parametrize("header", [{}, {"ServerSideEncryption": "AES256"}], ids=["no-header", "aes256-header"])
def test_put_and_get_in_the_folder_are_allowed(emulator: dict[str, Any], header: dict[str, str]) -> None:
    s3 = _s3(emulator, "currents")
    key = f"{FOLDER}/canary-{len(header)}.avro"
    error = _allowed(s3.put_object, Bucket=BUCKET, Key=key, Body=b"avro", **header)
    assert not error, emulator_wrong(
        f"PutObject under {FOLDER}/ with s3:PutObject on {BUCKET}/{FOLDER}/* was refused ({error}, header {header or 'none'})",
        "a write under the granted prefix succeeds with or without the x-amz-server-side-encryption: AES256 header",
    )
    error = _allowed(s3.get_object, Bucket=BUCKET, Key=key)
    assert not error, emulator_wrong(f"GetObject of the object just written was refused ({error})", "it is allowed")


def test_object_actions_are_scoped_to_the_granted_prefix(emulator: dict[str, Any]) -> None:
    s3 = _s3(emulator, "currents")
    assert _denied(s3.put_object, Bucket=BUCKET, Key="elsewhere/x.avro", Body=b"x"), emulator_wrong(
        "a write outside the granted prefix succeeded", f"s3:PutObject on {BUCKET}/{FOLDER}/* allows no other key"
    )
    assert _denied(s3.get_object, Bucket=BUCKET, Key="segment-export/kept.zip"), emulator_wrong(
        "a read outside the granted prefix succeeded", "a prefix-scoped s3:GetObject allows no other key"
    )
    assert _denied(s3.put_object, Bucket=NEIGHBOUR, Key=f"{FOLDER}/x.avro", Body=b"x"), emulator_wrong(
        "a write to another bucket whose name starts with the granted one succeeded",
        f"arn:aws:s3:::{BUCKET}/{FOLDER}/* does not match {NEIGHBOUR}",
    )


def test_delete_object_follows_the_grant(emulator: dict[str, Any]) -> None:
    currents, export = _s3(emulator, "currents"), _s3(emulator, "export")
    currents.put_object(Bucket=BUCKET, Key=f"{FOLDER}/to-delete.avro", Body=b"x")
    assert _denied(currents.delete_object, Bucket=BUCKET, Key=f"{FOLDER}/to-delete.avro"), emulator_wrong(
        "DeleteObject by a principal without s3:DeleteObject succeeded", "it is denied (Currents holds no delete)"
    )
    error = _allowed(export.delete_object, Bucket=BUCKET, Key=f"{FOLDER}/to-delete.avro")
    assert not error, emulator_wrong(
        f"DeleteObject with s3:DeleteObject on {BUCKET}/* was refused ({error})", "it is allowed"
    )


def test_assume_role_checks_string_equals_external_id(emulator: dict[str, Any]) -> None:
    sts = client("sts", emulator["url"], REGION, emulator["credentials"]["admin"])
    role = emulator["role_arn"]
    error = _allowed(sts.assume_role, RoleArn=role, RoleSessionName="braze", ExternalId=EXTERNAL_ID)
    assert not error, emulator_wrong(
        f"AssumeRole with the external id the trust's StringEquals names was refused ({error})", "it is allowed"
    )
    assert _denied(sts.assume_role, RoleArn=role, RoleSessionName="braze", ExternalId="another-id"), emulator_wrong(
        "AssumeRole with a wrong external id succeeded", "StringEquals sts:ExternalId refuses any other value"
    )
