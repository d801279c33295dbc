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

import calendar
import json
import math
import re
import time
from decimal import Decimal
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
# go-yaml v3 `allowedTimestampFormats` as Go's time.Parse reads them: RFC 3339 with short fields, "t" or "T",
# the space form without a zone, date only; a fraction of any length (truncated to nanoseconds), after "." or ",".
_TIMESTAMP = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})([.,]\d+)?(Z|[+-]\d{2}:\d{2}))"
    r"|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})([.,]\d+)?))?$",
    re.ASCII,
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


def _days_in(year: int, month: int) -> int:
    """Go's daysIn: the proleptic Gregorian calendar, year 0 included (a leap year)."""
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _local_zone(year: int, month: int, day: int, clock: int, offset: int) -> str | None:
    """The local zone's name when it has this offset at that instant (time.Parse then uses time.Local)."""
    try:
        instant = calendar.timegm((year, month, day, 0, 0, 0)) + clock - offset
        local = time.localtime(instant)
    except (OverflowError, ValueError, OSError):
        return None
    return local.tm_zone if local.tm_gmtoff == offset else None


def _go_time_string(match: re.Match[str]) -> str:
    """`time.Time.String()` of what go-yaml's time.Parse returns (ValueError when Parse refuses it).

    time.Parse (Go's time/format.go): fields in range (a day within its month, year 0 included, hour < 24,
    minute and second < 60, a zone offset of at most 24:60); no zone or "Z" is UTC; a numeric offset is the
    machine's local zone (TZ, /etc/localtime) when that zone has this offset at that instant — printed with
    its name, e.g. "+0100 CET" in Paris in winter — else a zone without a name, printed as the offset twice.
    An offset of zero is UTC whatever the machine: the CLI reads a stack file twice (`LoadProjectStackBytes`,
    sdk/go/common/workspace/loaders.go: decoded, written back as YAML, decoded again), and go-yaml writes a
    time.Time in RFC 3339, where a zero offset is "Z".
    """
    year, month, day = (int(match.group(i)) for i in (1, 2, 3))
    hour, minute, second, fraction, zone = match.group(4, 5, 6, 7, 8)
    if hour is None:
        hour, minute, second, fraction = match.group(9, 10, 11, 12)
    h, m, sec = int(hour or 0), int(minute or 0), int(second or 0)
    if not (1 <= month <= 12 and 1 <= day <= _days_in(year, month) and h < 24 and m < 60 and sec < 60):
        raise ValueError("out of range")
    text = f"{year:04d}-{month:02d}-{day:02d} {h:02d}:{m:02d}:{sec:02d}"
    digits = (fraction or "")[1:10].rstrip("0")  # nanoseconds, trailing zeros dropped (".999999999")
    if digits:
        text += "." + digits
    if zone in (None, "Z"):
        return f"{text} +0000 UTC"
    zone_hours, zone_minutes = int(zone[1:3]), int(zone[4:6])
    if zone_hours > 24 or zone_minutes > 60:
        raise ValueError("zone offset out of range")
    offset = (1 if zone[0] == "+" else -1) * (zone_hours * 3600 + zone_minutes * 60)
    if offset == 0:
        return f"{text} +0000 UTC"
    printed = f"{'-' if offset < 0 else '+'}{abs(offset) // 3600:02d}{abs(offset) % 3600 // 60:02d}"
    name = _local_zone(year, month, day, h * 3600 + m * 60 + sec, offset)
    return f"{text} {printed} {name or printed}"


def resolve_plain(text: str) -> Any:
    """The Go value (as Python) of an unquoted scalar, as go-yaml v3 resolves it into `any`."""
    if text in _NULLS:
        return None
    if text in _BOOLS:
        return _BOOLS[text]
    if text in _SPECIAL_FLOATS:
        return _SPECIAL_FLOATS[text]
    if text[:1] in "0123456789+-.":  # go-yaml's 'D' and 'S' hints: ASCII only
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


