"""The stack's buckets: `braze-s3:bucket` (the default) and `braze-s3:buckets.<key>`, and how
integrations use them. Every problem names its key, its value and the fix; no Pulumi import."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from components import naming
from components.config import schema
from components.config.lifecycle import check_lifecycle_rule_count
from components.config.placement import Placement
from components.config.reader import Reader, type_name
from components.settings import (
    DEFAULT_BUCKET,
    PROJECT,
    BucketSettings,
    CurrentsSettings,
    DashboardExportSettings,
)

BUCKET_KEYS = schema.children("bucket")
BUCKET_LIFECYCLE_KEYS = schema.children("bucket.lifecycle")
MODES = schema.key("bucket.mode").choices
BUCKET_KEY = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$")
KMS_KEY_ARN = re.compile(r"^arn:(aws[a-z-]*):kms:([a-z0-9-]+):([0-9]{12}):key/([A-Za-z0-9-]{1,128})$")
# Settings a `reference` bucket cannot have: they change the bucket, which reference mode never does.
MANAGED_ONLY = ("protect", "versioning", "lifecycle")


def parse_bucket(reader: Reader, value: Any, placement: Placement, key: str = DEFAULT_BUCKET) -> BucketSettings | None:
    path = f"{PROJECT}:bucket" if key == DEFAULT_BUCKET else f"{PROJECT}:buckets.{key}"
    if value is None:
        reader.problem(
            path, f"is required: the bucket Braze writes to (pulumi config set --path '{path}.name' acme-braze-dev)"
        )
        return None
    obj = reader.mapping(value, path, BUCKET_KEYS)
    if obj is None:
        return None
    mode = reader.string(obj, "mode", path, default=schema.key("bucket.mode").default)
    if mode is not None and mode not in MODES:
        reader.problem(
            f"{path}.mode",
            f"{reader.show(f'{path}.mode', mode)} is not a mode; use create (a new bucket), import (adopt an existing "
            "one and harden it) or reference (use an existing one, change nothing on it)",
        )
        mode = None
    name = reader.string(obj, "name", path)
    if name is not None:
        problem = naming.bucket_name_problem(name, referenced=mode == "reference")
        if problem:
            reader.problem(f"{path}.name", f"{reader.show(f'{path}.name', name)} {problem}")
            name = None
    if mode == "reference":
        for setting in (s for s in MANAGED_ONLY if s in obj):
            reader.problem(
                f"{path}.{setting}",
                "cannot be set with mode: reference, which never changes the bucket; remove it, or use mode: import to "
                "manage the bucket",
            )
    settings: dict[str, Any] = {
        "protect": reader.boolean(obj, "protect", path, schema.key("bucket.protect").default),
        "versioning": reader.boolean(obj, "versioning", path, schema.key("bucket.versioning").default),
        "retain_on_delete": reader.boolean(obj, "retainOnDelete", path, schema.key("bucket.retainOnDelete").default),
        "kms_key_arn": _parse_kms_key(reader, obj.get("kmsKeyArn"), f"{path}.kmsKeyArn", placement),
    }
    _parse_bucket_lifecycle(reader, obj, path, settings)
    if name is None or mode is None:
        return None
    return BucketSettings(name=name, key=key, mode=mode, **settings)


def _parse_bucket_lifecycle(reader: Reader, obj: dict[str, Any], path: str, settings: dict[str, Any]) -> None:
    lifecycle = obj.get("lifecycle")
    if lifecycle is None:
        return
    lpath = f"{path}.lifecycle"
    lobj = reader.mapping(lifecycle, lpath, BUCKET_LIFECYCLE_KEYS)
    if lobj is None:
        return
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


def _parse_kms_key(reader: Reader, value: Any, path: str, placement: Placement) -> str | None:
    """A key ARN of the stack's partition and region ("" is the declared default: SSE-S3)."""
    if value is None or value == "":
        return None
    match = KMS_KEY_ARN.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        reader.problem(
            path,
            f"{reader.show(path, value)} is not a KMS key ARN; give the key's ARN "
            "(arn:aws:kms:<region>:<account>:key/<key id>), not an alias: IAM grants on aliases do not cover the key",
        )
        return None
    partition, key_region = match.group(1), match.group(2)
    if problem := placement.partition_problem(partition):
        reader.problem(path, f"{reader.show(path, value)} {problem}")
        return None
    region = placement.region
    if region is not None and key_region != region:
        reader.problem(
            path,
            f"{reader.show(path, value)} is in region {key_region}; S3 encrypts only with a key in the bucket's region "
            f"({region}): use a key (or a multi-Region replica) there",
        )
        return None
    return str(value)


