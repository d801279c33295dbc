"""What a change does to buckets beyond the stack's own state: buckets that exist already (imported or referenced),
a bucket whose versioning AWS keeps after the stack lets go of it, and buckets that cannot follow a new region.

The offline plan diffs resources; these risks come from what AWS keeps regardless: the files an imported bucket
already holds (a lifecycle rule acts on them at its next run), the name of a referenced bucket (CreateBucket of it
fails, or in us-east-1 silently adopts it), the versioning status a retained `BucketVersioning` leaves behind, and
a bucket's region (fixed at creation).
"""

from __future__ import annotations

from typing import Any

BUCKET = "aws:s3/bucket:Bucket"
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
MANAGED = ("create", "import")


def bucket_modes(plan: dict[str, Any]) -> dict[str, str]:
    """Bucket name → how the plan's stack holds it (create, import, reference), from its `buckets` outputs."""
    found: dict[str, str] = {}
    buckets = (plan.get("outputs") or {}).get("buckets") or {}
    for entry in buckets.values() if isinstance(buckets, dict) else []:
        if isinstance(entry, dict) and isinstance(entry.get("name"), str) and isinstance(entry.get("mode"), str):
            found[entry["name"]] = entry["mode"]
    return found


def existed_before(bucket: Any, old: dict[str, Any], new: dict[str, Any]) -> bool:
    """Whether the bucket holds files already: the base stack had it (created, imported or referenced), or this
    change imports it."""
    if not isinstance(bucket, str):
        return False
    if any(r["type"] == BUCKET and r.get("inputs", {}).get("bucket") == bucket for r in old.get("resources", [])):
        return True
    if bucket in bucket_modes(old):
        return True
    return any(
        r["type"] == BUCKET and r.get("importId") and r.get("inputs", {}).get("bucket") == bucket
        for r in new.get("resources", [])
    )


def bucket_state_risks(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(code, urn, message) for what AWS keeps that the diff does not show."""
    return [*_created_over_a_referenced_bucket(old, new), *_versioning_left_on(old, new), *_region_moved(old, new)]


def _created_over_a_referenced_bucket(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, str, str]]:
    referenced = {name for name, mode in bucket_modes(old).items() if mode == "reference"}
    found = []
    for resource in new.get("resources", []):
        name = resource.get("inputs", {}).get("bucket")
        if resource["type"] == BUCKET and name in referenced and not resource.get("importId"):
            found.append(
                (
                    "BUCKET_EXISTS",
                    resource["urn"],
                    f'{resource["name"]}: creates the bucket "{name}", which the base stack uses as an existing bucket '
                    "(mode: reference). CreateBucket of an existing name fails at `pulumi up` (in us-east-1 it succeeds "
                    "and the stack then overwrites the bucket's settings): adopt it with mode: import instead.",
                )
            )
    return found


def _versioning_left_on(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, str, str]]:
    """A `BucketVersioning` the stack drops is kept on delete: in AWS the bucket stays versioned, while the
    noncurrent-version expiry the stack set with it goes."""
    kept = {r["urn"] for r in new.get("resources", [])}
    found = []
    for resource in old.get("resources", []):  # the program writes versioning only to enable it
        if resource["type"] != VERSIONING or resource["urn"] in kept:
            continue
        bucket = resource.get("inputs", {}).get("bucket")
        found.append(
            (
                "VERSIONING_LEFT_ON",
                resource["urn"],
                f"{resource['name']}: versioning is switched off in the config, but the stack only lets go of it (it is "
                f'kept on delete): bucket "{bucket}" stays versioned in AWS, and the noncurrent-version expiry goes '
                "with this change, so every overwritten or expired file is kept as a noncurrent version, indefinitely. "
                "Keep versioning: true, or suspend versioning on the bucket first (aws s3api put-bucket-versioning "
                "--versioning-configuration Status=Suspended) and expire the noncurrent versions it keeps.",
            )
        )
    return found


def _region_moved(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, str, str]]:
    before, after = old.get("region"), new.get("region")
    if not isinstance(before, str) or not isinstance(after, str) or before == after:
        return []
    managed = sorted(name for name, mode in bucket_modes(new).items() if mode in MANAGED and name in bucket_modes(old))
    if not managed:
        return []
    return [
        (
            "REGION_CHANGED",
            "",
            f"aws:region changes from {before} to {after}: a bucket's region is fixed when it is created, and the "
            f"provider now places {', '.join(managed)} (and every regional resource) in {after}. The engine plans them "
            f"anew there (a bucket name is global: creating it fails while the bucket in {before} exists), and the "
            f"stack no longer reaches the bucket in {before}. Keep aws:region; to move, create a new bucket in "
            f"{after} and move the files and Braze's settings on purpose.",
        )
    ]
