"""Freshness alarms: know before Braze drops data.

If a Currents connector's writes fail (a key deleted, a role changed, a bucket policy tightened,
an SCP), Braze stops the connector and drops what it could not write after 48 hours to 5 days.
Per connector: an S3 request-metrics configuration filtered on `<folder>/`, and a CloudWatch
alarm on its hourly `PutRequests` that fires when none arrived for `staleAfterHours` (missing data
counts as breaching: S3 publishes nothing for an hour without requests) and clears when writes
resume. `braze:s3:Alerts` holds the topic the stack creates for e-mail subscribers.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import pulumi
from pulumi_aws import cloudwatch, s3, sns

from components import tags
from components.secrecy import secret_if
from components.settings import CURRENTS, AlertSettings, CurrentsSettings

PERIOD_SECONDS = 3600  # hourly sums; CloudWatch allows 7 days of hourly periods (staleAfterHours <= 168)
METRIC_NAMESPACE = "AWS/S3"
METRIC_NAME = "PutRequests"


def metrics_filter_id(connector: str) -> str:
    """The request-metrics configuration id (S3 allows 64 characters; connector names have 32)."""
    return f"braze-currents-{connector}"


def alarm_name(bucket: str, connector: str) -> str:
    """Unique per account and region because bucket names are unique (CloudWatch allows 255)."""
    return f"braze-s3-{bucket}-currents-{connector}-stale"


@dataclass(frozen=True)
class AlertsArgs:
    settings: AlertSettings
    extra_tags: dict[str, str] = field(default_factory=dict)


class Alerts(pulumi.ComponentResource):
    """`braze:s3:Alerts`: where the freshness alarms notify (a topic of the stack, a given topic, or both)."""

    topic_arns: list[pulumi.Input[str]]
    topic_arn: pulumi.Output[str] | None

    def __init__(self, name: str, args: AlertsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("braze:s3:Alerts", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.topic_arns = []
        self.topic_arn = None
        if args.settings.emails:
            topic = sns.Topic(f"{name}-topic", tags={**args.extra_tags, tags.INTEGRATION: CURRENTS}, opts=child)
            for email in args.settings.emails:
                # Named by a digest of the address: reordering the list replaces nothing, and no
                # address appears in a URN.
                digest = hashlib.sha256(email.lower().encode()).hexdigest()[:10]
                sns.TopicSubscription(
                    f"{name}-email-{digest}", topic=topic.arn, protocol="email", endpoint=email, opts=child
                )
            self.topic_arn = topic.arn
            self.topic_arns.append(topic.arn)
        if args.settings.topic_arn:
            self.topic_arns.append(args.settings.topic_arn)
        self.register_outputs({"topicArn": self.topic_arn})


def freshness_alarm(
    parent: pulumi.Resource,
    name: str,
    *,
    connector: CurrentsSettings,
    bucket_name: str,
    bucket_ref: pulumi.Input[str],
    alerts: AlertSettings,
    topic_arns: list[pulumi.Input[str]],
    extra_tags: dict[str, str],
    secret: bool = False,
) -> pulumi.Output[str]:
    """The metrics filter and the alarm of one connector, children of its component; returns the alarm name."""
    child = pulumi.ResourceOptions(parent=parent)
    filter_id = metrics_filter_id(connector.name)
    metrics = s3.BucketMetric(
        f"{name}-request-metrics",
        bucket=bucket_ref,
        name=filter_id,
        # The trailing slash keeps `currents` from also counting `currents-marketing/`.
        filter=secret_if(secret, s3.BucketMetricFilterArgs(prefix=f"{connector.folder_path}/")),
        opts=child,
    )
    hours = alerts.stale_after_hours
    alarm = cloudwatch.MetricAlarm(
        f"{name}-freshness-alarm",
        # Both name the bucket and the folder: secret when those came from a secret config key.
        name=secret_if(secret, alarm_name(bucket_name, connector.name)),
        alarm_description=secret_if(
            secret,
            f"No new Braze Currents file under s3://{bucket_name}/{connector.folder_path}/ for {hours} h. Braze drops "
            "events it cannot write after 48 h to 5 days: see docs/operations.md, 'A freshness alarm fired'.",
        ),
        namespace=METRIC_NAMESPACE,
        metric_name=METRIC_NAME,
        dimensions={"BucketName": bucket_ref, "FilterId": metrics.name},
        statistic="Sum",
        period=PERIOD_SECONDS,
        evaluation_periods=hours,
        datapoints_to_alarm=hours,
        threshold=1,
        comparison_operator="LessThanThreshold",
        # An hour without a PutObject publishes no datapoint: that is exactly the silence to catch.
        treat_missing_data="breaching",
        alarm_actions=topic_arns,
        ok_actions=topic_arns,
        tags=tags.principal_tags(extra_tags, CURRENTS, connector.name),
        opts=child,
    )
    return alarm.name
