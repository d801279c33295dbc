"""Parse and validate the raw stack config into `StackSettings`, collecting every issue.

Input is what the Pulumi engine hands a program: a mapping of config keys of this
project (without the ``braze-s3:`` prefix) to strings; structured values are JSON.
`parse_settings` returns settings or raises `InvalidConfigError` listing *all* problems,
each naming the key path, the bad value and the fix. No Pulumi import: this runs and
is tested without any engine.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from components import naming
from components.config import schema
from components.config.alerts import check_alerts_reach, parse_alerts
from components.config.auth import check_secret_outputs, parse_account_id, parse_auth
from components.config.buckets import check_bucket_use, parse_bucket, parse_buckets
from components.config.iam import parse_iam_path, parse_name_prefix, parse_permissions_boundary
from components.config.lifecycle import parse_data_lifecycle
from components.config.placement import check_role_partition, parse_placement
from components.config.reader import Reader, parse_json, type_name, unknown_key_message
from components.errors import InvalidConfigError
from components.settings import (
    DEFAULT_BUCKET,
    PROJECT,
    CurrentsSettings,
    DashboardExportSettings,
    StackSettings,
)

# Known keys, defaults, ranges and allowed values all come from the one table.
TOP_LEVEL_KEYS = schema.children("")
CURRENTS_KEYS = schema.children("currents[]")
DASHBOARD_KEYS = schema.children("dashboardExport")

OBJECT_SCOPES = schema.key("currents[].objectScope").choices

# IAM's own pattern for tags, [\p{L}\p{Z}\p{N}_.:/=+\-@]*: Unicode letters and digits, spaces (not other whitespace).
TAG_TEXT = re.compile(r"^[\w .:/=+\-@]*$")  # Unicode \w: letters and digits of any script, and _
MAX_USER_TAGS = 40  # 50 per resource in AWS, less the braze:* tags this program sets


partition_of = naming.partition_of  # re-exported: the harness and the tools import it from here


def _parse_connector_name(reader: Reader, obj: Mapping[str, Any], index: int, names: dict[str, int]) -> str | None:
    cpath = f"{PROJECT}:currents[{index}]"
    name: str | None = reader.string(obj, "name", cpath)
    if name is None:
        return None
    if not naming.CONNECTOR_NAME.fullmatch(name):
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
    reader: Reader, obj: Mapping[str, Any], cpath: str, name: str | None, account_id_needed: list[str]
) -> tuple[CurrentsSettings | None, str | None]:
    """One connector and its raw folder path (None when the folder is invalid)."""
    raw_folder = reader.string(obj, "folderPath", cpath, default=schema.key("currents[].folderPath").default)
    if raw_folder is not None:
        problem = naming.folder_path_problem(raw_folder)
        if problem:
            reader.problem(f"{cpath}.folderPath", f"{reader.show(f'{cpath}.folderPath', raw_folder)} {problem}")
            raw_folder = None
    auth = parse_auth(reader, obj, cpath, account_id_needed)
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
        lifecycle = parse_data_lifecycle(reader, obj["lifecycle"], f"{cpath}.lifecycle")
    bucket = obj.get("bucket", DEFAULT_BUCKET)
    if name and raw_folder is not None and auth and scope and isinstance(bucket, str):
        folder = naming.normalise_folder_path(raw_folder)
        return CurrentsSettings(name, folder, auth, sse, scope, lifecycle, bucket=bucket), raw_folder
    return None, raw_folder


def _report_folder_conflicts(reader: Reader, folders: list[tuple[str, str]], raw: dict[str, tuple[int, str]]) -> None:
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


def _parse_currents(
    reader: Reader, value: Any, account_id_needed: list[str], buckets_of: dict[int, Any]
) -> list[CurrentsSettings]:
    """The connectors; ``buckets_of`` receives each connector's raw `bucket` by index."""
    path = f"{PROJECT}:currents"
    if value is None:
        return []
    if not isinstance(value, list):
        reader.problem(
            path,
            f"must be a list of connectors ({{name, folderPath, auth, …}}); got {type_name(value)} {reader.show(path, value, hint=False)}",
        )
        return []
    connectors: list[CurrentsSettings] = []
    names: dict[str, int] = {}
    folders: dict[Any, list[tuple[str, str]]] = {}  # bucket → (owner, normalised folder), in config order
    raw_folders: dict[str, tuple[int, str]] = {}
    for index, item in enumerate(value):
        cpath = f"{path}[{index}]"
        obj = reader.mapping(item, cpath, CURRENTS_KEYS)
        if obj is None:
            continue
        name = _parse_connector_name(reader, obj, index, names)
        connector, raw_folder = _parse_connector(reader, obj, cpath, name, account_id_needed)
        bucket = obj.get("bucket", DEFAULT_BUCKET)
        buckets_of[index] = bucket
        if raw_folder is not None:
            owner = name or f"#{index}"
            folders.setdefault(bucket if isinstance(bucket, str) else None, []).append(
                (owner, naming.normalise_folder_path(raw_folder))
            )
            raw_folders[owner] = (index, raw_folder)
        if connector is not None:
            connectors.append(connector)
    for on_one_bucket in folders.values():  # folders need only differ within one bucket
        _report_folder_conflicts(reader, on_one_bucket, raw_folders)
    return connectors


