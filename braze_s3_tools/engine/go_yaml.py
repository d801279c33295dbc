"""Read YAML the way the Pulumi CLI reads a stack file: go-yaml v3, then Pulumi's config objects.

PyYAML implements YAML 1.1 (`yes`, `on` are booleans, `0755` and `1_000` are numbers, dates are
`datetime.date`); the CLI decodes stack files with go-yaml v3 into `any` and converts the result
with `unmarshalObject` (sdk/go/common/resource/config/object.go). What a program receives follows
from those two, so the offline plan reads stack files with the same rules:

- booleans: only `true`/`True`/`TRUE`/`false`/`False`/`FALSE` (go-yaml v3 `resolve.go`, resolveMap);
- null: `~`, `null`, `Null`, `NULL` and the empty scalar;
- integers: Go's `strconv.ParseInt(s, 0, 64)` after removing `_` (so `0x1f`, `0o17`, `0b101` and
  the YAML 1.1 octal `017`), then floats (`yamlStyleFloat`, `.inf`, `.nan`);
- an unquoted date or date-time becomes `time.Time`, which the CLI stores as `time.Time.String()`
  (`2026-11-30 00:00:00 +0000 UTC`);
- a mapping key defined twice is an error (go-yaml v3 `mapping key … already defined`).

`marshal_config_value` then gives the string the engine hands the program (`object.MarshalString`):
strings as they are, other scalars and objects as Go's `encoding/json` writes them (sorted keys,
whole floats without a fraction).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from typing import Any

import yaml

_PLAIN_TAG = "tag:braze-s3:go-plain"
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_NULLS = {"", "~", "null", "Null", "NULL"}
_SPECIAL_FLOATS = {
    ".nan": math.nan, ".NaN": math.nan, ".NAN": math.nan,
    ".inf": math.inf, ".Inf": math.inf, ".INF": math.inf,
    "+.inf": math.inf, "+.Inf": math.inf, "+.INF": math.inf,
    "-.inf": -math.inf, "-.Inf": -math.inf, "-.INF": -math.inf,
}  # fmt: skip
_YAML_STYLE_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_GO_INT = re.compile(r"^[-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9][0-9]*|0)$")
_INT64 = (-(2**63), 2**64 - 1)  # ParseInt, then ParseUint
# go-yaml v3 `allowedTimestampFormats`: RFC 3339 with short fields, "t" or "T", space form, date only.
_TIMESTAMP = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2}))"
    r"|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d{1,9})?))?$"
)


class GoYamlError(ValueError):
    """The CLI would refuse this YAML: a parse error, a duplicate key, a value it cannot store."""


def _go_int(text: str) -> int | None:
    plain = text.replace("_", "")
    if not _GO_INT.match(plain):
        return None
    sign = -1 if plain.startswith("-") else 1
    digits = plain.lstrip("+-")
    lowered = digits.lower()
    if lowered.startswith("0x"):
        value = int(digits[2:], 16)
    elif lowered.startswith("0b"):
        value = int(digits[2:], 2)
    elif lowered.startswith("0o"):
        value = int(digits[2:], 8)
    elif len(digits) > 1 and digits.startswith("0"):
        value = int(digits[1:], 8)  # Go's base-0 ParseInt reads a leading 0 as octal
    else:
        value = int(digits)
    value *= sign
    return value if _INT64[0] <= value <= _INT64[1] else None


def _go_time_string(match: re.Match[str]) -> str:
    """`time.Time.String()` of what go-yaml's time.Parse returns."""
    year, month, day = (int(match.group(i)) for i in (1, 2, 3))
    hour, minute, second, fraction, zone = match.group(4, 5, 6, 7, 8)
    if hour is None:
        hour, minute, second, fraction = match.group(9, 10, 11, 12)
    stamp = dt.datetime(year, month, day, int(hour or 0), int(minute or 0), int(second or 0))
    text = stamp.strftime("%Y-%m-%d %H:%M:%S")
    if fraction:
        text += fraction.rstrip("0").rstrip(".") if fraction.rstrip("0") != "." else ""
    if zone in (None, "Z"):
        return f"{text} +0000 UTC"
    offset = zone.replace(":", "")
    return f"{text} {offset} {offset}"  # a fixed zone without a name prints its offset twice


def resolve_plain(text: str) -> Any:
    """The Go value (as Python) of an unquoted scalar, as go-yaml v3 resolves it into `any`."""
    if text in _NULLS:
        return None
    if text in _BOOLS:
        return _BOOLS[text]
    if text in _SPECIAL_FLOATS:
        return _SPECIAL_FLOATS[text]
    if text[:1].isdigit() or text[:1] in "+-.":
        stamp = _TIMESTAMP.match(text)
        if stamp:
            try:
                return _go_time_string(stamp)
            except ValueError:
                pass  # not a real date (month 13): go-yaml then tries numbers, then a string
        integer = _go_int(text)
        if integer is not None:
            return integer
        plain = text.replace("_", "")
        if _YAML_STYLE_FLOAT.match(plain):
            return float(plain)
    return text


class _GoLoader(yaml.SafeLoader):  # type: ignore[misc]  # PyYAML ships no type hints
    """PyYAML's parser with go-yaml v3's scalar resolution and duplicate-key check."""

    yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012 - PyYAML's class-level registry, replaced on purpose

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise GoYamlError(f"line {key_node.start_mark.line + 1}: mapping key {key!r} already defined")
            seen.add(key)
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return mapping


_GoLoader.add_implicit_resolver(_PLAIN_TAG, re.compile(r".*", re.DOTALL), None)
_GoLoader.add_constructor(_PLAIN_TAG, lambda loader, node: resolve_plain(loader.construct_scalar(node)))


def load(text: str) -> Any:
    """Parse YAML as the CLI does; raises `GoYamlError` with the reason."""
    try:
        return yaml.load(text, Loader=_GoLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        raise GoYamlError(str(error)) from None


def _go_json_ready(value: Any, path: str) -> Any:
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise GoYamlError(f"{path}: {value} cannot be stored (json: unsupported value)")
        # encoding/json writes a whole float64 without a fraction ("30", not "30.0").
        return int(value) if value.is_integer() and abs(value) < 1e21 else value
    if isinstance(value, dict):
        return {str(k): _go_json_ready(v, f"{path}.{k}") for k, v in value.items()}
    if isinstance(value, list):
        return [_go_json_ready(v, f"{path}[{i}]") for i, v in enumerate(value)]
    return value


def go_json(value: Any, path: str = "") -> str:
    """`encoding/json` output for a decoded config value: sorted keys, Go's number forms."""
    return json.dumps(_go_json_ready(value, path), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def marshal_config_value(value: Any, path: str = "") -> str:
    """The string the engine passes a program for one config value (`object.MarshalString`)."""
    if isinstance(value, str):
        return value
    return go_json(value, path)
