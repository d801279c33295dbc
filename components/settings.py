"""The validated stack settings: what the program builds from, as plain frozen values.

`components.config` turns raw stack config into these; nothing here touches Pulumi.
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


@dataclass(frozen=True)
class BucketSettings:
    name: str
    protect: bool = False
    versioning: bool = False
    retain_on_delete: bool = True
    abort_incomplete_upload_days: int = 7
    noncurrent_version_expiration_days: int = 30
    expire_all_objects_days: int | None = None


@dataclass(frozen=True)
class CurrentsSettings:
    name: str
    folder_path: str  # normalised: no trailing slash
    auth: Auth
    sse: bool = False
    object_scope: Literal["folder", "bucket"] = "folder"
    lifecycle: DataLifecycle | None = None
    integration: Integration = CURRENTS


@dataclass(frozen=True)
class DashboardExportSettings:
    auth: Auth
    name: str = DASHBOARD_EXPORT
    integration: Integration = DASHBOARD_EXPORT


@dataclass(frozen=True)
class AlertSettings:
    """Freshness alarms: one per Currents connector, notifying a topic of the stack and/or a given one."""

    stale_after_hours: int
    emails: tuple[str, ...] = ()
    topic_arn: str | None = None


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

    def is_secret(self, *keys: str) -> bool:
        """Whether anything built from these top-level config keys must be a secret."""
        return any(key in self.secret_keys for key in keys)