def _parse_dashboard(reader: Reader, value: Any, account_id_needed: list[str]) -> DashboardExportSettings | None:
    path = f"{PROJECT}:dashboardExport"
    # `{}` is the declared default in Pulumi.yaml: no dashboard export.
    if value is None or value == {}:
        return None
    obj = reader.mapping(value, path, DASHBOARD_KEYS)
    if obj is None:
        return None
    auth = parse_auth(reader, obj, path, account_id_needed)
    bucket = obj.get("bucket", DEFAULT_BUCKET)
    return DashboardExportSettings(auth, bucket=bucket) if auth and isinstance(bucket, str) else None


def _parse_tags(reader: Reader, value: Any) -> dict[str, str]:
    path = f"{PROJECT}:tags"
    if value is None:
        return {}
    if not isinstance(value, dict):
        reader.problem(
            path,
            f"must be an object of tag names to values; got {type_name(value)} {reader.show(path, value, hint=False)}",
        )
        return {}
    tags: dict[str, str] = {}
    if len(value) > MAX_USER_TAGS:
        reader.problem(
            path,
            f"has {len(value)} tags; AWS allows 50 per resource and this program uses up to 4, keep at most {MAX_USER_TAGS}",
        )
    seen: dict[str, str] = {}  # IAM tag keys are case-insensitive on roles and users: `Team` and `team` clash
    for key, tag in value.items():
        tpath = f"{path}.{key}"
        if isinstance(key, str) and key.lower() in seen:
            reader.problem(
                tpath,
                f"{reader.show(tpath, key)} differs from the tag {seen[key.lower()]!r} only in case; IAM treats tag keys "
                "of roles and users case-insensitively and refuses both (role creation fails mid-`pulumi up`): keep one",
            )
            continue
        if isinstance(key, str):
            seen[key.lower()] = key
        if key.lower().startswith(("aws:", "braze:")):
            reader.problem(
                tpath,
                f"{reader.show(tpath, key)} uses a reserved prefix (aws: belongs to AWS, braze: to this program's tag contract); rename the tag",
            )
        elif not (1 <= len(key) <= 128 and TAG_TEXT.fullmatch(key)):
            reader.problem(
                tpath,
                f"{reader.show(tpath, key)} is not a tag key; use 1 to 128 letters, digits, spaces and _ . : / = + - @",
            )
        elif not isinstance(tag, str) or len(tag) > 256 or not TAG_TEXT.fullmatch(tag):
            reader.problem(
                tpath,
                f"{reader.show(tpath, tag)} is not a tag value; use a string of up to 256 letters, digits, spaces and _ . : / = + - @",
            )
        else:
            tags[key] = tag
    return tags


def parse_settings(
    raw: Mapping[str, Any], *, region: str | None = None, secret_keys: Iterable[str] = ()
) -> StackSettings:
    """Validate the stack config of project ``braze-s3`` (keys without prefix) into settings.

    Raises `InvalidConfigError` with every problem found; never returns half-valid settings.
    """
    secret_keys = tuple(secret_keys)
    reader = Reader(secret_keys)
    for key in raw:
        if key not in TOP_LEVEL_KEYS:
            reader.problem(f"{PROJECT}:{key}", unknown_key_message(key, TOP_LEVEL_KEYS))
    account_id_needed: list[str] = []
    placement = parse_placement(reader, region)  # before any key that compares an ARN with the stack's
    bucket = parse_bucket(reader, parse_json(reader, raw, "bucket"), placement)
    buckets = parse_buckets(reader, parse_json(reader, raw, "buckets"), placement)
    currents_buckets: dict[int, Any] = {}
    currents = _parse_currents(reader, parse_json(reader, raw, "currents"), account_id_needed, currents_buckets)
    raw_dashboard = parse_json(reader, raw, "dashboardExport")
    dashboard = _parse_dashboard(reader, raw_dashboard, account_id_needed)
    tags = _parse_tags(reader, parse_json(reader, raw, "tags"))
    check_secret_outputs(
        reader,
        [(f"{PROJECT}:currents[{i}]", f"currents-{c.name}", c.auth) for i, c in enumerate(currents)]
        + ([(f"{PROJECT}:dashboardExport", dashboard.name, dashboard.auth)] if dashboard else []),
    )

    alerts = parse_alerts(reader, parse_json(reader, raw, "alerts"), placement)
    account_id = parse_account_id(reader, raw.get("brazeAccountId"), account_id_needed)
    iam_path = parse_iam_path(reader, raw.get("iamPath", schema.key("iamPath").default))
    boundary = parse_permissions_boundary(reader, raw.get("permissionsBoundary"), placement)
    name_prefix = parse_name_prefix(reader, raw.get("iamNamePrefix"), currents, dashboard)
    check_role_partition(reader, placement, account_id_needed)
    if bucket is not None:
        dashboard_bucket = (
            raw_dashboard.get("bucket", DEFAULT_BUCKET) if isinstance(raw_dashboard, dict) and raw_dashboard else None
        )
        check_bucket_use(
            reader,
            [bucket, *buckets],
            currents=currents,
            dashboard=dashboard,
            raw_currents_buckets=currents_buckets,
            dashboard_bucket=dashboard_bucket,
        )
        check_alerts_reach(reader, alerts, currents, [bucket, *buckets])
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
        partition=placement.partition,
        iam_path=iam_path,
        tags=tags,
        alerts=alerts,
        region=placement.region,
        permissions_boundary=boundary,
        iam_name_prefix=name_prefix,
        secret_keys=frozenset(secret_keys),
        buckets=tuple(buckets),
    )
