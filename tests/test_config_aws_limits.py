"""What AWS or Braze would refuse later, refused now: partitions, regions, Braze's prefixes, S3 lifecycle rules."""

from __future__ import annotations

import json
from typing import Any

import pytest

from braze_s3_tools.engine.harness import run_program
from tests.helpers import KEYS_AUTH as KEYS
from tests.helpers import ROLE_AUTH as ROLE
from tests.helpers import error_line

ROLE_CURRENTS = {"braze-s3:currents": [{"name": "main", **ROLE}], "braze-s3:dashboardExport": {}}
KEYS_ONLY = {"braze-s3:currents": [{"name": "main", **KEYS}], "braze-s3:dashboardExport": {}}


@pytest.mark.parametrize("region", ["cn-north-1", "cn-northwest-1", "us-gov-west-1", "us-gov-east-1"])
def test_role_auth_is_refused_outside_the_aws_partition(region: str) -> None:
    run = run_program("dev", overrides={"aws:region": region, **ROLE_CURRENTS})
    assert run.error is not None and run.resources == []
    line = error_line(run, "braze-s3:currents[0].auth")
    assert "IAM cannot trust a principal of another partition" in line and region in line


@pytest.mark.parametrize(("region", "partition"), [("cn-north-1", "aws-cn"), ("us-gov-west-1", "aws-us-gov")])
def test_access_keys_outside_the_aws_partition_build_arns_of_that_partition(region: str, partition: str) -> None:
    run = run_program("dev", overrides={"aws:region": region, "braze-s3:brazeAccountId": "", **KEYS_ONLY})
    assert run.error is None, run.error
    policy = run.get("aws:iam/policy:Policy", "currents-main-policy").inputs["policy"]
    assert f"arn:{partition}:s3:::acme-braze-dev" in policy and "arn:aws:s3" not in policy


@pytest.mark.parametrize(
    ("region", "words"),
    [
        ("us-iso-east-1", "isolated partition aws-iso"),
        ("us-isob-east-1", "isolated partition aws-iso-b"),
        ("eu-west", "not an AWS region"),
        ("EU-WEST-1", "not an AWS region"),
        ("eu-west-1 ", "not an AWS region"),
    ],
)
def test_a_region_braze_cannot_reach_or_that_does_not_exist_is_refused(region: str, words: str) -> None:
    run = run_program("dev", overrides={"aws:region": region})
    assert run.error is not None and run.resources == []
    assert f"  - aws:region: {json.dumps(region)} is " in run.error and words in run.error


@pytest.mark.parametrize("folder", ["sent_messages", "sent_messages/email", "segment-export", "segment-export/x/"])
def test_a_currents_folder_may_not_be_one_of_brazes_own_prefixes(folder: str) -> None:
    run = run_program("dev", overrides={"braze-s3:currents": [{"name": "main", "folderPath": folder, **ROLE}]})
    assert run.error is not None
    line = error_line(run, "braze-s3:currents[0].folderPath")
    assert "Braze's own" in line


def test_a_folder_that_only_starts_with_the_same_letters_is_fine() -> None:
    run = run_program(
        "dev", overrides={"braze-s3:currents": [{"name": "main", "folderPath": "sent_messages_x", **ROLE}]}
    )
    assert run.error is None, run.error


@pytest.mark.parametrize(
    ("transitions", "key", "words"),
    [
        (
            [{"days": 30, "storageClass": "GLACIER"}, {"days": 60, "storageClass": "GLACIER"}],
            "transitions[1].storageClass",
            "listed twice",
        ),
        (
            [{"days": 30, "storageClass": "GLACIER"}, {"days": 90, "storageClass": "STANDARD_IA"}],
            "transitions[1].storageClass",
            "cannot move objects from GLACIER to STANDARD_IA",
        ),
        (
            [{"days": 30, "storageClass": "ONEZONE_IA"}, {"days": 90, "storageClass": "GLACIER_IR"}],
            "transitions[1].storageClass",
            "ONEZONE_IA cannot go to GLACIER_IR",
        ),
        (
            [{"days": 30, "storageClass": "STANDARD_IA"}, {"days": 45, "storageClass": "GLACIER"}],
            "transitions[1].days",
            "at the soonest 60",
        ),
    ],
)
def test_lifecycle_transitions_follow_s3s_rules(transitions: list[dict[str, Any]], key: str, words: str) -> None:
    connector = {"name": "main", **ROLE, "lifecycle": {"transitions": transitions, "expirationDays": 400}}
    run = run_program("dev", overrides={"braze-s3:currents": [connector]})
    assert run.error is not None
    line = error_line(run, f"braze-s3:currents[0].lifecycle.{key}")
    assert words in line, run.error


def test_a_valid_waterfall_is_accepted() -> None:
    transitions = [
        {"days": 30, "storageClass": "STANDARD_IA"},
        {"days": 60, "storageClass": "GLACIER_IR"},
        {"days": 180, "storageClass": "DEEP_ARCHIVE"},
    ]
    connector = {"name": "main", **ROLE, "lifecycle": {"transitions": transitions, "expirationDays": 400}}
    assert run_program("dev", overrides={"braze-s3:currents": [connector]}).error is None


def test_a_stack_with_no_integration_is_refused() -> None:
    run = run_program("dev", overrides={"braze-s3:currents": [], "braze-s3:dashboardExport": {}})
    assert run.error is not None and run.resources == []
    assert "braze-s3:currents: and braze-s3:dashboardExport are both empty" in run.error
