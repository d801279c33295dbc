"""Enterprise IAM guard-rails: a permissions boundary and a name prefix on every principal."""

from __future__ import annotations

from typing import Any

import pytest

from braze_s3_tools.engine.harness import run_program
from tests.helpers import error_line

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
    line = error_line(run, "braze-s3:permissionsBoundary")
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
    line = error_line(run, "braze-s3:iamNamePrefix")
    assert words in line


# IAM's own rule for a path: `(\u002F)|(\u002F[\u0021-\u007E]+\u002F)`, at most 512 characters.
@pytest.mark.parametrize("path", ["/", "/a//b/", "/braze/", "///", "/a~b!c*/", "/" + "a" * 510 + "/"])
def test_every_path_iam_accepts_is_accepted_and_set_on_every_principal_and_policy(path: str) -> None:
    run = run_program("dev", overrides={"braze-s3:iamPath": path})
    assert run.error is None, run.error
    created = run.by_type("aws:iam/role:Role") + run.by_type("aws:iam/user:User") + run.by_type("aws:iam/policy:Policy")
    assert created and all(r.inputs.get("path") == path for r in created)


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("braze", "start and end it with '/'"),
        ("/braze", "start and end it with '/'"),
        ("braze/", "start and end it with '/'"),
        ("//", "start and end it with '/'"),
        ("", "start and end it with '/'"),
        ("/" + "a" * 511 + "/", "is 513 characters long; IAM allows at most 512"),
        ("/" + "a" * 600, "is 601 characters long; IAM allows at most 512"),
        ("/a b/", "contains ' ' outside printable ASCII"),
        ("/é/", "contains 'é' outside printable ASCII"),
    ],
)
def test_a_path_iam_refuses_is_refused_with_the_constraint_it_breaks(path: str, words: str) -> None:
    run = run_program("dev", overrides={"braze-s3:iamPath": path})
    assert run.error is not None and run.resources == []
    line = error_line(run, "braze-s3:iamPath")
    assert words in line, line
    if "characters long" in words:
        assert "start and end" not in line
