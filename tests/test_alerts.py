"""Freshness alarms (braze-s3:alerts): the exact resources per connector and per notification choice."""

from __future__ import annotations

from typing import Any

import pytest

from braze_s3_tools.engine.harness import ProgramRun, Unknown, run_program
from components.alerts import alarm_name
from tests.helpers import error_line, parent_name

METRIC = "aws:s3/bucketMetric:BucketMetric"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
TOPIC = "aws:sns/topic:Topic"
SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"
ONCALL = "arn:aws:sns:eu-west-1:123456789012:oncall"


def with_alerts(alerts: dict[str, Any], preview: bool = True) -> ProgramRun:
    run = run_program("dev", preview=preview, overrides={"braze-s3:alerts": alerts})
    assert run.error is None, run.error
    return run


def test_without_alerts_nothing_is_created(dev_preview: ProgramRun) -> None:
    for type_ in (METRIC, ALARM, TOPIC, SUBSCRIPTION):
        assert dev_preview.by_type(type_) == [], type_
    assert "freshnessAlarm" not in dev_preview.outputs["currents"]["main"]


def test_each_connector_gets_a_metrics_filter_on_its_folder_and_an_alarm_with_exact_settings() -> None:
    run = with_alerts({"staleAfterHours": 6, "email": ["crm-oncall@example.com"]})
    for connector, folder in (("main", "currents"), ("marketing", "currents-marketing")):
        metrics = run.get(METRIC, f"currents-{connector}-request-metrics")
        assert parent_name(run, metrics) == f"currents-{connector}", "children of their connector"
        assert metrics.inputs["name"] == f"braze-currents-{connector}"
        assert metrics.inputs["filter"] == {"prefix": f"{folder}/"}, "the trailing slash keeps folders apart"
        alarm = run.get(ALARM, f"currents-{connector}-freshness-alarm").inputs
        expected = {
            "name": alarm_name("acme-braze-dev", connector),
            "namespace": "AWS/S3",
            "metricName": "PutRequests",
            "statistic": "Sum",
            "period": 3600,
            "evaluationPeriods": 6,
            "datapointsToAlarm": 6,
            "threshold": 1,
            "comparisonOperator": "LessThanThreshold",
            "treatMissingData": "breaching",
        }
        assert {k: alarm[k] for k in expected} == expected, connector
        assert alarm["dimensions"]["FilterId"] == f"braze-currents-{connector}"
        assert alarm["alarmActions"] == alarm["okActions"], "it notifies when it fires and when writes resume"
        assert alarm["tags"]["braze:connector"] == connector and alarm["tags"]["braze:integration"] == "currents"
        assert run.outputs["currents"][connector]["freshnessAlarm"] == expected["name"] or isinstance(
            run.outputs["currents"][connector]["freshnessAlarm"], Unknown
        )
    assert run.by_type(METRIC) and all("export" not in r.name for r in run.by_type(ALARM)), "no alarm for exports"


def test_email_creates_a_topic_with_one_subscription_per_address_and_no_address_in_any_urn() -> None:
    run = with_alerts({"staleAfterHours": 6, "email": ["a@example.com", "b@example.com"]})
    assert len(run.by_type(TOPIC)) == 1
    subscriptions = run.by_type(SUBSCRIPTION)
    assert sorted(s.inputs["endpoint"] for s in subscriptions) == ["a@example.com", "b@example.com"]
    assert {s.inputs["protocol"] for s in subscriptions} == {"email"}
    assert not any("example.com" in r.urn for r in run.resources)
    reordered = with_alerts({"staleAfterHours": 6, "email": ["b@example.com", "a@example.com"]})
    assert {s.urn for s in reordered.by_type(SUBSCRIPTION)} == {s.urn for s in subscriptions}, "order replaces nothing"


def test_a_given_topic_is_notified_and_no_topic_is_created() -> None:
    run = with_alerts({"staleAfterHours": 12, "snsTopicArn": ONCALL})
    assert run.by_type(TOPIC) == [] and run.by_type(SUBSCRIPTION) == []
    alarm = run.get(ALARM, "currents-main-freshness-alarm").inputs
    assert alarm["alarmActions"] == [ONCALL] and alarm["okActions"] == [ONCALL]
    assert "alertsTopicArn" not in run.outputs


def test_both_a_created_and_a_given_topic_are_notified() -> None:
    run = with_alerts({"staleAfterHours": 6, "email": ["a@example.com"], "snsTopicArn": ONCALL}, preview=False)
    actions = run.get(ALARM, "currents-main-freshness-alarm").inputs["alarmActions"]
    assert len(actions) == 2 and actions[1] == ONCALL
    assert run.outputs["alertsTopicArn"] == actions[0]


