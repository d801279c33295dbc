"""Parse and validate the raw stack config into `StackSettings`, collecting every issue.

Input is what the Pulumi engine hands a program: a mapping of config keys of this
project (without the ``braze-s3:`` prefix) to strings; structured values are JSON.
`parse_settings` returns settings or raises `InvalidConfigError` listing *all* problems,
each naming the key path, the bad value and the fix. No Pulumi import: this runs and
is tested without any engine.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from components import config_schema as schema
from components import naming
from components.errors import ConfigIssue, InvalidConfigError
from components.settings import (
    PROJECT,
    AccessKeyAuth,
    AlertSettings,
    Auth,
    BucketSettings,
    CurrentsSettings,
    DashboardExportSettings,
    DataLifecycle,
    RoleAuth,
    StackSettings,
    Transition,
)

# Known keys, defaults, ranges and allowed values all come from the one table.
TOP_LEVEL_KEYS = schema.children("")
BUCKET_KEYS = schema.children("bucket")
BUCKET_LIFECYCLE_KEYS = schema.children("bucket.lifecycle")
CURRENTS_KEYS = schema.children("currents[]")
DASHBOARD_KEYS = schema.children("dashboardExport")
DATA_LIFECYCLE_KEYS = schema.children("currents[].lifecycle")
TRANSITION_KEYS = schema.children("currents[].lifecycle.transitions[]")

AUTH_METHODS = schema.key("currents[].auth").choices
OBJECT_SCOPES = schema.key("currents[].objectScope").choices
STORAGE_CLASSES = schema.STORAGE_CLASSES
# S3's transition waterfall (Amazon S3 User Guide, "Transitioning objects using Amazon S3
# Lifecycle"): a class may only move to one later in this order, and ONEZONE_IA not to GLACIER_IR.
TRANSITION_ORDER = ("STANDARD_IA", "INTELLIGENT_TIERING", "ONEZONE_IA", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE")


def _transition_allowed(source: str, target: str) -> bool:
    if (source, target) == ("ONEZONE_IA", "GLACIER_IR"):
        return False
    return TRANSITION_ORDER.index(target) > TRANSITION_ORDER.index(source)


# S3 refuses a transition to these classes before an object is 30 days old, and keeps objects
# 30 days in them before a later transition.
_THIRTY_DAY_MINIMUM = ("STANDARD_IA", "ONEZONE_IA")

ACCOUNT_ID = re.compile(r"^[0-9]{12}$")
EXTERNAL_ID = re.compile(r"^[A-Za-z0-9_+=,.@:/-]{2,1224}$")
KEY_GENERATION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
IAM_PATH = re.compile(r"^/([A-Za-z0-9_+=,.@-]+/)*$")
TAG_TEXT = re.compile(r"^[\w .:/=+\-@]*$", re.ASCII)
ASCII_DIGITS = re.compile(r"^[0-9]+$")
EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
SNS_TOPIC_ARN = re.compile(
    r"^arn:(aws|aws-cn|aws-us-gov):sns:([a-z]{2}(?:-gov)?-[a-z]+-[0-9]):([0-9]{12}):([A-Za-z0-9_-]{1,256}(?:\.fifo)?)$"
)
MAX_ALERT_EMAILS = 10
# What the Pulumi CLI makes of an unquoted YAML date: go-yaml v3 decodes it as a time.Time and
# the CLI stores `time.Time.String()` (`unmarshalObject` in sdk/go/common/resource/config/object.go).
GO_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)? [+-]\d{4} \S+$")
MAX_EXTERNAL_IDS = 5
MAX_KEY_GENERATIONS = 2  # IAM's own limit of access keys per user
MAX_USER_TAGS = 40  # 50 per resource in AWS, less the braze:* tags this program sets
SECRET_SHOWN = "[secret]"  # noqa: S105 - what a message shows instead of a secret
_SHOW_MAX = 80

_MISSING: Any = object()


partition_of = naming.partition_of  # re-exported: the harness and the tools import it from here


def _show(value: Any) -> str:
    """A value as the user wrote it, shortened; JSON so strings show their quotes.
    Only for values that cannot be secret (key names, this program's own words): user
    values go through `_Reader.show`."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= _SHOW_MAX else text[: _SHOW_MAX - 1] + "…"


def _type_name(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


def _yaml_hint(value: Any) -> str:
    """Why a value the user typed as text reached the program as something else."""
    if isinstance(value, str) and GO_TIMESTAMP.match(value):
        return " (YAML read an unquoted date as a timestamp: quote the value)"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return " (YAML read it as a number: quote the value)"
    return ""


class _Reader:
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

    def show(self, path: str, value: Any) -> str:
        """The value for a message, unless the user stored this key as a secret."""
        if self.is_secret(path):
            return SECRET_SHOWN
        return _show(value) + _yaml_hint(value)

    def mapping(self, value: Any, path: str, known: tuple[str, ...]) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.problem(
                path,
                f"must be an object with keys {', '.join(known)}; got {_type_name(value)} {self.show(path, value)}",
            )
            return None
        for key in value:
            if key not in known:
                self.problem(f"{path}.{key}", _unknown_key_message(key, known))
        return value

    def string(self, obj: Mapping[str, Any], key: str, path: str, default: Any = _MISSING) -> Any:
        value = obj.get(key, _MISSING)
        if value is _MISSING or value is None:
            if default is _MISSING:
                self.problem(f"{path}.{key}", "is required but missing")
            return None if default is _MISSING else default
        if not isinstance(value, str):
            self.problem(
                f"{path}.{key}", f"must be a string; got {_type_name(value)} {self.show(f'{path}.{key}', value)}"
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
            self.problem(f"{path}.{key}", f"must be true or false; got {self.show(f'{path}.{key}', value)}")
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
        if isinstance(value, str) and ASCII_DIGITS.match(value.strip()):
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(
                f"{path}.{key}",
                f"must be a whole number of {unit} from {low} to {high}; got {self.show(f'{path}.{key}', value)}",
            )
            return default
        if not low <= value <= high:
            self.problem(
                f"{path}.{key}",
                f"{self.show(f'{path}.{key}', value)} is out of range; use a whole number from {low} to {high}",
            )
            return default
        return value

    def days(
        self, obj: Mapping[str, Any], path: str, table_path: str, default: Any = _MISSING, unit: str = "days"
    ) -> Any:
        """An integer key whose default and range come from the config table."""
        spec = schema.key(table_path)
        fallback = default if default is not _MISSING else (spec.default if spec.has_default else None)
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
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.problem(kpath, f"must be a list of strings; got {self.show(kpath, value)}")
            return None
        return value


def _unknown_key_message(key: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if not close:
        lowered = {k.lower(): k for k in known}
        close = [lowered[key.lower()]] if key.lower() in lowered else []
    hint = f'; did you mean "{close[0]}"?' if close else f"; known keys: {', '.join(known)}"
    return f"unknown key {_show(key)}{hint}"


def _parse_json(reader: _Reader, raw: Mapping[str, Any], key: str) -> Any:
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


def _parse_auth(reader: _Reader, obj: Mapping[str, Any], path: str, account_id_needed: list[str]) -> Auth | None:
    method = reader.string(obj, "auth", path, default=schema.key("currents[].auth").default)
    if method not in AUTH_METHODS:
        if method is not None:
            close = difflib.get_close_matches(method, AUTH_METHODS, n=1, cutoff=0.5)
            hint = f'did you mean "{close[0]}"?' if close else "use role or accessKey"
            reader.problem(f"{path}.auth", f"{reader.show(f'{path}.auth', method)} is not an auth method; {hint}")
        return None
    external_ids = reader.string_list(obj, "externalIds", path)
    access_keys = reader.string_list(obj, "accessKeys", path)
    if method == "role":
        if "accessKeys" in obj:
            reader.problem(f"{path}.accessKeys", "applies to auth: accessKey only; remove it, or set auth: accessKey")
        account_id_needed.append(f"{path}.auth")
        return _role_auth(reader, external_ids, path, obj)
    if "externalIds" in obj:
        reader.problem(f"{path}.externalIds", "applies to auth: role only; remove it, or set auth: role")
    return _access_key_auth(reader, access_keys, path, obj)


def _role_auth(reader: _Reader, external_ids: list[str] | None, path: str, obj: Mapping[str, Any]) -> RoleAuth | None:
    key = f"{path}.externalIds"
    if not external_ids:
        if "externalIds" not in obj or external_ids == []:
            reader.problem(
                key,
                "is required for auth: role; copy the external id from the Braze page of this integration "
                f"(pulumi config set --path '{key}[0]' <external-id>)",
            )
        return None
    ok = True
    if len(external_ids) > MAX_EXTERNAL_IDS:
        reader.problem(key, f"lists {len(external_ids)} ids; keep at most {MAX_EXTERNAL_IDS} (two while rotating)")
        ok = False
    for index, external_id in enumerate(external_ids):
        if not EXTERNAL_ID.match(external_id):
            reader.problem(
                f"{key}[{index}]",
                f"{reader.show(f'{key}[{index}]', external_id)} is not an external id; AWS allows 2 to 1,224 of A-Z a-z 0-9 _+=,.@:/- "
                "(copy it exactly from the Braze dashboard)",
            )
            ok = False
    if len(set(external_ids)) != len(external_ids):
        reader.problem(key, "lists the same external id twice; list each once")
        ok = False
    return RoleAuth(tuple(external_ids)) if ok else None


def _access_key_auth(
    reader: _Reader, generations: list[str] | None, path: str, obj: Mapping[str, Any]
) -> AccessKeyAuth | None:
    key = f"{path}.accessKeys"
    if not generations:
        if "accessKeys" not in obj or generations == []:
            reader.problem(
                key,
                f"is required for auth: accessKey; name the key generation, e.g. [\"2026-11\"] (pulumi config set --path '{key}[0]' 2026-11)",
            )
        return None
    ok = True
    if len(generations) > MAX_KEY_GENERATIONS:
        reader.problem(
            key,
            f"lists {len(generations)} key generations; IAM allows {MAX_KEY_GENERATIONS} access keys per user: "
            "keep the one Braze uses and its successor, remove the oldest",
        )
        ok = False
    for index, generation in enumerate(generations):
        if not KEY_GENERATION.match(generation):
            reader.problem(
                f"{key}[{index}]",
                f"{reader.show(f'{key}[{index}]', generation)} is not a generation label; use up to 32 letters, digits, '.', '_' or '-', e.g. \"2026-11\"",
            )
            ok = False
    if len(set(generations)) != len(generations):
        reader.problem(key, "lists the same generation twice; give the new key a new label")
        ok = False
    return AccessKeyAuth(tuple(generations)) if ok else None


def _parse_data_lifecycle(reader: _Reader, value: Any, path: str) -> DataLifecycle | None:
    obj = reader.mapping(value, path, DATA_LIFECYCLE_KEYS)
    if obj is None:
        return None
    expiration = reader.days(obj, path, "currents[].lifecycle.expirationDays")
    transitions: list[Transition] = []
    raw_transitions = obj.get("transitions") or []
    if not isinstance(raw_transitions, list):
        reader.problem(
            f"{path}.transitions",
            f"must be a list of {{days, storageClass}}; got {reader.show(f'{path}.transitions', raw_transitions)}",
        )
        raw_transitions = []
    for index, raw in enumerate(raw_transitions):
        tpath = f"{path}.transitions[{index}]"
        item = reader.mapping(raw, tpath, TRANSITION_KEYS)
        if item is None:
            continue
        if item.get("days") is None:
            reader.problem(f"{tpath}.days", "is required: after how many days the files move")
            continue
        days = reader.days(item, tpath, "currents[].lifecycle.transitions[].days")
        if days is None:
            continue
        storage_class = reader.string(item, "storageClass", tpath)
        if storage_class is None:
            continue
        if storage_class not in STORAGE_CLASSES:
            reader.problem(
                f"{tpath}.storageClass",
                f"{reader.show(f'{tpath}.storageClass', storage_class)} is not a storage class; use one of {', '.join(STORAGE_CLASSES)}",
            )
            continue
        if storage_class in _THIRTY_DAY_MINIMUM and days < 30:
            reader.problem(
                f"{tpath}.days",
                f"{reader.show(f'{tpath}.days', days)} is too early; S3 moves objects to {storage_class} after 30 days at the soonest",
            )
            continue
        if any(t.storage_class == storage_class for t in transitions):
            reader.problem(
                f"{tpath}.storageClass", f"{_show(storage_class)} is listed twice; S3 allows one transition per class"
            )
            continue
        previous = transitions[-1] if transitions else None
        if previous is not None and not _transition_allowed(previous.storage_class, storage_class):
            reader.problem(
                f"{tpath}.storageClass",
                f"S3 cannot move objects from {previous.storage_class} to {storage_class}; order transitions along "
                f"{' → '.join(TRANSITION_ORDER)} (ONEZONE_IA cannot go to GLACIER_IR)",
            )
            continue
        if previous is not None and previous.storage_class in _THIRTY_DAY_MINIMUM and days < previous.days + 30:
            reader.problem(
                f"{tpath}.days",
                f"{reader.show(f'{tpath}.days', days)} is too early; S3 keeps objects 30 days in {previous.storage_class} "
                f"before the next transition (at the soonest {previous.days + 30})",
            )
            continue
        if transitions and days <= transitions[-1].days:
            reader.problem(
                f"{tpath}.days",
                f"{reader.show(f'{tpath}.days', days)} is not after the previous transition ({reader.show(f'{tpath}.days', transitions[-1].days)}); list transitions in order",
            )
            continue
        if expiration is not None and days >= expiration:
            reader.problem(
                f"{tpath}.days",
                f"{reader.show(f'{tpath}.days', days)} is not before expirationDays ({reader.show(f'{tpath}.days', expiration)}); the files would be deleted first",
            )
            continue
        transitions.append(Transition(days, storage_class))
    if expiration is None and not transitions:
        return None
    return DataLifecycle(expiration, tuple(transitions))


def _parse_bucket(reader: _Reader, value: Any) -> BucketSettings | None:
    path = f"{PROJECT}:bucket"
    if value is None:
        reader.problem(
            path, f"is required: the bucket Braze writes to (pulumi config set --path '{path}.name' acme-braze-dev)"
        )
        return None
    obj = reader.mapping(value, path, BUCKET_KEYS)
    if obj is None:
        return None
    name = reader.string(obj, "name", path)
    if name is not None:
        problem = naming.bucket_name_problem(name)
        if problem:
            reader.problem(f"{path}.name", f"{reader.show(f'{path}.name', name)} {problem}")
            name = None
    settings: dict[str, Any] = {
        "protect": reader.boolean(obj, "protect", path, schema.key("bucket.protect").default),
        "versioning": reader.boolean(obj, "versioning", path, schema.key("bucket.versioning").default),
        "retain_on_delete": reader.boolean(obj, "retainOnDelete", path, schema.key("bucket.retainOnDelete").default),
    }
    lifecycle = obj.get("lifecycle")
    if lifecycle is not None:
        lpath = f"{path}.lifecycle"
        lobj = reader.mapping(lifecycle, lpath, BUCKET_LIFECYCLE_KEYS)
        if lobj is not None:
            for field_name, key in (
                ("abort_incomplete_upload_days", "abortIncompleteMultipartUploadDays"),
                ("noncurrent_version_expiration_days", "noncurrentVersionExpirationDays"),
                ("expire_all_objects_days", "expireAllObjectsDays"),
            ):
                settings[field_name] = reader.days(lobj, lpath, f"bucket.lifecycle.{key}")
            if "noncurrentVersionExpirationDays" in lobj and not settings["versioning"]:
                reader.problem(
                    f"{lpath}.noncurrentVersionExpirationDays",
                    "applies only with versioning: true; remove it or turn versioning on",
                )
    return BucketSettings(name=name, **settings) if name is not None else None


def _parse_connector_name(reader: _Reader, obj: Mapping[str, Any], index: int, names: dict[str, int]) -> str | None:
    cpath = f"{PROJECT}:currents[{index}]"
    name: str | None = reader.string(obj, "name", cpath)
    if name is None:
        return None
    if not naming.CONNECTOR_NAME.match(name):
        reader.problem(
            f"{cpath}.name",
            f"{reader.show(f'{cpath}.name', name)} must be 1 to 32 lowercase letters, digits and hyphens, starting and ending with a letter or digit (it names IAM resources)",
        )
        return None
    if name in names:
        reader.problem(
            f"{cpath}.name",
            f"{reader.show(f'{cpath}.name', name)} is already the name of {PROJECT}:currents[{names[name]}]; give each connector its own name",
        )
        return None
    names[name] = index
    return name


def _parse_connector(
    reader: _Reader, obj: Mapping[str, Any], cpath: str, name: str | None, account_id_needed: list[str]
) -> tuple[CurrentsSettings | None, str | None]:
    """One connector and its raw folder path (None when the folder is invalid)."""
    raw_folder = reader.string(obj, "folderPath", cpath, default=schema.key("currents[].folderPath").default)
    if raw_folder is not None:
        problem = naming.folder_path_problem(raw_folder)
        if problem:
            reader.problem(f"{cpath}.folderPath", f"{reader.show(f'{cpath}.folderPath', raw_folder)} {problem}")
            raw_folder = None
    auth = _parse_auth(reader, obj, cpath, account_id_needed)
    sse = reader.boolean(obj, "sse", cpath, schema.key("currents[].sse").default)
    scope = reader.string(obj, "objectScope", cpath, default=schema.key("currents[].objectScope").default)
    if scope is not None and scope not in OBJECT_SCOPES:
        reader.problem(
            f"{cpath}.objectScope",
            f"{reader.show(f'{cpath}.objectScope', scope)} is not a scope; use folder (default: objects under the folder only) or bucket (Braze's published <bucket>/*)",
        )
        scope = None
    lifecycle = None
    if obj.get("lifecycle") is not None:
        lifecycle = _parse_data_lifecycle(reader, obj["lifecycle"], f"{cpath}.lifecycle")
    if name and raw_folder is not None and auth and scope:
        folder = naming.normalise_folder_path(raw_folder)
        return CurrentsSettings(name, folder, auth, sse, scope, lifecycle), raw_folder
    return None, raw_folder


def _report_folder_conflicts(reader: _Reader, folders: list[tuple[str, str]], raw: dict[str, tuple[int, str]]) -> None:
    """Same or nested folders, each reported at the later connector with a command that fixes it."""
    folder_of = dict(folders)
    used = set(folder_of.values())
    for owner, other, relation in naming.folder_conflicts(folders):
        index, raw_folder = raw[owner]
        key = f"{PROJECT}:currents[{index}].folderPath"
        folder = folder_of[owner]
        flat = folder.replace("/", "-")
        if owner.startswith("#") or reader.is_secret(key):
            suggestion = "<own-folder>"
        else:
            suggestion = flat if flat != folder and flat not in used else f"{flat}-{owner}"
        other_name = reader.show(f"{PROJECT}:currents", other)
        other_folder = reader.show(f"{PROJECT}:currents", folder_of[other])
        what = {
            "same": f"is also the folder of connector {other_name}",
            "inside": f"lies inside connector {other_name}'s folder {other_folder}",
            "contains": f"contains connector {other_name}'s folder {other_folder}",
        }[relation]
        reader.problem(
            key,
            f"{reader.show(key, raw_folder)} {what}; give each connector its own folder (pulumi config set --path '{key}' {suggestion})",
        )


def _parse_currents(reader: _Reader, value: Any, account_id_needed: list[str]) -> list[CurrentsSettings]:
    path = f"{PROJECT}:currents"
    if value is None:
        return []
    if not isinstance(value, list):
        reader.problem(
            path,
            f"must be a list of connectors ({{name, folderPath, auth, …}}); got {_type_name(value)} {reader.show(path, value)}",
        )
        return []
    connectors: list[CurrentsSettings] = []
    names: dict[str, int] = {}
    folders: list[tuple[str, str]] = []  # (owner, normalised folder), in config order
    raw_folders: dict[str, tuple[int, str]] = {}
    for index, item in enumerate(value):
        cpath = f"{path}[{index}]"
        obj = reader.mapping(item, cpath, CURRENTS_KEYS)
        if obj is None:
            continue
        name = _parse_connector_name(reader, obj, index, names)
        connector, raw_folder = _parse_connector(reader, obj, cpath, name, account_id_needed)
        if raw_folder is not None:
            owner = name or f"#{index}"
            folders.append((owner, naming.normalise_folder_path(raw_folder)))
            raw_folders[owner] = (index, raw_folder)
        if connector is not None:
            connectors.append(connector)
    _report_folder_conflicts(reader, folders, raw_folders)
    return connectors


def _parse_dashboard(reader: _Reader, value: Any, account_id_needed: list[str]) -> DashboardExportSettings | None:
    path = f"{PROJECT}:dashboardExport"
    # `{}` is the declared default in Pulumi.yaml: no dashboard export.
    if value is None or value == {}:
        return None
    obj = reader.mapping(value, path, DASHBOARD_KEYS)
    if obj is None:
        return None
    auth = _parse_auth(reader, obj, path, account_id_needed)
    return DashboardExportSettings(auth) if auth else None


def _parse_tags(reader: _Reader, value: Any) -> dict[str, str]:
    path = f"{PROJECT}:tags"
    if value is None:
        return {}
    if not isinstance(value, dict):
        reader.problem(
            path, f"must be an object of tag names to values; got {_type_name(value)} {reader.show(path, value)}"
        )
        return {}
    tags: dict[str, str] = {}
    if len(value) > MAX_USER_TAGS:
        reader.problem(
            path,
            f"has {len(value)} tags; AWS allows 50 per resource and this program uses up to 4, keep at most {MAX_USER_TAGS}",
        )
    for key, tag in value.items():
        tpath = f"{path}.{key}"
        if key.lower().startswith(("aws:", "braze:")):
            reader.problem(
                tpath,
                f"{reader.show(tpath, key)} uses a reserved prefix (aws: belongs to AWS, braze: to this program's tag contract); rename the tag",
            )
        elif not (1 <= len(key) <= 128 and TAG_TEXT.match(key)):
            reader.problem(
                tpath,
                f"{reader.show(tpath, key)} is not a tag key; use 1 to 128 letters, digits, spaces and _ . : / = + - @",
            )
        elif not isinstance(tag, str) or len(tag) > 256 or not TAG_TEXT.match(tag):
            reader.problem(
                tpath,
                f"{reader.show(tpath, tag)} is not a tag value; use a string of up to 256 letters, digits, spaces and _ . : / = + - @",
            )
        else:
            tags[key] = tag
    return tags


def _parse_alerts(reader: _Reader, value: Any, region: str | None) -> AlertSettings | None:
    """Freshness alarms; `{}` (the declared default) means none."""
    path = f"{PROJECT}:alerts"
    if value is None or value == {}:
        return None
    obj = reader.mapping(value, path, schema.children("alerts"))
    if obj is None:
        return None
    hours = None
    if obj.get("staleAfterHours") is None:
        reader.problem(
            f"{path}.staleAfterHours",
            f"is required with alerts: after how many hours without a new file to alarm (pulumi config set --path '{path}.staleAfterHours' 6)",
        )
    else:
        hours = reader.days(obj, path, "alerts.staleAfterHours", unit="hours")
    emails = reader.string_list(obj, "email", path) or []
    for index, email in enumerate(emails):
        if not EMAIL.match(email):
            reader.problem(
                f"{path}.email[{index}]", f"{reader.show(f'{path}.email[{index}]', email)} is not an e-mail address"
            )
    if len(emails) > MAX_ALERT_EMAILS:
        reader.problem(
            f"{path}.email", f"lists {len(emails)} addresses; keep at most {MAX_ALERT_EMAILS}, or use a list address"
        )
    topic = reader.string(obj, "snsTopicArn", path, default=None)
    if topic is not None:
        _check_topic(reader, f"{path}.snsTopicArn", topic, region)
    if not emails and topic is None:
        reader.problem(
            path,
            f"notifies no one: give email (a topic is created for it) or snsTopicArn (pulumi config set --path '{path}.email[0]' oncall@example.com)",
        )
    if hours is None or reader.issues:
        return None
    return AlertSettings(hours, tuple(emails), topic)


def _check_topic(reader: _Reader, key: str, topic: str, region: str | None) -> None:
    match = SNS_TOPIC_ARN.match(topic)
    shown = reader.show(key, topic)
    if not match:
        reader.problem(key, f"{shown} is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic name>)")
        return
    partition, topic_region, _, name = match.groups()
    if name.endswith(".fifo"):
        reader.problem(key, f"{shown} is a FIFO topic; CloudWatch alarms notify standard SNS topics only")
    if partition != partition_of(region):
        reader.problem(key, f"{shown} is in partition {partition}, the stack in {partition_of(region)}")
    if region and topic_region != region:
        reader.problem(
            key, f"{shown} is in {topic_region}; CloudWatch notifies a topic in the alarm's own region ({region}) only"
        )


def _check_region(reader: _Reader, region: str | None, role_auth_keys: list[str]) -> None:
    """The bucket's region decides the partition; Braze's accounts live in `aws` only."""
    if region is None:
        return  # pulumi-aws then takes AWS_REGION or fails on its own; the partition defaults to aws
    problem = naming.region_problem(region)
    if problem:
        reader.problem("aws:region", f"{_show(region)} {problem}")
        return
    partition = partition_of(region)
    if partition == "aws":
        return
    for key in role_auth_keys:
        reader.problem(
            key,
            f"is role, but aws:region {_show(region)} is in the {partition} partition and Braze's AWS accounts are in "
            "aws: IAM cannot trust a principal of another partition, so Braze could never assume the role. Use a "
            "bucket in a commercial region (Braze documents no support for other partitions at all)",
        )


# S3 accepts at most this many rules in one bucket's lifecycle configuration.
MAX_LIFECYCLE_RULES = 1000


def _check_lifecycle_rule_count(reader: _Reader, bucket: BucketSettings, currents: list[CurrentsSettings]) -> None:
    rules = 1 + bucket.versioning + (bucket.expire_all_objects_days is not None)
    rules += sum(1 for c in currents if c.lifecycle is not None)
    if rules > MAX_LIFECYCLE_RULES:
        reader.problem(
            f"{PROJECT}:currents",
            f"needs {rules} lifecycle rules in one bucket; S3 allows {MAX_LIFECYCLE_RULES}: drop the lifecycle of some connectors",
        )


def _parse_account_id(reader: _Reader, value: Any, needed_by: list[str]) -> str | None:
    path = f"{PROJECT}:brazeAccountId"
    # "" is the declared default in Pulumi.yaml (a declared key without a default would be
    # required on every stack by the CLI, access-key-only stacks included).
    if value is None or value == "":
        if needed_by:
            reader.problem(
                path,
                f"is required because {needed_by[0]} is role; copy Braze's AWS account id from the Braze "
                f"dashboard (pulumi config set {path} <12-digit id>)",
            )
        return None
    account_id = str(value).strip()
    if not ACCOUNT_ID.match(account_id):
        reader.problem(
            path,
            f"{reader.show(path, account_id)} is not an AWS account id; it has exactly 12 digits "
            "(copy it from the Braze page of the integration; quote it in YAML so leading zeros stay)",
        )
        return None
    return account_id


def _parse_iam_path(reader: _Reader, value: Any) -> str:
    if not isinstance(value, str) or len(value) > 512 or not IAM_PATH.match(value):
        reader.problem(
            f"{PROJECT}:iamPath",
            f"{reader.show(f'{PROJECT}:iamPath', value)} is not an IAM path; start and end it with '/', e.g. /braze/",
        )
        return "/braze/"
    return value


def parse_settings(
    raw: Mapping[str, Any], *, region: str | None = None, secret_keys: Iterable[str] = ()
) -> StackSettings:
    """Validate the stack config of project ``braze-s3`` (keys without prefix) into settings.

    Raises `InvalidConfigError` with every problem found; never returns half-valid settings.
    """
    secret_keys = tuple(secret_keys)
    reader = _Reader(secret_keys)
    for key in raw:
        if key not in TOP_LEVEL_KEYS:
            reader.problem(f"{PROJECT}:{key}", _unknown_key_message(key, TOP_LEVEL_KEYS))
    account_id_needed: list[str] = []
    bucket = _parse_bucket(reader, _parse_json(reader, raw, "bucket"))
    currents = _parse_currents(reader, _parse_json(reader, raw, "currents"), account_id_needed)
    dashboard = _parse_dashboard(reader, _parse_json(reader, raw, "dashboardExport"), account_id_needed)
    tags = _parse_tags(reader, _parse_json(reader, raw, "tags"))

    alerts = _parse_alerts(reader, _parse_json(reader, raw, "alerts"), region)
    account_id = _parse_account_id(reader, raw.get("brazeAccountId"), account_id_needed)
    iam_path = _parse_iam_path(reader, raw.get("iamPath", schema.key("iamPath").default))
    _check_region(reader, region, account_id_needed)
    if bucket is not None:
        _check_lifecycle_rule_count(reader, bucket, currents)
    if not reader.issues and not currents and dashboard is None:
        reader.problem(
            f"{PROJECT}:currents",
            "and braze-s3:dashboardExport are both empty: this stack would make a bucket Braze never writes to; "
            f"add a Currents connector (pulumi config set --path '{PROJECT}:currents[0].name' main) or dashboardExport",
        )

    if reader.issues or bucket is None:
        raise InvalidConfigError(reader.issues)
    return StackSettings(
        bucket=bucket,
        currents=tuple(currents),
        dashboard_export=dashboard,
        braze_account_id=account_id,
        partition=partition_of(region),
        iam_path=iam_path,
        tags=tags,
        alerts=alerts,
        region=region,
        secret_keys=frozenset(secret_keys),
    )
