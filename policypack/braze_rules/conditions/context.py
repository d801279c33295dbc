"""Braze's request context: who Braze's principal is as its requests present it (`Caller`, from a stack's
principal by `caller_of`), and the value each condition key takes on its requests — present, absent (`ABSENT`),
or not knowable here (`Unknowable`), with one complete guess per thing the stack has not said yet (`_identities`).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

from braze_rules import facts, iam
from braze_rules.model import BrazeModel, PrincipalInfo
from braze_rules.resources import UNKNOWN, tags_of

SSE_KEYS = (
    "s3:x-amz-server-side-encryption",
    "s3:x-amz-server-side-encryption-aws-kms-key-id",
    "s3:x-amz-server-side-encryption-customer-algorithm",
)
SSE_HEADER = SSE_KEYS[0]
SESSION_NAME = "braze"  # Braze's session name (facts sheet)
OTHER_ACCOUNT = "000000000000"  # stands for an account the statement does not name
OTHER_NAME = "braze-s3-unnamed"  # stands for a name the statement does not name

# Keys whose negated forms admit only the company's own network.
NETWORK_KEYS = frozenset({"aws:sourcevpce", "aws:sourcevpc", "aws:vpcsourceip", "aws:sourcevpcarn", "aws:sourceip"})
# Keys Braze's requests never carry.
ABSENT_KEYS = frozenset(
    {
        "aws:sourcevpce",
        "aws:sourcevpc",
        "aws:vpcsourceip",
        "aws:sourcevpcarn",
        "aws:sourceaccount",
        "aws:sourcearn",
        "aws:sourceorgid",
        "aws:sourceorgpaths",
        "aws:principalservicename",
        "aws:principalservicenameslist",
        "aws:calledvia",
        "aws:calledviafirst",
        "aws:calledvialast",
        "aws:multifactorauthpresent",
        "aws:multifactorauthage",
        "aws:federatedprovider",
        "s3:x-amz-server-side-encryption-aws-kms-key-id",
        "s3:x-amz-server-side-encryption-customer-algorithm",
        "s3:dataaccesspointarn",
        "s3:dataaccesspointaccount",
        "s3:accesspointnetworkorigin",
    }
)
# Keys whose value Braze's requests carry but the pack cannot know.
UNKNOWABLE = {
    "aws:principalorgid": "your organisation's id, which no resource of the stack shows",
    "aws:principalorgpaths": "your organisation's paths, which no resource of the stack shows",
    "aws:resourceorgid": "your organisation's id, which no resource of the stack shows",
    "aws:resourceorgpaths": "your organisation's paths, which no resource of the stack shows",
    "aws:userid": "the unique id of Braze's principal, assigned by IAM",
    "aws:requestedregion": "the bucket's region, which the resources do not show",
    "aws:currenttime": "the time of the request",
    "aws:epochtime": "the time of the request",
    "aws:tokenissuetime": "when Braze's session was issued",
    "aws:useragent": "Braze's HTTP client, which Braze does not document",
    "aws:referer": "Braze's HTTP client, which Braze does not document",
    "aws:sourceidentity": "a source identity Braze does not document",
    "s3:tlsversion": "the TLS version of Braze's client, which Braze does not document",
    "s3:signatureversion": "the signature of Braze's client, which Braze does not document",
    "s3:signatureage": "the signature of Braze's client, which Braze does not document",
    "s3:authtype": "the signature of Braze's client, which Braze does not document",
    "s3:x-amz-content-sha256": "the signature of Braze's client, which Braze does not document",
    "s3:x-amz-acl": "the object ACL header of Braze's writes, which Braze does not document",
    "s3:x-amz-storage-class": "the storage class header of Braze's writes, which Braze does not document",
    "s3:x-amz-grant-full-control": "the grant headers of Braze's writes, which Braze does not document",
    "s3:x-amz-grant-read": "the grant headers of Braze's writes, which Braze does not document",
    "s3:x-amz-grant-read-acp": "the grant headers of Braze's writes, which Braze does not document",
    "s3:x-amz-grant-write-acp": "the grant headers of Braze's writes, which Braze does not document",
    "s3:prefix": "the prefix Braze lists with, which Braze does not document",
    "s3:delimiter": "the delimiter Braze lists with, which Braze does not document",
    "s3:max-keys": "how many keys Braze lists at once, which Braze does not document",
}
# Keys a request carries only for some actions (AWS's S3 condition-key table): absent from Braze's others.
# An object write's headers never come with a read, a list's parameters never with an object request.
ONLY_FOR = {
    "s3:x-amz-acl": {"s3:PutObject"},
    "s3:x-amz-storage-class": {"s3:PutObject"},
    "s3:x-amz-grant-full-control": {"s3:PutObject"},
    "s3:x-amz-grant-read": {"s3:PutObject"},
    "s3:x-amz-grant-read-acp": {"s3:PutObject"},
    "s3:x-amz-grant-write-acp": {"s3:PutObject"},
    "s3:prefix": {"s3:ListBucket"},
    "s3:delimiter": {"s3:ListBucket"},
    "s3:max-keys": {"s3:ListBucket"},
}


class _Absent:
    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()  # the request carries no such key


@dataclass(frozen=True)
class Unknowable:
    why: str


BRAZE_IP = "braze's own address"  # aws:SourceIp: an address outside every range but 0.0.0.0/0


@dataclass(frozen=True)
class Caller:
    """Braze's principal as its requests present it; None where the stack does not say yet."""

    kind: str  # "role" | "user"
    label: str  # how messages name it
    name: str | None = None
    name_pattern: str | None = None  # an auto-name not chosen yet: `<resource name>-*`, or a name prefix
    path: str = "/"
    account: str | None = None
    tags: tuple[tuple[str, str], ...] | None = ()  # None: not known until deployment
    integrations: frozenset[str] = frozenset(facts.INTEGRATIONS)

    def headers(self, action: str) -> tuple[str | None, ...]:
        """The encryption headers this caller's request for ``action`` may carry (None: no header)."""
        if action != "s3:PutObject" or facts.CURRENTS not in self.integrations:
            return (None,)  # dashboard export never sends one; only writes carry it
        return (None, "AES256")  # Currents: with its AES-256 toggle off or on

    def unknown_parts(self) -> list[str]:
        parts = []
        if self.account is None:
            parts.append("the stack's AWS account id")
        if self.name is None:
            parts.append(f"the name of {self.label}")
        if self.tags is None:
            parts.append(f"the tags of {self.label}")
        return parts


