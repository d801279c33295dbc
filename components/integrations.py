"""`braze:s3:CurrentsConnector` and `braze:s3:DashboardExport`: one component per integration.

Both take an `*Args` dataclass: the integration's settings, the bucket it writes to
(`BucketRef`) and the stack's `StackContext`; both are built by `_IntegrationComponent`, which
creates the IAM side (`build_access`) and exposes typed outputs — `policy_arn`, `role_arn` or
`user_name` and `access_key_ids` — besides the `outputs` dict the stack exports.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi

from components import documents
from components.access import AccessArgs, AccessOutputs, build_access
from components.alerts import freshness_alarm
from components.secrecy import secret_if
from components.settings import (
    DEFAULT_BUCKET,
    AccessKeyAuth,
    AlertSettings,
    Auth,
    BucketSettings,
    CurrentsSettings,
    DashboardExportSettings,
    StackContext,
)


@dataclass(frozen=True)
class BucketRef:
    """The bucket an integration writes to: its settings and its name as an output."""

    settings: BucketSettings
    name: pulumi.Input[str]  # secret when its config key is

    @property
    def config_key(self) -> str:
        return "bucket" if self.settings.key == DEFAULT_BUCKET else "buckets"


@dataclass(frozen=True)
class CurrentsConnectorArgs:
    connector: CurrentsSettings
    bucket: BucketRef
    context: StackContext
    alerts: AlertSettings | None = None
    alert_topics: tuple[pulumi.Input[str], ...] = ()


@dataclass(frozen=True)
class DashboardExportArgs:
    export: DashboardExportSettings
    bucket: BucketRef
    context: StackContext


class _IntegrationComponent(pulumi.ComponentResource):
    """What both integrations share: their IAM principal and policy, and the outputs Braze needs."""

    outputs: dict[str, Any]
    secret_outputs: dict[str, pulumi.Output[str]]  # top-level stack outputs: one per access key secret
    policy_arn: pulumi.Output[str]
    role_arn: pulumi.Output[str] | None
    user_name: pulumi.Output[str] | None
    access_key_ids: dict[str, pulumi.Output[str]]  # generation → access key id

    def _build(
        self,
        name: str,
        *,
        settings: CurrentsSettings | DashboardExportSettings,
        bucket: BucketRef,
        context: StackContext,
        config_key: str,
        policy_document: documents.Document,
        folder_path: str | None = None,
    ) -> AccessOutputs:
        access = build_access(
            self,
            name,
            AccessArgs(
                integration=settings.integration,
                connector=settings.name,
                auth=settings.auth,
                policy_document=policy_document,
                context=context,
                folder_path=folder_path,
                config_key=config_key,
                bucket_config_key=bucket.config_key,
            ),
        )
        self.policy_arn = access.policy_arn
        self.role_arn = access.role_arn
        self.user_name = access.user_name
        self.access_key_ids = {g: k["accessKeyId"] for g, k in access.access_keys.items()}
        self.secret_outputs = access.secret_outputs
        return access

    def _finish(self, outputs: dict[str, Any]) -> None:
        self.outputs = outputs
        self.register_outputs(outputs)


class CurrentsConnector(_IntegrationComponent):
    """One Currents connector: its own principal, and a policy scoped to its own folder."""

    def __init__(self, name: str, args: CurrentsConnectorArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("braze:s3:CurrentsConnector", name, None, opts)
        connector, bucket, context = args.connector, args.bucket, args.context
        document = documents.currents_policy(
            context.partition,
            bucket.settings.name,
            connector.folder_path,
            connector.object_scope,
            kms_key_arn=bucket.settings.kms_key_arn,
            region=context.region,
        )
        access = self._build(
            name,
            settings=connector,
            bucket=bucket,
            context=context,
            config_key="currents",
            policy_document=document,
            folder_path=connector.folder_path,
        )
        secret = context.is_secret("currents")
        outputs: dict[str, Any] = {
            "integration": connector.integration,
            "connector": secret_if(secret, connector.name),
            "bucketName": bucket.name,
            "folderPath": secret_if(secret, connector.folder_path),
            # folder (Put/Get only under the folder) or bucket (Braze's published <bucket>/*): verify reads it.
            "objectScope": secret_if(secret, connector.object_scope),
            "authMethod": secret_if(secret, connector.auth.method),
            # Braze's "AES-256 server-side encryption at rest" toggle.
            "aes256Encryption": secret_if(secret, connector.sse),
            **_auth_outputs(connector.auth, context, "currents"),
            **access.as_dict(),
        }
        # An alarm needs a metrics configuration on the bucket: never on a bucket this stack only references.
        if args.alerts is not None and bucket.settings.managed:
            outputs["freshnessAlarm"] = freshness_alarm(
                self,
                name,
                connector=connector,
                bucket_name=bucket.settings.name,
                bucket_ref=bucket.name,
                alerts=args.alerts,
                topic_arns=list(args.alert_topics),
                extra_tags=context.tags,
                secret=context.is_secret(bucket.config_key, "currents"),
            )
        self._finish(outputs)


class DashboardExport(_IntegrationComponent):
    """Dashboard data export: its own principal and policy, never shared with Currents."""

    def __init__(self, name: str, args: DashboardExportArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("braze:s3:DashboardExport", name, None, opts)
        export, bucket, context = args.export, args.bucket, args.context
        document = documents.dashboard_export_policy(
            context.partition, bucket.settings.name, kms_key_arn=bucket.settings.kms_key_arn, region=context.region
        )
        access = self._build(
            name,
            settings=export,
            bucket=bucket,
            context=context,
            config_key="dashboardExport",
            policy_document=document,
        )
        self._finish(
            {
                "integration": export.integration,
                "connector": export.name,
                "bucketName": bucket.name,
                "authMethod": secret_if(context.is_secret("dashboardExport"), export.auth.method),
                **_auth_outputs(export.auth, context, "dashboardExport"),
                **access.as_dict(),
            }
        )


def _auth_outputs(auth: Auth, context: StackContext, config_key: str) -> dict[str, Any]:
    """What Braze shows and the operator checks: the account and ids, or the active key."""
    if isinstance(auth, AccessKeyAuth):
        return {"activeAccessKey": secret_if(context.is_secret(config_key), auth.active_generation)}
    return {
        "brazeAccountId": secret_if(context.is_secret("brazeAccountId"), context.braze_account_id),
        "externalIds": secret_if(context.is_secret(config_key), list(auth.external_ids)),
    }
