"""Another team's Braze Currents bucket, written by hand: auto-named bucket, documents built from
`bucket.arn` (unknown at preview), an inline role policy. Config switches plant mistakes:

    handwritten:objectLock   true  -> Object Lock on the bucket
    handwritten:noExternalId true  -> trust without sts:ExternalId
    handwritten:kms          true  -> SSE-KMS default encryption with a customer managed key the role
                                      has no grant on (the default key policy delegates to IAM)
"""

import json

import pulumi
import pulumi_aws as aws

config = pulumi.Config()
BRAZE_ACCOUNT = "716373062512"

bucket = aws.s3.Bucket("events", object_lock_enabled=config.get_bool("objectLock") or None)
aws.s3.BucketPublicAccessBlock(
    "events-pab",
    bucket=bucket.id,
    block_public_acls=True,
    block_public_policy=True,
    ignore_public_acls=True,
    restrict_public_buckets=True,
)
key = aws.kms.Key("events-key", description="events") if config.get_bool("kms") else None
aws.s3.BucketServerSideEncryptionConfiguration(
    "events-sse",
    bucket=bucket.id,
    rules=[
        aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
            apply_server_side_encryption_by_default=aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                sse_algorithm="aws:kms" if key else "AES256", kms_master_key_id=key.arn if key else None
            )
        )
    ],
)
aws.s3.BucketPolicy(
    "events-tls",
    bucket=bucket.id,
    policy=bucket.arn.apply(
        lambda arn: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Deny",
                        "Principal": "*",
                        "Action": "s3:*",
                        "Resource": [arn, f"{arn}/*"],
                        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                    }
                ],
            }
        )
    ),
)
trust = {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{BRAZE_ACCOUNT}:root"}, "Action": "sts:AssumeRole"}
if not config.get_bool("noExternalId"):
    trust["Condition"] = {"StringEquals": {"sts:ExternalId": "3c1b2a90-7d6e-4f5a-8b9c-0d1e2f3a4b5c"}}
role = aws.iam.Role("braze-currents", assume_role_policy=json.dumps({"Version": "2012-10-17", "Statement": [trust]}))
aws.iam.RolePolicy(
    "braze-currents-s3",
    role=role.id,
    policy=bucket.arn.apply(
        lambda arn: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetBucketLocation"], "Resource": arn},
                    {"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject"], "Resource": f"{arn}/currents/*"},
                ],
            }
        )
    ),
)
pulumi.export("roleArn", role.arn)
pulumi.export("bucketName", bucket.bucket)