def generic_caller(integrations: frozenset[str] = frozenset(facts.INTEGRATIONS)) -> Caller:
    """Any of Braze's principals, when the stack's principal is not at hand."""
    return Caller("role", "Braze's principal", integrations=integrations)


@dataclass(frozen=True)
class _Identity:
    """One complete guess at what the stack has not said yet."""

    caller: Caller
    partition: str
    account: str
    name: str
    header: str | None

    @property
    def arn(self) -> str:
        """aws:PrincipalArn: the role's (or user's) ARN."""
        return f"arn:{self.partition}:iam::{self.account}:{self.caller.kind}{self.caller.path}{self.name}"

    @property
    def session_arn(self) -> str | None:
        if self.caller.kind != "role":
            return None
        return f"arn:{self.partition}:sts::{self.account}:assumed-role/{self.name}/{SESSION_NAME}"

    @property
    def principals(self) -> list[str]:
        """What a Principal element may name to name this caller: the account, the role or user, the session."""
        return [self.account, f"arn:{self.partition}:iam::{self.account}:root", self.arn, self.session_arn or self.arn]

    def value(self, key: str, action: str) -> Any:
        """The request's value(s) for a condition key (lower-cased): a list, ABSENT, Unknowable or BRAZE_IP."""
        caller = self.caller
        if key == "aws:securetransport":
            return ["true"]
        if key == "aws:principalarn":
            return [self.arn]
        if key in ("aws:principalaccount", "aws:resourceaccount", "s3:resourceaccount"):
            return [self.account]
        if key == "aws:principaltype":
            return ["AssumedRole" if caller.kind == "role" else "User"]
        if key == "aws:username":
            return [self.name] if caller.kind == "user" else ABSENT
        if key in ("aws:principalisawsservice", "aws:viaawsservice"):
            return ["false"]
        if key == "aws:sourceip":
            return BRAZE_IP
        if key == SSE_HEADER:
            return [self.header] if self.header is not None and action == "s3:PutObject" else ABSENT
        if key.startswith("aws:principaltag/"):
            if caller.tags is None:
                return Unknowable(f"the tags of {caller.label}, known after deployment")
            wanted = key.split("/", 1)[1]
            return next((v for k, v in caller.tags if k.lower() == wanted), ABSENT)
        if key in ABSENT_KEYS or (key in ONLY_FOR and action not in ONLY_FOR[key]):
            return ABSENT
        if key in UNKNOWABLE:
            return Unknowable(UNKNOWABLE[key])
        return Unknowable("a key the pack does not know Braze's requests to carry or not")


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


