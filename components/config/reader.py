"""Typed, secret-aware access to raw config values: the one path every config message goes through.

`Reader` records problems instead of raising, so the parser reports every mistake of a stack
in one message; `Reader.show` prints `[secret]` for any value of a key stored with `--secret`.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from components.config import schema
from components.errors import ConfigIssue
from components.settings import PROJECT

ASCII_DIGITS = re.compile(r"^[0-9]+$")
# What the Pulumi CLI makes of an unquoted YAML date: go-yaml v3 decodes it as a time.Time and
# the CLI stores `time.Time.String()` (`unmarshalObject` in sdk/go/common/resource/config/object.go).
GO_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)? [+-]\d{4} \S+$")
SECRET_SHOWN = "[secret]"  # noqa: S105 - what a message shows instead of a secret
_SHOW_MAX = 80

MISSING: Any = object()


def show_value(value: Any) -> str:
    """A value as the user wrote it, shortened; JSON so strings show their quotes.
    Only for values that cannot be secret (key names, this program's own words): user
    values go through `Reader.show`."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= _SHOW_MAX else text[: _SHOW_MAX - 1] + "…"


def type_name(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


def yaml_hint(value: Any) -> str:
    """Why a value the user typed as text reached the program as something else."""
    if isinstance(value, str) and GO_TIMESTAMP.fullmatch(value):
        return " (YAML read an unquoted date as a timestamp: quote the value)"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return " (YAML read it as a number: quote the value)"
    return ""


class Reader:
    """Typed access to nested config values that records issues instead of raising.

    Every user value quoted in a message goes through `show`, which prints `[secret]` for
    any key the user stored with `--secret`: the CLI marks the whole top-level key secret
    when any value inside it is (`object.Secure` in sdk/go/common/resource/config/object.go).
    """

    def __init__(self, secret_keys: Iterable[str]) -> None:
        self.issues: list[ConfigIssue] = []
        self._secret_paths = tuple(f"{PROJECT}:{key}" for key in secret_keys)

    def problem(self, path: str, message: str) -> None:
        self.issues.append(ConfigIssue(path, message))

    def is_secret(self, path: str) -> bool:
        return any(path == p or path.startswith((f"{p}.", f"{p}[")) for p in self._secret_paths)

    def show(self, path: str, value: Any, hint: bool = True) -> str:
        """The value for a message, unless the user stored this key as a secret; with ``hint``, why
        YAML made it something else than text (only where text is expected: quoting is the fix)."""
        if self.is_secret(path):
            return SECRET_SHOWN
        return show_value(value) + (yaml_hint(value) if hint else "")

    def mapping(self, value: Any, path: str, known: tuple[str, ...]) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.problem(
                path,
                f"must be an object with keys {', '.join(known)}; got {type_name(value)} {self.show(path, value, hint=False)}",
            )
            return None
        for key in value:
            if key not in known:
                self.problem(f"{path}.{key}", unknown_key_message(key, known))
        return value

    def string(self, obj: Mapping[str, Any], key: str, path: str, default: Any = MISSING) -> Any:
        value = obj.get(key, MISSING)
        if value is MISSING or value is None:
            if default is MISSING:
                self.problem(f"{path}.{key}", "is required but missing")
            return None if default is MISSING else default
        if not isinstance(value, str):
            self.problem(
                f"{path}.{key}", f"must be a string; got {type_name(value)} {self.show(f'{path}.{key}', value)}"
            )
            return None
        return value

    def boolean(self, obj: Mapping[str, Any], key: str, path: str, default: bool) -> bool:
        value = obj.get(key, default)
        if value is None:
            return default
        # `pulumi config set --path` without --type stores "true"/"false" as strings; the
        # CLI's own type check accepts exactly these two (`ValidateConfigValue`).
        if value in ("true", "false"):
            return bool(value == "true")
        if not isinstance(value, bool):
            self.problem(f"{path}.{key}", f"must be true or false; got {self.show(f'{path}.{key}', value, hint=False)}")
            return default
        return value

    def integer(
        self, obj: Mapping[str, Any], key: str, path: str, *, default: Any, low: int, high: int, unit: str = "days"
    ) -> Any:
        value = obj.get(key, default)
        if value is None:
            return default
        # ASCII digits only: Python's int() also reads full-width and other Unicode digits,
        # which no YAML or JSON number is, and which AWS would never see as the user meant it.
        if isinstance(value, str) and ASCII_DIGITS.fullmatch(value.strip()):
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(
                f"{path}.{key}",
                f"must be a whole number of {unit} from {low} to {high}; got {self.show(f'{path}.{key}', value, hint=False)}",
            )
            return default
        if not low <= value <= high:
            self.problem(
                f"{path}.{key}",
                f"{self.show(f'{path}.{key}', value, hint=False)} is out of range; use a whole number from {low} to {high}",
            )
            return default
        return value

    def days(
        self, obj: Mapping[str, Any], path: str, table_path: str, default: Any = MISSING, unit: str = "days"
    ) -> Any:
        """An integer key whose default and range come from the config table."""
        spec = schema.key(table_path)
        fallback = default if default is not MISSING else (spec.default if spec.has_default else None)
        assert spec.low is not None and spec.high is not None  # every integer key of the table has a range
        return self.integer(obj, spec.name, path, default=fallback, low=spec.low, high=spec.high, unit=unit)

    def string_list(self, obj: Mapping[str, Any], key: str, path: str) -> list[str] | None:
        value = obj.get(key)
        kpath = f"{path}.{key}"
        if value is None:
            return None
        if isinstance(value, str):
            self.problem(
                kpath, f"must be a list of strings; write [{self.show(kpath, value)}] (a list, so it can be rotated)"
            )
            return None
        if not isinstance(value, list):
            self.problem(kpath, f"must be a list of strings; got {self.show(kpath, value, hint=False)}")
            return None
        wrong = [(index, item) for index, item in enumerate(value) if not isinstance(item, str)]
        for index, item in wrong:  # each by its index, with the fix YAML needs (quote a number, a date, `yes`)
            ipath = f"{kpath}[{index}]"
            self.problem(ipath, f"must be a string; got {type_name(item)} {self.show(ipath, item)}")
        return None if wrong else value


def unknown_key_message(key: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if not close:
        lowered = {k.lower(): k for k in known}
        close = [lowered[key.lower()]] if key.lower() in lowered else []
    hint = f'; did you mean "{close[0]}"?' if close else f"; known keys: {', '.join(known)}"
    return f"unknown key {show_value(key)}{hint}"


def parse_json(reader: Reader, raw: Mapping[str, Any], key: str) -> Any:
    """A structured top-level value; the engine hands them over as JSON text."""
    text = raw.get(key)
    if text is None:
        return None
    if not isinstance(text, str):  # already decoded (a caller that is not the engine)
        return text
    try:
        return json.loads(text)
    except ValueError:
        # A bare string where an object or list belongs: not JSON at all.
        return text
