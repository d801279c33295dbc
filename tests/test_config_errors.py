"""Bad stack config: a clear error naming the key path, and not one resource registered."""

from __future__ import annotations

import json
from typing import Any

import pytest

from braze_s3_tools.engine.harness import run_program
from tests.helpers import KEYS_AUTH as KEYS
from tests.helpers import ROLE_AUTH as ROLE

BUCKET = {"name": "acme-braze-dev"}


def currents(*connectors: dict[str, Any]) -> dict[str, Any]:
    return {"braze-s3:currents": list(connectors)}


# (id, overrides of the dev stack, key path the message must name, words it must contain)
CASES: list[tuple[str, dict[str, Any], str, str]] = [
    ("bucket-dots", {"braze-s3:bucket": {"name": "acme.braze.dev"}}, "braze-s3:bucket.name", "dot"),
    ("bucket-upper", {"braze-s3:bucket": {"name": "Acme-Braze"}}, "braze-s3:bucket.name", "lowercase"),
    ("bucket-short", {"braze-s3:bucket": {"name": "ab"}}, "braze-s3:bucket.name", "3 to 63"),
    ("bucket-long", {"braze-s3:bucket": {"name": "a" * 64}}, "braze-s3:bucket.name", "3 to 63"),
    ("bucket-ip", {"braze-s3:bucket": {"name": "10.0.0.1"}}, "braze-s3:bucket.name", "dot"),
    ("bucket-prefix", {"braze-s3:bucket": {"name": "xn--braze"}}, "braze-s3:bucket.name", "reserves"),
    ("bucket-suffix", {"braze-s3:bucket": {"name": "braze-s3alias"}}, "braze-s3:bucket.name", "reserves"),
    ("bucket-missing-name", {"braze-s3:bucket": {"protect": True}}, "braze-s3:bucket.name", "required"),
    (
        "bucket-typo",
        {"braze-s3:bucket": {**BUCKET, "protcet": True}},
        "braze-s3:bucket.protcet",
        'did you mean "protect"',
    ),
    (
        "bucket-protect-type",
        {"braze-s3:bucket": {**BUCKET, "protect": "yes"}},
        "braze-s3:bucket.protect",
        "true or false",
    ),
    ("top-level-typo", {"braze-s3:curents": []}, "braze-s3:curents", 'did you mean "currents"'),
    (
        "folder-leading-slash",
        currents({"name": "a", "folderPath": "/currents", **ROLE}),
        "braze-s3:currents[0].folderPath",
        "leading slash",
    ),
    (
        "folder-dotdot",
        currents({"name": "a", "folderPath": "currents/../x", **ROLE}),
        "braze-s3:currents[0].folderPath",
        "'..'",
    ),
    (
        "folder-empty-segment",
        currents({"name": "a", "folderPath": "a//b", **ROLE}),
        "braze-s3:currents[0].folderPath",
        "empty segment",
    ),
    (
        "folder-wildcard",
        currents({"name": "a", "folderPath": "curr*", **ROLE}),
        "braze-s3:currents[0].folderPath",
        "wildcards",
    ),
    (
        "folder-space",
        currents({"name": "a", "folderPath": "my folder", **ROLE}),
        "braze-s3:currents[0].folderPath",
        "segment",
    ),
    ("folder-empty", currents({"name": "a", "folderPath": "", **ROLE}), "braze-s3:currents[0].folderPath", "empty"),
    (
        "folder-nested",
        currents(
            {"name": "main", "folderPath": "currents", **ROLE}, {"name": "eu", "folderPath": "currents/eu", **KEYS}
        ),
        "braze-s3:currents[1].folderPath",
        'lies inside connector "main"\'s folder "currents"',
    ),
    (
        "folder-contains",
        currents(
            {"name": "eu", "folderPath": "currents/eu", **ROLE}, {"name": "main", "folderPath": "currents/", **KEYS}
        ),
        "braze-s3:currents[1].folderPath",
        'contains connector "eu"\'s folder',
    ),
    (
        "folder-same-after-normalising",
        currents(
            {"name": "a", "folderPath": "currents", **ROLE}, {"name": "b", "folderPath": "currents//"[:-1], **KEYS}
        ),
        "braze-s3:currents[1].folderPath",
        'is also the folder of connector "a"',
    ),
    (
        "folder-default-twice",
        currents({"name": "a", **ROLE}, {"name": "b", **KEYS}),
        "braze-s3:currents[1].folderPath",
        "is also the folder",
    ),
    (
        "duplicate-names",
        currents({"name": "a", "folderPath": "x", **ROLE}, {"name": "a", "folderPath": "y", **ROLE}),
        "braze-s3:currents[1].name",
        "already the name",
    ),
    ("bad-connector-name", currents({"name": "Main Connector", **ROLE}), "braze-s3:currents[0].name", "lowercase"),
    (
        "unknown-auth",
        currents({"name": "a", "auth": "roles", "externalIds": ["abc"]}),
        "braze-s3:currents[0].auth",
        'did you mean "role"',
    ),
    (
        "role-without-external-ids",
        currents({"name": "a", "auth": "role"}),
        "braze-s3:currents[0].externalIds",
        "required",
    ),
    (
        "external-id-string",
        currents({"name": "a", "auth": "role", "externalIds": "abc-123"}),
        "braze-s3:currents[0].externalIds",
        "list",
    ),
    (
        "external-id-format",
        currents({"name": "a", "auth": "role", "externalIds": ["has space"]}),
        "braze-s3:currents[0].externalIds[0]",
        "1,224",
    ),
    (
        "external-id-too-short",
        currents({"name": "a", "auth": "role", "externalIds": ["x"]}),
        "braze-s3:currents[0].externalIds[0]",
        "2 to 1,224",
    ),
    (
        "keys-with-role",
        currents({"name": "a", **ROLE, "accessKeys": ["k1"]}),
        "braze-s3:currents[0].accessKeys",
        "accessKey only",
    ),
    (
        "three-key-generations",
        currents({"name": "a", "auth": "accessKey", "accessKeys": ["a", "b", "c"]}),
        "braze-s3:currents[0].accessKeys",
        "2 access keys per user",
    ),
    ("no-key-generation", currents({"name": "a", "auth": "accessKey"}), "braze-s3:currents[0].accessKeys", "required"),
    (
        "duplicate-key-generation",
        currents({"name": "a", "auth": "accessKey", "accessKeys": ["a", "a"]}),
        "braze-s3:currents[0].accessKeys",
        "twice",
    ),
    (
        "connector-typo",
        currents({"name": "a", "folderpath": "x", **ROLE}),
        "braze-s3:currents[0].folderpath",
        'did you mean "folderPath"',
    ),
    ("sse-type", currents({"name": "a", "sse": "AES256", **ROLE}), "braze-s3:currents[0].sse", "true or false"),
    (
        "object-scope",
        currents({"name": "a", "objectScope": "prefix", **ROLE}),
        "braze-s3:currents[0].objectScope",
        "folder",
    ),
    ("account-id-short", {"braze-s3:brazeAccountId": "12345"}, "braze-s3:brazeAccountId", "12 digits"),
    ("account-id-letters", {"braze-s3:brazeAccountId": "12345678901a"}, "braze-s3:brazeAccountId", "12 digits"),
    (
        "dashboard-unknown-auth",
        {"braze-s3:dashboardExport": {"auth": "password"}},
        "braze-s3:dashboardExport.auth",
        "role or accessKey",
    ),
    (
        "dashboard-typo",
        {"braze-s3:dashboardExport": {**ROLE, "externalId": ["x1"]}},
        "braze-s3:dashboardExport.externalId",
        'did you mean "externalIds"',
    ),
    (
        "lifecycle-storage-class",
        currents({"name": "a", **ROLE, "lifecycle": {"transitions": [{"days": 40, "storageClass": "COLD"}]}}),
        "braze-s3:currents[0].lifecycle.transitions[0].storageClass",
        "not a storage class",
    ),
    (
        "lifecycle-ia-too-early",
        currents({"name": "a", **ROLE, "lifecycle": {"transitions": [{"days": 10, "storageClass": "STANDARD_IA"}]}}),
        "braze-s3:currents[0].lifecycle.transitions[0].days",
        "30 days",
    ),
    (
        "lifecycle-expire-before-transition",
        currents(
            {
                "name": "a",
                **ROLE,
                "lifecycle": {"expirationDays": 20, "transitions": [{"days": 30, "storageClass": "GLACIER"}]},
            }
        ),
        "braze-s3:currents[0].lifecycle.transitions[0].days",
        "before expirationDays",
    ),
    (
        "lifecycle-negative",
        {"braze-s3:bucket": {**BUCKET, "lifecycle": {"abortIncompleteMultipartUploadDays": 0}}},
        "braze-s3:bucket.lifecycle.abortIncompleteMultipartUploadDays",
        "out of range",
    ),
    (
        "noncurrent-without-versioning",
        {"braze-s3:bucket": {**BUCKET, "lifecycle": {"noncurrentVersionExpirationDays": 10}}},
        "braze-s3:bucket.lifecycle.noncurrentVersionExpirationDays",
        "versioning",
    ),
    ("tag-reserved", {"braze-s3:tags": {"braze:connector": "x"}}, "braze-s3:tags.braze:connector", "reserved"),
    ("tag-value-type", {"braze-s3:tags": {"team": 7}}, "braze-s3:tags.team", "tag value"),
    ("iam-path", {"braze-s3:iamPath": "braze"}, "braze-s3:iamPath", "start and end"),
]


