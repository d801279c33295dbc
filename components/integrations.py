"""`braze:s3:CurrentsConnector` and `braze:s3:DashboardExport`: one component per integration."""

from __future__ import annotations

from typing import Any

import pulumi

from components import documents
from components.access import AccessArgs, build_access
from components.settings import AccessKeyAuth, Auth, CurrentsSettings, DashboardExportSettings, StackSettings


class CurrentsConnector(pulumi.ComponentResource):
    """One Currents connector: its own principal, and a policy scoped to its own folder."""

    outputs: dict[str, Any]

    def __init__(
        self,
        name: str,
        connector: CurrentsSettings,
        stack: StackSettings,
        bucket_name: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
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
            ),
        )
        self.outputs = {
            "integration": connector.integration,
            "connector": connector.name,
            "bucketName": bucket_name,
            "folderPath": connector.folder_path,
            "authMethod": connector.auth.method,
            # Braze's "AES-256 server-side encryption at rest" toggle.
            "aes256Encryption": connector.sse,
            **_auth_outputs(connector.auth, stack),
            **access.as_dict(),
        }
        self.register_outputs(self.outputs)


class DashboardExport(pulumi.ComponentResource):
    """Dashboard data export: its own principal and policy, never shared with Currents."""

    outputs: dict[str, Any]

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
            ),
        )
        self.outputs = {
            "integration": export.integration,
            "connector": export.name,
            "bucketName": bucket_name,
            "authMethod": export.auth.method,
            **_auth_outputs(export.auth, stack),
            **access.as_dict(),
        }
        self.register_outputs(self.outputs)


def _auth_outputs(auth: Auth, stack: StackSettings) -> dict[str, Any]:
    """What Braze shows and the operator checks: the account and ids, or the active key."""
    if isinstance(auth, AccessKeyAuth):
        return {"activeAccessKey": auth.active_generation}
    return {"brazeAccountId": stack.braze_account_id, "externalIds": list(auth.external_ids)}
