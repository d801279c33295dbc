"""A bucket's settings as every provider shape writes them: default encryption and ACLs.

The same setting lives in different places: v6's legacy `Bucket` has inline singular blocks,
v6's `BucketV2` inline lists, v7 and aws-native their own resources or nested objects
(`shapes.READS` lists each path; the provider-names test holds them to the SDKs). Readers
return what they find with `UNKNOWN` kept, so a rule can say "not known until deployment".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from braze_rules.model import BucketInfo
from braze_rules.resources import UNKNOWN, Res, values_at
from braze_rules.shapes import ACL_CONFIGS, SSE_BY_DEFAULT, SSE_CONFIGS


@dataclass(frozen=True)
class DefaultEncryption:
    """One default-encryption rule: where it is set, its algorithm, and its KMS key (None: the AWS managed key)."""

    res: Res
    algorithm: str | Any  # "AES256", "aws:kms", "aws:kms:dsse", UNKNOWN
    kms_key: str | Any | None  # key id, key ARN, alias, UNKNOWN, or None

    @property
    def kms(self) -> bool:
        return isinstance(self.algorithm, str) and self.algorithm.lower().startswith("aws:kms")


def _by_default(item: Any) -> tuple[Any, Any]:
    """(`sseAlgorithm`, `kmsMasterKeyId`) of one default-encryption object, unknowns kept, malformed as None."""
    if item is UNKNOWN:
        return UNKNOWN, UNKNOWN
    if not isinstance(item, dict):
        return None, None
    return item.get("sseAlgorithm"), item.get("kmsMasterKeyId")


def _items(value: Any) -> list[Any]:
    """A list's items; any other value (one object, `UNKNOWN`, a malformed one) as one item (readers keep objects)."""
    return value if isinstance(value, list) else [value]


def default_encryptions(bucket: BucketInfo) -> list[DefaultEncryption]:
    """Every default-encryption rule set on the bucket or by a configuration resource of it, read
    at the paths `shapes.SSE_BY_DEFAULT` gives for each type (the provider-names test holds them
    to the SDKs' input classes)."""
    found: list[DefaultEncryption] = []
    sources = [c for c in bucket.children if c.type in SSE_CONFIGS] + ([bucket.res] if bucket.res else [])
    for res in sources:
        for path in SSE_BY_DEFAULT[res.type]:  # every bucket type and SSE_CONFIGS type has its paths
            for item in values_at(res.props, path):
                algorithm, key = _by_default(item)
                if algorithm is not None:
                    found.append(DefaultEncryption(res, algorithm, key))
    return found


PUBLIC_CANNED_ACLS = ("public-read", "public-read-write", "authenticated-read")
PUBLIC_NATIVE_ACLS = ("PublicRead", "PublicReadWrite", "AuthenticatedRead")
PUBLIC_GRANTEES = (
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
)


def public_acls(bucket: BucketInfo) -> list[tuple[Res, str]]:
    """(resource, what it grants) for each ACL on the bucket that opens it to everyone."""
    found: list[tuple[Res, str]] = []
    sources = [c for c in bucket.children if c.type in ACL_CONFIGS] + ([bucket.res] if bucket.res else [])
    for res in sources:
        acl = res.get("acl")
        if isinstance(acl, str) and acl in PUBLIC_CANNED_ACLS:
            found.append((res, f'the canned ACL "{acl}"'))
        native = res.get("accessControl")
        if isinstance(native, str) and native in PUBLIC_NATIVE_ACLS:
            found.append((res, f'accessControl "{native}"'))
        grantees = [g.get("uri") for g in _items(res.get("grants")) if isinstance(g, dict)]
        policy_grants = _items(res.get("accessControlPolicy", "grants"))
        grantees += [
            g["grantee"].get("uri") for g in policy_grants if isinstance(g, dict) and isinstance(g.get("grantee"), dict)
        ]
        for uri in grantees:
            if uri in PUBLIC_GRANTEES:
                found.append((res, f"an ACL grant to {uri.rsplit('/', 1)[-1]}"))
    return found
