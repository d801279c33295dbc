"""The validated stack settings: what the program builds from, as plain frozen values.

`components.config.stack` turns raw stack config into these; nothing here touches Pulumi.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

PROJECT = "braze-s3"

CURRENTS: Literal["currents"] = "currents"
DASHBOARD_EXPORT: Literal["dashboard-export"] = "dashboard-export"
Integration = Literal["currents", "dashboard-export"]


@dataclass(frozen=True)
class RoleAuth:
    """Braze assumes a role: trust Braze's account, require one of these external ids."""

    external_ids: tuple[str, ...]
    method: Literal["role"] = "role"


@dataclass(frozen=True)
class AccessKeyAuth:
    """Braze signs with an IAM user's access key; one key per generation label (≤ 2)."""

    generations: tuple[str, ...]
    method: Literal["accessKey"] = "accessKey"

    @property
    def active_generation(self) -> str:
        """The newest generation, the one to type into Braze: the last one listed."""
        return self.generations[-1]


Auth = RoleAuth | AccessKeyAuth


@dataclass(frozen=True)
class Transition:
    days: int
    storage_class: str


@dataclass(frozen=True)
class DataLifecycle:
    """Expiry and storage-class transitions of one connector's Currents files."""

    expiration_days: int | None = None
    transitions: tuple[Transition, ...] = ()


DEFAULT_BUCKET = "default"  # the key of `braze-s3:bucket` among the stack's buckets
BucketMode = Literal["create", "import", "reference"]


@dataclass(frozen=True)
class BucketSettings:
    """One bucket: `braze-s3:bucket` (key "default") or an entry of `braze-s3:buckets`."""

    name: str
    key: str = DEFAULT_BUCKET
    # create: a new bucket, hardened; import: adopt an existing bucket on the first `up`, then
    # harden it; reference: an existing bucket this stack never touches (IAM only).
    mode: BucketMode = "create"
    kms_key_arn: str | None = None  # a customer managed key: default SSE-KMS, granted to the bucket's principals
    protect: bool = False
    versioning: bool = False
    retain_on_delete: bool = True
    abort_incomplete_upload_days: int = 7
    noncurrent_version_expiration_days: int = 30
    expire_all_objects_days: int | None = None

    @property
    def managed(self) -> bool:
        """Whether this stack manages the bucket's settings (not a reference)."""
        return self.mode != "reference"

    @property
    def config_path(self) -> str:
        return "bucket" if self.key == DEFAULT_BUCKET else f"buckets.{self.key}"


@dataclass(frozen=True)
class CurrentsSettings:
    name: str
    folder_path: str  # normalised: no trailing slash
    auth: Auth
    sse: bool = False
    object_scope: Literal["folder", "bucket"] = "folder"
    lifecycle: DataLifecycle | None = None
    integration: Integration = CURRENTS
    bucket: str = DEFAULT_BUCKET  # the key of the bucket it writes to


@dataclass(frozen=True)
class DashboardExportSettings:
    auth: Auth
    name: str = DASHBOARD_EXPORT
    integration: Integration = DASHBOARD_EXPORT
    bucket: str = DEFAULT_BUCKET


@dataclass(frozen=True)
class AlertSettings:
    """Freshness alarms: one per Currents connector, notifying a topic of the stack and/or a given one."""

    stale_after_hours: int
    emails: tuple[str, ...] = ()
    topic_arn: str | None = None


@dataclass(frozen=True)
class StackContext:
    """What every integration's IAM resources take from the stack as a whole."""

    partition: str = "aws"
    region: str | None = None
    iam_path: str = "/braze/"
    braze_account_id: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    permissions_boundary: str | None = None
    iam_name_prefix: str | None = None
    secret_keys: frozenset[str] = frozenset()

    def is_secret(self, *keys: str) -> bool:
        """Whether anything built from these top-level config keys must be a secret."""
        return any(key in self.secret_keys for key in keys)


@dataclass(frozen=True)
class StackSettings:
    bucket: BucketSettings
    currents: tuple[CurrentsSettings, ...] = ()
    dashboard_export: DashboardExportSettings | None = None
    braze_account_id: str | None = None
    partition: str = "aws"
    iam_path: str = "/braze/"
    tags: dict[str, str] = field(default_factory=dict)
    alerts: AlertSettings | None = None
    region: str | None = None
    permissions_boundary: str | None = None  # a managed policy ARN, on every role and user
    iam_name_prefix: str | None = None  # explicit IAM names <prefix><logical>-<hash> instead of auto-names
    # Top-level config keys (without prefix) the user stored with --secret.
    secret_keys: frozenset[str] = frozenset()
    buckets: tuple[BucketSettings, ...] = ()  # `braze-s3:buckets`, beside the default bucket

    def is_secret(self, *keys: str) -> bool:
        """Whether anything built from these top-level config keys must be a secret."""
        return any(key in self.secret_keys for key in keys)

    @property
    def all_buckets(self) -> tuple[BucketSettings, ...]:
        return (self.bucket, *self.buckets)

    def bucket_for(self, key: str) -> BucketSettings:
        return next(b for b in self.all_buckets if b.key == key)

    def connectors_on(self, bucket: BucketSettings) -> tuple[CurrentsSettings, ...]:
        return tuple(c for c in self.currents if c.bucket == bucket.key)

    @property
    def context(self) -> StackContext:
        return StackContext(
            partition=self.partition,
            region=self.region,
            iam_path=self.iam_path,
            braze_account_id=self.braze_account_id,
            tags=self.tags,
            permissions_boundary=self.permissions_boundary,
            iam_name_prefix=self.iam_name_prefix,
            secret_keys=self.secret_keys,
        )
