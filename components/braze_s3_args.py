"""The typed args of the `BrazeS3` component: generated from components/config/schema.py by
`python -m components.config.typed_args` (`make docs`); do not edit. Each field's string is its
description in the package schema."""

# No `from __future__ import annotations`: the SDK's analyzer reads real annotations.
from typing import NotRequired, TypedDict


class Transition(TypedDict):
    """The keys of braze-s3:currents[i].lifecycle.transitions[i] (docs/config.md)."""

    days: int
    """Days after creation."""

    storage_class: str
    """Target class; STANDARD_IA and ONEZONE_IA need at least 30 days. One of: STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING, GLACIER_IR, GLACIER, DEEP_ARCHIVE."""


class ConnectorLifecycle(TypedDict):
    """The keys of braze-s3:currents[i].lifecycle (docs/config.md)."""

    expiration_days: NotRequired[int]
    """Delete this connector's files this many days after creation."""

    transitions: NotRequired[list[Transition]]
    """Storage-class transitions {days, storageClass}, in increasing order of days, all before expirationDays, as S3 validates them: each class once, along STANDARD_IA → INTELLIGENT_TIERING → ONEZONE_IA → GLACIER_IR → GLACIER → DEEP_ARCHIVE (ONEZONE_IA not to GLACIER_IR), at least 30 days after a move to STANDARD_IA or ONEZONE_IA; at most 1,000 lifecycle rules per bucket."""


class BucketLifecycle(TypedDict):
    """The keys of braze-s3:bucket.lifecycle (docs/config.md)."""

    abort_incomplete_multipart_upload_days: NotRequired[int]
    """Abort multipart uploads left incomplete for this many days (always on). Default: 7."""

    noncurrent_version_expiration_days: NotRequired[int]
    """With versioning: true only: delete old versions after this many days. Default: 30."""

    expire_all_objects_days: NotRequired[int]
    """Opt-in: delete every object (dashboard exports and Currents files alike) this many days after creation. API exports have no download link and the bucket is their only copy: set it only on purpose."""


class CurrentsConnector(TypedDict):
    """The keys of braze-s3:currents[i] (docs/config.md)."""

    name: str
    """1–32 lowercase letters, digits and hyphens; unique. Names the connector's IAM resources and its outputs."""

    folder_path: NotRequired[str]
    """Braze's "Folder path". No leading /, no .. or . segment, no empty segment, only letters, digits, ., _, - per segment; a trailing / is dropped. Must differ from every other connector's folder and not lie inside (or contain) another, and may not be (or lie inside) Braze's own prefixes sent_messages (message archiving) and segment-export. Default: 'currents'."""

    auth: NotRequired[str]
    """How Braze authenticates: role (assume a role with an external id) or accessKey (an IAM user's key). One of: role, accessKey. Default: 'role'."""

    external_ids: NotRequired[list[str]]
    """auth: role only, required: the external id(s) shown on Braze's page of this integration; 2–1,224 of A-Z a-z 0-9 _+=,.@:/-; at most 5 (two while rotating)."""

    access_keys: NotRequired[list[str]]
    """auth: accessKey only, required: key generation labels (e.g. 2026-11, quoted in YAML); one IAM access key per label, at most 2 (IAM's limit). The last one listed is the one to type into Braze."""

    bucket: NotRequired[str]
    """The bucket it writes to: default (braze-s3:bucket) or a key of braze-s3:buckets. Default: 'default'."""

    sse: NotRequired[bool]
    """Whether you switch on Braze's "AES-256 server-side encryption at rest" toggle; exported as aes256Encryption. Default: False."""

    object_scope: NotRequired[str]
    """folder: Put/Get only on <bucket>/<folder>/*. bucket: Braze's published <bucket>/*, for when Braze's credential test writes outside the folder (Braze does not document where it writes). One of: folder, bucket. Default: 'folder'."""

    lifecycle: NotRequired[ConnectorLifecycle]
    """Lifecycle of this connector's files (prefix <folder>/; keys below)."""


class Bucket(TypedDict):
    """The keys of braze-s3:bucket (docs/config.md)."""

    name: str
    """The exact bucket name: 3–63 lowercase letters, digits and hyphens, starting and ending with a letter or digit, none of S3's reserved prefixes and suffixes. No dots for a bucket the stack creates or imports: a dotted name breaks TLS for virtual-hosted requests, and the bucket denies every request without TLS. A reference bucket (never changed) may have the single dots S3 allows."""

    protect: NotRequired[bool]
    """Pulumi protect: pulumi destroy and replacements of the bucket are refused. Set true in production. Default: False."""

    retain_on_delete: NotRequired[bool]
    """Pulumi retainOnDelete: when Pulumi deletes or replaces the bucket (e.g. after a name change), the old bucket and its files stay in AWS. Default: True."""

    versioning: NotRequired[bool]
    """S3 versioning. With it, noncurrent versions expire after lifecycle.noncurrentVersionExpirationDays. Default: False."""

    lifecycle: NotRequired[BucketLifecycle]
    """Bucket-wide lifecycle (keys below)."""

    mode: NotRequired[str]
    """create: a new bucket, hardened by this stack. import: adopt an existing bucket on the first pulumi up (Pulumi's import option), then manage it like a created one — its public access block, ownership, encryption, bucket policy and lifecycle are overwritten with this project's. reference: an existing bucket this stack never changes: only Braze's IAM principals are created, scoped to its name; make verify checks its settings live. A bucket with Object Lock on can be neither imported (the engine refuses the replacement it would need) nor used by Currents. One of: create, import, reference. Default: 'create'."""

    kms_key_arn: NotRequired[str]
    """A customer managed KMS key (arn:<partition>:kms:<region>:<account>:key/<id>, in the stack's region): the bucket's default encryption becomes SSE-KMS with it and S3 Bucket Keys, and each Braze principal of the bucket is granted kms:GenerateDataKey and kms:Decrypt on it (via S3 only), nothing on other keys. Its key policy must delegate to IAM (AWS's default) or name the principals. Refused with a Currents sse: true, whose AES-256 header would bypass the key. Empty: SSE-S3."""