def parse_buckets(reader: Reader, value: Any, placement: Placement) -> list[BucketSettings]:
    """`braze-s3:buckets`: further buckets by key (`{}`, the declared default, is none)."""
    path = f"{PROJECT}:buckets"
    if value is None or value == {}:
        return []
    if not isinstance(value, dict):
        reader.problem(
            path,
            f"must be an object of bucket keys to buckets ({{name, …}}); got {type_name(value)} {reader.show(path, value, hint=False)}",
        )
        return []
    found: list[BucketSettings] = []
    for key, item in value.items():
        if key == DEFAULT_BUCKET or not BUCKET_KEY.fullmatch(key):
            why = "is the default bucket's key (braze-s3:bucket)" if key == DEFAULT_BUCKET else "is not a bucket key"
            reader.problem(
                f"{path}.{key}", f"{reader.show(path, key)} {why}; use 1 to 32 lowercase letters, digits and hyphens"
            )
            continue
        bucket = parse_bucket(reader, item, placement, key)
        if bucket is not None:
            found.append(bucket)
    return found


def check_bucket_use(
    reader: Reader,
    buckets: list[BucketSettings],
    *,
    currents: Iterable[CurrentsSettings],
    dashboard: DashboardExportSettings | None,
    raw_currents_buckets: dict[int, Any],
    dashboard_bucket: Any,
) -> None:
    """Each integration names a bucket that exists; each bucket is used, once by name; KMS and
    Currents' AES-256 header do not meet; lifecycle rules fit each managed bucket."""
    by_key = {b.key: b for b in buckets}
    for index, wanted in raw_currents_buckets.items():
        _check_reference(reader, f"{PROJECT}:currents[{index}].bucket", wanted, by_key)
    if dashboard_bucket is not None:
        _check_reference(reader, f"{PROJECT}:dashboardExport.bucket", dashboard_bucket, by_key)
    currents = list(currents)
    used = {c.bucket for c in currents} | ({dashboard.bucket} if dashboard else set())
    names: dict[str, str] = {}
    for bucket in buckets:
        if bucket.name in names:
            reader.problem(
                f"{PROJECT}:{bucket.config_path}.name",
                f"{reader.show(f'{PROJECT}:{bucket.config_path}.name', bucket.name)} is also the name of "
                f"braze-s3:{names[bucket.name]}; list each bucket once and point the integrations at its key",
            )
        names.setdefault(bucket.name, bucket.config_path)
        if bucket.key != DEFAULT_BUCKET and bucket.key not in used:
            reader.problem(
                f"{PROJECT}:{bucket.config_path}",
                "is used by no integration; remove it or set an integration's bucket to "
                f"{bucket.key} (pulumi config set --path '{PROJECT}:dashboardExport.bucket' {bucket.key})",
            )
        on_bucket = [c for c in currents if c.bucket == bucket.key]
        if bucket.kms_key_arn:
            for connector in (c for c in on_bucket if c.sse):
                index = currents.index(connector)
                reader.problem(
                    f"{PROJECT}:currents[{index}].sse",
                    "is true on a bucket with kmsKeyArn: Braze would send the AES-256 header and its files would be "
                    "encrypted with SSE-S3, not your key; set sse: false (the bucket encrypts with the key by default)",
                )
        if bucket.managed:
            check_lifecycle_rule_count(reader, bucket, on_bucket)
        else:
            for connector in (c for c in on_bucket if c.lifecycle is not None):
                reader.problem(
                    f"{PROJECT}:currents[{currents.index(connector)}].lifecycle",
                    f"is set on a connector of the reference bucket {bucket.key}, which this stack never changes; "
                    "remove the connector's lifecycle or manage the bucket (mode: import)",
                )


def _check_reference(reader: Reader, path: str, wanted: Any, by_key: dict[str, BucketSettings]) -> None:
    if isinstance(wanted, str) and wanted in by_key:
        return
    known = ", ".join(sorted(by_key))
    reader.problem(path, f"{reader.show(path, wanted)} is not a bucket of this stack; use one of: {known}")