@pytest.mark.parametrize(("overrides", "key", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_config_names_the_key_and_registers_nothing(overrides: dict[str, Any], key: str, words: str) -> None:
    run = run_program("dev", overrides=overrides)
    assert run.error is not None, f"{key}: a bad value was accepted"
    assert f"  - {key}: " in run.error, f"the message must name {key}:\n{run.error}"
    line = next(line for line in run.error.splitlines() if line.startswith(f"  - {key}: "))
    assert words in line, f"{key}: expected {words!r} in {line!r}"
    assert run.resources == [], f"{key}: resources were registered before validation failed"
    assert "Traceback" not in run.error


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("bucket", "acme-braze-dev", "must be an object"),
        ("currents", {"name": "a"}, "must be a list"),
        ("dashboardExport", ["role"], "must be an object"),
    ],
)
def test_the_program_checks_shapes_itself_where_the_cli_does_not(key: str, value: Any, words: str) -> None:
    """Under a CLI older than the object-typed declarations, the program is the only check."""
    from components.config.stack import parse_settings
    from components.errors import InvalidConfigError

    raw = {"bucket": json.dumps(BUCKET), key: json.dumps(value) if not isinstance(value, str) else value}
    with pytest.raises(InvalidConfigError) as error:
        parse_settings(raw)
    assert f"braze-s3:{key}: {words}" in str(error.value)


