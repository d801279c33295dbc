"""`braze-s3:alerts`: freshness alarm settings, validated against what CloudWatch and SNS accept."""

from __future__ import annotations

import re
from typing import Any

from components.config import schema
from components.config.placement import Placement
from components.config.reader import Reader
from components.settings import PROJECT, AlertSettings, BucketSettings, CurrentsSettings

EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
SNS_TOPIC_ARN = re.compile(
    r"^arn:(aws|aws-cn|aws-us-gov):sns:([a-z]{2}(?:-gov)?-[a-z]+-[0-9]):([0-9]{12}):([A-Za-z0-9_-]{1,256}(?:\.fifo)?)$"
)
MAX_ALERT_EMAILS = 10


def parse_alerts(reader: Reader, value: Any, placement: Placement) -> AlertSettings | None:
    """Freshness alarms; `{}` (the declared default) means none."""
    path = f"{PROJECT}:alerts"
    if value is None or value == {}:
        return None
    obj = reader.mapping(value, path, schema.children("alerts"))
    if obj is None:
        return None
    hours = None
    if obj.get("staleAfterHours") is None:
        reader.problem(
            f"{path}.staleAfterHours",
            f"is required with alerts: after how many hours without a new file to alarm (pulumi config set --path '{path}.staleAfterHours' 6)",
        )
    else:
        hours = reader.days(obj, path, "alerts.staleAfterHours", unit="hours")
    emails = reader.string_list(obj, "email", path) or []
    first: dict[str, int] = {}  # one subscription per address: its resource name is derived from it, case aside
    for index, email in enumerate(emails):
        if not EMAIL.fullmatch(email):
            reader.problem(
                f"{path}.email[{index}]", f"{reader.show(f'{path}.email[{index}]', email)} is not an e-mail address"
            )
        elif email.lower() in first:
            reader.problem(
                f"{path}.email[{index}]",
                f"{reader.show(f'{path}.email[{index}]', email)} repeats {path}.email[{first[email.lower()]}] "
                "(addresses are compared without case, as mail servers deliver them): list it once",
            )
        else:
            first[email.lower()] = index
    if len(emails) > MAX_ALERT_EMAILS:
        reader.problem(
            f"{path}.email", f"lists {len(emails)} addresses; keep at most {MAX_ALERT_EMAILS}, or use a list address"
        )
    topic = reader.string(obj, "snsTopicArn", path, default=None)
    if topic is not None:
        check_topic(reader, f"{path}.snsTopicArn", topic, placement)
    if not emails and topic is None:
        reader.problem(
            path,
            f"notifies no one: give email (a topic is created for it) or snsTopicArn (pulumi config set --path '{path}.email[0]' oncall@example.com)",
        )
    if hours is None or reader.issues:
        return None
    return AlertSettings(hours, tuple(emails), topic)


def check_topic(reader: Reader, key: str, topic: str, placement: Placement) -> None:
    match = SNS_TOPIC_ARN.fullmatch(topic)
    shown = reader.show(key, topic)
    if not match:
        reader.problem(key, f"{shown} is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic name>)")
        return
    partition, topic_region, _, name = match.groups()
    if name.endswith(".fifo"):
        reader.problem(key, f"{shown} is a FIFO topic; CloudWatch alarms notify standard SNS topics only")
    if problem := placement.partition_problem(partition):
        reader.problem(key, f"{shown} {problem}")
    region = placement.region
    if region and topic_region != region:
        reader.problem(
            key, f"{shown} is in {topic_region}; CloudWatch notifies a topic in the alarm's own region ({region}) only"
        )


def check_alerts_reach(
    reader: Reader, alerts: AlertSettings | None, currents: list[CurrentsSettings], buckets: list[BucketSettings]
) -> None:
    """Alerts that no alarm can ever use are refused, not created silently.

    A freshness alarm watches one Currents connector through request metrics on its bucket, which
    the stack sets only on a bucket it manages (mode create or import). With no such connector, the
    topic and its e-mail subscriptions would exist and never be notified: whoever set alerts would
    believe the stack watched for silence while nothing does."""
    if alerts is None:
        return
    managed = {b.key for b in buckets if b.managed}
    if any(c.bucket in managed for c in currents):
        return
    path = f"{PROJECT}:alerts"
    if not currents:
        why = "there is no Currents connector (braze-s3:currents is empty), and only Currents has freshness alarms"
    else:
        referenced = sorted(
            {b.config_path for b in buckets if not b.managed and any(c.bucket == b.key for c in currents)}
        )
        why = (
            f"every Currents connector writes to a referenced bucket ({', '.join(f'{PROJECT}:{p}' for p in referenced)}: "
            "mode reference), on which this stack sets no request metrics"
        )
    reader.problem(
        path,
        f"can never fire: {why}; its topic and e-mail subscriptions would never be notified. Remove it "
        f"(pulumi config rm {path}), or watch a Currents connector on a bucket this stack creates or imports",
    )
