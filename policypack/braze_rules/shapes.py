"""The resource types the pack reads, and every property it reads on each: one table.

Tokens and property names come from the providers' own SDKs — pulumi-aws 6 and 7 and
aws-native — and `tests/pack/test_provider_names.py` holds this table to them: a type or a
property that no provider defines is a check that can never fire, so it fails the tests.
Paths are dotted; a list element is read through its item type (`rules.sseAlgorithm`), and the
test holds each path to its own type's input classes, followed recursively (a name that exists
only on another type, or another level, fails).
"""

from __future__ import annotations

# Buckets. v7 renamed v6's BucketV2 to Bucket (and kept BucketV2 as an alias); v6's legacy Bucket
# and BucketV2 carry the configuration inline, v7 and aws-native in their own shapes.
BUCKET = "aws:s3/bucket:Bucket"
BUCKET_V2 = "aws:s3/bucketV2:BucketV2"
NATIVE_BUCKET = "aws-native:s3:Bucket"
BUCKETS = frozenset({BUCKET, BUCKET_V2, NATIVE_BUCKET})

LOCK_CONFIGS = frozenset(
    {
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",  # v7
        "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2",  # v6, v7
    }
)
SSE_CONFIGS = frozenset(
    {
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",  # v7
        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",  # v6, v7
    }
)
ACL_CONFIGS = frozenset(
    {
        "aws:s3/bucketAcl:BucketAcl",  # v7
        "aws:s3/bucketAclV2:BucketAclV2",  # v6, v7
    }
)
PUBLIC_ACCESS_BLOCKS = frozenset({"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"})
# The account's block applies to every bucket of the account (v6 and v7; aws-native has no such resource).
ACCOUNT_PUBLIC_ACCESS_BLOCKS = frozenset({"aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"})
BUCKET_POLICIES = frozenset({"aws:s3/bucketPolicy:BucketPolicy", "aws-native:s3:BucketPolicy"})
BUCKET_CHILDREN = LOCK_CONFIGS | SSE_CONFIGS | ACL_CONFIGS | PUBLIC_ACCESS_BLOCKS | BUCKET_POLICIES

# Principals and what gives them permissions.
ROLES = frozenset({"aws:iam/role:Role", "aws-native:iam:Role"})
USERS = frozenset({"aws:iam/user:User", "aws-native:iam:User"})
GROUPS = frozenset({"aws:iam/group:Group", "aws-native:iam:Group"})
PRINCIPALS = ROLES | USERS
MANAGED_POLICIES = frozenset({"aws:iam/policy:Policy", "aws-native:iam:ManagedPolicy"})
INLINE_POLICIES = frozenset(
    {
        "aws:iam/rolePolicy:RolePolicy",
        "aws:iam/userPolicy:UserPolicy",
        "aws:iam/groupPolicy:GroupPolicy",
        "aws-native:iam:RolePolicy",
        "aws-native:iam:UserPolicy",
        "aws-native:iam:GroupPolicy",
    }
)
# One managed policy to one principal (policyArn), or to several (PolicyAttachment's lists).
ATTACHMENTS = frozenset(
    {
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "aws:iam/userPolicyAttachment:UserPolicyAttachment",
        "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
        "aws:iam/policyAttachment:PolicyAttachment",
    }
)
# The exclusive forms: the complete list of managed policies of one principal (policyArns).
EXCLUSIVE_ATTACHMENTS = frozenset(
    {
        "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
        "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive",
        "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive",
    }
)
GROUP_MEMBERSHIPS = frozenset(
    {
        "aws:iam/groupMembership:GroupMembership",  # one group, its users
        "aws:iam/userGroupMembership:UserGroupMembership",  # one user, its groups
    }
)
ACCESS_KEYS = frozenset({"aws:iam/accessKey:AccessKey"})  # aws-native has no access key resource
KMS_KEYS = frozenset({"aws:kms/key:Key", "aws-native:kms:Key"})
KMS_KEY_POLICIES = frozenset({"aws:kms/keyPolicy:KeyPolicy"})

# Where each type keeps its default-encryption objects (`sseAlgorithm`, `kmsMasterKeyId`), by path: a
# list is transparent (every item is read). The same name is not the same place: BucketV2's rules are
# plural lists down to `applyServerSideEncryptionByDefaults` (v6 and v7), the legacy / v7 Bucket's
# singular objects. `bucket_settings` reads exactly these paths.
SSE_BY_DEFAULT: dict[str, tuple[str, ...]] = {
    BUCKET: ("serverSideEncryptionConfiguration.rule.applyServerSideEncryptionByDefault",),
    BUCKET_V2: ("serverSideEncryptionConfigurations.rules.applyServerSideEncryptionByDefaults",),
    NATIVE_BUCKET: ("bucketEncryption.serverSideEncryptionConfiguration.serverSideEncryptionByDefault",),
    **{t: ("rules.applyServerSideEncryptionByDefault",) for t in SSE_CONFIGS},
}
SSE_FIELDS = ("sseAlgorithm", "kmsMasterKeyId")


