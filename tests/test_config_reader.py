"""The one reader every config value goes through: what it accepts, and the exact words of what it refuses.

Each config mistake a user makes ends as one of these messages, so each check and each message part
(the key, the value as written, the type found, the fix) is pinned here, secret masking included.
"""

from __future__ import annotations

from typing import Any

import pytest

from components.config.reader import Reader, show_value, type_name, unknown_key_message, yaml_hint


def _read(method: str, value: Any, **kwargs: Any) -> tuple[Any, list[tuple[str, str]]]:
    reader = Reader(secret_keys=["token"])
    obj = {} if value is _ABSENT else {"k": value}
    found = getattr(reader, method)(obj, "k", "braze-s3:x", **kwargs)
    return found, [(i.path, i.message) for i in reader.issues]


_ABSENT = object()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({}, "an object"),
        ([], "a list"),
        ("", "a string"),
        (True, "a boolean"),
        (None, "null"),
        (3, "a number"),
        (2.5, "a number"),
    ],
)
def test_type_names(value: Any, expected: str) -> None:
    assert type_name(value) == expected


def test_values_show_as_json_shortened_with_an_ellipsis() -> None:
    assert show_value("a") == '"a"'
    assert show_value("x" * 78) == '"' + "x" * 78 + '"'  # 80 characters: whole
    long = show_value("y" * 200)
    assert len(long) == 80 and long.endswith("…") and long.startswith('"yyy')


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("2026-11-01 00:00:00 +0000 UTC", "YAML read an unquoted date as a timestamp: quote the value"),
        (2026, "YAML read it as a number: quote the value"),
        (1.5, "YAML read it as a number: quote the value"),
        (True, None),
        ("2026-11", None),
    ],
)
def test_yaml_hints_say_why_text_arrived_as_something_else(value: Any, hint: str | None) -> None:
    assert yaml_hint(value) == (f" ({hint})" if hint else "")


@pytest.mark.parametrize(
    ("value", "result", "message"),
    [
        (_ABSENT, None, "is required but missing"),
        (None, None, "is required but missing"),
        ("v", "v", None),
        (5, None, "must be a string; got a number 5 (YAML read it as a number: quote the value)"),
        (["v"], None, 'must be a string; got a list ["v"]'),
    ],
)
def test_string(value: Any, result: Any, message: str | None) -> None:
    found, issues = _read("string", value)
    assert found == result
    assert issues == ([("braze-s3:x.k", message)] if message else [])


def test_a_string_with_a_default_is_optional() -> None:
    assert _read("string", _ABSENT, default="d") == ("d", [])
    assert _read("string", None, default="d") == ("d", [])


@pytest.mark.parametrize(
    ("value", "result", "message"),
    [
        (_ABSENT, False, None),
        (None, False, None),
        (True, True, None),
        (False, False, None),
        ("true", True, None),  # `pulumi config set --path` stores text
        ("false", False, None),
        ("yes", False, 'must be true or false; got "yes"'),
        (1, False, "must be true or false; got 1"),  # quoting would not make it a boolean: no YAML hint
    ],
)
def test_boolean(value: Any, result: bool, message: str | None) -> None:
    found, issues = _read("boolean", value, default=False)
    assert found is result
    assert issues == ([("braze-s3:x.k", message)] if message else [])
    assert _read("boolean", _ABSENT, default=True) == (True, [])


@pytest.mark.parametrize(
    ("value", "result", "message"),
    [
        (_ABSENT, 7, None),
        (None, 7, None),
        (1, 1, None),
        (30, 30, None),
        ("12", 12, None),
        (" 12 ", 12, None),
        (0, 7, "0 is out of range; use a whole number from 1 to 30"),
        (31, 7, "31 is out of range; use a whole number from 1 to 30"),
        (True, 7, "must be a whole number of days from 1 to 30; got true"),
        (2.5, 7, "must be a whole number of days from 1 to 30; got 2.5"),
        ("１２", 7, 'must be a whole number of days from 1 to 30; got "１２"'),  # full-width digits
        ("-3", 7, 'must be a whole number of days from 1 to 30; got "-3"'),
    ],
)
def test_integer(value: Any, result: Any, message: str | None) -> None:
    found, issues = _read("integer", value, default=7, low=1, high=30)
    assert found == result
    assert issues == ([("braze-s3:x.k", message)] if message else [])


def test_an_integer_names_its_unit() -> None:
    _, issues = _read("integer", "x", default=None, low=1, high=9, unit="keys")
    assert issues == [("braze-s3:x.k", 'must be a whole number of keys from 1 to 9; got "x"')]


@pytest.mark.parametrize(
    ("value", "result", "message"),
    [
        (_ABSENT, None, None),
        (["a", "b"], ["a", "b"], None),
        ([], [], None),
        ("a", None, 'must be a list of strings; write ["a"] (a list, so it can be rotated)'),
        ({"a": 1}, None, 'must be a list of strings; got {"a": 1}'),
    ],
)
def test_string_list(value: Any, result: Any, message: str | None) -> None:
    found, issues = _read("string_list", value)
    assert found == result
    assert issues == ([("braze-s3:x.k", message)] if message else [])


def test_a_string_list_names_each_item_that_is_not_a_string_with_the_yaml_fix() -> None:
    found, issues = _read("string_list", ["a", 2026, "b", True])
    assert found is None
    assert issues == [
        ("braze-s3:x.k[1]", "must be a string; got a number 2026 (YAML read it as a number: quote the value)"),
        ("braze-s3:x.k[3]", f"must be a string; got a boolean true{yaml_hint(True)}"),
    ]


def test_a_mapping_names_its_keys_and_every_unknown_one() -> None:
    reader = Reader(secret_keys=[])
    assert reader.mapping(["x"], "braze-s3:bucket", ("name", "protect")) is None
    assert reader.mapping({"name": "b", "protcet": True, "Name": 1}, "braze-s3:bucket", ("name", "protect")) is not None
    assert [(i.path, i.message) for i in reader.issues] == [
        ("braze-s3:bucket", 'must be an object with keys name, protect; got a list ["x"]'),
        ("braze-s3:bucket.protcet", 'unknown key "protcet"; did you mean "protect"?'),
        ("braze-s3:bucket.Name", 'unknown key "Name"; did you mean "name"?'),
    ]


def test_unknown_keys_suggest_the_closest_or_list_the_known() -> None:
    assert (
        unknown_key_message("folderpath", ("folderPath", "auth"))
        == 'unknown key "folderpath"; did you mean "folderPath"?'
    )
    assert unknown_key_message("AUTH", ("folderPath", "auth")) == 'unknown key "AUTH"; did you mean "auth"?'
    assert unknown_key_message("zzz", ("folderPath", "auth")) == 'unknown key "zzz"; known keys: folderPath, auth'


@pytest.mark.parametrize("path", ["braze-s3:token", "braze-s3:token.inner", "braze-s3:token[0]"])
def test_a_value_stored_as_a_secret_is_never_shown(path: str) -> None:
    reader = Reader(secret_keys=["token"])
    assert reader.show(path, "hunter2") == "[secret]"
    assert reader.show("braze-s3:tokens", "shown") == '"shown"', "another key that starts alike is not secret"
