"""The stand-in's alerting resources in the emulator: the SNS topic, its subscriptions, the CloudWatch alarm.

Ids as pulumi-aws gives them: a topic's and a subscription's is its ARN, an alarm's its name.

Where moto is not AWS: an e-mail subscription is not held pending until the address confirms it (moto
reports `PendingConfirmation` false; AWS would say true and send a confirmation mail); no alarm ever changes
state from metrics (moto publishes no S3 request metrics: `aws:s3/bucketMetric` has no API there).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from braze_s3_tools.realcli.aws_common import Ctx, aws_tags, ints, or_none_when_gone, tags_of

GONE = frozenset({"NotFound", "NotFoundException", "ResourceNotFound", "ResourceNotFoundException"})


def _gone(call: Callable[[], Any]) -> Any:
    return or_none_when_gone(call, GONE)


# --- topics --------------------------------------------------------------------------------


def _topic_outputs(arn: str, base: dict[str, Any], ctx: Ctx) -> dict[str, Any] | None:
    sns = ctx.client("sns")
    got = _gone(lambda: sns.get_topic_attributes(TopicArn=arn))
    if got is None:
        return None
    tags = tags_of(sns.list_tags_for_resource(ResourceArn=arn).get("Tags"))
    return {
        **base,
        "id": arn,
        "arn": arn,
        "name": arn.rsplit(":", 1)[-1],
        "owner": got["Attributes"].get("Owner", ""),
        "tags": tags,
        "tagsAll": tags,
    }


def topic_create(inputs: dict[str, Any], ctx: Ctx) -> tuple[str, dict[str, Any]]:
    arn = ctx.client("sns").create_topic(Name=inputs["name"], Tags=aws_tags(inputs.get("tags")))["TopicArn"]
    out = _topic_outputs(arn, inputs, ctx)
    assert out is not None  # just created
    return arn, out


def topic_update(id_: str, olds: dict[str, Any], news: dict[str, Any], ctx: Ctx) -> dict[str, Any]:
    sns = ctx.client("sns")
    old, new = dict(olds.get("tags") or {}), dict(news.get("tags") or {})
    if sorted(set(old) - set(new)):
        sns.untag_resource(ResourceArn=id_, TagKeys=sorted(set(old) - set(new)))
    if new and new != old:
        sns.tag_resource(ResourceArn=id_, Tags=aws_tags(new))
    out = _topic_outputs(id_, news, ctx)
    if out is None:
        raise RuntimeError(f"topic {id_} disappeared during its update")
    return out


def topic_delete(id_: str, outputs: dict[str, Any], ctx: Ctx) -> None:
    ctx.client("sns").delete_topic(TopicArn=id_)


def topic_read(id_: str, state: dict[str, Any], ctx: Ctx) -> dict[str, Any] | None:
    return _topic_outputs(id_, state, ctx)


# --- subscriptions -------------------------------------------------------------------------


def subscription_create(inputs: dict[str, Any], ctx: Ctx) -> tuple[str, dict[str, Any]]:
    arn = ctx.client("sns").subscribe(
        TopicArn=inputs["topic"], Protocol=inputs["protocol"], Endpoint=inputs["endpoint"], ReturnSubscriptionArn=True
    )["SubscriptionArn"]
    out = subscription_read(arn, inputs, ctx)
    if out is None:
        raise RuntimeError(f"subscription {arn} was not found right after it was made")
    return arn, out


def subscription_update(id_: str, olds: dict[str, Any], news: dict[str, Any], ctx: Ctx) -> dict[str, Any]:
    return {**olds, **news, "id": id_}  # topic, protocol and endpoint all replace


def subscription_delete(id_: str, outputs: dict[str, Any], ctx: Ctx) -> None:
    _gone(lambda: ctx.client("sns").unsubscribe(SubscriptionArn=id_))


def subscription_read(id_: str, state: dict[str, Any], ctx: Ctx) -> dict[str, Any] | None:
    got = _gone(lambda: ctx.client("sns").get_subscription_attributes(SubscriptionArn=id_))
    if got is None:
        return None
    attrs = got["Attributes"]
    return {
        **state,
        "id": id_,
        "arn": id_,
        "topic": attrs.get("TopicArn", state.get("topic")),
        "protocol": attrs.get("Protocol", state.get("protocol")),
        "endpoint": attrs.get("Endpoint", state.get("endpoint")),
        "ownerId": attrs.get("Owner", ""),
        "pendingConfirmation": attrs.get("PendingConfirmation") == "true",
        "confirmationWasAuthenticated": attrs.get("ConfirmationWasAuthenticated") == "true",
    }


# --- alarms --------------------------------------------------------------------------------

# pulumi-aws input -> PutMetricAlarm parameter
ALARM_ARGS = {
    "alarmDescription": "AlarmDescription",
    "namespace": "Namespace",
    "metricName": "MetricName",
    "statistic": "Statistic",
    "period": "Period",
    "evaluationPeriods": "EvaluationPeriods",
    "datapointsToAlarm": "DatapointsToAlarm",
    "threshold": "Threshold",
    "comparisonOperator": "ComparisonOperator",
    "treatMissingData": "TreatMissingData",
    "alarmActions": "AlarmActions",
    "okActions": "OKActions",
    "insufficientDataActions": "InsufficientDataActions",
    "actionsEnabled": "ActionsEnabled",
    "unit": "Unit",
}


def _put_alarm(inputs: dict[str, Any], ctx: Ctx) -> None:
    args = {aws: ints(inputs[key]) for key, aws in ALARM_ARGS.items() if inputs.get(key) is not None}
    if "threshold" in inputs:
        args["Threshold"] = float(inputs["threshold"])
    args["Dimensions"] = [{"Name": k, "Value": str(v)} for k, v in sorted((inputs.get("dimensions") or {}).items())]
    ctx.client("cloudwatch").put_metric_alarm(AlarmName=inputs["name"], Tags=aws_tags(inputs.get("tags")), **args)


def alarm_create(inputs: dict[str, Any], ctx: Ctx) -> tuple[str, dict[str, Any]]:
    _put_alarm(inputs, ctx)
    out = alarm_read(str(inputs["name"]), inputs, ctx)
    if out is None:
        raise RuntimeError(f"alarm {inputs['name']} was not found right after it was made")
    return str(inputs["name"]), out


def alarm_update(id_: str, olds: dict[str, Any], news: dict[str, Any], ctx: Ctx) -> dict[str, Any]:
    _put_alarm(news, ctx)  # PutMetricAlarm replaces the whole alarm definition
    removed = sorted(set(olds.get("tags") or {}) - set(news.get("tags") or {}))
    out = alarm_read(id_, news, ctx)
    if out is None:
        raise RuntimeError(f"alarm {id_} disappeared during its update")
    if removed:
        ctx.client("cloudwatch").untag_resource(ResourceARN=out["arn"], TagKeys=removed)
    return out


def alarm_delete(id_: str, outputs: dict[str, Any], ctx: Ctx) -> None:
    ctx.client("cloudwatch").delete_alarms(AlarmNames=[id_])


def alarm_read(id_: str, state: dict[str, Any], ctx: Ctx) -> dict[str, Any] | None:
    cloudwatch = ctx.client("cloudwatch")
    alarms = cloudwatch.describe_alarms(AlarmNames=[id_]).get("MetricAlarms", [])
    if not alarms:
        return None
    alarm = alarms[0]
    out: dict[str, Any] = {**state, "id": id_, "name": id_, "arn": alarm["AlarmArn"]}
    for key, aws in ALARM_ARGS.items():
        if aws in alarm and (key in state or alarm[aws] not in (None, [], "")):
            out[key] = alarm[aws]
    out["dimensions"] = {d["Name"]: d["Value"] for d in alarm.get("Dimensions", [])}
    tags = tags_of(cloudwatch.list_tags_for_resource(ResourceARN=alarm["AlarmArn"]).get("Tags"))
    out["tags"], out["tagsAll"] = tags, tags
    return out


def alert_kinds() -> dict[str, tuple[Callable[..., Any], ...]]:
    """type -> (create, update, delete, read)."""
    return {
        "aws:sns/topic:Topic": (topic_create, topic_update, topic_delete, topic_read),
        "aws:sns/topicSubscription:TopicSubscription": (
            subscription_create,
            subscription_update,
            subscription_delete,
            subscription_read,
        ),
        "aws:cloudwatch/metricAlarm:MetricAlarm": (alarm_create, alarm_update, alarm_delete, alarm_read),
    }