def _go_g(value: float) -> str:
    """Go's `%v` of a float64 (strconv 'g', shortest): exponent form below 1e-4 and from 1e6 on."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if value == 0:
        return "-0" if math.copysign(1, value) < 0 else "0"
    sign, digits, exponent = Decimal(repr(value)).normalize().as_tuple()
    assert isinstance(exponent, int)
    text = "".join(map(str, digits))
    point = len(text) + exponent - 1  # the decimal exponent of the first digit
    if point < -4 or point >= 6:
        mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
        shown = f"{mantissa}e{'-' if point < 0 else '+'}{abs(point):02d}"
    else:
        shown = format(Decimal(repr(abs(value))).normalize(), "f")
    return ("-" if sign else "") + shown


def go_key(key: Any) -> str:
    """A mapping key as the CLI keeps it: `unmarshalObject` turns a non-string key into `fmt.Sprintf("%v", k)`
    (object.go) — `true`, `<nil>`, `1.5`, `1.234567e+06`, a date as its time.Time text."""
    if isinstance(key, str):
        return key
    if key is None:
        return "<nil>"
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, float):
        return _go_g(key)
    return str(key)


class _GoLoader(yaml.SafeLoader):  # type: ignore[misc]  # PyYAML ships no type hints
    """PyYAML's parser with go-yaml v3's scalar resolution and duplicate-key check."""

    yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012 - PyYAML's class-level registry, replaced on purpose

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        # go-yaml v3 (decode.go, `mapping`) compares keys as written (node kind and text), not as resolved: `1`
        # and "1" collide, `1.0` and `1.00` do not (the later one wins in the map).
        seen: set[tuple[str, Any]] = set()
        for key_node, _ in node.value:
            written = (
                type(key_node).__name__,
                key_node.value if isinstance(key_node, yaml.ScalarNode) else id(key_node),
            )
            if written in seen:
                raise GoYamlError(
                    f"line {key_node.start_mark.line + 1}: mapping key {key_node.value!r} already defined"
                )
            seen.add(written)
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return {go_key(k): v for k, v in mapping.items()}


_GoLoader.add_implicit_resolver(_PLAIN_TAG, re.compile(r".*", re.DOTALL), None)
_GoLoader.add_constructor(_PLAIN_TAG, lambda loader, node: resolve_plain(loader.construct_scalar(node)))


_SURROGATE = re.compile("[\ud800-\udfff]")


def _refuse_surrogates(value: Any) -> None:
    """go-yaml's scanner refuses a `\\uD800`–`\\uDFFF` escape in a double-quoted scalar ("found invalid Unicode
    character escape code", scannerc.go `yaml_parser_scan_flow_scalar`); PyYAML makes a lone surrogate of it."""
    if isinstance(value, str):
        if _SURROGATE.search(value):
            raise GoYamlError("found invalid Unicode character escape code")
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_surrogates(key)
            _refuse_surrogates(item)
    elif isinstance(value, list):
        for item in value:
            _refuse_surrogates(item)


def load(text: str) -> Any:
    """Parse YAML as the CLI does; raises `GoYamlError` with the reason."""
    try:
        loaded = yaml.load(text, Loader=_GoLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        raise GoYamlError(str(error)) from None
    _refuse_surrogates(loaded)
    return loaded


def go_float(value: float, path: str = "") -> str:
    """A float64 as Go's encoding/json writes it (floatEncoder): the shortest digits that read back, in fixed
    notation from 1e-6 to 1e21 (`0.00001`, `123456789012345680000`, `30`), else exponent notation with a
    one-digit negative exponent unpadded (`1e-7`, `1e+21`); NaN and infinities are refused."""
    if math.isnan(value) or math.isinf(value):
        raise GoYamlError(f"{path}: {value} cannot be stored (json: unsupported value)")
    if value == 0:
        return "0"  # -0.0 too: the CLI's YAML round trip (see _go_time_string) writes it "-0", read back as int 0
    if 1e-6 <= abs(value) < 1e21:
        return format(Decimal(repr(value)).normalize(), "f")
    return re.sub(r"e-0(\d)$", r"e-\1", repr(value))


# encoding/json's string escapes beyond the JSON minimum: HTML-safe <, > and &, and the JS line separators.
_GO_STRING_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_GO_STRING_SPECIAL = re.compile("[<>&\u2028\u2029]")


def _go_string(text: str) -> str:
    return _GO_STRING_SPECIAL.sub(lambda m: _GO_STRING_ESCAPES[m.group()], json.dumps(text, ensure_ascii=False))


def go_json(value: Any, path: str = "") -> str:
    """`encoding/json` output for a decoded config value: sorted keys, Go's number forms and string escapes."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return go_float(value, path)
    if isinstance(value, str):
        return _go_string(value)
    if isinstance(value, dict):
        items = sorted((go_key(k), v) for k, v in value.items())
        return "{" + ",".join(f"{_go_string(k)}:{go_json(v, f'{path}.{k}')}" for k, v in items) + "}"
    if isinstance(value, list):
        return "[" + ",".join(go_json(v, f"{path}[{i}]") for i, v in enumerate(value)) + "]"
    raise GoYamlError(f"{path}: a {type(value).__name__} cannot be stored")


def marshal_config_value(value: Any, path: str = "") -> str:
    """The string the engine passes a program for one config value (`object.MarshalString`)."""
    if isinstance(value, str):
        return value
    return go_json(value, path)
