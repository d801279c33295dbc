"""Several buckets, bucket modes and customer managed KMS in the config: every mistake is refused
before anything is registered, naming the key, the value and the fix."""

from __future__ import annotations

from typing import Any

import pytest

from braze_s3_tools.engine.harness import run_program
from tests.helpers import ROLE_AUTH, error_line

KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/0f4e2d1c-8b7a-4c6d-9e5f-1a2b3c4d5e6f"


def _stack(**changes: Any) -> dict[str, Any]:
    """Currents on the default bucket, dashboard export on `exports`."""
    config: dict[str, Any] = {
        "braze-s3:bucket": {"name": "acme-braze-dev"},
        "braze-s3:buckets": {"exports": {"name": "acme-braze-exports-dev"}},
        "braze-s3:currents": [{"name": "main", "folderPath": "currents", **ROLE_AUTH}],
        "braze-s3:dashboardExport": {"bucket": "exports", **ROLE_AUTH},
    }
    config.update({f"braze-s3:{k}": v for k, v in changes.items()})
    return config


def _refused(overrides: dict[str, Any], key: str, *words: str) -> str:
    run = run_program("dev", overrides=overrides)
    assert run.resources == [], "a refused config registers nothing"
    line = error_line(run, key)
    assert line and all(w in line for w in words), run.error
    return line


def test_integrations_on_several_buckets_are_accepted() -> None:
    run = run_program("dev", overrides=_stack())
    assert run.error is None, run.error


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"currents": [{"name": "main", "bucket": "archive", **ROLE_AUTH}]}, "braze-s3:currents[0].bucket"),
        ({"dashboardExport": {"bucket": "archive", **ROLE_AUTH}}, "braze-s3:dashboardExport.bucket"),
    ],
)
def test_a_bucket_that_does_not_exist_is_refused_with_the_known_ones(changes: dict[str, Any], key: str) -> None:
    _refused(_stack(**changes), key, '"archive"', "not a bucket of this stack", "default, exports")


def test_a_bucket_no_integration_uses_is_refused() -> None:
    buckets = {"exports": {"name": "acme-braze-exports-dev"}, "spare": {"name": "acme-braze-spare"}}
    _refused(_stack(buckets=buckets), "braze-s3:buckets.spare", "used by no integration", "dashboardExport.bucket")


def test_one_bucket_listed_twice_is_refused() -> None:
    _refused(
        _stack(buckets={"exports": {"name": "acme-braze-dev"}}),
        "braze-s3:buckets.exports.name",
        '"acme-braze-dev"',
        "also the name of braze-s3:bucket",
    )


@pytest.mark.parametrize("key", ["default", "Exports", "a" * 33, "-x"])
def test_a_bad_bucket_key_is_refused(key: str) -> None:
    _refused(_stack(buckets={key: {"name": "acme-braze-exports-dev"}}), f"braze-s3:buckets.{key}", "lowercase letters")


def test_an_unknown_mode_is_refused() -> None:
    _refused(
        _stack(bucket={"name": "acme-braze-dev", "mode": "adopt"}),
        "braze-s3:bucket.mode",
        '"adopt"',
        "create",
        "import",
        "reference",
    )


@pytest.mark.parametrize("setting", [{"protect": True}, {"versioning": True}, {"lifecycle": {}}])
def test_a_reference_bucket_cannot_be_given_settings_it_would_change(setting: dict[str, Any]) -> None:
    (name,) = setting
    _refused(
        _stack(bucket={"name": "acme-braze-dev", "mode": "reference", **setting}),
        f"braze-s3:bucket.{name}",
        "mode: reference",
        "mode: import",
    )


def test_a_connector_lifecycle_on_a_reference_bucket_is_refused() -> None:
    plain = {"name": "main", "folderPath": "currents", **ROLE_AUTH}
    connector = {"name": "eu", "folderPath": "currents-eu", "lifecycle": {"expirationDays": 30}, **ROLE_AUTH}
    _refused(
        _stack(bucket={"name": "acme-braze-dev", "mode": "reference"}, currents=[plain, connector]),
        "braze-s3:currents[1].lifecycle",
        "reference bucket default",
    )


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("alias/braze", ("not a KMS key ARN", "not an alias")),
        ("arn:aws:kms:eu-west-1:123456789012:alias/braze", ("not a KMS key ARN",)),
        (KEY_ARN.replace("eu-west-1", "us-east-1"), ("region us-east-1", "bucket's region (eu-west-1)")),
        (KEY_ARN.replace("arn:aws:", "arn:aws-cn:"), ("partition aws-cn",)),
    ],
)
def test_a_bad_kms_key_is_refused(value: str, words: tuple[str, ...]) -> None:
    _refused(_stack(bucket={"name": "acme-braze-dev", "kmsKeyArn": value}), "braze-s3:bucket.kmsKeyArn", *words)


def test_currents_aes256_toggle_on_a_kms_bucket_is_refused_with_the_reason() -> None:
    connector = {"name": "main", "folderPath": "currents", "sse": True, **ROLE_AUTH}
    _refused(
        _stack(bucket={"name": "acme-braze-dev", "kmsKeyArn": KEY_ARN}, currents=[connector]),
        "braze-s3:currents[0].sse",
        "kmsKeyArn",
        "AES-256 header",
        "sse: false",
    )


def test_folders_need_only_differ_within_one_bucket() -> None:
    on_exports = {"name": "other", "folderPath": "currents", "bucket": "exports", **ROLE_AUTH}
    main = {"name": "main", "folderPath": "currents", **ROLE_AUTH}
    run = run_program("dev", overrides=_stack(currents=[main, on_exports]))
    assert run.error is None, run.error
    same_bucket = {**on_exports, "bucket": "default"}
    _refused(_stack(currents=[main, same_bucket]), "braze-s3:currents[1].folderPath", "also the folder of connector")
