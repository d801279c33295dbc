"""Config values at the edges AWS and the CLI draw, each decided before anything is created: a trailing newline
(a YAML block scalar) is refused where it would end up in a document or an AWS name; Unicode letters in tags are
accepted as IAM and S3 accept them, and tag keys that differ only in case refused as IAM refuses them on roles and
users; an alert address listed twice, two access keys that would share one secret output and external ids too
long for IAM's trust-policy quota are refused naming the key; a referenced bucket may carry the dots S3 allows."""

from __future__ import annotations

from typing import Any

import pytest

from braze_s3_tools.engine.harness import ProgramRun, run_program

ROLE = {"auth": "role", "externalIds": ["6f1c2b9e-3f7d-4c55-9a38-1b2d7c0e4a11"]}


def _run(overrides: dict[str, Any]) -> ProgramRun:
    return run_program("dev", preview=True, overrides=overrides)


def _refused(overrides: dict[str, Any], key: str, *words: str) -> str:
    run = _run(overrides)
    assert run.error is not None, "accepted"
    assert not run.resources, "a refused config registers nothing"
    line = next((line for line in run.error.splitlines() if key in line), None)
    assert line is not None and all(w in line for w in words), run.error
    return line


def _connector(name: str = "main", folder: str = "currents", **extra: Any) -> dict[str, Any]:
    return {"name": name, "folderPath": folder, **ROLE, **extra}


NEWLINES: dict[str, tuple[dict[str, Any], str]] = {
    "externalId": (
        {"braze-s3:currents": [_connector(externalIds=["6f1c2b9e-3f7d-4c55-9a38-1b2d7c0e4a11\n"])]},
        "braze-s3:currents[0].externalIds[0]",
    ),
    "folderPath": ({"braze-s3:currents": [_connector(folder="currents\n")]}, "braze-s3:currents[0].folderPath"),
    "bucket name": ({"braze-s3:bucket": {"name": "acme-braze-dev\n"}}, "braze-s3:bucket.name"),
    "connector name": ({"braze-s3:currents": [_connector(name="main\n")]}, "braze-s3:currents[0].name"),
    "iamNamePrefix": ({"braze-s3:iamNamePrefix": "acme\n"}, "braze-s3:iamNamePrefix"),
    "key generation": (
        {"braze-s3:currents": [{"name": "main", "folderPath": "c", "auth": "accessKey", "accessKeys": ["2026-11\n"]}]},
        "braze-s3:currents[0].accessKeys[0]",
    ),
    "permissionsBoundary": (
        {"braze-s3:permissionsBoundary": "arn:aws:iam::123456789012:policy/braze\n"},
        "braze-s3:permissionsBoundary",
    ),
    "alert e-mail": (
        {"braze-s3:alerts": {"staleAfterHours": 24, "email": ["oncall@example.com\n"]}},
        "braze-s3:alerts.email[0]",
    ),
    "tag value": ({"braze-s3:tags": {"team": "crm\n"}}, "braze-s3:tags.team"),
}


@pytest.mark.parametrize("case", list(NEWLINES))
def test_a_trailing_newline_is_refused_naming_the_key(case: str) -> None:
    """Python's `$` matches before a final newline: every validator matches the whole value instead."""
    overrides, key = NEWLINES[case]
    _refused({"braze-s3:dashboardExport": {}, **overrides}, key)


def test_unicode_letters_in_tags_are_accepted_and_other_whitespace_is_not() -> None:
    run = _run({"braze-s3:tags": {"team": "données-clients", "équipe": "crm", "部署": "営業"}})
    assert run.error is None, run.error
    _refused({"braze-s3:tags": {"team": "a\tb"}}, "braze-s3:tags.team", "not a tag value")


def test_tag_keys_that_differ_only_in_case_are_refused() -> None:
    _refused({"braze-s3:tags": {"Team": "crm", "team": "crm-platform"}}, "braze-s3:tags.team", "'Team'", "only in case")


def test_an_alert_address_listed_twice_is_refused_whatever_its_case() -> None:
    for second in ("oncall@example.com", "Oncall@Example.com"):
        alerts = {"staleAfterHours": 24, "email": ["oncall@example.com", "ops@example.com", second]}
        _refused({"braze-s3:alerts": alerts}, "braze-s3:alerts.email[2]", "braze-s3:alerts.email[0]", "list it once")


def test_two_access_keys_that_would_share_one_secret_output_are_refused() -> None:
    currents = [
        {"name": "a", "folderPath": "a", "auth": "accessKey", "accessKeys": ["b-c"]},
        {"name": "a-b", "folderPath": "b", "auth": "accessKey", "accessKeys": ["c"]},
    ]
    _refused(
        {"braze-s3:currents": currents, "braze-s3:dashboardExport": {}},
        "braze-s3:currents[1].accessKeys[0]",
        "'secretAccessKey-currents-a-b-c'",
        "braze-s3:currents[0].accessKeys[0]",
    )


def test_distinct_access_keys_each_get_their_own_secret_output() -> None:
    currents = [
        {"name": "a", "folderPath": "a", "auth": "accessKey", "accessKeys": ["b-c", "d"]},
        {"name": "a-b", "folderPath": "b", "auth": "accessKey", "accessKeys": ["d"]},
    ]
    run = _run({"braze-s3:currents": currents, "braze-s3:dashboardExport": {}})
    assert run.error is None, run.error
    pointers = [g["secretOutput"] for c in run.outputs["currents"].values() for g in c["accessKeys"].values()]
    assert len(set(pointers)) == len(pointers) == 3


def test_external_ids_beyond_the_trust_policy_quota_are_refused() -> None:
    within = [c * 700 for c in "abcde"]  # about 3,600 characters: within the raised quota
    assert _run({"braze-s3:currents": [_connector(externalIds=within)]}).error is None
    beyond = [c * 1000 for c in "abcde"]
    _refused({"braze-s3:currents": [_connector(externalIds=beyond)]}, "braze-s3:currents[0].externalIds", "4,096")


@pytest.mark.parametrize(
    ("name", "mode", "accepted"),
    [
        ("acme.braze.legacy", "reference", True),
        ("acme.braze.legacy", "import", False),
        ("acme.braze.legacy", "create", False),
        ("acme..braze", "reference", False),
        ("acme.-braze", "reference", False),
        ("192.168.10.12", "reference", False),
        ("Acme.braze", "reference", False),
    ],
)
def test_a_dotted_bucket_name_is_accepted_only_for_a_bucket_the_stack_never_changes(
    name: str, mode: str, accepted: bool
) -> None:
    overrides = {"braze-s3:bucket": {"name": name, "mode": mode}, "braze-s3:currents": [_connector()]}
    run = _run(overrides)
    if accepted:
        assert run.error is None, run.error
        assert run.outputs["currents"]["main"]["bucketName"] == name
    else:
        line = _refused(overrides, "braze-s3:bucket.name")
        if mode != "reference":
            assert "mode: reference" in line and "only accepts TLS" not in line