class DashboardExport(TypedDict):
    """The keys of braze-s3:dashboardExport (docs/config.md)."""

    auth: NotRequired[str]
    """How Braze authenticates: role (assume a role with an external id) or accessKey (an IAM user's key). One of: role, accessKey. Default: 'role'."""

    external_ids: NotRequired[list[str]]
    """auth: role only, required: the external id(s) shown on Braze's page of this integration; 2–1,224 of A-Z a-z 0-9 _+=,.@:/-; at most 5 (two while rotating)."""

    access_keys: NotRequired[list[str]]
    """auth: accessKey only, required: key generation labels (e.g. 2026-11, quoted in YAML); one IAM access key per label, at most 2 (IAM's limit). The last one listed is the one to type into Braze."""

    bucket: NotRequired[str]
    """The bucket exports go to: default or a key of braze-s3:buckets — a separate bucket keeps message archiving's e-mail addresses and phone numbers (in key names) away from Currents principals. Default: 'default'."""


class Alerts(TypedDict):
    """The keys of braze-s3:alerts (docs/config.md)."""

    stale_after_hours: int
    """Alarm when no object arrived under a connector's folder for this many hours (S3 request metrics on the folder, summed per hour; no data counts as stale). CloudWatch evaluates at most 7 days of hourly periods. Currents writes every 5 minutes or 15,000 events and never writes empty files, so a quiet workspace needs a larger value."""

    email: NotRequired[list[str]]
    """E-mail addresses to notify: the stack creates an SNS topic and one subscription each (each address must confirm it)."""

    sns_topic_arn: NotRequired[str]
    """An existing SNS topic to notify (e.g. the on-call's), in the stack's account and region. Give it, email, or both."""


class BrazeS3Args(TypedDict):
    """Everything one Braze-on-S3 integration needs: the keys of the braze-s3 stack config."""

    braze_account_id: NotRequired[str]
    """Braze's AWS account id (12 digits, quoted in YAML), shown on Braze's Currents and Technology Partners pages. Required when any integration uses auth: role; empty means not set."""

    iam_path: NotRequired[str]
    """IAM path of every role, user and policy this project creates (starts and ends with /); lets SCPs and audits target them. Default: '/braze/'."""

    bucket: Bucket
    """The default bucket Braze writes to (its keys: docs/config.md); integrations without bucket use it."""

    buckets: NotRequired[dict[str, Bucket]]
    """Further buckets, by key (1–32 lowercase letters, digits and hyphens; not default), each with the keys of bucket; an integration picks one with its bucket key. Empty ({}): the default bucket only."""

    currents: NotRequired[list[CurrentsConnector]]
    """Currents connectors, each with its own folder and IAM principal (their keys: docs/config.md). Empty: no Currents."""

    dashboard_export: NotRequired[DashboardExport]
    """Dashboard data export: CSV exports, engagement reports, API exports (its keys: docs/config.md). Empty ({}): no dashboard export."""

    tags: NotRequired[dict[str, str]]
    """Extra tags on every taggable resource: string → string, letters and digits of any script, spaces and _ . : / = + - @ (IAM's and S3's tag characters). Keys must not start with aws: or braze: (reserved for the tag contract) and must differ in more than case (IAM compares a role's or user's tag keys without case); at most 40."""

    iam_name_prefix: NotRequired[str]
    """Prefix of every role, user and policy name (an enterprise naming scheme), e.g. acme-: names become <prefix><logical name>-<7 hex>, within IAM's 64 (role, user) and 128 (policy) characters. Set it before the first pulumi up: adding or changing it later replaces every role, user and access key, and Braze needs the new credentials. Empty: Pulumi's auto-names."""

    permissions_boundary: NotRequired[str]
    """ARN of an IAM managed policy set as the permissions boundary of every role and user this project creates (enterprise guard-rails); its own statements must still allow Braze's actions. Empty: none."""

    alerts: NotRequired[Alerts]
    """Opt-in freshness alarms, one per Currents connector (its keys: docs/config.md). Empty ({}): no alarms."""

    region: NotRequired[str]
    """The AWS region of the buckets (default: the program's aws:region config). It decides the partition."""
