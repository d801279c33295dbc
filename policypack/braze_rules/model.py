"""Which resources of a stack are Braze's, and how they link: the model every rule reads.

A resource is Braze's when any of these holds (the pack's README spells it out):
- it carries a tag of the braze-s3 contract (`braze:integration`, `braze:bucket`, …);
- it is a child of a `braze:s3:*` component;
- it is a role whose trust names one of the pack config's `brazeAccountIds`;
- it is an IAM policy attached to (or inline in) such a principal;
- it is a bucket such a policy grants Braze actions on, or a configuration resource of such a bucket.
Everything else is not applicable, whatever it does.

This module holds the model's types and the queries rules make of it; `model_builder` builds
it from a stack's resources.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from braze_rules import facts, iam
from braze_rules.resources import (
    BUCKET_POLICIES,
    UNKNOWN,
    Res,
)


@dataclass
class BucketInfo:
    key: str  # the bucket resource's URN, or "name:<bucket>" for a bucket outside the stack
    name: str | Any  # physical name, UNKNOWN, or None when not set (auto-named)
    res: Res | None
    children: list[Res] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def braze(self) -> bool:
        return bool(self.reasons)

    def label(self) -> str:
        shown = f'"{self.name}"' if isinstance(self.name, str) else "(name known after deployment)"
        return f"bucket {shown}" + (f' (resource "{self.res.name}")' if self.res else "")

    @property
    def urn(self) -> str | None:
        return self.res.urn if self.res else (self.children[0].urn if self.children else None)


@dataclass
class PolicyDoc:
    """One IAM identity-policy document and what it applies to."""

    res: Res
    where: str  # the property that holds it, e.g. "policy" or "inlinePolicies[0].policy"
    doc: iam.Document | Any | None  # Document, UNKNOWN, or None when malformed
    malformed: str | None = None
    principals: set[str] = field(default_factory=set)  # URNs
    bucket_deps: set[str] = field(default_factory=set)  # bucket URNs the document is built from
    reasons: list[str] = field(default_factory=list)
    declared: set[str] = field(default_factory=set)  # integrations from tags or components
    folder_tag: str | None = None
    external_arn: str | None = None  # an attached policy that is not in this stack

    @property
    def braze(self) -> bool:
        return bool(self.reasons)

    def label(self) -> str:
        return self.res.label() + (f" ({self.where})" if self.where not in ("policy", "policyDocument") else "")

    @property
    def statements(self) -> list[iam.Statement]:
        return self.doc.statements if isinstance(self.doc, iam.Document) else []


@dataclass
class PrincipalInfo:
    res: Res
    kind: str  # "role" | "user"
    trust: iam.Document | Any | None = None
    trust_malformed: str | None = None
    policies: list[PolicyDoc] = field(default_factory=list)
    access_keys: list[Res] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    declared: set[str] = field(default_factory=set)
    trusted_braze_accounts: list[str] = field(default_factory=list)

    @property
    def braze(self) -> bool:
        return bool(self.reasons)

    def statements(self) -> list[iam.Statement]:
        return [s for p in self.policies for s in p.statements]

    def unreadable_policies(self) -> list[PolicyDoc]:
        return [p for p in self.policies if not isinstance(p.doc, iam.Document) or p.doc.unknown_parts]


@dataclass
class BrazeModel:
    account_ids: tuple[str, ...]
    resources: dict[str, Res]
    buckets: dict[str, BucketInfo]
    principals: dict[str, PrincipalInfo]
    policies: list[PolicyDoc]
    _by_name: dict[str, BucketInfo] | None = None

    _braze: dict[str, list[Any]] = field(default_factory=dict)  # memo: rules call these in loops

    def braze_buckets(self) -> list[BucketInfo]:
        if "buckets" not in self._braze:
            self._braze["buckets"] = [b for b in self.buckets.values() if b.braze]
        return self._braze["buckets"]

    def braze_principals(self) -> list[PrincipalInfo]:
        if "principals" not in self._braze:
            self._braze["principals"] = [p for p in self.principals.values() if p.braze]
        return self._braze["principals"]

    def braze_policies(self) -> list[PolicyDoc]:
        if "policies" not in self._braze:
            self._braze["policies"] = [p for p in self.policies if p.braze]
        return self._braze["policies"]

    def buckets_granted(self, statements: Sequence[iam.Statement]) -> list[BucketInfo]:
        """Buckets of the stack these statements name and allow any of Braze's actions on.

        Linear in the statements' resources: a literal bucket name is a dictionary look-up;
        only a wildcard in the bucket name is matched against every bucket.
        """
        by_name = self._buckets_by_name()
        found: dict[str, BucketInfo] = {}
        for statement in statements:
            if not statement.allow or not isinstance(statement.resources, list):
                continue
            if not any(iam.statement_covers_action(statement, a) is True for a in facts.BRAZE_ACTIONS):
                continue
            for arn in statement.resources:
                parsed = iam.s3_bucket_of(arn)
                if parsed is None or parsed[0] == "*":
                    continue  # every bucket: too broad to make any bucket Braze's
                pattern = parsed[0]
                if "*" in pattern or "?" in pattern:
                    found.update({b.key: b for name, b in by_name.items() if iam.resource_matches(pattern, name)})
                elif pattern in by_name:
                    found[by_name[pattern].key] = by_name[pattern]
        return list(found.values())

    def _buckets_by_name(self) -> dict[str, BucketInfo]:
        if self._by_name is None:
            self._by_name = {b.name: b for b in self.buckets.values() if isinstance(b.name, str)}
        return self._by_name

    def touches(self, policy: PolicyDoc, bucket: BucketInfo) -> bool:
        """Whether the policy is about this bucket: built from it, or granting Braze actions on it."""
        if bucket.key in policy.bucket_deps:
            return True
        return isinstance(bucket.name, str) and grants_braze_actions(policy.statements, bucket.name)

    def integrations_of(self, principal: PrincipalInfo) -> set[str]:
        """Declared integrations, else what the grants show (Delete → export, folder → Currents)."""
        declared = set(principal.declared)
        for policy in principal.policies:
            declared |= policy.declared
        return declared or infer_integrations(principal.statements())


def grants_braze_actions(statements: Sequence[iam.Statement], bucket: str, include_global: bool = True) -> bool:
    """Whether any Allow grants one of Braze's actions on the bucket or on objects in it.

    ``include_global=False`` ignores grants on every bucket (`*`, `arn:aws:s3:::*`): such a
    policy is too broad (least-privilege says so) but must not make every bucket of the
    stack Braze's.
    """
    for statement in statements:
        if not statement.allow:
            continue
        if not any(iam.statement_covers_action(statement, a) is True for a in facts.BRAZE_ACTIONS):
            continue
        if statement.not_resources is not None:
            if include_global and isinstance(statement.not_resources, list):
                probes = (f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/braze-probe")
                if any(iam.statement_covers_resource(statement, p) is True for p in probes):
                    return True
            continue
        if not isinstance(statement.resources, list):
            continue
        for arn in statement.resources:
            if arn == "*":
                if include_global:
                    return True
                continue
            parsed = iam.s3_bucket_of(arn)
            if parsed is None or (parsed[0] == "*" and not include_global):
                continue
            if iam.resource_matches(parsed[0], bucket):
                return True
    return False


def infer_integrations(statements: Sequence[iam.Statement]) -> set[str]:
    """For hand-written principals without tags: what their grants say they serve."""
    found: set[str] = set()
    for statement in statements:
        if not statement.allow or not isinstance(statement.resources, list):
            continue
        for arn in statement.resources:
            parsed = iam.s3_bucket_of(arn)
            if parsed is None or parsed[1] is None:
                continue
            if iam.statement_covers_action(statement, "s3:DeleteObject") is True:
                found.add(facts.DASHBOARD_EXPORT)
            elif iam.statement_covers_action(statement, "s3:PutObject") is True and folder_of_key_pattern(parsed[1]):
                found.add(facts.CURRENTS)
    return found


def folder_of_key_pattern(key: str) -> str | None:
    """`currents/*` → `currents`; `*`, `` and patterns with wildcards inside → None."""
    if not key.endswith("/*"):
        return None
    folder = key[:-2]
    if not folder or "*" in folder or "?" in folder:
        return None
    return facts.normalise_folder(folder) or None


def parse_document_value(raw: Any) -> tuple[iam.Document | Any | None, str | None]:
    try:
        return iam.parse_document(raw), None
    except iam.MalformedDocumentError as error:
        return None, str(error)


def bucket_policy_statements(
    bucket: BucketInfo, unknown: Callable[[Res], None] | None = None
) -> Iterator[tuple[Res, iam.Statement]]:
    """Every statement of the bucket's readable resource policies, with the resource that holds it;
    ``unknown`` is called for a policy whose document is not known until deployment."""
    for res, doc, _ in bucket_policies(bucket):
        if doc is UNKNOWN and unknown is not None:
            unknown(res)
        elif isinstance(doc, iam.Document):
            for statement in doc.statements:
                yield res, statement


def bucket_policies(bucket: BucketInfo) -> list[tuple[Res, iam.Document | Any | None, str | None]]:
    """The bucket's resource policies: BucketPolicy resources and a v6 inline `policy`.

    Each as (resource, Document | UNKNOWN | None, why malformed).
    """
    found: list[tuple[Res, Any, str | None]] = []
    for child in bucket.children:
        if child.type in BUCKET_POLICIES:
            raw = child.props.get("policy", child.props.get("policyDocument"))
            doc, malformed = parse_document_value(raw)
            found.append((child, doc, malformed))
    if bucket.res is not None and bucket.res.props.get("policy") is not None:
        doc, malformed = parse_document_value(bucket.res.props.get("policy"))
        found.append((bucket.res, doc, malformed))
    return found
