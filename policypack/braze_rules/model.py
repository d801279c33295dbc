"""Which resources of a stack are Braze's, and how they link: the model every rule reads.

A resource is Braze's when any of these holds (the pack's README spells it out):
- it carries a tag of the braze-s3 contract (`braze:integration`, `braze:bucket`, …);
- it is a child of a `braze:s3:*` component;
- it is a role whose trust names one of the pack config's `brazeAccountIds`;
- it is an IAM user with an access key whose grants have Braze's fingerprint (exactly Braze's
  actions, GetBucketLocation among them, on one bucket);
- it is an IAM policy attached to (or inline in) such a principal, directly or through a group;
- it is a bucket such a policy names and grants Braze actions on (by its name or by a
  dependency; a bucket that only a wildcard pattern reaches is not), or a configuration
  resource of such a bucket.
Everything else is not applicable, whatever it does.

This module holds the model's types and the queries rules make of it; `model_builder` builds
it from a stack's resources, and `grants` says what each principal may do on each bucket.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from braze_rules import facts, iam
from braze_rules.resources import UNKNOWN, Res
from braze_rules.shapes import BUCKET_POLICIES

NAMED = frozenset({"name", "dependency", "bucket policy"})
OBJECT_ACTIONS = facts.DASHBOARD_EXPORT_OBJECT_ACTIONS
WRITE, READ, DELETE = "s3:PutObject", "s3:GetObject", "s3:DeleteObject"
PROBE = "braze-s3-policy-probe"  # an object key no rule expects a policy to name
NAMED_DELETE = "s3:DeleteObject, named"  # the keys an Allow names s3:DeleteObject on, literally


@dataclass
class BucketInfo:
    key: str  # the bucket resource's URN, or "name:<bucket>" for a bucket outside the stack
    name: str | Any  # physical name, UNKNOWN, or None when not set (auto-named)
    res: Res | None
    children: list[Res] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    wildcard_reach: list[str] = field(default_factory=list)  # Braze policies whose bucket-name wildcard reaches it
    # Its resource policies, parsed on first use (see `bucket_policies`); the model is complete by then.
    parsed_policies: list[tuple[Res, Any, str | None]] | None = field(default=None, repr=False, compare=False)
    # (action, key, caller) → the bucket-policy denials of Braze's request (`bucket_denials.judge`): every
    # rule asks the same few
    denials: dict[tuple[Any, ...], list[Any]] = field(default_factory=dict, repr=False, compare=False)

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
    """One IAM identity-policy document and what it applies to.

    The document is parsed on first use: a stack's unrelated policies (most of an organisation's)
    are never read beyond what links them.
    """

    res: Res
    where: str  # the property that holds it, e.g. "policy" or "inlinePolicies[0].policy"
    raw: Any  # as the engine sent it: JSON string, object, UNKNOWN; None for a policy outside the stack
    principals: set[str] = field(default_factory=set)  # URNs
    bucket_deps: set[str] = field(default_factory=set)  # bucket URNs the document is built from
    reasons: list[str] = field(default_factory=list)
    declared: set[str] = field(default_factory=set)  # integrations from tags or components
    folder_tag: str | None = None
    external_arn: str | None = None  # an attached policy that is not in this stack
    _parsed: tuple[Any, str | None] | None = field(default=None, repr=False)

    def _parse(self) -> tuple[Any, str | None]:
        if self._parsed is None:
            self._parsed = parse_document_value(self.raw) if self.raw is not None else (None, None)
        return self._parsed

    @property
    def doc(self) -> iam.Document | Any | None:
        """The Document, UNKNOWN, or None (malformed, or not in this stack)."""
        return self._parse()[0]

    @property
    def malformed(self) -> str | None:
        return self._parse()[1]

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
    kind: str  # "role" | "user" | "group" (a group only lends its policies to its members)
    raw_trust: Any = None  # a role's trust policy as the engine sent it; parsed on first use
    policies: list[PolicyDoc] = field(default_factory=list)
    access_keys: list[Res] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    declared: set[str] = field(default_factory=set)
    folder_tag: str | None = None  # a hand-written program may tag the role or user, not its policy
    trusted_braze_accounts: list[str] = field(default_factory=list)
    members: set[str] = field(default_factory=set)  # a group's users (URNs)
    _parsed_trust: tuple[Any, str | None] | None = field(default=None, repr=False)

    def _trust(self) -> tuple[Any, str | None]:
        if self._parsed_trust is None:
            self._parsed_trust = parse_document_value(self.raw_trust) if self.raw_trust is not None else (None, None)
        return self._parsed_trust

    @property
    def trust(self) -> iam.Document | Any | None:
        return self._trust()[0]

    @property
    def trust_malformed(self) -> str | None:
        return self._trust()[1]

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
    principals: dict[str, PrincipalInfo]  # roles and users
    policies: list[PolicyDoc]
    groups: dict[str, PrincipalInfo] = field(default_factory=dict)
    account: str | None = None  # the stack's AWS account, when the ARNs of its resources show one
    grants: GrantsIndex = field(init=False)  # set by the builder once the model is linked (`grants.Grants`)

    _braze: dict[str, list[Any]] = field(default_factory=dict)  # memo: rules call these in loops
    _by_name: dict[str, BucketInfo] | None = None

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

    def reset_names(self) -> None:
        self._by_name = None

    def buckets_by_name(self) -> dict[str, BucketInfo]:
        if self._by_name is None:
            self._by_name = {b.name: b for b in self.buckets.values() if isinstance(b.name, str)}
        return self._by_name


@dataclass
class Access:
    """What one holder may do on one bucket."""

    bucket: BucketInfo
    statements: Sequence[iam.Statement]
    reach: set[str] = field(default_factory=set)
    keys: dict[str, set[str]] = field(default_factory=dict)  # object action → key patterns an Allow names

    @property
    def named(self) -> bool:
        return bool(self.reach & NAMED)

    def allows(self, action: str, key: str | None = None) -> bool | Any:
        """Whether the holder may take ``action`` on the bucket (``key`` None) or on ``bucket/key``:
        True, False, or UNKNOWN (a statement, or the bucket's name, is known only after deployment)."""
        if not isinstance(self.bucket.name, str):
            return UNKNOWN
        return iam.allows_s3(list(self.statements), action, self.bucket.name, key)

    def folders(self, action: str) -> set[str]:
        """The folders (`<folder>/*` patterns, and `<folder>*` without its slash) the holder may take this
        object action in."""
        return {f for k in self.keys.get(action, ()) if (f := folder_of_key_pattern(k) or folder_of_prefix(k))}

    def prefix_folders(self, action: str) -> set[str]:
        """The folders granted without their slash (`currents*`): they also reach every folder whose name
        starts so (`currents-marketing/`)."""
        return {f for k in self.keys.get(action, ()) if (f := folder_of_prefix(k))}


@dataclass
class Holder:
    """A principal or a policy, with the statements it holds and its access per bucket."""

    statements: list[iam.Statement]
    declared: set[str]
    folder_tags: list[str]
    unreadable: bool
    access: dict[str, Access] = field(default_factory=dict)  # bucket key → access
    everywhere: bool = False  # some Allow of Braze's actions names every bucket
    everywhere_keys: dict[str, set[str]] = field(default_factory=dict)  # object action → keys, in every bucket
    wildcard_buckets: set[str] = field(default_factory=set)  # bucket-name patterns an Allow of Braze's actions names

    def on(self, bucket: BucketInfo) -> Access | None:
        """The holder's access to the bucket, if any statement reaches it: by name or dependency, or
        through a grant on every bucket that does not leave this one out (a `NotResource` can)."""
        found = self.access.get(bucket.key)
        if found is None and self.everywhere:
            candidate = Access(bucket, self.statements, {"everywhere"}, copy_keys(self.everywhere_keys))
            # Asked of the bucket itself, and of one key each everywhere-grant names (its pattern made concrete).
            asks: list[tuple[str, str | None]] = [(a, None) for a in facts.BRAZE_ACTIONS if a not in OBJECT_ACTIONS]
            asks += [
                (a, k.replace("*", "x").replace("?", "x")) for a, keys in self.everywhere_keys.items() for k in keys
            ]
            if any(candidate.allows(action, key) is not False for action, key in asks):
                found = candidate
        return found

    def buckets(self, model: BrazeModel, braze_only: bool = True) -> list[BucketInfo]:
        """The buckets the holder reaches (named, by dependency, or by wildcard); with ``everywhere``
        every Braze bucket of the stack."""
        found = {a.bucket.key: a.bucket for a in self.access.values()}
        if self.everywhere:
            found.update({b.key: b for b in model.braze_buckets()})
        return [b for b in found.values() if b.braze or not braze_only]

    @property
    def integrations(self) -> set[str]:
        """Declared (tags, components), else what the grants show: DeleteObject → dashboard export,
        writing in a folder → Currents."""
        return set(self.declared) or self.inferred_integrations()

    def inferred_integrations(self) -> set[str]:
        """What the grants show when nothing declares it: DeleteObject *named* on the bucket's keys beyond
        one folder → dashboard export (it deletes across its prefixes); a folder it may write in → Currents
        (dashboard export writes under prefixes of its own, never one folder). A delete that only a wildcard grants (`s3:*`, `s3:Delete*`, `*`)
        or one inside a single folder is over-privilege, not the evidence of an integration."""
        found: set[str] = set()
        for access in self.access.values():
            deletes = access.keys.get(NAMED_DELETE, set())
            if any(folder_of_key_pattern(k) is None for k in deletes):
                found.add(facts.DASHBOARD_EXPORT)
            if access.folders(WRITE):
                found.add(facts.CURRENTS)
        return found

    def currents_folder(self, bucket: BucketInfo) -> str | None:
        """The folder a Currents holder writes in: its braze:folder-path tag, else its folder-scoped PutObject."""
        if self.folder_tags:
            return facts.normalise_folder(self.folder_tags[0])
        access = self.on(bucket)
        folders = sorted(access.folders(WRITE)) if access else []
        return folders[0] if folders else None

    def write_folders(self, bucket: BucketInfo) -> set[str]:
        if self.folder_tags:
            return {facts.normalise_folder(t) for t in self.folder_tags}
        access = self.access.get(bucket.key)
        return access.folders(WRITE) if access else set()

    def write_prefixes(self, bucket: BucketInfo) -> set[str]:
        """Those of `write_folders` granted without their slash (`currents*`), which reach further."""
        if self.folder_tags:
            return set()
        access = self.access.get(bucket.key)
        return access.prefix_folders(WRITE) if access else set()


class GrantsIndex(Protocol):
    """What rules ask of the grants layer (`grants.Grants` builds it): the model names its types, the
    grants layer depends on them, never the reverse."""

    def of_principal(self, principal: PrincipalInfo) -> Holder: ...

    def of_policy(self, policy: PolicyDoc) -> Holder: ...


def copy_keys(keys: dict[str, set[str]]) -> dict[str, set[str]]:
    return {action: set(found) for action, found in keys.items()}


def folder_of_key_pattern(key: str) -> str | None:
    """`currents/*` → `currents`; `*`, `` and patterns with wildcards inside → None."""
    if not key.endswith("/*"):
        return None
    folder = key[:-2]
    if not folder or "*" in folder or "?" in folder:
        return None
    return facts.normalise_folder(folder) or None


def folder_of_prefix(key: str) -> str | None:
    """`currents*` → `currents`: a folder granted without its slash (IAM: it also matches `currents-x/…`);
    `*`, `currents/*` (a folder proper) and patterns with other wildcards → None."""
    if not key.endswith("*") or key.endswith("/*"):
        return None
    prefix = key[:-1]
    if not prefix or "*" in prefix or "?" in prefix:
        return None
    return facts.normalise_folder(prefix) or None


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
    if bucket.parsed_policies is not None:
        return bucket.parsed_policies
    found: list[tuple[Res, Any, str | None]] = []
    for child in bucket.children:
        if child.type in BUCKET_POLICIES:
            raw = child.props.get("policy", child.props.get("policyDocument"))
            doc, malformed = parse_document_value(raw)
            found.append((child, doc, malformed))
    if bucket.res is not None and bucket.res.props.get("policy") is not None:
        doc, malformed = parse_document_value(bucket.res.props.get("policy"))
        found.append((bucket.res, doc, malformed))
    bucket.parsed_policies = found
    return found
