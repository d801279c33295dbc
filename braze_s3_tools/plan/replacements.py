"""Which input changes make the provider replace a resource, for every type this program creates.

pulumi-aws is bridged from the Terraform AWS provider: its Diff reports a replacement for a
change of any attribute the Terraform schema marks `ForceNew: true` (pulumi-terraform-bridge,
`pkg/tfbridge/provider.go` `Provider.Diff`, from the schema's `RequiresNew`). Each entry below
names the file of hashicorp/terraform-provider-aws that holds the schema; the Pulumi name is the
camelCase of the Terraform attribute. An attribute not listed is updated in place — notably an
IAM **user's** `name` and `path` (`resourceUserUpdate` calls `UpdateUser` with `NewUserName` and
`NewPath`), where a **role's** `name` and `path` replace the role.

A type missing here is treated as replaced by any change, and a test fails until it is listed.
"""

from __future__ import annotations

from dataclasses import dataclass

_S3 = "internal/service/s3/"
_IAM = "internal/service/iam/"
# The standalone bucket configuration resources: each names its bucket (and optional owner) for good.
_BUCKET_CONFIG_KEYS = frozenset({"bucket", "expectedBucketOwner"})


@dataclass(frozen=True)
class Replacement:
    keys: frozenset[str]  # Pulumi input names whose change replaces the resource
    source: str  # the Terraform provider file whose schema marks them ForceNew


REPLACE_ON: dict[str, Replacement] = {
    "aws:iam/role:Role": Replacement(frozenset({"name", "namePrefix", "path"}), _IAM + "role.go"),
    "aws:iam/user:User": Replacement(frozenset(), _IAM + "user.go"),
    "aws:iam/policy:Policy": Replacement(frozenset({"name", "namePrefix", "path", "description"}), _IAM + "policy.go"),
    "aws:iam/accessKey:AccessKey": Replacement(frozenset({"user", "pgpKey"}), _IAM + "access_key.go"),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": Replacement(
        frozenset({"role", "policyArn"}), _IAM + "role_policy_attachment.go"
    ),
    "aws:iam/userPolicyAttachment:UserPolicyAttachment": Replacement(
        frozenset({"user", "policyArn"}), _IAM + "user_policy_attachment.go"
    ),
    "aws:s3/bucket:Bucket": Replacement(frozenset({"bucket", "bucketPrefix", "objectLockEnabled"}), _S3 + "bucket.go"),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": Replacement(
        frozenset({"bucket"}), _S3 + "bucket_public_access_block.go"
    ),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": Replacement(
        frozenset({"bucket"}), _S3 + "bucket_ownership_controls.go"
    ),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": Replacement(
        _BUCKET_CONFIG_KEYS, _S3 + "bucket_server_side_encryption_configuration.go"
    ),
    "aws:s3/bucketPolicy:BucketPolicy": Replacement(frozenset({"bucket"}), _S3 + "bucket_policy.go"),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": Replacement(
        _BUCKET_CONFIG_KEYS, _S3 + "bucket_lifecycle_configuration.go"
    ),
    "aws:s3/bucketVersioning:BucketVersioning": Replacement(_BUCKET_CONFIG_KEYS, _S3 + "bucket_versioning.go"),
    "aws:s3/bucketMetric:BucketMetric": Replacement(frozenset({"bucket", "name"}), _S3 + "bucket_metric.go"),
    "aws:cloudwatch/metricAlarm:MetricAlarm": Replacement(
        frozenset({"name"}), "internal/service/cloudwatch/metric_alarm.go"
    ),
    "aws:sns/topic:Topic": Replacement(frozenset({"name", "namePrefix", "fifoTopic"}), "internal/service/sns/topic.go"),
    "aws:sns/topicSubscription:TopicSubscription": Replacement(
        frozenset({"topic", "protocol", "endpoint"}), "internal/service/sns/topic_subscription.go"
    ),
}


def replaces(type_: str, changed: set[str]) -> set[str]:
    """The changed inputs that replace a resource of this type (all of them for an unknown type)."""
    known = REPLACE_ON.get(type_)
    return set(changed) if known is None else changed & known.keys
