"""Whether a resource-policy statement applies to one of Braze's requests: its Principal (or
NotPrincipal) and every condition of it, ANDed across operators and keys, decided against Braze's
request context — three-valued: applies, does not apply, or cannot tell here, always with the reason.

Braze's request context, from Braze's documentation and AWS's (facts sheet):

- the principal is the stack's role, as the session `arn:aws:sts::<account>:assumed-role/<role>/braze`
  (`aws:PrincipalArn` is the role's ARN), or the stack's IAM user with its access key;
  `aws:PrincipalAccount` (and the bucket's `aws:ResourceAccount`) is the stack's account;
- TLS always (`aws:SecureTransport` true); Braze's own network: no VPC, VPC endpoint or IP address
  of yours (`aws:SourceVpce`, `aws:SourceVpc`, `aws:VpcSourceIp` absent, `aws:SourceIp` outside your
  ranges); no MFA, no service principal, no access point, no KMS key id header;
- `s3:x-amz-server-side-encryption`: `AES256` on Currents' writes with its AES-256 toggle on, absent
  otherwise — dashboard export never sends it; the toggle is set in Braze, so for Currents both are
  possible;
- the organisation (`aws:PrincipalOrgID`), the region, the time, the user agent, the signature: not
  known here — a condition on them cannot be told.

What the stack does not say yet (an account id nobody wrote down, a role auto-named at deployment)
is tried with every value the statement itself names and one it does not: one answer for all is the
answer; different answers are "cannot tell", naming what was missing.
"""

from __future__ import annotations

import ipaddress
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
NEGATED = ("StringNotEquals", "StringNotLike", "ArnNotEquals", "ArnNotLike", "NotIpAddress")
NEGATED_ALSO = ("NumericNotEquals", "DateNotEquals")


class _Absent:
    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()  # the request carries no such key


@dataclass(frozen=True)
class Unknowable:
    why: str


BRAZE_IP = "braze's own address"  # aws:SourceIp: an address outside every range but 0.0.0.0/0


@dataclass(frozen=True)
class Verdict:
    """Whether a statement applies to a request: True, False or UNKNOWN, and why."""

    applies: bool | Any
    why: str


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


def applies(statement: iam.Statement, caller: Caller, action: str) -> Verdict:
    """Whether the statement's Principal/NotPrincipal and conditions take in this caller's request for
    ``action`` (its Action and Resource are the caller's to match)."""
    verdicts = [_applies(statement, identity, action) for identity in _identities(caller, statement, action)]
    first = verdicts[0]
    if all(v.applies is True for v in verdicts):
        return first
    if all(v.applies is False for v in verdicts):
        return next((v for v in verdicts if v.why), first)
    unknown = next((v for v in verdicts if v.applies is UNKNOWN), None)
    if unknown is not None:
        return unknown
    headers = {i.header for i in _identities(caller, statement, action)}
    missing = caller.unknown_parts()
    if len(headers) > 1 and not missing:
        why = "whether it applies depends on Currents' AES-256 toggle (set in Braze)"
    elif len(headers) > 1:
        why = f"whether it applies depends on Currents' AES-256 toggle (set in Braze) or on {' and '.join(missing)}"
    else:
        why = f"whether it applies depends on {' and '.join(missing) or 'values known after deployment'}"
    return Verdict(UNKNOWN, why)


def names_unknown(statement: iam.Statement) -> bool:
    """Its Principal or NotPrincipal holds a value known only after deployment."""
    return any(
        element is UNKNOWN or any(i is UNKNOWN for _, i in _entries(element))
        for element in (statement.principal, statement.not_principal)
        if element is not None
    )


def names_everyone(statement: iam.Statement) -> bool:
    """Its Principal includes everyone (`*`, or `{"AWS": "*"}`)."""
    return statement.principal is not None and any(item == "*" for _, item in _entries(statement.principal))


def grants(statement: iam.Statement, caller: Caller) -> bool | Any:
    """Whether a resource-policy Allow grants to the caller itself (not to its account, which only
    delegates to IAM policies in the account's own bucket): True, False or UNKNOWN."""
    results = {
        _applies(statement, identity, "s3:ListBucket", grant=True).applies
        for identity in _identities(caller, statement, "s3:ListBucket")
    }
    return results.pop() if len(results) == 1 else UNKNOWN


def _applies(statement: iam.Statement, identity: _Identity, action: str, grant: bool = False) -> Verdict:
    principal = _principal(statement, identity, grant)
    if principal.applies is False:
        return principal
    condition = _condition(statement.condition, identity, action)
    if condition.applies is False:
        return condition
    if principal.applies is UNKNOWN:
        return principal
    if condition.applies is UNKNOWN:
        return condition
    if not condition.why:
        return Verdict(True, f"denies {principal.why} without a condition")
    if principal.why == "every principal":
        return Verdict(True, condition.why)
    return Verdict(True, f"denies {principal.why}: {condition.why}")


