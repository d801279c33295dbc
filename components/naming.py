"""Pure rules for names Braze and AWS care about: bucket names, folder paths, connectors.

Every function returns the problem as a sentence (or None), never raises, so the
config parser can collect all problems of a stack in one pass.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator

# S3 general-purpose bucket naming rules, minus dots: a dotted name breaks TLS with
# virtual-hosted-style requests (the certificate is *.s3.<region>.amazonaws.com), and the
# bucket policy this program attaches denies every request that is not TLS.
_BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")
_DOTTED_BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_IP_ADDRESS = re.compile(r"^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$")
_BUCKET_RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
_BUCKET_RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", "--x-s3", "--table-s3", ".mrap")

# One folder segment: characters S3 calls safe and IAM treats literally. `*` and `?`
# would be wildcards inside a policy resource, `$` opens a policy variable.
_FOLDER_SEGMENT = re.compile(r"^[A-Za-z0-9._-]+$")
FOLDER_PATH_MAX = 255  # Braze appends ~150 characters of its own layout below the folder

CONNECTOR_NAME = re.compile(r"^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$")


def bucket_name_problem(name: str, *, referenced: bool = False) -> str | None:
    """Why ``name`` cannot be a Braze bucket here, or None when it can. A ``referenced`` bucket (one the stack
    never changes) may have the dots S3 allows: it exists already and cannot be renamed."""
    if "." in name and not referenced:
        return (
            "contains a dot; dotted bucket names break TLS for virtual-hosted requests and this stack puts a "
            "TLS-only policy on the buckets it manages; use hyphens for a new bucket, or mode: reference for an "
            "existing dotted one (the stack then changes nothing on it)"
        )
    if not 3 <= len(name) <= 63:
        return f"is {len(name)} characters long; S3 bucket names have 3 to 63"
    if referenced and "." in name:
        if not _DOTTED_BUCKET_NAME.fullmatch(name) or ".." in name or ".-" in name or "-." in name:
            return "is not an S3 bucket name: lowercase letters, digits, hyphens and single dots between them"
        if _IP_ADDRESS.fullmatch(name):
            return "is formatted as an IP address, which S3 bucket names cannot be"
        return None
    if not _BUCKET_NAME.fullmatch(name):
        return "must be lowercase letters, digits and hyphens, starting and ending with a letter or digit"
    if name.startswith(_BUCKET_RESERVED_PREFIXES):
        return f"starts with a prefix S3 reserves ({', '.join(_BUCKET_RESERVED_PREFIXES)})"
    if name.endswith(_BUCKET_RESERVED_SUFFIXES):
        return f"ends with a suffix S3 reserves ({', '.join(_BUCKET_RESERVED_SUFFIXES)})"
    # S3 also forbids names formatted as IP addresses; the no-dots rule above already excludes them.
    return None


def normalise_folder_path(raw: str) -> str:
    """The folder path as Braze and IAM see it: no trailing slashes."""
    return raw.rstrip("/")


# Braze's own prefixes in an export bucket: message archiving writes one JSON per message sent
# (key names can hold e-mail addresses and phone numbers), segment and user exports their zips.
BRAZE_RESERVED_PREFIXES = ("sent_messages", "segment-export")

# Regions by partition prefix (AWS's partitions.json): the isolated ones (ISO, ISO-B, ISO-E,
# ISO-F) have no route to Braze at all.
REGION = re.compile(r"^(?P<geo>[a-z]{2})-(?:(?P<special>gov|iso[a-z]?)-)?[a-z]+-[0-9]+$")
PARTITION_BY_SPECIAL = {
    "gov": "aws-us-gov",
    "iso": "aws-iso",
    "isob": "aws-iso-b",
    "isoe": "aws-iso-e",
    "isof": "aws-iso-f",
}


def partition_of(region: str | None) -> str:
    """The AWS partition a region belongs to ("aws" when the region is not set or not recognised)."""
    match = REGION.fullmatch(region or "")
    if not match:
        return "aws"
    if match.group("geo") == "cn":
        return "aws-cn"
    return PARTITION_BY_SPECIAL.get(match.group("special") or "", "aws")


def region_problem(region: str) -> str | None:
    """Why ``region`` cannot host a bucket Braze writes to, or None."""
    if not REGION.fullmatch(region):
        return "is not an AWS region name (e.g. eu-west-1, us-east-1)"
    partition = partition_of(region)
    if partition.startswith("aws-iso"):
        return f"is in the isolated partition {partition}, which Braze cannot reach"
    return None


def reserved_prefix_problem(folder: str) -> str | None:
    """Why a (normalised) Currents folder collides with a prefix Braze itself writes to, or None."""
    for reserved in BRAZE_RESERVED_PREFIXES:
        if folder == reserved or folder.startswith(f"{reserved}/"):
            return (
                f"is Braze's own {reserved}/ prefix in an export bucket ({'message archiving: key names hold e-mail addresses and phone numbers' if reserved == 'sent_messages' else 'segment and user exports'}); "
                "give Currents a folder of its own"
            )
    return None


def folder_path_problem(raw: str) -> str | None:
    """Why ``raw`` cannot be a Currents folder path, or None when it can."""
    if raw.strip() == "":
        return 'is empty; give a folder such as "currents" (Braze\'s default)'
    if raw.startswith("/"):
        return "starts with '/'; S3 keys have no leading slash, write it without"
    path = normalise_folder_path(raw)
    if len(path) > FOLDER_PATH_MAX:
        return f"is {len(path)} characters long; keep it under {FOLDER_PATH_MAX + 1}"
    for segment in path.split("/"):
        if segment == "":
            return "has an empty segment ('//'); remove the doubled slash"
        if segment in (".", ".."):
            return f"has a {segment!r} segment; S3 keys are literal, write the real folder"
        if not _FOLDER_SEGMENT.fullmatch(segment):
            return (
                f"segment {segment!r} has characters other than letters, digits, '.', '_' and '-' "
                "(wildcards and spaces would change the meaning of the IAM policy)"
            )
    return reserved_prefix_problem(path)


def _ancestors(path: str) -> Iterator[str]:
    """`a/b/c` -> `a`, `a/b`: every folder that contains ``path``."""
    parts = path.split("/")
    for end in range(1, len(parts)):
        yield "/".join(parts[:end])


def folder_conflicts(paths: Iterable[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """Pairs of connectors whose folders are the same or nested.

    ``paths`` holds (owner, normalised folder) in config order. Returns
    (later owner, earlier owner, "same" | "inside" | "contains") for each conflict
    in linear time: each folder is looked up with each of its ancestors, so 300
    connectors cost 300 × depth dictionary look-ups, not 300² comparisons.
    """
    seen: dict[str, str] = {}
    # Every ancestor of every folder seen so far, to find a new folder that contains an old one.
    seen_ancestors: dict[str, str] = {}
    conflicts: list[tuple[str, str, str]] = []
    for owner, path in paths:
        if path in seen:
            conflicts.append((owner, seen[path], "same"))
            continue
        parent_owner = next((seen[a] for a in _ancestors(path) if a in seen), None)
        if parent_owner is not None:
            conflicts.append((owner, parent_owner, "inside"))
        elif path in seen_ancestors:
            conflicts.append((owner, seen_ancestors[path], "contains"))
        seen[path] = owner
        for ancestor in _ancestors(path):
            seen_ancestors.setdefault(ancestor, owner)
    return conflicts


# IAM's name limits, and what this program appends to a logical name (the resource name).
IAM_NAME_MAX = {"role": 64, "user": 64, "policy": 128}
IAM_NAME_PREFIX = re.compile(r"^[A-Za-z0-9+=,.@_-]{1,32}$")
NAME_SUFFIX_LENGTH = 8  # "-" and 7 hex digits, as Pulumi's auto-names


def iam_name(prefix: str, logical: str, project: str, stack: str) -> str:
    """A stable, account-unique IAM name: `<prefix><logical>-<7 hex of project/stack/logical>`."""
    digest = hashlib.sha256(f"{project}/{stack}/{logical}".encode()).hexdigest()[:7]
    return f"{prefix}{logical}-{digest}"


def iam_name_length_problem(prefix: str, logical: str, kind: str) -> str | None:
    """Why `<prefix><logical>-<hash>` would be too long for IAM, or None."""
    length = len(prefix) + len(logical) + NAME_SUFFIX_LENGTH
    limit = IAM_NAME_MAX[kind]
    if length > limit:
        return f"makes the {kind} name {prefix}{logical}-<hash> {length} characters long; IAM allows {limit}"
    return None


def secret_output_name(component: str, generation: str) -> str:
    """The top-level stack output that holds one access key's secret.

    Top level on purpose: pulumi/actions masks a step output only when the whole stack output
    is secret, so a secret nested in `currents` would reach the workflow log unmasked.
    """
    return f"secretAccessKey-{component}-{generation}"
