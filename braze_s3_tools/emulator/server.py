"""A local S3/IAM stand-in: moto's server, and the dev stack's resources created in it.

`MotoServer` starts `moto_server` on a free loopback port and stops exactly the process it
started. `provision` creates in it what a program run describes — the bucket and its
settings, the roles, users, access keys and the program's *exact* policy documents — and
returns stack outputs shaped like `pulumi stack output --json --show-secrets`.

What moto does not do like AWS (see shared/pulumi-notes.md): conditions other than
`StringEquals sts:ExternalId`, cross-account trust, bucket policies in full (moto applies them to
object requests only and ignores their conditions — a conditional Deny would deny everything —
so only the statements without a condition are put on the emulated bucket, and every statement
is also judged from its document by `emulator.bucket_policy`), KMS, and the IAM policy simulator.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3

from braze_s3_tools import processes
from braze_s3_tools.engine.harness import ProgramRun, Registration, Secret

START_TIMEOUT_S = 30
ADMIN_USER = "braze-s3-verify-admin"
# moto accepts any credentials until IAM enforcement is switched on.
BOOTSTRAP_CREDENTIALS = {"aws_access_key_id": "bootstrap", "aws_secret_access_key": "bootstrap"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class MotoServer:
    """`moto_server` on 127.0.0.1; a context manager that stops only its own process."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        executable = Path(sys.executable).parent / "moto_server"
        self.process = subprocess.Popen(  # noqa: S603 - moto from this environment, loopback only
            [str(executable), "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.pid = self.process.pid
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/moto-api/data.json", timeout=2):  # noqa: S310 - our loopback server
                    break
            except (urllib.error.URLError, ConnectionError, OSError):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"moto_server did not start on {self.url}") from None
                time.sleep(0.1)

    def __enter__(self) -> MotoServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        processes.stop(self.process)

    def enforce_iam(self, on: bool = True) -> None:
        """Make moto check every request's identity policies (as AWS does), or stop checking."""
        request = urllib.request.Request(  # noqa: S310 - our loopback server
            f"{self.url}/moto-api/reset-auth",
            data=b"0" if on else b"inf",
            method="POST",
            headers={"Content-Type": "text/plain"},
        )
        with urllib.request.urlopen(request, timeout=5):  # noqa: S310 - our loopback server
            pass


@dataclass
class Provisioned:
    outputs: dict[str, Any]  # as `pulumi stack output --json --show-secrets` prints them
    admin: dict[str, str]  # credentials of an emulator principal allowed everything
    region: str
    policy_arns: dict[str, str] = field(default_factory=dict)  # program resource name -> ARN in moto
    role_arns: dict[str, str] = field(default_factory=dict)
    # role ARN -> a stand-in with the same permission policies and the same external-id condition,
    # whose trust names the emulator's admin instead of Braze: Braze's account cannot call the
    # emulator, so the stand-in exercises exactly the same permissions in its place.
    role_stand_ins: dict[str, str] = field(default_factory=dict)


def client(service: str, endpoint: str, region: str, credentials: dict[str, str] | None = None) -> Any:
    return boto3.client(service, endpoint_url=endpoint, region_name=region, **(credentials or BOOTSTRAP_CREDENTIALS))


def _camel_to_aws(value: Any) -> Any:
    """Pulumi's camelCase lifecycle inputs → the S3 API's PascalCase shapes."""
    renames = {"id": "ID", "sseAlgorithm": "SSEAlgorithm", "kmsMasterKeyId": "KMSMasterKeyID"}
    if isinstance(value, dict):
        return {renames.get(k, k[:1].upper() + k[1:]): _camel_to_aws(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_camel_to_aws(v) for v in value]
    if isinstance(value, float) and value.is_integer():  # protobuf Structs carry every number as a double
        return int(value)
    return value


def _physical_name(reg: Registration) -> str:
    name = reg.outputs.get("name")
    if not isinstance(name, str):
        raise ValueError(f"{reg.urn}: run the program with preview=False to get physical names")
    return name


def harden_as_its_owner_did(s3: Any, name: str) -> None:
    """A bucket that exists before the stack (mode: reference), well configured by its owner: all four public
    access block flags, BucketOwnerEnforced, default SSE-S3."""
    flags = ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")
    s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=dict.fromkeys(flags, True))
    s3.put_bucket_ownership_controls(
        Bucket=name, OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    )
    s3.put_bucket_encryption(
        Bucket=name,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
        },
    )