def _sse(token: str) -> tuple[str, ...]:
    return tuple(f"{path}.{name}" for path in SSE_BY_DEFAULT[token] for name in SSE_FIELDS)


_TAGGED = ("tags",)

# Every property path the pack reads, per type token.
READS: dict[str, tuple[str, ...]] = {
    BUCKET: (
        "bucket",
        "acl",
        "grants.uri",
        "grants.type",
        "policy",
        "objectLockEnabled",  # v7
        "objectLockConfiguration.objectLockEnabled",  # v6 legacy inline block
        *_sse(BUCKET),
        "forceDestroy",
        *_TAGGED,
    ),
    BUCKET_V2: (
        "bucket",
        "acl",
        "grants.uri",
        "grants.type",
        "policy",
        "objectLockEnabled",
        "objectLockConfiguration.objectLockEnabled",
        *_sse(BUCKET_V2),
        "forceDestroy",
        *_TAGGED,
    ),
    NATIVE_BUCKET: (
        "bucketName",
        "accessControl",
        "objectLockEnabled",
        "objectLockConfiguration.objectLockEnabled",
        "objectLockConfiguration.rule",
        *_sse(NATIVE_BUCKET),
        "publicAccessBlockConfiguration.blockPublicAcls",
        "publicAccessBlockConfiguration.blockPublicPolicy",
        "publicAccessBlockConfiguration.ignorePublicAcls",
        "publicAccessBlockConfiguration.restrictPublicBuckets",
        "tags.key",
        "tags.value",
    ),
    **{t: ("bucket", "rules", *_sse(t)) for t in SSE_CONFIGS},
    **{t: ("bucket", "objectLockEnabled", "rule") for t in LOCK_CONFIGS},
    **{t: ("bucket", "acl", "accessControlPolicy.grants.grantee.uri") for t in ACL_CONFIGS},
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": (
        "bucket",
        "blockPublicAcls",
        "blockPublicPolicy",
        "ignorePublicAcls",
        "restrictPublicBuckets",
    ),
    "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock": (
        "blockPublicAcls",
        "blockPublicPolicy",
        "ignorePublicAcls",
        "restrictPublicBuckets",
    ),
    "aws:s3/bucketPolicy:BucketPolicy": ("bucket", "policy"),
    "aws-native:s3:BucketPolicy": ("bucket", "policyDocument"),
    "aws:iam/role:Role": (
        "name",
        "namePrefix",
        "path",
        "arn",
        "assumeRolePolicy",
        "inlinePolicies.policy",
        "managedPolicyArns",
        *_TAGGED,
    ),
    "aws-native:iam:Role": (
        "roleName",
        "path",
        "arn",
        "assumeRolePolicyDocument",
        "policies.policyDocument",
        "managedPolicyArns",
        "tags.key",
        "tags.value",
    ),
    "aws:iam/user:User": ("name", "path", "arn", *_TAGGED),
    "aws-native:iam:User": (
        "userName",
        "path",
        "arn",
        "policies.policyDocument",
        "managedPolicyArns",
        "groups",
        "tags.key",
        "tags.value",
    ),
    "aws:iam/group:Group": ("name",),
    "aws-native:iam:Group": ("groupName", "policies.policyDocument", "managedPolicyArns"),
    "aws:iam/policy:Policy": ("policy", "arn", *_TAGGED),
    "aws-native:iam:ManagedPolicy": ("policyDocument", "policyArn", "roles", "users", "groups"),  # it has no tags
    "aws:iam/rolePolicy:RolePolicy": ("policy", "role"),
    "aws:iam/userPolicy:UserPolicy": ("policy", "user"),
    "aws:iam/groupPolicy:GroupPolicy": ("policy", "group"),
    "aws-native:iam:RolePolicy": ("policyDocument", "roleName"),
    "aws-native:iam:UserPolicy": ("policyDocument", "userName"),
    "aws-native:iam:GroupPolicy": ("policyDocument", "groupName"),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": ("policyArn", "role"),
    "aws:iam/userPolicyAttachment:UserPolicyAttachment": ("policyArn", "user"),
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": ("policyArn", "group"),
    "aws:iam/policyAttachment:PolicyAttachment": ("policyArn", "roles", "users", "groups"),
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive": ("policyArns", "roleName"),
    "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive": ("policyArns", "userName"),
    "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive": ("policyArns", "groupName"),
    "aws:iam/groupMembership:GroupMembership": ("group", "users"),
    "aws:iam/userGroupMembership:UserGroupMembership": ("user", "groups"),
    "aws:iam/accessKey:AccessKey": ("user", "status"),
    "aws:kms/key:Key": ("arn", "keyId", "policy"),
    "aws-native:kms:Key": ("arn", "keyId", "keyPolicy"),
    "aws:kms/keyPolicy:KeyPolicy": ("keyId", "policy"),
}
