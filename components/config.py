"""Parse and validate the raw stack config into `StackSettings`, collecting every issue.

Input is what the Pulumi engine hands a program: a mapping of config keys of this
project (without the ``braze-s3:`` prefix) to strings; structured values are JSON.
`parse_settings` returns settings or raises `InvalidConfigError` listing *all* problems,
each naming the key path, the bad value and the fix. No Pulumi import: this runs and
is tested without any engine.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from typing import Any

from components import config_schema as schema
from components import naming
from components.config_alerts import parse_alerts
from components.config_lifecycle import (
    check_lifecycle_rule_count,
    parse_data_lifecycle,
)
from components.config_reader import Reader, parse_json, show_value, type_name, unknown_key_message
from components.errors import InvalidConfigError
from components.settings import (
    PROJECT,
    AccessKeyAuth,
    Auth,
    BucketSettings,
    CurrentsSettings,
    DashboardExportSettings,
    RoleAuth,
    StackSettings,
)

# Known keys, defaults, ranges and allowed values all come from the one table.
TOP_LEVEL_KEYS = schema.children("")
BUCKET_KEYS = schema.children("bucket")
BUCKET_LIFECYCLE_KEYS = schema.children("bucket.lifecycle")
CURRENTS_KEYS = schema.children("currents[]")
DASHBOARD_KEYS = schema.children("dashboardExport")

AUTH_METHODS = schema.key("currents[].auth").choices
OBJECT_SCOPES = schema.key("currents[].objectScope").choices

ACCOUNT_ID = re.compile(r"^[0-9]{12}$")
EXTERNAL_ID = re.compile(r"^[A-Za-z0-9_+=,.@:/-]{2,1224}$")
KEY_GENERATION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
IAM_PATH = re.compile(r"^/([A-Za-z0-9_+=,.@-]+/)*$")
TAG_TEXT = re.compile(r"^[\w .:/=+\-@]*$", re.ASCII)
MAX_EXTERNAL_IDS = 5
MAX_KEY_GENERATIONS = 2  # IAM's own limit of access keys per user
MAX_USER_TAGS = 40  # 50 per resource in AWS, less the braze:* tags this program sets


partition_of = naming.partition_of  # re-exported: the harness and the tools import it from here


def _parse_auth(reader: Reader, obj: Mapping[str, Any], path: str, account_id_needed: list[str]) -> Auth | None:
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


def _role_auth(reader: Reader, external_ids: list[str] | None, path: str, obj: Mapping[str, Any]) -> RoleAuth | None:
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
    reader: Reader, generations: list[str] | None, path: str, obj: Mapping[str, Any]
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


def _parse_bucket(reader: Reader, value: Any) -> BucketSettings | None:
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


def _parse_connector_name(reader: Reader, obj: Mapping[str, Any], index: int, names: dict[str, int]) -> str | None:
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
    reader: Reader, obj: Mapping[str, Any], cpath: str, name: str | None, account_id_needed: list[str]
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
        lifecycle = parse_data_lifecycle(reader, obj["lifecycle"], f"{cpath}.lifecycle")
    if name and raw_folder is not None and auth and scope:
        folder = naming.normalise_folder_path(raw_folder)
        return CurrentsSettings(name, folder, auth, sse, scope, lifecycle), raw_folder
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


def _parse_currents(reader: Reader, value: Any, account_id_needed: list[str]) -> list[CurrentsSettings]:
    path = f"{PROJECT}:currents"
    if value is None:
        return []
    if not isinstance(value, list):
        reader.problem(
            path,
            f"must be a list of connectors ({{name, folderPath, auth, …}}); got {type_name(value)} {reader.show(path, value)}",
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


def _parse_dashboard(reader: Reader, value: Any, account_id_needed: list[str]) -> DashboardExportSettings | None:
    path = f"{PROJECT}:dashboardExport"
    # `{}` is the declared default in Pulumi.yaml: no dashboard export.
    if value is None or value == {}:
        return None
    obj = reader.mapping(value, path, DASHBOARD_KEYS)
    if obj is None:
        return None
    auth = _parse_auth(reader, obj, path, account_id_needed)
    return DashboardExportSettings(auth) if auth else None


def _parse_tags(reader: Reader, value: Any) -> dict[str, str]:
    path = f"{PROJECT}:tags"
    if value is None:
        return {}
    if not isinstance(value, dict):
        reader.problem(
            path, f"must be an object of tag names to values; got {type_name(value)} {reader.show(path, value)}"
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


POLICY_ARN = re.compile(r"^arn:(aws|aws-cn|aws-us-gov):iam::([0-9]{12}|aws):policy/([A-Za-z0-9+=,.@_/-]{1,512})$")


def _parse_permissions_boundary(reader: Reader, value: Any, region: str | None) -> str | None:
    """A managed policy ARN of the stack's partition, or None ("" is the declared default)."""
    key = f"{PROJECT}:permissionsBoundary"
    if value is None or value == "":
        return None
    match = POLICY_ARN.match(value) if isinstance(value, str) else None
    if not match:
        reader.problem(
            key,
            f"{reader.show(key, value)} is not an IAM managed policy ARN "
            "(arn:aws:iam::<account>:policy/<path/name>, as your security team gives it)",
        )
        return None
    if match.group(1) != partition_of(region):
        reader.problem(
            key, f"{reader.show(key, value)} is in partition {match.group(1)}, the stack in {partition_of(region)}"
        )
        return None
    return str(value)


