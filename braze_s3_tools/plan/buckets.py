"""The plan's account of each bucket: what this stack manages on it, and what it does not.

An imported bucket is adopted on the first `pulumi up` and then updated to the desired state:
every configuration resource the stack creates on it *replaces* what the bucket had (S3's Put*
calls are whole-document), so the plan lists them. A reference bucket gets nothing: the plan
says which guarantees are then the owner's, and `make verify` checks them live.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from braze_s3_tools.engine.harness import ProgramRun, Secret

# What each configuration resource does to a bucket that already exists.
OVERWRITES = {
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": "public access block: all four flags on",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": "object ownership BucketOwnerEnforced: ACLs disabled",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": "default encryption replaced",
    "aws:s3/bucketPolicy:BucketPolicy": "bucket policy REPLACED by the TLS-only policy: existing statements are removed",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": "lifecycle configuration REPLACED: existing rules are removed",
    "aws:s3/bucketVersioning:BucketVersioning": "versioning enabled (it cannot be switched off again, only suspended)",
    "aws:s3/bucketMetric:BucketMetric": "request-metrics configuration added (freshness alarm)",
}
IMPORT_TAGS = "tags REPLACED by this stack's (braze:bucket and braze-s3:tags): the bucket's other tags are removed"
NOT_MANAGED = (
    "public access block",
    "object ownership",
    "default encryption",
    "TLS-only bucket policy",
    "lifecycle rules",
    "Object Lock",
    "protection against deletion",
    "freshness alarms",
)
OBJECT_LOCK_CHECK = (
    "Object Lock cannot be removed: importing a bucket that has it would need a replacement, which the engine refuses "
    "for an imported resource, and Currents cannot write to it anyway. Check first: `aws s3api "
    "get-object-lock-configuration --bucket {name}` (ObjectLockConfigurationNotFoundError means off)."
)


@dataclass
class BucketNote:
    key: str
    name: str
    mode: str
    lines: list[str] = field(default_factory=list)


def _plain(value: Any) -> str:
    return "[secret]" if isinstance(value, Secret) else str(value)


def bucket_notes(run: ProgramRun) -> list[BucketNote]:
    buckets = run.outputs.get("buckets")
    notes: list[BucketNote] = []
    for key, bucket in sorted(buckets.items()) if isinstance(buckets, dict) else []:
        name, mode = _plain(bucket.get("name")), str(bucket.get("mode", "create"))
        note = BucketNote(key, name, mode)
        encryption = f"SSE-KMS with {_plain(bucket['kmsKeyArn'])}" if bucket.get("kmsKeyArn") else "SSE-S3"
        if mode == "reference":
            note.lines.append(
                f"not managed by this stack: {', '.join(NOT_MANAGED)}. `make verify` checks Object Lock, encryption, "
                "public access block and ownership live on it."
            )
            if bucket.get("kmsKeyArn"):
                note.lines.append(
                    f"Braze's principals are granted the key {_plain(bucket['kmsKeyArn'])}; the bucket's own default encryption is not set here."
                )
        elif mode == "import":
            note.lines.append(
                f"imported on the first `pulumi up`, then updated to this stack's desired state ({encryption}):"
            )
            # The bucket resource itself sets its tags: the import's update replaces the bucket's tag set.
            note.lines.append(f"  - {IMPORT_TAGS}")
            note.lines += [f"  - {change}" for change in _overwrites(run, name)]
            note.lines.append(OBJECT_LOCK_CHECK.format(name=name))
        else:
            note.lines.append(f"created and hardened by this stack ({encryption}).")
        notes.append(note)
    return notes


def _overwrites(run: ProgramRun, name: str) -> list[str]:
    """What the stack's configuration resources of this bucket overwrite on it."""
    types = sorted({r.type for r in run.resources if r.type in OVERWRITES and _unwrap(r.inputs.get("bucket")) == name})
    return [OVERWRITES[t] for t in types]


def _unwrap(value: Any) -> Any:
    return _unwrap(value.value) if isinstance(value, Secret) else value