def _create_buckets(s3: Any, run: ProgramRun, region: str) -> None:
    """Each bucket the run manages, with its configuration resources; and each bucket it only
    references, as the well-configured bucket that already exists (tests then break it)."""
    for bucket_reg in run.by_type("aws:s3/bucket:Bucket"):
        inputs = bucket_reg.inputs
        _new_bucket(s3, inputs["bucket"], region, bool(inputs.get("objectLockEnabled")), inputs.get("tags") or {})
        _configure(s3, run, inputs["bucket"])
    buckets = run.outputs.get("buckets") or {}
    for bucket in (b for b in buckets.values() if b.get("mode") == "reference"):
        name = str(bucket["name"])
        _new_bucket(s3, name, region, False, {})
        harden_as_its_owner_did(s3, name)


def _new_bucket(s3: Any, bucket: str, region: str, object_lock: bool, tags: dict[str, str]) -> None:
    args: dict[str, Any] = {"Bucket": bucket, "ObjectLockEnabledForBucket": object_lock}
    if region != "us-east-1":
        args["CreateBucketConfiguration"] = {"LocationConstraint": region}
    s3.create_bucket(**args)
    if tags:
        s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": [{"Key": k, "Value": v} for k, v in tags.items()]})


def _configure(s3: Any, run: ProgramRun, bucket: str) -> None:
    """The run's configuration resources of this bucket, applied as the provider would."""
    for reg in run.resources:
        i = reg.inputs
        named = i.get("bucket")
        if (named.value if isinstance(named, Secret) else named) != bucket:
            continue
        if reg.type == "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":
            flags = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
            s3.put_public_access_block(
                Bucket=bucket, PublicAccessBlockConfiguration={f[:1].upper() + f[1:]: bool(i.get(f)) for f in flags}
            )
        elif reg.type == "aws:s3/bucketOwnershipControls:BucketOwnershipControls":
            s3.put_bucket_ownership_controls(
                Bucket=bucket, OwnershipControls={"Rules": [{"ObjectOwnership": i["rule"]["objectOwnership"]}]}
            )
        elif reg.type == "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration":
            s3.put_bucket_encryption(
                Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": _camel_to_aws(i["rules"])}
            )
        elif reg.type == "aws:s3/bucketVersioning:BucketVersioning":
            s3.put_bucket_versioning(
                Bucket=bucket, VersioningConfiguration={"Status": i["versioningConfiguration"]["status"]}
            )
        elif reg.type == "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration":
            s3.put_bucket_lifecycle_configuration(
                Bucket=bucket, LifecycleConfiguration={"Rules": _camel_to_aws(i["rules"])}
            )
        elif reg.type == "aws:s3/bucketPolicy:BucketPolicy":
            _put_unconditional_statements(s3, bucket, i["policy"])


def _put_unconditional_statements(s3: Any, bucket: str, policy: Any) -> None:
    """The bucket policy as far as moto applies it like AWS: its statements without a condition.

    moto evaluates a bucket policy on object requests only, and without the request's context,
    so a conditional Deny (the TLS-only one) would deny everything. The conditional statements
    are judged from the document instead (`verify_bucket_policy`)."""
    document = json.loads(policy) if isinstance(policy, str) else policy
    statements = document.get("Statement", [])
    kept = [st for st in (statements if isinstance(statements, list) else [statements]) if not st.get("Condition")]
    if kept:
        s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({**document, "Statement": kept}))


def _replace_values(value: Any, mapping: dict[str, str]) -> Any:
    if isinstance(value, Secret):
        return _replace_values(value.value, mapping)
    if isinstance(value, dict):
        return {k: _replace_values(v, mapping) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_values(v, mapping) for v in value]
    if isinstance(value, str):
        return mapping.get(value, value)
    return value


