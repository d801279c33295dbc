"""A foreign Pulumi program: an unrelated bucket, then one Braze resource, with the mistake the config names.

- object-lock: a bucket tagged for Braze's dashboard export with Object Lock on (Braze cannot write there);
- role-without-external-id: a role trusting Braze's AWS account with no sts:ExternalId condition;
- none: the same bucket and role, done right (the control: both are created).
"""

import json

import pulumi
import pulumi_aws as aws

BRAZE_ACCOUNT = "716373062512"
mistake = pulumi.Config().require("mistake")

# Created first, whatever the mistake: the stand-in provider's log shows the engine reaching it.
logs = aws.s3.Bucket("unrelated-logs", bucket="acme-unrelated-logs")

aws.s3.Bucket(
    "braze-exports",
    bucket="acme-braze-foreign-exports",
    object_lock_enabled=mistake == "object-lock",
    tags={"braze:integration": "dashboard-export"},
    opts=pulumi.ResourceOptions(depends_on=[logs]),
)

condition = (
    {}
    if mistake == "role-without-external-id"
    else {"Condition": {"StringEquals": {"sts:ExternalId": "0b8a7d52-94e1-4f0c-bb6e-2c3d4e5f6a70"}}}
)
aws.iam.Role(
    "braze-export-role",
    assume_role_policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{BRAZE_ACCOUNT}:root"},
                    "Action": "sts:AssumeRole",
                    **condition,
                }
            ],
        }
    ),
    tags={"braze:integration": "dashboard-export"},
    opts=pulumi.ResourceOptions(depends_on=[logs]),
)
