"""The stand-in `aws` provider's cloud side: its resources made, changed, read and deleted in an emulator.

The stand-in (`realcli.provider`) is a test double of AWS. With `BRAZE_S3_STANDIN_ENDPOINT` set (an S3/IAM/
STS/SNS/CloudWatch emulator — moto's server — e.g. `http://127.0.0.1:5000`), its Create, Update, Delete and
Read call this module, which does the real API calls through boto3 with the standard credential chain
(`AWS_ACCESS_KEY_ID`… of a principal of the emulator) for every type this program creates:

| type | module | in moto |
|---|---|---|
| `aws:s3/bucket:Bucket` and its public access block, ownership controls, versioning, default encryption, lifecycle, bucket policy | `aws_s3` | yes; a bucket policy's conditional statements are kept out of moto (see aws_s3) |
| `aws:s3/bucketMetric:BucketMetric` | `aws_s3` | **no API in moto**: outputs only |
| `aws:iam/role`, `user`, `policy`, `rolePolicyAttachment`, `userPolicyAttachment`, `accessKey` | `aws_iam` | yes |
| `aws:sns/topic`, `topicSubscription`, `aws:cloudwatch/metricAlarm` | `aws_alerts` | yes (no confirmation mail, no metrics) |

Per type: create(inputs, ctx) -> (id, outputs), update(id, olds, news, ctx) -> outputs, delete(id, outputs,
ctx), read(id, state, ctx) -> the state as the emulator has it, None when gone. `read_inputs` derives the
inputs the engine stores for a read resource (an `import`, a refresh): the old inputs where the emulator
agrees, the emulator's values where it does not — so an imported bucket's real settings reach the diff.

Why an environment variable of its own and not pulumi-aws's `aws:endpoints` provider config:
- the commands and the stack's config stay exactly the ones a deployment to AWS runs (README, "Deploying
  for real"); the emulator is a property of the environment, like the credentials, and never lands in the
  stack's config or state (a port that changes between runs would otherwise show as a provider change);
- honouring `aws:endpoints` would promise pulumi-aws's whole configuration surface against an emulator
  (per-service endpoint objects, `skipCredentialsValidation`, `skipRequestingAccountId`, `s3UsePathStyle`…),
  of which the stand-in would honour a part: a half-copy of pulumi-aws's config that reads like the real one;
- the variable means something to the stand-in only: no real provider reads it, so it can never send a
  real provider's calls somewhere unexpected (the e2e also gives the CLI the emulator's credentials only).

Values only AWS has that moto does not compute are not made up here: what is missing is said above and in
each module, and the provider marks an access key's `secret` as a secret output.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from braze_s3_tools.realcli.aws_alerts import ALARM_ARGS, alert_kinds
from braze_s3_tools.realcli.aws_common import ENDPOINT_ENV, BackendError, Ctx, ctx_from_env, same
from braze_s3_tools.realcli.aws_iam import iam_kinds
from braze_s3_tools.realcli.aws_s3 import PAB_FLAGS, config_kinds

__all__ = [
    "ENDPOINT_ENV",
    "KINDS",
    "NOT_IN_MOTO",
    "BackendError",
    "Ctx",
    "create",
    "ctx_from_env",
    "delete",
    "read",
    "read_inputs",
    "supported",
    "update",
]

KINDS: dict[str, tuple[Callable[..., Any], ...]] = {**config_kinds(), **iam_kinds(), **alert_kinds()}
# Types whose resources moto cannot hold: the stand-in keeps their outputs only (say so where reported).
NOT_IN_MOTO = {"aws:s3/bucketMetric:BucketMetric": "moto has no S3 request-metrics API"}

_BUCKET_CONFIG = ("bucket", "expectedBucketOwner")
# Each type's inputs (pulumi-aws names), to tell them from the outputs a read returns.
INPUTS: dict[str, tuple[str, ...]] = {
    "aws:s3/bucket:Bucket": ("bucket", "bucketPrefix", "forceDestroy", "objectLockEnabled", "tags"),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": ("bucket", *PAB_FLAGS, "skipDestroy"),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": ("bucket", "rule"),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": (
        *_BUCKET_CONFIG,
        "rules",
    ),
    "aws:s3/bucketVersioning:BucketVersioning": (*_BUCKET_CONFIG, "versioningConfiguration", "mfa"),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": (*_BUCKET_CONFIG, "rules"),
    "aws:s3/bucketPolicy:BucketPolicy": ("bucket", "policy"),
    "aws:s3/bucketMetric:BucketMetric": ("bucket", "name", "filter"),
    "aws:iam/role:Role": (
        "name",
        "namePrefix",
        "path",
        "description",
        "assumeRolePolicy",
        "maxSessionDuration",
        "permissionsBoundary",
        "forceDetachPolicies",
        "tags",
    ),
    "aws:iam/user:User": ("name", "path", "permissionsBoundary", "forceDestroy", "tags"),
    "aws:iam/policy:Policy": ("name", "namePrefix", "path", "description", "policy", "tags"),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": ("role", "policyArn"),
    "aws:iam/userPolicyAttachment:UserPolicyAttachment": ("user", "policyArn"),
    "aws:iam/accessKey:AccessKey": ("user", "status", "pgpKey"),
    "aws:sns/topic:Topic": ("name", "namePrefix", "tags"),
    "aws:sns/topicSubscription:TopicSubscription": ("topic", "protocol", "endpoint"),
    "aws:cloudwatch/metricAlarm:MetricAlarm": ("name", *ALARM_ARGS, "dimensions", "tags"),
}


def supported(type_: str) -> bool:
    return type_ in KINDS


def _call(type_: str, what: str, index: int, *args: Any) -> Any:
    kind = KINDS.get(type_)
    if kind is None:
        raise BackendError(f"the stand-in aws provider does not model {type_} in an emulator")
    try:
        return kind[index](*args)
    except ClientError as error:
        raise BackendError(f"{type_} {what}: the emulator refused it: {error}") from error
    except BotoCoreError as error:
        raise BackendError(f"{type_} {what}: the emulator could not be reached: {error}") from error


def create(type_: str, inputs: dict[str, Any], ctx: Ctx) -> tuple[str, dict[str, Any]]:
    id_, outputs = _call(type_, "create", 0, inputs, ctx)
    return str(id_), dict(outputs)


def update(type_: str, id_: str, olds: dict[str, Any], news: dict[str, Any], ctx: Ctx) -> dict[str, Any]:
    return dict(_call(type_, f"update of {id_}", 1, id_, olds, news, ctx))


def delete(type_: str, id_: str, outputs: dict[str, Any], ctx: Ctx) -> None:
    _call(type_, f"delete of {id_}", 2, id_, outputs, ctx)


def read(type_: str, id_: str, state: dict[str, Any], ctx: Ctx) -> dict[str, Any] | None:
    found = _call(type_, f"read of {id_}", 3, id_, state, ctx)
    return None if found is None else dict(found)


def read_inputs(type_: str, outputs: dict[str, Any], old_inputs: dict[str, Any]) -> dict[str, Any]:
    """The inputs of a read resource: the old ones where the emulator agrees, else what it holds.

    A refresh reads back the inputs the resource had (a setting the program never gave is a provider default,
    not drift); with no old inputs (an `import`), every input the emulator has a value for."""
    keys = INPUTS.get(type_, ())
    if not old_inputs:
        return {k: outputs[k] for k in keys if k in outputs and outputs[k] not in (None, "", {}, [])}
    inputs = dict(old_inputs)
    for key in keys:
        if key in old_inputs and key in outputs and not same(old_inputs[key], outputs[key]):
            inputs[key] = outputs[key]
    return inputs