def test_adding_alerts_changes_no_existing_resource(dev_preview: ProgramRun) -> None:
    run = with_alerts({"staleAfterHours": 6, "snsTopicArn": ONCALL})
    before = {r.urn: r.inputs for r in dev_preview.resources}
    for resource in run.resources:
        if resource.urn in before:
            assert resource.inputs == before[resource.urn], resource.urn


@pytest.mark.parametrize(
    ("alerts", "key", "words"),
    [
        ({"email": ["a@example.com"]}, "braze-s3:alerts.staleAfterHours", "is required"),
        ({"staleAfterHours": 0, "email": ["a@example.com"]}, "braze-s3:alerts.staleAfterHours", "from 1 to 168"),
        ({"staleAfterHours": 169, "email": ["a@example.com"]}, "braze-s3:alerts.staleAfterHours", "from 1 to 168"),
        ({"staleAfterHours": "6h", "email": ["a@example.com"]}, "braze-s3:alerts.staleAfterHours", "hours"),
        ({"staleAfterHours": 6}, "braze-s3:alerts", "notifies no one"),
        ({"staleAfterHours": 6, "email": ["not-an-address"]}, "braze-s3:alerts.email[0]", "not an e-mail"),
        ({"staleAfterHours": 6, "email": "a@example.com"}, "braze-s3:alerts.email", "list of strings"),
        ({"staleAfterHours": 6, "snsTopicArn": "oncall"}, "braze-s3:alerts.snsTopicArn", "not an SNS topic ARN"),
        (
            {"staleAfterHours": 6, "snsTopicArn": "arn:aws:sns:us-east-1:123456789012:oncall"},
            "braze-s3:alerts.snsTopicArn",
            "alarm's own region (eu-west-1)",
        ),
        (
            {"staleAfterHours": 6, "snsTopicArn": "arn:aws:sns:eu-west-1:123456789012:oncall.fifo"},
            "braze-s3:alerts.snsTopicArn",
            "FIFO",
        ),
        ({"staleAfterHours": 6, "email": ["a@example.com"], "stale": 1}, "braze-s3:alerts.stale", "staleAfterHours"),
    ],
)
def test_bad_alerts_config_names_the_key(alerts: dict[str, Any], key: str, words: str) -> None:
    run = run_program("dev", overrides={"braze-s3:alerts": alerts})
    assert run.error is not None and run.resources == []
    line = error_line(run, key)
    assert words in line, run.error


REFERENCED = {"name": "acme-old-braze-bucket", "mode": "reference"}
ROLE = {"auth": "role", "externalIds": ["6f1c2b9e-3f7d-4c55-9a38-1b2d7c0e4a11"]}
EXPORT_ONLY = {"braze-s3:currents": [], "braze-s3:dashboardExport": ROLE}


@pytest.mark.parametrize("notify", [{"email": ["a@example.com"]}, {"snsTopicArn": ONCALL}], ids=["email", "topic"])
@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        (EXPORT_ONLY, "there is no Currents connector"),
        ({"braze-s3:bucket": REFERENCED}, "every Currents connector writes to a referenced bucket (braze-s3:bucket"),
        (
            {
                "braze-s3:buckets": {"old": REFERENCED},
                "braze-s3:currents": [{"name": "main", "folderPath": "currents", "bucket": "old", **ROLE}],
            },
            "referenced bucket (braze-s3:buckets.old: mode reference)",
        ),
    ],
    ids=["no-currents", "default-bucket-referenced", "named-bucket-referenced"],
)
def test_alerts_that_can_never_fire_are_refused_naming_the_key_and_the_fix(
    overrides: dict[str, Any], words: str, notify: dict[str, Any]
) -> None:
    """A topic and subscriptions no alarm notifies would be silence that looks like watching."""
    run = run_program("dev", overrides={**overrides, "braze-s3:alerts": {"staleAfterHours": 6, **notify}})
    assert run.error is not None and run.resources == []
    line = error_line(run, "braze-s3:alerts")
    assert "can never fire" in line and words in line, run.error
    assert "pulumi config rm braze-s3:alerts" in line and "creates or imports" in line


def test_alerts_watch_the_connectors_on_managed_buckets_when_another_is_on_a_referenced_one() -> None:
    run = with_alerts_over(
        {
            "braze-s3:buckets": {"old": REFERENCED},
            "braze-s3:currents": [
                {"name": "main", "folderPath": "currents", **ROLE},
                {"name": "legacy", "folderPath": "legacy", "bucket": "old", **ROLE},
            ],
        }
    )
    assert [a.inputs["name"] for a in run.by_type(ALARM)] == [alarm_name("acme-braze-dev", "main")]
    assert len(run.by_type(TOPIC)) == 1


def with_alerts_over(overrides: dict[str, Any]) -> ProgramRun:
    alerts = {"staleAfterHours": 6, "email": ["a@example.com"]}
    run = run_program("dev", overrides={**overrides, "braze-s3:alerts": alerts})
    assert run.error is None, run.error
    return run
