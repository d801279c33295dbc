"""Checks a scheduled, read-only job can make: is Braze still writing, and is its key still live?

`verify --freshness HOURS` and `verify --read-only` call these with the caller's credentials
(s3:ListBucket on the bucket; iam:ListAccessKeys and iam:GetAccessKeyLastUsed on the users).
Nothing here writes, and no secret is read.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from botocore.exceptions import BotoCoreError, ClientError

from braze_s3_tools.verify.report import error_code as _code

# Braze drops what it could not write after 48 hours (older docs) to 5 days (current docs).
LOSS_WINDOW = "Braze drops events it could not write after 48 h to 5 days"


class Reporter(Protocol):
    def add(self, subject: str, name: str, ok: bool | None, reason: str = "") -> bool: ...


def newest_object(s3: Any, bucket: str, prefix: str) -> tuple[str, datetime, int] | None:
    """The newest object under ``prefix`` (key, time, objects seen), or None when there is none.

    Every page is read: Braze's layout below the folder may change (its docs say so), so no
    ordering of keys can be relied on to find the newest one.
    """
    newest: tuple[str, datetime] | None = None
    count = 0
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            count += 1
            if newest is None or item["LastModified"] > newest[1]:
                newest = (item["Key"], item["LastModified"])
    return (newest[0], newest[1], count) if newest else None


def check_freshness(
    report: Reporter,
    s3: Any,
    subject: str,
    *,
    bucket: str,
    folder: str,
    max_age_hours: float,
    now: Callable[[], datetime],
) -> None:
    """Fails when the newest object under the connector's folder is older than ``max_age_hours``."""
    name = f"a new file under {folder}/ within {max_age_hours:g} h"
    try:
        found = newest_object(s3, bucket, f"{folder}/")
    except (ClientError, BotoCoreError) as error:
        report.add(subject, name, False, f"{_code(error)}: the caller cannot list s3://{bucket}/{folder}/")
        return
    if found is None:
        report.add(
            subject,
            name,
            False,
            f"no object under s3://{bucket}/{folder}/ at all: Braze has not written yet (is the connector launched, "
            "with this folder?), or its writes fail",
        )
        return
    key, modified, count = found
    age = (now() - modified).total_seconds() / 3600
    reason = f"newest of {count}: {key}, written {modified:%Y-%m-%d %H:%M} UTC ({age:.1f} h old)"
    if age > max_age_hours:
        reason += f"; {LOSS_WINDOW}: check the credentials now (docs/operations.md, 'A freshness alarm fired')"
    report.add(subject, name, age <= max_age_hours, reason)


def check_key_status(
    report: Reporter,
    iam_client: Any,
    subject: str,
    *,
    user: str | None,
    keys: dict[str, dict[str, Any]],
    active: str | None,
) -> None:
    """Read-only: the key Braze holds exists and is Active; when it was last used says whether Braze uses it."""
    if not user:
        report.add(subject, "access key is live", False, "no userName in the outputs")
        return
    try:
        live = {k["AccessKeyId"]: k["Status"] for k in iam_client.list_access_keys(UserName=user)["AccessKeyMetadata"]}
    except (ClientError, BotoCoreError) as error:
        report.add(subject, "access key is live", False, f"{_code(error)}: iam:ListAccessKeys on {user}")
        return
    for generation, key in sorted(keys.items()):
        key_id = key.get("accessKeyId")
        label = f"key {generation}" + (" (the one in Braze)" if generation == active else "")
        status = live.get(key_id) if isinstance(key_id, str) else None
        if status != "Active":
            report.add(
                subject,
                f"{label} is Active",
                False,
                "deleted"
                if status is None
                else f"status {status}" + (f"; {LOSS_WINDOW}" if generation == active else ""),
            )
            continue
        report.add(subject, f"{label} is Active", True)
        if generation == active:
            _last_used(report, iam_client, subject, label, key_id)


def _last_used(report: Reporter, iam_client: Any, subject: str, label: str, key_id: Any) -> None:
    try:
        used = iam_client.get_access_key_last_used(AccessKeyId=key_id)["AccessKeyLastUsed"]
    except (ClientError, BotoCoreError) as error:
        report.add(subject, f"{label} last used", None, f"{_code(error)}: iam:GetAccessKeyLastUsed not allowed")
        return
    when = used.get("LastUsedDate")
    where = used.get("ServiceName", "")
    report.add(
        subject,
        f"{label} last used",
        None,
        f"{when:%Y-%m-%d %H:%M} UTC ({where})" if when else "never: Braze has not used this key yet",
    )