def provision(run: ProgramRun, endpoint: str, region: str) -> Provisioned:
    """Create what ``run`` (a `preview=False` run) describes; IAM enforcement must still be off."""
    iam = client("iam", endpoint, region)
    s3 = client("s3", endpoint, region)
    iam.create_user(UserName=ADMIN_USER)
    iam.put_user_policy(
        UserName=ADMIN_USER,
        PolicyName="all",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
        ),
    )
    key = iam.create_access_key(UserName=ADMIN_USER)["AccessKey"]
    admin = {"aws_access_key_id": key["AccessKeyId"], "aws_secret_access_key": key["SecretAccessKey"]}
    _create_buckets(s3, run, region)

    replacements: dict[str, str] = {}
    provisioned = Provisioned({}, admin, region)
    for reg in run.by_type("aws:iam/policy:Policy"):
        created = iam.create_policy(
            PolicyName=_physical_name(reg), Path=reg.inputs.get("path", "/"), PolicyDocument=reg.inputs["policy"]
        )
        provisioned.policy_arns[reg.name] = replacements[reg.outputs["arn"]] = created["Policy"]["Arn"]
    for reg in run.by_type("aws:iam/role:Role"):
        created = iam.create_role(
            RoleName=_physical_name(reg),
            Path=reg.inputs.get("path", "/"),
            AssumeRolePolicyDocument=reg.inputs["assumeRolePolicy"],
        )
        provisioned.role_arns[reg.name] = replacements[reg.outputs["arn"]] = created["Role"]["Arn"]
    for reg in run.by_type("aws:iam/user:User"):
        iam.create_user(UserName=_physical_name(reg), Path=reg.inputs.get("path", "/"))
    names = {r.urn: r for r in run.resources}
    for reg in run.resources:
        if reg.type.endswith("PolicyAttachment"):
            policy = names[reg.property_dependencies["policyArn"][0]]
            arn = provisioned.policy_arns[policy.name]
            if "role" in reg.property_dependencies:
                iam.attach_role_policy(
                    RoleName=_physical_name(names[reg.property_dependencies["role"][0]]), PolicyArn=arn
                )
            else:
                iam.attach_user_policy(
                    UserName=_physical_name(names[reg.property_dependencies["user"][0]]), PolicyArn=arn
                )
    _create_stand_ins(iam, provisioned)
    for reg in run.by_type("aws:iam/accessKey:AccessKey"):
        user = names[reg.property_dependencies["user"][0]]
        created = iam.create_access_key(UserName=_physical_name(user))["AccessKey"]
        replacements[reg.id] = created["AccessKeyId"]
        replacements[str(reg.outputs["secret"])] = created["SecretAccessKey"]
    provisioned.outputs = _replace_values(run.outputs, replacements)
    return provisioned


def _create_stand_ins(iam: Any, provisioned: Provisioned) -> None:
    # moto matches the trust principal against the caller's exact ARN (an account root does not match).
    admin_arn = iam.get_user(UserName=ADMIN_USER)["User"]["Arn"]
    for arn in provisioned.role_arns.values():
        name = arn.rsplit("/", 1)[-1]
        role = iam.get_role(RoleName=name)["Role"]
        trust = (
            json.loads(role["AssumeRolePolicyDocument"])
            if isinstance(role["AssumeRolePolicyDocument"], str)
            else role["AssumeRolePolicyDocument"]
        )
        for statement in trust["Statement"] if isinstance(trust["Statement"], list) else [trust["Statement"]]:
            statement["Principal"] = {"AWS": admin_arn}
        stand_in = iam.create_role(
            RoleName=f"{name[:50]}-stand-in", Path=role["Path"], AssumeRolePolicyDocument=json.dumps(trust)
        )["Role"]
        for attached in iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]:
            iam.attach_role_policy(RoleName=stand_in["RoleName"], PolicyArn=attached["PolicyArn"])
        provisioned.role_stand_ins[arn] = stand_in["Arn"]