def _entries(value: Any) -> list[Any]:
    """Principal/NotPrincipal entries, as (kind, item) pairs; the bare string "*" is ("AWS", "*")."""
    if isinstance(value, str):
        return [("AWS", value)]
    if not isinstance(value, dict):
        return [("AWS", UNKNOWN if value is UNKNOWN else "<malformed>")]
    found = []
    for kind, items in value.items():
        for item in items if isinstance(items, list) else [items]:
            found.append((kind, item))
    return found


def _names_caller(item: Any, identity: _Identity) -> bool:
    return isinstance(item, str) and (item == "*" or item in identity.principals)


def _principal(statement: iam.Statement, identity: _Identity, grant: bool = False) -> Verdict:
    """Whether the statement's Principal (or NotPrincipal) takes in the caller (with ``grant``: by its
    own ARN, its session or everyone — an account names the account, not each of its principals)."""
    kind = identity.caller.kind
    if statement.not_principal is not None:
        entries = [i for k, i in _entries(statement.not_principal) if k == "AWS"]
        if statement.not_principal is UNKNOWN or any(i is UNKNOWN for i in entries):
            return Verdict(UNKNOWN, "its NotPrincipal is known only after deployment")
        if "*" in entries:  # every principal is excluded: the statement applies to nobody
            return Verdict(False, "its NotPrincipal excludes every principal (*)")
        account = any(i in identity.principals[:2] for i in entries)
        own = identity.session_arn if kind == "role" else identity.arn
        if own in entries and account:
            return Verdict(False, f"its NotPrincipal exempts Braze's {kind}")
        if identity.arn in entries or own in entries:
            return Verdict(
                UNKNOWN,
                f"its NotPrincipal names Braze's {kind} only in part: AWS exempts a principal only when the account "
                + ("and the session (assumed-role/<role>/braze) are" if kind == "role" else "and the user are")
                + " both listed",
            )
        listed = ", ".join(str(i) for i in entries[:3]) or "nobody"
        return Verdict(True, f"everyone but {listed} (NotPrincipal)")
    if statement.principal is None:
        return Verdict(False, "names no principal")
    entries = _entries(statement.principal)
    if grant:
        entries = [(k, i) for k, i in entries if i not in identity.principals[:2]]
    if any(_names_caller(i, identity) for k, i in entries if k == "AWS"):
        item = next(i for k, i in entries if k == "AWS" and _names_caller(i, identity))
        if item == "*":
            return Verdict(True, "every principal")
        if item in identity.principals[:2]:
            return Verdict(True, f"every principal of account {identity.account}, Braze's {kind} among them")
        return Verdict(True, f"Braze's {kind} by its ARN ({item})")
    if any(i is UNKNOWN for _, i in entries):
        return Verdict(UNKNOWN, "its Principal is known only after deployment")
    return Verdict(False, "")


def _condition(condition: Any, identity: _Identity, action: str) -> Verdict:
    """Every operator and key ANDed: False as soon as one does not hold, else UNKNOWN if one cannot
    be told, else True with the reasons of those that hold."""
    if condition is UNKNOWN:
        return Verdict(UNKNOWN, "its Condition is known only after deployment")
    if not isinstance(condition, dict) or not condition:
        return Verdict(True, "")
    holds: list[str] = []
    unknown: Verdict | None = None
    for operator, block in condition.items():
        if block is UNKNOWN:
            unknown = unknown or Verdict(UNKNOWN, f"its {operator} condition is known only after deployment")
            continue
        if not isinstance(block, dict):
            unknown = unknown or Verdict(UNKNOWN, f"its {operator} condition is not an object")
            continue
        for key, values in block.items():
            verdict = _one(operator, str(key), values, identity, action)
            if verdict.applies is False:
                return verdict
            if verdict.applies is UNKNOWN:
                unknown = unknown or verdict
            else:
                holds.append(verdict.why)
    return unknown or Verdict(True, "; ".join(holds))


def _parse_operator(operator: str) -> tuple[str | None, str, bool]:
    """(set qualifier, base operator, IfExists)."""
    qualifier, _, base = operator.rpartition(":")
    if_exists = base.endswith("IfExists") and base != "IfExists"
    return (qualifier or None), (base[: -len("IfExists")] if if_exists else base), if_exists


