"""Whether a resource-policy statement applies to one of Braze's requests: its Principal or NotPrincipal and
every condition, ANDed across operators and keys, judged per IAM against the request context (`context`) —
three-valued, with the reason.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from braze_rules import iam
from braze_rules.conditions.context import (
    ABSENT,
    BRAZE_IP,
    NETWORK_KEYS,
    SSE_HEADER,
    Caller,
    Unknowable,
    _identities,
    _Identity,
)
from braze_rules.resources import UNKNOWN

NEGATED = ("StringNotEquals", "StringNotLike", "ArnNotEquals", "ArnNotLike", "NotIpAddress")
NEGATED_ALSO = ("NumericNotEquals", "DateNotEquals")


@dataclass(frozen=True)
class Verdict:
    """Whether a statement applies to a request: True, False or UNKNOWN, and why."""

    applies: bool | Any
    why: str


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