def _parse_name_prefix(
    reader: Reader, value: Any, currents: list[CurrentsSettings], dashboard: DashboardExportSettings | None
) -> str | None:
    """The IAM name prefix, and every name it makes within IAM's limits ("" is the declared default)."""
    key = f"{PROJECT}:iamNamePrefix"
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not naming.IAM_NAME_PREFIX.match(value):
        reader.problem(key, f"{reader.show(key, value)} is not a name prefix: 1 to 32 of A-Z a-z 0-9 + = , . @ _ -")
        return None
    components = [f"currents-{c.name}" for c in currents] + (["dashboard-export"] if dashboard else [])
    for component in components:
        for kind, suffix in (("role", "role"), ("user", "user"), ("policy", "policy")):
            problem = naming.iam_name_length_problem(value, f"{component}-{suffix}", kind)
            if problem:
                reader.problem(key, f"{reader.show(key, value)} {problem}: shorten the prefix or the connector name")
                return None
    return value


def _check_region(reader: Reader, region: str | None, role_auth_keys: list[str]) -> None:
    """The bucket's region decides the partition; Braze's accounts live in `aws` only."""
    if region is None:
        return  # pulumi-aws then takes AWS_REGION or fails on its own; the partition defaults to aws
    problem = naming.region_problem(region)
    if problem:
        reader.problem("aws:region", f"{show_value(region)} {problem}")
        return
    partition = partition_of(region)
    if partition == "aws":
        return
    for key in role_auth_keys:
        reader.problem(
            key,
            f"is role, but aws:region {show_value(region)} is in the {partition} partition and Braze's AWS accounts are in "
            "aws: IAM cannot trust a principal of another partition, so Braze could never assume the role. Use a "
            "bucket in a commercial region (Braze documents no support for other partitions at all)",
        )


def _parse_account_id(reader: Reader, value: Any, needed_by: list[str]) -> str | None:
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


def _parse_iam_path(reader: Reader, value: Any) -> str:
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
    reader = Reader(secret_keys)
    for key in raw:
        if key not in TOP_LEVEL_KEYS:
            reader.problem(f"{PROJECT}:{key}", unknown_key_message(key, TOP_LEVEL_KEYS))
    account_id_needed: list[str] = []
    bucket = _parse_bucket(reader, parse_json(reader, raw, "bucket"))
    currents = _parse_currents(reader, parse_json(reader, raw, "currents"), account_id_needed)
    dashboard = _parse_dashboard(reader, parse_json(reader, raw, "dashboardExport"), account_id_needed)
    tags = _parse_tags(reader, parse_json(reader, raw, "tags"))

    alerts = parse_alerts(reader, parse_json(reader, raw, "alerts"), region)
    account_id = _parse_account_id(reader, raw.get("brazeAccountId"), account_id_needed)
    iam_path = _parse_iam_path(reader, raw.get("iamPath", schema.key("iamPath").default))
    boundary = _parse_permissions_boundary(reader, raw.get("permissionsBoundary"), region)
    name_prefix = _parse_name_prefix(reader, raw.get("iamNamePrefix"), currents, dashboard)
    _check_region(reader, region, account_id_needed)
    if bucket is not None:
        check_lifecycle_rule_count(reader, bucket, currents)
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
        permissions_boundary=boundary,
        iam_name_prefix=name_prefix,
        secret_keys=frozenset(secret_keys),
    )