def test_role_without_braze_account_id_is_reported_at_the_account_key() -> None:
    from braze_s3_tools.engine.stack_files import load_stack_config

    config = load_stack_config("dev")
    del config.values["braze-s3:brazeAccountId"]
    run = run_program("dev", config=config)
    assert run.error is not None
    assert "braze-s3:brazeAccountId: is required because braze-s3:currents[0].auth is role" in run.error
    assert run.resources == []


def test_every_problem_is_reported_in_one_message() -> None:
    run = run_program(
        "dev",
        overrides={
            "braze-s3:bucket": {"name": "Bad.Name"},
            "braze-s3:brazeAccountId": "1",
            **currents({"name": "a", "auth": "x"}),
        },
    )
    assert run.error is not None
    assert run.error.startswith("3 errors in the braze-s3 stack configuration:")


def test_a_secret_config_value_is_never_echoed() -> None:
    from braze_s3_tools.engine.stack_files import load_stack_config

    config = load_stack_config("dev", overrides={"braze-s3:brazeAccountId": "not-an-account-hunter2"})
    config.secret_keys.append("braze-s3:brazeAccountId")
    run = run_program("dev", config=config)
    assert run.error is not None and "braze-s3:brazeAccountId" in run.error
    assert "hunter2" not in run.error


def test_nested_folder_message_gives_the_fix_command() -> None:
    run = run_program(
        "dev", overrides=currents({"name": "main", **ROLE}, {"name": "eu", "folderPath": "currents/eu", **KEYS})
    )
    assert run.error is not None
    assert (
        'braze-s3:currents[1].folderPath: "currents/eu" lies inside connector "main"\'s folder "currents"; '
        "give each connector its own folder (pulumi config set --path 'braze-s3:currents[1].folderPath' currents-eu)"
    ) in run.error


@pytest.mark.parametrize(
    ("key", "overrides", "message_key", "secret_words"),
    [
        (
            "currents",
            currents(
                {"name": "main", "folderPath": "hunter2", **ROLE}, {"name": "eu", "folderPath": "hunter2/eu", **KEYS}
            ),
            "braze-s3:currents[1].folderPath",
            "hunter2",
        ),
        ("tags", {"braze-s3:tags": {"team": "hunter2!"}}, "braze-s3:tags.team", "hunter2"),
        (
            "currents",
            currents({"name": "main", **ROLE, "lifecycle": {"expirationDays": 987654321}}),
            "braze-s3:currents[0].lifecycle.expirationDays",
            "987654321",
        ),
        ("bucket", {"braze-s3:bucket": {"name": "Hunter2-Bucket"}}, "braze-s3:bucket.name", "Hunter2"),
    ],
)
def test_no_message_quotes_a_value_of_a_secret_key(
    key: str, overrides: dict[str, Any], message_key: str, secret_words: str
) -> None:
    """The CLI marks a whole top-level key secret when any value inside it is: every quote of it is [secret]."""
    from braze_s3_tools.engine.stack_files import load_stack_config

    config = load_stack_config("dev", overrides=overrides)
    config.secret_keys.append(f"braze-s3:{key}")
    run = run_program("dev", config=config)
    assert run.error is not None and f"  - {message_key}: " in run.error, run.error
    assert secret_words not in run.error and "[secret]" in run.error
