"""The whole program: read the stack config, validate it, build the components, export.

`__main__.py` calls `run()`; tests and the offline plan run `__main__.py` itself under
the SDK's mock engine, so they exercise exactly what `pulumi up` runs.
"""

from __future__ import annotations

import gc
from typing import Any

import pulumi
from pulumi.runtime import config as runtime_config

from components import documents
from components.alerts import Alerts, AlertsArgs
from components.bucket import BrazeBucket, BrazeBucketArgs, component_name
from components.config import parse_settings
from components.errors import InvalidConfigError
from components.integrations import (
    BucketRef,
    CurrentsConnector,
    CurrentsConnectorArgs,
    DashboardExport,
    DashboardExportArgs,
)
from components.secrecy import secret_if
from components.settings import DEFAULT_BUCKET, PROJECT, StackSettings

ALERTS_COMPONENT = "alerts"


def read_raw_config() -> tuple[dict[str, Any], list[str], str | None]:
    """This project's config keys (without prefix), which are secret, and the AWS region.

    Read from the runtime's whole config rather than key by key, so that a misspelt
    key is seen (and reported with a did-you-mean) instead of silently ignored.
    """
    merged: dict[str, Any] = {**runtime_config.get_config_env(), **runtime_config.CONFIG.get()}
    prefix = f"{PROJECT}:"
    raw = {key[len(prefix) :]: value for key, value in merged.items() if key.startswith(prefix)}
    secret_keys = [
        key[len(prefix) :]
        for key in merged
        if key.startswith(prefix)
        and (runtime_config.is_config_secret(key) or key in runtime_config.get_config_secret_keys_env())
    ]
    region = merged.get("aws:region")
    return raw, secret_keys, region if isinstance(region, str) else None


def _bucket_refs(settings: StackSettings) -> tuple[dict[str, BucketRef], dict[str, Any]]:
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


def build(settings: StackSettings) -> dict[str, Any]:
    """Register every resource of the stack; returns the stack outputs."""
    refs, bucket_outputs = _bucket_refs(settings)
    context = settings.context
    alerts = (
        Alerts(ALERTS_COMPONENT, AlertsArgs(settings.alerts, settings.tags)) if settings.alerts is not None else None
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
            "dashboard-export", DashboardExportArgs(export_settings, refs[export_settings.bucket], context)
        )
        outputs["dashboardExport"] = export.outputs
        integrations.append(export)
    for integration in integrations:
        outputs.update(integration.secret_outputs)
    return outputs


# The Pulumi SDK keeps several Outputs, futures and tasks alive per resource until the
# program ends; with CPython's default generation-0 threshold (700) the cyclic GC rescans
# that growing heap so often that time per resource rises with the stack (measured: 300
# connectors cost 1.4x per resource what 10 do). A larger threshold makes it flat again
# (docs/benchmarks.md) for a few MB of memory.
GC_GENERATION0_THRESHOLD = 10_000


def _tune_gc() -> None:
    threshold0, threshold1, threshold2 = gc.get_threshold()
    if 0 < threshold0 < GC_GENERATION0_THRESHOLD:
        gc.set_threshold(GC_GENERATION0_THRESHOLD, threshold1, threshold2)


def run() -> None:
    _tune_gc()
    raw, secret_keys, region = read_raw_config()
    try:
        settings = parse_settings(raw, region=region, secret_keys=secret_keys)
    except InvalidConfigError as errors:
        # RunError: the CLI prints the message alone, without a Python traceback.
        raise pulumi.RunError(str(errors)) from None
    for key, value in build(settings).items():
        pulumi.export(key, value)
