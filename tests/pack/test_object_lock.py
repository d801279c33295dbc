"""braze-no-object-lock, in every form a program can write it."""

from __future__ import annotations

import pytest
from braze_rules.rules.object_lock import RULE

from tests.pack.builders import UNKNOWN, bucket_stack, good_stack, names, res, run

LOCK_V7 = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration"
LOCK_V2 = "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2"


def test_passes_without_object_lock() -> None:
    assert run(RULE, good_stack()).violations == []


@pytest.mark.parametrize(
    "props",
    [
        {"objectLockEnabled": True},  # v7
        {"objectLockConfiguration": {"objectLockEnabled": "Enabled"}},  # v6 legacy inline
    ],
    ids=["v7-objectLockEnabled", "v6-inline-configuration"],
)
def test_fails_on_the_bucket_property(props: dict[str, object]) -> None:
    stack = good_stack()
    bucket = stack.find("data")
    stack.replace("data", res(bucket.type, "data", {**bucket.props, **props}, protect=True))
    assert names(run(RULE, stack)) == ["data"]


@pytest.mark.parametrize("lock_type", [LOCK_V7, LOCK_V2])
@pytest.mark.parametrize("link", ["dependency", "name"])
def test_fails_on_a_lock_configuration_resource(lock_type: str, link: str) -> None:
    stack = good_stack()
    deps = {"bucket": [stack.find("data")]} if link == "dependency" else None
    stack.add(
        res(
            lock_type,
            "lock",
            {
                "bucket": "acme-braze" if link == "name" else UNKNOWN,
                "rule": {"defaultRetention": {"mode": "GOVERNANCE", "days": 1}},
            },
            deps,
        )
    )
    result = run(RULE, stack)
    assert names(result) == ["lock"]
    assert "Braze Currents does not support buckets with S3 Object Lock" in result.violations[0].message


def test_aws_native_bucket_forms() -> None:
    native = res(
        "aws-native:s3:Bucket",
        "nb",
        {"bucketName": "n1", "objectLockEnabled": True, "tags": [{"key": "braze:bucket", "value": "true"}]},
    )
    native_cfg = res(
        "aws-native:s3:Bucket",
        "nc",
        {
            "bucketName": "n2",
            "objectLockConfiguration": {"objectLockEnabled": "Enabled"},
            "tags": [{"key": "braze:bucket", "value": "true"}],
        },
    )
    native_rule = res(
        "aws-native:s3:Bucket",
        "nr",
        {
            "bucketName": "n3",
            "objectLockConfiguration": {"rule": {"defaultRetention": {"days": 1}}},
            "tags": [{"key": "braze:bucket", "value": "true"}],
        },
    )
    assert names(run(RULE, [native, native_cfg, native_rule])) == ["nb", "nc", "nr"]


def test_unknown_lock_setting_is_a_note_not_a_pass_or_a_crash() -> None:
    stack = bucket_stack(objectLockEnabled=UNKNOWN, tags={"braze:bucket": "true"})
    result = run(RULE, stack)
    assert result.violations == []
    assert result.notes and "not known until deployment" in result.notes[0]


def test_lock_on_an_unrelated_bucket_is_not_applicable() -> None:
    stack = bucket_stack("unrelated", objectLockEnabled=True)
    stack.add(res(LOCK_V7, "lock", {"bucket": "unrelated"}))
    assert run(RULE, stack).violations == []


def test_a_string_true_is_object_lock_too() -> None:
    """Programs that read config as text pass objectLockEnabled as the string "true"."""
    stack = bucket_stack(objectLockEnabled="true", tags={"braze:bucket": "true"})
    result = run(RULE, stack)
    assert names(result) == ["data"] and "objectLockEnabled: true" in result.violations[0].message


@pytest.mark.parametrize(
    "props",
    [
        {"objectLockConfiguration": UNKNOWN},  # v6 inline / aws-native block unknown as a whole
        {"objectLockConfiguration": {"objectLockEnabled": UNKNOWN}},  # v6 inline flag unknown
    ],
    ids=["configuration-unknown", "inline-flag-unknown"],
)
def test_each_unknown_lock_form_is_a_note(props: dict[str, object]) -> None:
    result = run(RULE, bucket_stack(tags={"braze:bucket": "true"}, **props))
    assert result.violations == [] and len(result.notes) == 1 and "not known until deployment" in result.notes[0]


@pytest.mark.parametrize(
    "props",
    [{"objectLockEnabled": False}, {"objectLockConfiguration": {"objectLockEnabled": "Disabled"}}, {}],
    ids=["flag-false", "inline-disabled", "absent"],
)
def test_known_absent_or_disabled_lock_says_nothing(props: dict[str, object]) -> None:
    result = run(RULE, bucket_stack(tags={"braze:bucket": "true"}, **props))
    assert result.violations == [] and result.notes == []