_ACCOUNT = re.compile(r"(?<![0-9])[0-9]{12}(?![0-9])")
_PARTITION = re.compile(r"^arn:([a-z-]+):")
_NAME = re.compile(r":(?:role|user)/(?:[^/]*/)*([^/]+)$|assumed-role/([^/]+)/")


def _identities(caller: Caller, statement: iam.Statement, action: str) -> list[_Identity]:
    """Every guess worth trying for what the stack has not said: the values the statement names (with
    its wildcards filled in) and one it does not."""
    strings = _strings(statement.principal) + _strings(statement.not_principal) + _strings(statement.condition)
    witnesses = [s.replace("*", "x").replace("?", "x") for s in strings]
    partitions = sorted({m.group(1) for s in strings if (m := _PARTITION.match(s)) and m.group(1) in iam.PARTITIONS})
    if caller.account is not None:
        accounts = [caller.account]
    else:
        accounts = sorted({a for w in witnesses for a in _ACCOUNT.findall(w)} | {OTHER_ACCOUNT})
    if caller.name is not None:
        names = [caller.name]
    else:
        named = {n for w in witnesses for m in _NAME.finditer(w) for n in m.groups() if n}
        if caller.kind == "user":
            named |= set(witnesses)  # aws:username names the user bare
        pattern = caller.name_pattern
        other = pattern.replace("*", "0000000") if pattern else OTHER_NAME
        names = sorted({n for n in named if pattern is None or iam.resource_matches(pattern, n)} | {other})
    return [
        _Identity(caller, p, a, n, h)
        for p, a, n, h in itertools.product(partitions or ["aws"], accounts, names, caller.headers(action))
    ]


def caller_of(model: BrazeModel, principal: PrincipalInfo, integrations: set[str] | None = None) -> Caller:
    """Braze's request context for one of the stack's principals."""
    res = principal.res
    arn = res.props.get("arn")
    from_arn = _NAME_OF_ARN.match(arn) if isinstance(arn, str) else None
    name = next((v for k in _NAME_KEYS if isinstance(v := res.props.get(k), str)), None)
    pattern = None
    if name is None and from_arn:
        name = from_arn.group("name")
    if name is None and res.type.startswith("aws:") and all(res.props.get(k) is None for k in _NAME_KEYS):
        prefix = res.props.get("namePrefix")  # not named: the provider names it `<resource name>-<random>`
        pattern = f"{prefix}*" if isinstance(prefix, str) else f"{res.name}-*"
    path = res.props.get("path")
    tags = tags_of(res)
    return Caller(
        kind="user" if principal.kind == "user" else "role",
        label=res.label(),
        name=name,
        name_pattern=pattern,
        path=path if isinstance(path, str) else (from_arn.group("path") if from_arn else "/"),
        account=from_arn.group("account") if from_arn else model.account,
        tags=None if tags is UNKNOWN else tuple((str(k), str(v)) for k, v in tags.items() if isinstance(v, str)),
        integrations=frozenset(integrations or facts.INTEGRATIONS),
    )


_NAME_KEYS = ("name", "roleName", "userName")
_NAME_OF_ARN = re.compile(r"^arn:[^:]+:iam::(?P<account>[0-9]{12}):(?:role|user)(?P<path>/(?:.*/)?)(?P<name>[^/]+)$")
