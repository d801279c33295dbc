"""`braze:s3:CurrentsConnector` and `braze:s3:DashboardExport`: one component per integration."""

from __future__ import annotations

from typing import Any

import pulumi

from components import documents
from components.access import AccessArgs, build_access
from components.alerts import freshness_alarm
from components.secrecy import secret_if
from components.settings import AccessKeyAuth, Auth, CurrentsSettings, DashboardExportSettings, StackSettings


class CurrentsConnector(pulumi.ComponentResource):
    """One Currents connector: its own principal, and a policy scoped to its own folder."""

    outputs: dict[str, Any]
    secret_outputs: dict[str, pulumi.Output[str]]  # top-level stack outputs: one per access key secret

    def __init__(
        self,
        name: str,
        connector: CurrentsSettings,
        stack: StackSettings,
        bucket_name: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
        *,
        alert_topics: list[pulumi.Input[str]] | None = None,
    ) -> None:
        super().__init__("braze:s3:CurrentsConnector", name, None, opts)
        access = build_access(
            self,
            name,
            AccessArgs(
                integration=connector.integration,
                connector=connector.name,
                auth=connector.auth,
                policy_document=documents.currents_policy(
                    stack.partition, stack.bucket.name, connector.folder_path, connector.object_scope
                ),
                partition=stack.partition,
                iam_path=stack.iam_path,
                braze_account_id=stack.braze_account_id,
                folder_path=connector.folder_path,
                extra_tags=stack.tags,
                config_key="currents",
                secret_keys=stack.secret_keys,
                permissions_boundary=stack.permissions_boundary,
                name_prefix=stack.iam_name_prefix,
            ),
        )
        secret = stack.is_secret("currents")
        self.outputs = {
            "integration": connector.integration,
            "connector": secret_if(secret, connector.name),
            "bucketName": bucket_name,
            "folderPath": secret_if(secret, connector.folder_path),
            # folder (Put/Get only under the folder) or bucket (Braze's published <bucket>/*): verify reads it.
            "objectScope": secret_if(secret, connector.object_scope),
            "authMethod": secret_if(secret, connector.auth.method),
            # Braze's "AES-256 server-side encryption at rest" toggle.
            "aes256Encryption": secret_if(secret, connector.sse),
            **_auth_outputs(connector.auth, stack, "currents"),
            **access.as_dict(),
        }
        if stack.alerts is not None:
            self.outputs["freshnessAlarm"] = freshness_alarm(
                self,
                name,
                connector=connector,
                bucket_name=stack.bucket.name,
                bucket_ref=bucket_name,
                alerts=stack.alerts,
                topic_arns=alert_topics or [],
                extra_tags=stack.tags,
                secret=stack.is_secret("bucket", "currents"),
            )
        self.secret_outputs = access.secret_outputs
        self.register_outputs(self.outputs)


class DashboardExport(pulumi.ComponentResource):
    """Dashboard data export: its own principal and policy, never shared with Currents."""

    outputs: dict[str, Any]
    secret_outputs: dict[str, pulumi.Output[str]]  # top-level stack outputs: one per access key secret

    def __init__(
        self,
        name: str,
        export: DashboardExportSettings,
        stack: StackSettings,
        bucket_name: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("braze:s3:DashboardExport", name, None, opts)
        access = build_access(
            self,
            name,
            AccessArgs(
                integration=export.integration,
                connector=export.name,
                auth=export.auth,
                policy_document=documents.dashboard_export_policy(stack.partition, stack.bucket.name),
                partition=stack.partition,
                iam_path=stack.iam_path,
                braze_account_id=stack.braze_account_id,
                extra_tags=stack.tags,
                config_key="dashboardExport",
                secret_keys=stack.secret_keys,
                permissions_boundary=stack.permissions_boundary,
                name_prefix=stack.iam_name_prefix,
            ),
        )
        self.outputs = {
            "integration": export.integration,
            "connector": export.name,
            "bucketName": bucket_name,
            "authMethod": secret_if(stack.is_secret("dashboardExport"), export.auth.method),
            **_auth_outputs(export.auth, stack, "dashboardExport"),
            **access.as_dict(),
        }
        self.secret_outputs = access.secret_outputs
        self.register_outputs(self.outputs)


def _auth_outputs(auth: Auth, stack: StackSettings, config_key: str) -> dict[str, Any]:
    """What Braze shows and the operator checks: the account and ids, or the active key."""
    if isinstance(auth, AccessKeyAuth):
        return {"activeAccessKey": secret_if(stack.is_secret(config_key), auth.active_generation)}
    return {
        "brazeAccountId": secret_if(stack.is_secret("brazeAccountId"), stack.braze_account_id),
        "externalIds": secret_if(stack.is_secret(config_key), list(auth.external_ids)),
    }
