"""`braze:s3:Bucket`: a bucket Braze writes to, locked down the way Braze can still use it.

`mode: create` makes it; `mode: import` adopts an existing bucket with Pulumi's `import` option on
the first `up` — the engine reads it, then updates it to this desired state, and refuses a
change that would replace it (`continueStepsFromImport` in pulumi/pulumi
pkg/resource/deploy/step_generator.go: "previously-imported resources that still specify an ID
may not be replaced"), which is what Object Lock on the existing bucket would need. Its
configuration resources are created, so they overwrite what the bucket had.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

import pulumi
from pulumi_aws import s3

from components import documents, tags
from components.secrecy import secret_if
from components.settings import DEFAULT_BUCKET, BucketSettings, CurrentsSettings

DEFAULT_COMPONENT = "braze-bucket"


@dataclass(frozen=True)
class BrazeBucketArgs:
    settings: BucketSettings
    partition: str
    currents: Sequence[CurrentsSettings] = ()  # the connectors writing to this bucket (their lifecycle rules)
    extra_tags: dict[str, str] = field(default_factory=dict)
    # Top-level config keys stored with --secret: what is built from them stays secret.
    secret_keys: frozenset[str] = frozenset()

    @property
    def config_key(self) -> str:
        """The top-level config key the bucket comes from."""
        return "bucket" if self.settings.key == DEFAULT_BUCKET else "buckets"

    def secret(self, *keys: str) -> bool:
        return any(key in self.secret_keys for key in keys)


def component_name(settings: BucketSettings) -> str:
    """The default bucket keeps the name it always had; a further bucket is named after its bucket
    name, never its config key, so renaming a key replaces nothing."""
    return DEFAULT_COMPONENT if settings.key == DEFAULT_BUCKET else f"braze-bucket-{settings.name}"


def default_encryption(settings: BucketSettings) -> s3.BucketServerSideEncryptionConfigurationRuleArgs:
    """SSE-S3, or SSE-KMS with the customer managed key and S3 Bucket Keys (fewer KMS calls)."""
    by_default = s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs
    if settings.kms_key_arn:
        return s3.BucketServerSideEncryptionConfigurationRuleArgs(
            apply_server_side_encryption_by_default=by_default(
                sse_algorithm="aws:kms", kms_master_key_id=settings.kms_key_arn
            ),
            bucket_key_enabled=True,
        )
    return s3.BucketServerSideEncryptionConfigurationRuleArgs(
        apply_server_side_encryption_by_default=by_default(sse_algorithm="AES256")
    )


def lifecycle_rules(args: BrazeBucketArgs) -> list[s3.BucketLifecycleConfigurationRuleArgs]:
    """Always abort stale multipart uploads; expire Currents data only where a connector asks.

    Nothing here expires dashboard-export files unless `expireAllObjectsDays` is set:
    API exports have no download link, the bucket is their only copy.
    """
    settings = args.settings
    rules = [
        s3.BucketLifecycleConfigurationRuleArgs(
            id="abort-incomplete-multipart-uploads",
            status="Enabled",
            filter=s3.BucketLifecycleConfigurationRuleFilterArgs(prefix=""),
            abort_incomplete_multipart_upload=s3.BucketLifecycleConfigurationRuleAbortIncompleteMultipartUploadArgs(
                days_after_initiation=settings.abort_incomplete_upload_days
            ),
        )
    ]
    if settings.versioning:
        rules.append(
            s3.BucketLifecycleConfigurationRuleArgs(
                id="expire-noncurrent-versions",
                status="Enabled",
                filter=s3.BucketLifecycleConfigurationRuleFilterArgs(prefix=""),
                noncurrent_version_expiration=s3.BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs(
                    noncurrent_days=settings.noncurrent_version_expiration_days
                ),
            )
        )
    for connector in args.currents:
        lifecycle = connector.lifecycle
        if lifecycle is None:
            continue
        rules.append(
            s3.BucketLifecycleConfigurationRuleArgs(
                id=f"currents-{connector.name}",
                status="Enabled",
                # The trailing slash keeps `currents` from also matching `currents-marketing/`.
                filter=s3.BucketLifecycleConfigurationRuleFilterArgs(prefix=f"{connector.folder_path}/"),
                expiration=(
                    s3.BucketLifecycleConfigurationRuleExpirationArgs(days=lifecycle.expiration_days)
                    if lifecycle.expiration_days is not None
                    else None
                ),
                transitions=[
                    s3.BucketLifecycleConfigurationRuleTransitionArgs(days=t.days, storage_class=t.storage_class)
                    for t in lifecycle.transitions
                ]
                or None,
            )
        )
    if settings.expire_all_objects_days is not None:
        rules.append(
            s3.BucketLifecycleConfigurationRuleArgs(
                id="expire-all-objects",
                status="Enabled",
                filter=s3.BucketLifecycleConfigurationRuleFilterArgs(prefix=""),
                expiration=s3.BucketLifecycleConfigurationRuleExpirationArgs(days=settings.expire_all_objects_days),
            )
        )
    return rules


class BrazeBucket(pulumi.ComponentResource):
    """The bucket and its settings: private, owner-enforced, SSE-S3, TLS-only, never Object Lock."""

    name: pulumi.Output[str]
    arn: pulumi.Output[str]
    region: pulumi.Output[str]

    def __init__(self, name: str, args: BrazeBucketArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("braze:s3:Bucket", name, None, opts)
        settings = args.settings

        # The bucket holds Braze's only copy of exports and of Currents data older than
        # Braze's 30 days: protect it from config, keep it in AWS even when Pulumi deletes or
        # replaces it (retain_on_delete), and never let S3 delete it with its objects.
        bucket = s3.Bucket(
            name,
            bucket=secret_if(args.secret(args.config_key), settings.name),
            force_destroy=False,
            object_lock_enabled=False,  # Braze Currents cannot write to an Object Lock bucket
            tags=secret_if(args.secret("tags"), tags.bucket_tags(args.extra_tags)),
            opts=pulumi.ResourceOptions(
                parent=self,
                protect=settings.protect,
                retain_on_delete=settings.retain_on_delete,
                import_=settings.name if settings.mode == "import" else None,
            ),
        )
        bucket_ref = bucket.bucket
        # A bucket kept by `pulumi destroy` (or left behind by a replacement) keeps its hardening: the public
        # access block, ownership controls, default encryption, TLS-only policy and versioning are retained with
        # it — deleting them would leave a bucket full of Braze's data open to ACLs and plain HTTP (found by the
        # real up/destroy on the emulator). Lifecycle rules are not: a kept bucket whose stack is gone must not
        # go on expiring the files it was kept for.
        kept = pulumi.ResourceOptions(parent=self, retain_on_delete=settings.retain_on_delete)
        public_access = s3.BucketPublicAccessBlock(
            f"{name}-public-access",
            bucket=bucket_ref,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=kept,
        )
        ownership = s3.BucketOwnershipControls(
            f"{name}-ownership",
            bucket=bucket_ref,
            rule=s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced"),
            opts=kept,
        )
        # SSE-S3, or the customer managed key, which each Braze principal of the bucket is granted.
        s3.BucketServerSideEncryptionConfiguration(
            f"{name}-encryption",
            bucket=bucket_ref,
            rules=[default_encryption(settings)],
            opts=kept,
        )
        # S3 rejects concurrent configuration calls on one bucket ("OperationAborted: A
        # conflicting conditional operation is in progress"): chain the policy behind the
        # public-access block and ownership controls.
        s3.BucketPolicy(
            f"{name}-tls-only",
            bucket=bucket_ref,
            policy=secret_if(
                args.secret(args.config_key),
                json.dumps(documents.tls_only_bucket_policy(args.partition, settings.name), indent=2),
            ),
            opts=pulumi.ResourceOptions.merge(kept, pulumi.ResourceOptions(depends_on=[public_access, ownership])),
        )
        lifecycle_deps: list[pulumi.Resource] = []
        if settings.versioning:
            lifecycle_deps.append(
                s3.BucketVersioning(
                    f"{name}-versioning",
                    bucket=bucket_ref,
                    versioning_configuration=s3.BucketVersioningVersioningConfigurationArgs(status="Enabled"),
                    opts=kept,
                )
            )
        s3.BucketLifecycleConfiguration(
            f"{name}-lifecycle",
            bucket=bucket_ref,
            # Connector rules name their folders: secret with the currents key.
            rules=secret_if(args.secret(args.config_key, "currents"), lifecycle_rules(args)),
            # Lifecycle rules on noncurrent versions need versioning applied first.
            opts=pulumi.ResourceOptions(parent=self, depends_on=lifecycle_deps),
        )

        self.name = bucket.bucket
        self.arn = bucket.arn
        self.region = bucket.region
        self.register_outputs({"name": self.name, "arn": self.arn, "region": self.region})
