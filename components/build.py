"""Every resource of one integration, under a parent: what the `BrazeS3` component builds.

Buckets first (a `braze:s3:Bucket` per managed bucket, a name for a referenced one), then the
alerts topic, the Currents connectors and the dashboard export, each a component of its own;
returns the outputs the stack exports (and the component returns).
"""

from __future__ import annotations

from typing import Any

import pulumi

from components import documents
from components.alerts import Alerts, AlertsArgs
from components.bucket import BrazeBucket, BrazeBucketArgs, component_name
from components.integrations import (
    BucketRef,
    CurrentsConnector,
    CurrentsConnectorArgs,
    DashboardExport,
    DashboardExportArgs,
)
from components.secrecy import secret_if
from components.settings import DEFAULT_BUCKET, StackSettings

ALERTS_COMPONENT = "alerts"


def _bucket_refs(settings: StackSettings, opts: pulumi.ResourceOptions) -> tuple[dict[str, BucketRef], dict[str, Any]]:
    """Each bucket by key, as integrations see it, and its stack output `buckets.<key>`.

    A managed bucket (create, import) is a `braze:s3:Bucket`; a reference bucket is only its name:
    nothing is created on it."""
    refs: dict[str, BucketRef] = {}
    outputs: dict[str, Any] = {}
    for bucket in settings.all_buckets:
        secret = settings.is_secret("bucket" if bucket.key == DEFAULT_BUCKET else "buckets")
        arn: Any = documents.bucket_arn(settings.partition, bucket.name)
        if bucket.managed:
            component = BrazeBucket(
                component_name(bucket),
                BrazeBucketArgs(
                    settings=bucket,
                    partition=settings.partition,
                    currents=settings.connectors_on(bucket),
                    extra_tags=settings.tags,
                    secret_keys=settings.secret_keys,
                ),
                opts,
            )
            name: Any = component.name
            region: Any = component.region
            arn = component.arn
        else:
            name, region = bucket.name, settings.region
        refs[bucket.key] = BucketRef(bucket, secret_if(secret, name))
        outputs[bucket.key] = {
            "name": secret_if(secret, name),
            "arn": secret_if(secret, arn),
            "region": region,
            "mode": bucket.mode,
            **({"kmsKeyArn": secret_if(secret, bucket.kms_key_arn)} if bucket.kms_key_arn else {}),
        }
    return refs, outputs


def build(
    settings: StackSettings, parent: pulumi.Resource | None = None, *, alias_to_root: bool = False
) -> dict[str, Any]:
    """Register every resource of the integration under ``parent``; returns the stack outputs.

    ``alias_to_root``: the components used to be top-level resources of the stack (before the
    `BrazeS3` component wrapped them); an alias keeps their URNs, and so their children's, in
    existing stacks — the engine carries a parent's aliases to its children.
    """
    aliases = [pulumi.Alias(parent=pulumi.ROOT_STACK_RESOURCE)] if alias_to_root else None
    opts = pulumi.ResourceOptions(parent=parent, aliases=aliases)
    refs, bucket_outputs = _bucket_refs(settings, opts)
    context = settings.context
    alerts = (
        Alerts(ALERTS_COMPONENT, AlertsArgs(settings.alerts, settings.tags), opts)
        if settings.alerts is not None
        else None
    )
    connectors = [
        CurrentsConnector(
            f"currents-{connector.name}",
            CurrentsConnectorArgs(
                connector,
                refs[connector.bucket],
                context,
                alerts=settings.alerts,
                alert_topics=tuple(alerts.topic_arns) if alerts else (),
            ),
            opts,
        )
        for connector in settings.currents
    ]
    default = bucket_outputs[DEFAULT_BUCKET]
    outputs: dict[str, Any] = {
        "bucketName": default["name"],
        "bucketArn": default["arn"],
        "region": default["region"],
        "buckets": bucket_outputs,
        "currents": {c.name: connector.outputs for c, connector in zip(settings.currents, connectors, strict=True)},
    }
    if alerts is not None and alerts.topic_arn is not None:
        outputs["alertsTopicArn"] = alerts.topic_arn
    integrations: list[CurrentsConnector | DashboardExport] = list(connectors)
    export_settings = settings.dashboard_export
    if export_settings is not None:
        export = DashboardExport(
            "dashboard-export", DashboardExportArgs(export_settings, refs[export_settings.bucket], context), opts
        )
        outputs["dashboardExport"] = export.outputs
        integrations.append(export)
    for integration in integrations:
        outputs.update(integration.secret_outputs)
    return outputs
