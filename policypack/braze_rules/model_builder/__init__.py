"""Build the Braze model of a stack: recognise Braze's resources and link them.

Links come from `property_dependencies` (known even when values are not, at preview),
parents, and known names and ARNs inside the documents. Building the model is linear in
the number of resources; the per-document work is bounded by the document's size.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from braze_rules import facts, iam
from braze_rules.grants import Grants
from braze_rules.model import (
    BrazeModel,
    BucketInfo,
    PolicyDoc,
    PrincipalInfo,
)
from braze_rules.model_builder.propagation import propagate
from braze_rules.resources import UNKNOWN, Res, tags_of
from braze_rules.shapes import (
    ACCESS_KEYS,
    ATTACHMENTS,
    BUCKET_CHILDREN,
    BUCKETS,
    EXCLUSIVE_ATTACHMENTS,
    GROUP_MEMBERSHIPS,
    GROUPS,
    INLINE_POLICIES,
    MANAGED_POLICIES,
    ROLES,
    USERS,
)

AWS_MANAGED = re.compile(r"^arn:[^:]+:iam::aws:policy/")

# How each resource names the principals it applies to: (role keys, user keys, group keys).
_ROLE_KEYS = ("role", "roles", "roleName")
_USER_KEYS = ("user", "users", "userName")
_GROUP_KEYS = ("group", "groups", "groupName")


def _component_integration(res: Res, resources: dict[str, Res]) -> tuple[bool, str | None]:
    """Whether a `braze:s3:*` component is an ancestor, and which integration it names.

    Ancestors come from the URN's type chain and from the parent links, so a resource is
    recognised even when its parent is not among the resources analysed.
    """
    ancestors = res.type_chain()[:-1]
    parent, hops = res.parent, 0
    while parent and parent in resources and hops < 64:  # bounded: a malformed cycle cannot hang the pack
        ancestors.append(resources[parent].type)
        parent, hops = resources[parent].parent, hops + 1
    in_component = any(t.startswith(facts.COMPONENT_TYPE_PREFIX) for t in ancestors)
    integration = next((facts.COMPONENT_INTEGRATION[t] for t in ancestors if t in facts.COMPONENT_INTEGRATION), None)
    return in_component, integration


def _braze_tags(res: Res) -> dict[str, Any]:
    tags = tags_of(res)
    if tags is UNKNOWN or not isinstance(tags, dict):
        return {}
    return {k: v for k, v in tags.items() if k in facts.CONTRACT_TAGS}


def _folder_tag(res: Res) -> str | None:
    """The resource's `braze:folder-path` tag: on a Currents policy (the program's), or on its role or user."""
    folder = _braze_tags(res).get(facts.TAG_FOLDER_PATH)
    return folder if isinstance(folder, str) else None


def _tagged_integrations(tags: dict[str, Any]) -> set[str]:
    """The integration the tag contract declares: `braze:integration`, else what the other tags imply — a
    `braze:folder-path` (only a Currents connector's policy has one) or a `braze:connector` (dashboard
    export's is named `dashboard-export`, every other one is a Currents connector)."""
    integration = tags.get(facts.TAG_INTEGRATION)
    if integration in facts.INTEGRATIONS:
        return {integration}
    if isinstance(tags.get(facts.TAG_FOLDER_PATH), str):
        return {facts.CURRENTS}
    connector = tags.get(facts.TAG_CONNECTOR)
    if isinstance(connector, str) and connector:
        return {facts.DASHBOARD_EXPORT if connector == facts.DASHBOARD_EXPORT else facts.CURRENTS}
    return set()


def _name_of(res: Res, *keys: str) -> str | Any | None:
    for key in keys:
        value = res.props.get(key)
        if isinstance(value, str) or value is UNKNOWN:
            return value
    return None


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


class _Builder:
    """Builds a `BrazeModel` in passes, each linear in the resources."""

    def __init__(self, resources: Iterable[Res], account_ids: Sequence[str]) -> None:
        self.by_urn = {r.urn: r for r in resources}
        self.model = BrazeModel(tuple(account_ids), self.by_urn, {}, {}, [])
        self.bucket_by_name: dict[str, BucketInfo] = {}
        self.role_by_name: dict[str, PrincipalInfo] = {}
        self.user_by_name: dict[str, PrincipalInfo] = {}
        self.group_by_name: dict[str, PrincipalInfo] = {}
        self.managed_by_urn: dict[str, PolicyDoc] = {}
        self.managed_by_arn: dict[str, PolicyDoc] = {}

    def mark(self, reasons: list[str], declared: set[str] | None, res: Res) -> None:
        """Record why ``res`` is Braze's (tags, component parent) and which integration it declares."""
        tags = _braze_tags(res)
        if tags:
            reasons.append("tagged " + ", ".join(sorted(tags)))
            if declared is not None:
                declared |= _tagged_integrations(tags)
        in_component, integration = _component_integration(res, self.by_urn)
        if in_component:
            reasons.append("child of a braze:s3 component")
            if declared is not None and integration:
                declared.add(integration)

    def buckets(self) -> None:
        for res in self.by_urn.values():
            if res.type in BUCKETS:
                name = _name_of(res, "bucket", "bucketName")
                info = BucketInfo(res.urn, name, res)
                self.mark(info.reasons, None, res)
                self.model.buckets[res.urn] = info
                if isinstance(name, str):
                    self.bucket_by_name[name] = info

    def bucket_children(self) -> None:
        """Configuration resources, linked to their bucket by dependency, else by name."""
        for res in self.by_urn.values():
            if res.type not in BUCKET_CHILDREN:
                continue
            target = next((self.model.buckets[u] for u in res.deps_of("bucket") if u in self.model.buckets), None)
            name = res.props.get("bucket")
            if target is None and isinstance(name, str):
                target = self.bucket_by_name.get(name) or self._outside_bucket(name)
            if target is None:
                continue
            target.children.append(res)
            child_reasons: list[str] = []
            self.mark(child_reasons, None, res)
            if child_reasons and not target.reasons:
                target.reasons.append(f"configured by {res.label()}, which is {child_reasons[0]}")

    def _outside_bucket(self, name: str) -> BucketInfo:
        """A bucket managed elsewhere, known here only by the name its configuration names."""
        info = BucketInfo(f"name:{name}", name, None)
        self.bucket_by_name[name] = self.model.buckets[info.key] = info
        return info

    def named_outside_buckets(self) -> None:
        """Buckets a policy names literally that the stack does not manage (an existing bucket a
        stack only references): known by name, so grants on them count like grants on a stack's.

        Only policies that are or may become Braze's are read: tagged ones, and those of principals
        that are Braze's, carry one, or hold an access key (the fingerprint). The rest of an
        organisation's policies are never parsed."""
        for policy in self._candidate_policies():
            for statement in policy.statements:
                if not statement.allow or not isinstance(statement.resources, list):
                    continue
                for arn in statement.resources:
                    parsed = iam.s3_bucket_of(arn)
                    name = parsed[0] if parsed else None
                    if name and not any(c in name for c in "*?") and name not in self.bucket_by_name:
                        self._outside_bucket(name)
        self.model.reset_names()

    def _candidate_policies(self) -> list[PolicyDoc]:
        found = {id(p): p for p in self.model.policies if p.braze}
        for principal in self.model.principals.values():
            if principal.braze or principal.access_keys or any(p.braze for p in principal.policies):
                found.update({id(p): p for p in principal.policies})
        return list(found.values())

    def principals(self) -> None:
        for res in self.by_urn.values():
            if res.type in ROLES:
                raw_trust = res.props.get("assumeRolePolicy", res.props.get("assumeRolePolicyDocument"))
                info = PrincipalInfo(res, "role", raw_trust)
                # A trust written as JSON that names no Braze account cannot trust one: not parsed
                # (programs write digits as digits; the rules parse it if the role is Braze's otherwise).
                if not isinstance(raw_trust, str) or any(a in raw_trust for a in self.model.account_ids):
                    self._read_trust(info)
                self.mark(info.reasons, info.declared, res)
                info.folder_tag = _folder_tag(res)
                if info.trusted_braze_accounts:
                    info.reasons.append(f"trusts Braze's AWS account {info.trusted_braze_accounts[0]}")
                self._register(info, _name_of(res, "name", "roleName"), self.role_by_name)
            elif res.type in USERS:
                info = PrincipalInfo(res, "user")
                self.mark(info.reasons, info.declared, res)
                info.folder_tag = _folder_tag(res)
                self._register(info, _name_of(res, "name", "userName"), self.user_by_name)
            elif res.type in GROUPS:
                info = PrincipalInfo(res, "group")
                self.model.groups[res.urn] = info
                name = _name_of(res, "name", "groupName")
                if isinstance(name, str):
                    self.group_by_name[name] = info

    def _read_trust(self, info: PrincipalInfo) -> None:
        if isinstance(info.trust, iam.Document):
            for statement in info.trust.statements:
                accounts, _ = iam.principal_accounts(statement.principal)
                info.trusted_braze_accounts += [a for a in accounts if a in self.model.account_ids]

    def _register(self, info: PrincipalInfo, name: Any, by_name: dict[str, PrincipalInfo]) -> None:
        self.model.principals[info.res.urn] = info
        if isinstance(name, str):
            by_name[name] = info

    def principals_for(
        self,
        res: Res,
        role_keys: Sequence[str] = _ROLE_KEYS,
        user_keys: Sequence[str] = _USER_KEYS,
        group_keys: Sequence[str] = _GROUP_KEYS,
    ) -> set[str]:
        """Principals (and groups) a resource names: by dependency, by name, or by an ARN ending in the name."""
        urns: set[str] = set()
        for keys, by_name, kind in (
            (role_keys, self.role_by_name, "role"),
            (user_keys, self.user_by_name, "user"),
            (group_keys, self.group_by_name, "group"),
        ):
            for key in keys:  # by dependency: only a principal of the kind the property names
                for urn in res.deps_of(key):
                    found = self.model.principals.get(urn) or self.model.groups.get(urn)
                    if found is not None and found.kind == kind:
                        urns.add(urn)
            for key in keys:
                for name in _names(res.props.get(key)):
                    found = by_name.get(name) or by_name.get(name.rsplit("/", 1)[-1])
                    if found is not None:
                        urns.add(found.res.urn)
        return urns

    def _documents_of(self, res: Res) -> list[tuple[str, str, Any, set[str]]]:
        """(top-level property, path, raw document, principals) for every policy document the resource holds."""
        if res.type in MANAGED_POLICIES or res.type in INLINE_POLICIES:
            key = "policy" if res.type.startswith("aws:") else "policyDocument"
            return [(key, key, res.props.get(key), self.principals_for(res))]
        if res.type not in ROLES and res.type not in USERS and res.type not in GROUPS:
            return []
        docs: list[tuple[str, str, Any, set[str]]] = []
        for prop, inner in (("inlinePolicies", "policy"), ("policies", "policyDocument")):
            items = res.props.get(prop)
            if items is UNKNOWN:
                docs.append((prop, prop, UNKNOWN, {res.urn}))
            for index, item in enumerate(items if isinstance(items, list) else []):
                raw = item.get(inner) if isinstance(item, dict) else item if item is UNKNOWN else None
                if raw is not None:
                    docs.append((prop, f"{prop}[{index}].{inner}", raw, {res.urn}))
        return docs

    def policies(self) -> None:
        for res in self.by_urn.values():
            for prop, where, raw, principals in self._documents_of(res):
                policy = PolicyDoc(res, where, raw, set(principals))
                policy.bucket_deps = {u for u in res.deps_of(prop) if u in self.model.buckets}
                self.mark(policy.reasons, policy.declared, res)
                policy.folder_tag = _folder_tag(res)
                self.model.policies.append(policy)
                if res.type in MANAGED_POLICIES:
                    self.managed_by_urn[res.urn] = policy
                    arn = _name_of(res, "arn", "policyArn")
                    if isinstance(arn, str):
                        self.managed_by_arn[arn] = policy

    def _attach(self, policy_urns: set[str], raw_arns: Any, principals: set[str], via: Res) -> None:
        """Link the stack's policies (by dependency or known ARN) and record every other ARN as a policy
        from outside the stack. A list may mix both: at preview an in-stack policy's ARN is unknown and
        only its dependency links it, so a known ARN beside it is the outside one — always so for an
        AWS managed policy (`arn:<partition>:iam::aws:policy/…`); a customer ARN is taken for a linked
        in-stack policy whose own ARN neither the list nor the policy shows, one for one."""
        arns = _names(raw_arns)
        linked = [self.managed_by_urn[u] for u in sorted(policy_urns) if u in self.managed_by_urn]
        for policy in linked:
            policy.principals |= principals
        unclaimed = [p for p in linked if not any(self.managed_by_arn.get(a) is p for a in arns)]
        unknown = sum(1 for a in raw_arns if a is UNKNOWN) if isinstance(raw_arns, list) else 0
        unclaimed = unclaimed[unknown:]  # the list's unknown entries are theirs first
        for arn in arns:
            if arn in self.managed_by_arn:
                self.managed_by_arn[arn].principals |= principals
            elif unclaimed and not AWS_MANAGED.match(arn):
                unclaimed.pop()  # the ARN of a linked policy whose `arn` the stack does not show
            else:
                self.model.policies.append(PolicyDoc(via, "policyArn", None, set(principals), external_arn=arn))

    def attachments(self) -> None:
        """Managed policies to principals, in every attachment form; then group policies to members."""
        for res in self.by_urn.values():
            if res.type in ATTACHMENTS:
                principals = self.principals_for(res)
                self._attach(set(res.deps_of("policyArn")), res.props.get("policyArn"), principals, res)
            elif res.type in EXCLUSIVE_ATTACHMENTS:
                principals = self.principals_for(res)
                self._attach(set(res.deps_of("policyArns")), res.props.get("policyArns"), principals, res)
            elif res.type in ROLES or res.type in USERS or res.type in GROUPS:
                arns = res.props.get("managedPolicyArns")
                self._attach(set(res.deps_of("managedPolicyArns")), arns, {res.urn}, res)
            elif res.type in ACCESS_KEYS:
                for urn in self.principals_for(res, (), ("user", "userName"), ()):
                    self.model.principals[urn].access_keys.append(res)
        self.memberships()
        for policy in self.model.policies:
            for urn in list(policy.principals):
                group = self.model.groups.get(urn)
                if group is not None:  # a member holds its groups' policies: the policy applies to the members
                    group.policies.append(policy)
                    policy.principals.discard(urn)
                    policy.principals |= group.members
            for urn in policy.principals:
                self.model.principals[urn].policies.append(policy)

    def memberships(self) -> None:
        """Which users are in which group: GroupMembership, UserGroupMembership, aws-native User.groups."""
        for res in self.by_urn.values():
            if res.type in GROUP_MEMBERSHIPS:
                linked = self.principals_for(res, ())
                groups = [self.model.groups[u] for u in linked if u in self.model.groups]
                users = {u for u in linked if u in self.model.principals}
                for group in groups:
                    group.members |= users
            elif res.type in USERS and res.props.get("groups") is not None:
                for urn in self.principals_for(res, (), (), ("groups",)):
                    self.model.groups[urn].members.add(res.urn)


_OWN_ARN = re.compile(r"^arn:[^:]+:[^:]+:[^:]*:([0-9]{12}):")


def stack_account(resources: Iterable[Res]) -> str | None:
    """The stack's AWS account: the one account the ARNs of its own resources (their `arn` output, known
    once deployed or for a resource that exists) name; None when none does, or several do."""
    found = {m.group(1) for r in resources if isinstance(arn := r.props.get("arn"), str) and (m := _OWN_ARN.match(arn))}
    return found.pop() if len(found) == 1 else None


def build_model(resources: Iterable[Res], account_ids: Sequence[str] = facts.DEFAULT_BRAZE_ACCOUNT_IDS) -> BrazeModel:
    """The Braze model of a stack's resources; `account_ids` are the pack config's `brazeAccountIds`."""
    builder = _Builder(resources, account_ids)
    builder.model.account = stack_account(builder.by_urn.values())
    builder.buckets()
    builder.bucket_children()
    builder.principals()
    builder.policies()
    builder.attachments()
    builder.named_outside_buckets()
    builder.model.grants = Grants(builder.model)
    propagate(builder.model)
    return builder.model
