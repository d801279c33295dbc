"""Bad stack config: a clear error naming the key path, and not one resource registered."""

from __future__ import annotations

import json
from typing import Any

import pytest

from braze_s3_tools.harness import run_program

ROLE = {"auth": "role", "externalIds": ["6f1c2b9e-3f7d-4c55-9a38-1b2d7c0e4a11"]}
KEYS = {"auth": "accessKey", "accessKeys": ["2026-11"]}
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
    from components.config import parse_settings
    from components.errors import InvalidConfigError

    raw = {"bucket": json.dumps(BUCKET), key: json.dumps(value) if not isinstance(value, str) else value}
    with pytest.raises(InvalidConfigError) as error:
        parse_settings(raw)
    assert f"braze-s3:{key}: {words}" in str(error.value)


def test_role_without_braze_account_id_is_reported_at_the_account_key() -> None:
    from braze_s3_tools.stack_files import load_stack_config

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
    from braze_s3_tools.stack_files import load_stack_config

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


ROLE_CURRENTS = {"braze-s3:currents": [{"name": "main", **ROLE}], "braze-s3:dashboardExport": {}}
KEYS_ONLY = {"braze-s3:currents": [{"name": "main", **KEYS}], "braze-s3:dashboardExport": {}}


@pytest.mark.parametrize("region", ["cn-north-1", "cn-northwest-1", "us-gov-west-1", "us-gov-east-1"])
def test_role_auth_is_refused_outside_the_aws_partition(region: str) -> None:
    run = run_program("dev", overrides={"aws:region": region, **ROLE_CURRENTS})
    assert run.error is not None and run.resources == []
    line = next(line for line in run.error.splitlines() if "braze-s3:currents[0].auth" in line)
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
    line = next(line for line in run.error.splitlines() if "braze-s3:currents[0].folderPath" in line)
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
    line = next((line for line in run.error.splitlines() if f"braze-s3:currents[0].lifecycle.{key}" in line), "")
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
    from braze_s3_tools.stack_files import load_stack_config

    config = load_stack_config("dev", overrides=overrides)
    config.secret_keys.append(f"braze-s3:{key}")
    run = run_program("dev", config=config)
    assert run.error is not None and f"  - {message_key}: " in run.error, run.error
    assert secret_words not in run.error and "[secret]" in run.error


BOUNDARY = "arn:aws:iam::123456789012:policy/security/braze-boundary"


def test_a_permissions_boundary_is_set_on_every_role_and_user_and_nowhere_else() -> None:
    run = run_program("dev", overrides={"braze-s3:permissionsBoundary": BOUNDARY})
    assert run.error is None, run.error
    principals = run.by_type("aws:iam/role:Role") + run.by_type("aws:iam/user:User")
    assert len(principals) == 3
    assert all(p.inputs.get("permissionsBoundary") == BOUNDARY for p in principals)
    assert all("permissionsBoundary" not in p.inputs for p in run.by_type("aws:iam/policy:Policy"))


def test_without_a_boundary_no_principal_gets_one(dev_preview: Any) -> None:
    principals = dev_preview.by_type("aws:iam/role:Role") + dev_preview.by_type("aws:iam/user:User")
    assert principals and all("permissionsBoundary" not in p.inputs for p in principals)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("braze-boundary", "not an IAM managed policy ARN"),
        ("arn:aws:iam::123456789012:role/braze", "not an IAM managed policy ARN"),
        ("arn:aws-cn:iam::123456789012:policy/b", "partition aws-cn, the stack in aws"),
    ],
)
def test_a_bad_permissions_boundary_names_the_key(value: str, words: str) -> None:
    run = run_program("dev", overrides={"braze-s3:permissionsBoundary": value})
    assert run.error is not None and run.resources == []
    line = next(line for line in run.error.splitlines() if "braze-s3:permissionsBoundary" in line)
    assert words in line


def test_a_name_prefix_gives_every_role_user_and_policy_a_stable_prefixed_name() -> None:
    import re as regex

    first = run_program("dev", overrides={"braze-s3:iamNamePrefix": "acme-"})
    assert first.error is None, first.error
    named = [
        *first.by_type("aws:iam/role:Role"),
        *first.by_type("aws:iam/user:User"),
        *first.by_type("aws:iam/policy:Policy"),
    ]
    assert len(named) == 6
    for resource in named:
        assert regex.fullmatch(rf"acme-{regex.escape(resource.name)}-[0-9a-f]{{7}}", resource.inputs["name"]), (
            resource.name
        )
    again = run_program("dev", overrides={"braze-s3:iamNamePrefix": "acme-"})
    assert {r.name: r.inputs["name"] for r in again.resources if "name" in r.inputs} == {
        r.name: r.inputs["name"] for r in first.resources if "name" in r.inputs
    }, "names must not change between runs (a change replaces credentials)"


def test_without_a_prefix_names_stay_pulumi_auto_names(dev_preview: Any) -> None:
    for type_ in ("aws:iam/role:Role", "aws:iam/user:User", "aws:iam/policy:Policy"):
        assert all("name" not in r.inputs for r in dev_preview.by_type(type_)), type_


@pytest.mark.parametrize(
    ("prefix", "words"),
    [
        ("acme corp-", "not a name prefix"),
        ("a" * 33, "not a name prefix"),
        # "acme-platform-" + "currents-" + a 32-character connector + "-role" + "-<7 hex>": 68 characters
        ("acme-platform-", "IAM allows 64"),
    ],
)
def test_a_bad_name_prefix_names_the_key(prefix: str, words: str) -> None:
    long_connector = {"name": "a" * 32, "auth": "accessKey", "accessKeys": ["2026-11"]}
    run = run_program("dev", overrides={"braze-s3:iamNamePrefix": prefix, "braze-s3:currents": [long_connector]})
    assert run.error is not None and run.resources == []
    line = next(line for line in run.error.splitlines() if "braze-s3:iamNamePrefix" in line)
    assert words in line
