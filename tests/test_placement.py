"""The stack's placement (region → partition) is decided once, checked before any key uses it."""

from __future__ import annotations

from typing import Any

import pytest

from components.config.stack import parse_settings
from components.errors import InvalidConfigError

KMS_EU = "arn:aws:kms:eu-west-1:123456789012:key/0f4e2d1c-8b7a-4c6d-9e5f-1a2b3c4d5e6f"


def _issues(raw: dict[str, Any], region: str | None) -> list[str]:
    with pytest.raises(InvalidConfigError) as error:
        parse_settings(raw, region=region)
    return [issue.path for issue in error.value.issues]


def _stack(**extra: Any) -> dict[str, Any]:
    return {
        "bucket": {"name": "acme-braze-placement", "kmsKeyArn": KMS_EU},
        "currents": [{"name": "main", "auth": "accessKey", "accessKeys": ["2026-11"]}],
        **extra,
    }


def test_an_unusable_region_is_reported_once_on_aws_region_and_nothing_repeats_it() -> None:
    raw = _stack(
        permissionsBoundary="arn:aws:iam::123456789012:policy/b",
        alerts={"staleAfterHours": 6, "snsTopicArn": "arn:aws:sns:eu-west-1:123456789012:t"},
    )
    assert _issues(raw, "moon-1") == ["aws:region"]
    assert _issues(raw, "us-iso-east-1") == ["aws:region"]


def test_every_arn_is_held_to_the_partition_the_region_implies() -> None:
    raw = _stack(
        permissionsBoundary="arn:aws:iam::123456789012:policy/b",
        alerts={"staleAfterHours": 6, "snsTopicArn": "arn:aws:sns:cn-north-1:123456789012:t"},
    )
    raw["bucket"]["kmsKeyArn"] = "arn:aws:kms:cn-north-1:123456789012:key/0f4e2d1c-8b7a-4c6d-9e5f-1a2b3c4d5e6f"
    assert sorted(_issues(raw, "cn-north-1")) == [
        "braze-s3:alerts.snsTopicArn",
        "braze-s3:bucket.kmsKeyArn",
        "braze-s3:permissionsBoundary",
    ]


def test_the_settings_carry_the_one_derived_partition() -> None:
    raw = _stack()
    raw["bucket"]["kmsKeyArn"] = (
        "arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/0f4e2d1c-8b7a-4c6d-9e5f-1a2b3c4d5e6f"
    )
    settings = parse_settings(raw, region="us-gov-west-1")
    assert (settings.partition, settings.region) == ("aws-us-gov", "us-gov-west-1")


def test_a_role_outside_the_aws_partition_is_refused_on_its_auth_key() -> None:
    raw = _stack()
    raw["bucket"].pop("kmsKeyArn")
    raw["currents"] = [{"name": "main", "auth": "role", "externalIds": ["9d3e1f20-5a6b-4c7d-8e9f-0a1b2c3d4e5f"]}]
    raw["brazeAccountId"] = "716373062512"
    assert _issues(raw, "cn-north-1") == ["braze-s3:currents[0].auth"]