def _one(operator: str, key: str, raw: Any, identity: _Identity, action: str) -> Verdict:
    """One operator on one key, per IAM: values ORed (NORed for a negated operator); an absent key
    makes a negated operator, `…IfExists` and `ForAllValues` true and the others false."""
    shown = f"{operator} on {key}"
    qualifier, base, if_exists = _parse_operator(operator)
    negated = base.startswith(NEGATED + NEGATED_ALSO)
    value = identity.value(key.lower(), action)
    if raw is UNKNOWN or (isinstance(raw, list) and any(v is UNKNOWN for v in raw)):
        if value is not ABSENT or base == "Null":  # an absent key decides without the values
            return Verdict(UNKNOWN, f"its {shown} is known only after deployment")
        raw = []
    values = [_text(v) for v in (raw if isinstance(raw, list) else [raw])]
    if base == "Null":
        if isinstance(value, Unknowable):
            return Verdict(UNKNOWN, f"its {shown} cannot be told: {value.why}")
        present = value is not ABSENT
        holds = any((v.lower() == "false") == present for v in values)
        return Verdict(holds, f"requires {key}, which Braze's requests do not carry (Null)" if holds else "")
    if value is ABSENT:
        holds = if_exists or qualifier == "ForAllValues" or (negated and qualifier is None)
        if not holds:
            return Verdict(False, "")
        if key.lower() in NETWORK_KEYS and negated:
            return Verdict(True, f"admits only your own network ({operator} on {key}); Braze writes from its own")
        if key.lower() == SSE_HEADER:
            return Verdict(
                True,
                f"{operator} on {key} holds for Braze's writes without that header (dashboard export never sends "
                "one; Currents only with its AES-256 toggle on)"
                + ("; an absent key makes …IfExists true" if if_exists else ""),
            )
        return Verdict(True, f"{operator} on {key} holds for Braze's requests, which do not carry {key}")
    if isinstance(value, Unknowable):
        return Verdict(UNKNOWN, f"its {shown} cannot be told: {value.why}")
    if value == BRAZE_IP:
        matched = _ip_matches(values)
        if matched is UNKNOWN:
            return Verdict(UNKNOWN, f"its {shown} names a range the pack cannot read")
        results = [matched]
    else:
        results = [_matches(base, v, values) for v in value]
    if any(r is UNKNOWN for r in results):
        return Verdict(UNKNOWN, f"its {shown} uses an operator the pack cannot evaluate here")
    outcomes = [not r if negated else r for r in results]
    holds = all(outcomes) if qualifier == "ForAllValues" else any(outcomes)
    if not holds:
        return Verdict(False, "")
    return Verdict(True, _why(operator, key, values, value))


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _why(operator: str, key: str, values: list[str], value: Any) -> str:
    low = key.lower()
    listed = ", ".join(values[:3]) + (", …" if len(values) > 3 else "")
    if low == "aws:securetransport":
        return f"refuses requests over TLS ({operator} {key}: {listed}), and Braze always uses TLS"
    if low in NETWORK_KEYS:
        return f"admits only your own network ({operator} on {key}); Braze writes from its own"
    if low == "aws:principalarn":
        return f"{operator} on {key} ({listed}) holds for Braze's {value[0]}"
    if low in ("aws:principalaccount", "aws:resourceaccount", "s3:resourceaccount"):
        return f"{operator} on {key} ({listed}) holds for your account {value[0]}, Braze's principal's own"
    shown = "absent" if value is ABSENT else ", ".join(str(v) for v in value)
    return f"{operator} on {key} ({listed}) holds for Braze's requests ({key}: {shown})"


def _matches(base: str, value: str, patterns: list[str]) -> bool | Any:
    """Whether ``value`` matches any pattern under the base operator, negation aside."""
    family = base.replace("Not", "", 1) if base.startswith(("StringNot", "ArnNot", "NumericNot", "DateNot")) else base
    if family == "StringEquals":
        return value in patterns
    if family == "StringEqualsIgnoreCase":
        return value.lower() in (p.lower() for p in patterns)
    if family == "StringLike":
        return any(iam.resource_matches(p, value) for p in patterns)
    if family in ("ArnEquals", "ArnLike"):
        return any(_arn_matches(p, value) for p in patterns)
    if family == "Bool":
        return value.lower() in (p.lower() for p in patterns)
    return UNKNOWN  # Numeric*, Date*, Binary*: no such value in Braze's known context


def _arn_matches(pattern: str, arn: str) -> bool:
    """ArnEquals/ArnLike: the six colon-separated fields matched one by one, wildcards within a field."""
    pattern_fields, arn_fields = pattern.split(":", 5), arn.split(":", 5)
    if len(pattern_fields) != 6 or len(arn_fields) != 6:
        return False
    return all(iam.resource_matches(p, a) for p, a in zip(pattern_fields, arn_fields, strict=True))


def _ip_matches(ranges: list[str]) -> bool | Any:
    """Whether Braze's address is in one of these ranges: only a range of every address is sure to hold it."""
    for cidr in ranges:
        try:
            network = ipaddress.ip_network(cidr, strict=False)
        except ValueError:
            return UNKNOWN
        if network.prefixlen == 0:
            return True
    return False


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
