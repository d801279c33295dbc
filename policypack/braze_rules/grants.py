"""What each principal may do on each bucket of the stack: the one place rules learn it from.

A *holder* is a principal (a role, or a user with the policies of its groups) or one IAM policy
on its own. Its grants on a bucket are read once, from every statement it holds, with ARNs
matched in every partition (`iam.allows_s3`): which of Braze's actions it may take, on which
keys, and how the bucket was reached —

- ``name``: an ARN names the bucket (`acme-braze`, or `acme-braze*` for `acme-braze` itself);
- ``dependency``: the document is built from the bucket's outputs (known even at preview);
- ``wildcard``: only a wildcard in the bucket name reaches it (`acme-braze*` → `acme-braze-logs`);
- ``everywhere``: `*` or `arn:aws:s3:::*`, every bucket of the account.

Only the first two make a bucket Braze's. The folders a holder writes, reads and deletes are
the `<folder>/*` key patterns it is allowed those actions on.
"""

from __future__ import annotations

from braze_rules import conditions, facts, iam
from braze_rules.model import (
    DELETE,
    NAMED,
    NAMED_DELETE,
    OBJECT_ACTIONS,
    PROBE,
    READ,
    WRITE,
    Access,
    BrazeModel,
    BucketInfo,
    Holder,
    PolicyDoc,
    PrincipalInfo,
    bucket_policies,
)
from braze_rules.resources import UNKNOWN

__all__ = ["DELETE", "NAMED", "OBJECT_ACTIONS", "PROBE", "READ", "WRITE", "Access", "Grants", "Holder"]
ANY_BUCKET = "braze-s3-any-other-bucket"  # stands for a bucket no policy names


class Grants:
    """The holders of a stack, built on demand and kept: every rule reads the same grants."""

    def __init__(self, model: BrazeModel) -> None:
        self.model = model
        self._principals: dict[str, Holder] = {}
        self._policies: dict[int, Holder] = {}

    def of_principal(self, principal: PrincipalInfo) -> Holder:
        holder = self._principals.get(principal.res.urn)
        if holder is None:
            policies = principal.policies
            granted, unreadable = self._bucket_policy_grants(principal)
            holder = self._build(
                policies,
                principal.declared | {i for p in policies for i in p.declared},
                granted,
                [principal.folder_tag],
            )
            holder.unreadable = holder.unreadable or unreadable
            self._principals[principal.res.urn] = holder
        return holder

    def _bucket_policy_grants(self, principal: PrincipalInfo) -> tuple[list[tuple[BucketInfo, iam.Statement]], bool]:
        """The bucket-policy Allows that grant to the principal itself, in its own account: naming it (its
        ARN, its session, or everyone) with conditions its requests meet; one that may (a part unknown,
        or at preview a Principal built from the principal's outputs, linked by dependency) as undecided.
        An Allow to the account alone grants nothing by itself: it leaves it to the IAM policies. Each
        comes back without Principal and Condition, for `iam.allows_s3` (undecided: ``maybe``); and
        whether a bucket policy the principal's outputs build is unknown as a whole."""
        caller = conditions.caller_of(self.model, principal)
        found: list[tuple[BucketInfo, iam.Statement]] = []
        unreadable = False
        for bucket in self.model.buckets.values():
            for res, doc, _ in bucket_policies(bucket):
                depends = principal.res.urn in res.deps_of("policy") + res.deps_of("policyDocument")
                if doc is UNKNOWN or (isinstance(doc, iam.Document) and doc.unknown_parts):
                    unreadable = unreadable or depends
                if not isinstance(doc, iam.Document):
                    continue
                for statement in doc.statements:
                    if not statement.allow or not any(
                        iam.statement_covers_action(statement, a) is not False for a in facts.BRAZE_ACTIONS
                    ):
                        continue
                    verdict = conditions.grants(statement, caller)
                    if verdict is False or (verdict is UNKNOWN and not depends and conditions.names_unknown(statement)):
                        continue
                    bare = iam.Statement(
                        statement.effect,
                        statement.actions,
                        statement.not_actions,
                        statement.resources,
                        statement.not_resources,
                        maybe=verdict is not True,
                        to_everyone=conditions.names_everyone(statement),
                    )
                    found.append((bucket, bare))
        return found, unreadable

    def of_policy(self, policy: PolicyDoc) -> Holder:
        holder = self._policies.get(id(policy))
        if holder is None:
            declared = set(policy.declared)
            for urn in policy.principals:
                declared |= self.model.principals[urn].declared
            principal_tags = [self.model.principals[urn].folder_tag for urn in sorted(policy.principals)]
            holder = self._policies[id(policy)] = self._build([policy], declared, None, principal_tags)
        return holder

    def _build(
        self,
        policies: list[PolicyDoc],
        declared: set[str],
        granted: list[tuple[BucketInfo, iam.Statement]] | None = None,
        principal_tags: list[str | None] | None = None,
    ) -> Holder:
        statements = [s for p in policies for s in p.statements] + [s for _, s in granted or ()]
        unreadable = any(not isinstance(p.doc, iam.Document) or p.doc.unknown_parts for p in policies)
        # The folder a connector declares: on its policies (the program tags them), else on its role or user.
        tags = [p.folder_tag for p in policies if p.folder_tag] or list(
            dict.fromkeys(t for t in principal_tags or () if t)
        )
        holder = Holder(statements, declared, tags, unreadable)
        for policy in policies:
            for key in policy.bucket_deps:
                self._touch(holder, self.model.buckets[key], "dependency")
        for bucket, statement in granted or ():
            # An Allow to everyone grants the principal too, but does not make the bucket one Braze writes to
            # (a public website bucket, an organisation-wide read): only one that names it does.
            self._touch(holder, bucket, "bucket policy to everyone" if statement.to_everyone else "bucket policy")
        for statement in statements:
            self._read(holder, statement)
        for access in holder.access.values():  # a grant on every bucket reaches the named ones too
            for action, keys in holder.everywhere_keys.items():
                access.keys.setdefault(action, set()).update(keys)
        return holder

    def _touch(self, holder: Holder, bucket: BucketInfo, how: str) -> Access:
        access = holder.access.get(bucket.key)
        if access is None:
            access = holder.access[bucket.key] = Access(bucket, holder.statements)
        access.reach.add(how)
        return access

    def _read(self, holder: Holder, statement: iam.Statement) -> None:
        """Record the buckets (and keys) one Allow of Braze's actions reaches."""
        if not statement.allow:
            return
        actions = [a for a in facts.BRAZE_ACTIONS if iam.statement_covers_action(statement, a) is True]
        if not actions:
            return
        object_actions = _object_actions(statement, actions)
        if statement.not_resources is not None:
            # Every resource but the ones listed: it reaches the buckets it does not exclude, and
            # every bucket of the account when an arbitrary one is not excluded.
            if iam.statement_covers_s3(statement, ANY_BUCKET) is True:
                holder.everywhere = True
                _add_keys(holder.everywhere_keys, object_actions, "*")
            for bucket in self.model.buckets_by_name().values():
                probes = (
                    iam.statement_covers_s3(statement, bucket.name),
                    iam.statement_covers_s3(statement, bucket.name, PROBE),
                )
                if True in probes:
                    _add_keys(self._touch(holder, bucket, "everywhere").keys, object_actions, "*")
            return
        if not isinstance(statement.resources, list):
            return
        by_name = self.model.buckets_by_name()
        for arn in statement.resources:
            parsed = ("*", "*") if arn == "*" else iam.s3_bucket_of(arn)
            if parsed is None:
                continue
            pattern, key = parsed
            if pattern == "*":  # `*`, `arn:aws:s3:::*`, `arn:aws:s3:::*/<key>`
                holder.everywhere = True
                if key is not None:
                    _add_keys(holder.everywhere_keys, object_actions, key)
                continue
            if "*" in pattern or "?" in pattern:
                holder.wildcard_buckets.add(pattern)
                stem = pattern[:-1] if pattern.endswith("*") else None
                targets = [
                    (b, "name" if name == stem else "wildcard")
                    for name, b in by_name.items()
                    if iam.resource_matches(pattern, name)
                ]
            else:
                targets = [(by_name[pattern], "name")] if pattern in by_name else []
            for bucket, how in targets:
                access = self._touch(holder, bucket, how)
                if key is not None:
                    _add_keys(access.keys, object_actions, key)


def _object_actions(statement: iam.Statement, actions: list[str]) -> list[str]:
    """The object actions among ``actions``, and NAMED_DELETE where the statement names DeleteObject
    itself: evidence of dashboard export, where a wildcard's reach is not."""
    found = [a for a in actions if a in OBJECT_ACTIONS]
    return [*found, NAMED_DELETE] if DELETE in found and _names_action(statement, DELETE) else found


def _names_action(statement: iam.Statement, action: str) -> bool:
    """The statement lists ``action`` itself (no wildcard, no NotAction)."""
    listed = statement.actions if statement.not_actions is None and isinstance(statement.actions, list) else []
    return action.lower() in (a.lower() for a in listed)


def _add_keys(keys: dict[str, set[str]], actions: list[str], key: str) -> None:
    for action in actions:
        keys.setdefault(action, set()).add(key)


def only_brazes_actions(statements: list[iam.Statement]) -> bool:
    """Every Allow names only Braze's five actions, one by one (no wildcard, no NotAction) — or only the two KMS
    actions a writer through a customer managed key needs (braze-no-sse-kms asks for exactly those)."""
    for statement in statements:
        if not statement.allow:
            continue
        if statement.not_actions is not None or not isinstance(statement.actions, list):
            return False
        actions = {a.lower() for a in statement.actions}
        if not (actions <= _BRAZE_ACTIONS or actions <= _KMS_FOR_WRITES):
            return False
    return True


_BRAZE_ACTIONS = frozenset(a.lower() for a in facts.BRAZE_ACTIONS)
_KMS_FOR_WRITES = frozenset({"kms:generatedatakey", "kms:decrypt"})


def has_brazes_fingerprint(holder: Holder) -> BucketInfo | None:
    """The bucket a holder's grants look like Braze's on: only Braze's five actions, named one by
    one (no wildcard, no NotAction), with GetBucketLocation and PutObject on one named bucket."""
    if holder.unreadable or not holder.statements or not only_brazes_actions(holder.statements):
        return None
    for access in holder.access.values():
        if access.named and access.allows("s3:GetBucketLocation") is True and access.keys.get(WRITE):
            return access.bucket
    return None
