"""IAM documents in every shape Pulumi programs write them, and IAM's matching rules.

Documents arrive as JSON strings or objects; `Statement` as an object or a list;
`Action`, `Resource`, `Principal.AWS` as a string or a list; `NotAction`, `NotResource`,
`NotPrincipal` exist. Anything malformed is reported as such, never raised.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from braze_rules.resources import UNKNOWN


class MalformedDocumentError(Exception):
    """The document cannot be read as an IAM policy."""


@dataclass
class Statement:
    effect: str  # "Allow" | "Deny" (anything else is malformed)
    actions: list[str] | Any = field(default_factory=list)  # UNKNOWN when not known
    not_actions: list[str] | None = None
    resources: list[str] | Any = field(default_factory=list)
    not_resources: list[str] | None = None
    principal: Any = None  # raw Principal value
    not_principal: Any = None
    condition: dict[str, Any] | Any = field(default_factory=dict)
    # Applies only maybe: a bucket-policy grant whose Principal or conditions are not all known here
    maybe: bool = False
    # A bucket-policy grant whose Principal is everyone (`*`): it grants, but names no one
    to_everyone: bool = False
    # action → whether this statement covers it: every rule asks the same few actions of every statement
    covered_actions: dict[str, bool | Any] = field(default_factory=dict, repr=False, compare=False)
    # its action patterns split once: literal names (lower-cased) for a set lookup, and the wildcards
    action_index: tuple[frozenset[str], list[str]] | None = field(default=None, repr=False, compare=False)

    @property
    def allow(self) -> bool:
        return self.effect == "Allow"

    @property
    def unknown(self) -> bool:
        return any(
            x is UNKNOWN
            for x in (
                self.actions,
                self.resources,
                self.condition,
                self.principal,
                self.not_actions,
                self.not_resources,
            )
        )


@dataclass
class Document:
    statements: list[Statement]
    unknown_parts: bool = False  # some statement or field was unknown at preview


def _as_list(value: Any, what: str) -> list[str] | Any:
    if value is UNKNOWN:
        return UNKNOWN
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        if any(v is UNKNOWN for v in value):
            return UNKNOWN
        if all(isinstance(v, str) for v in value):
            return value
    raise MalformedDocumentError(f"{what} must be a string or a list of strings")


def parse_document(raw: Any) -> Document | Any:
    """A document from a JSON string or an object; `UNKNOWN` if unknown as a whole.

    Raises `MalformedDocumentError` when it is not an IAM document.
    """
    if raw is UNKNOWN:
        return UNKNOWN
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise MalformedDocumentError("is not valid JSON") from None
    if not isinstance(raw, dict):
        raise MalformedDocumentError("is not a JSON object")
    stmts = raw.get("Statement")
    if stmts is UNKNOWN:
        return Document([], unknown_parts=True)
    if isinstance(stmts, dict):
        stmts = [stmts]
    if not isinstance(stmts, list):
        raise MalformedDocumentError("has no Statement list")
    doc = Document([])
    for item in stmts:
        if item is UNKNOWN:
            doc.unknown_parts = True
            continue
        if not isinstance(item, dict):
            raise MalformedDocumentError("has a Statement that is not an object")
        statement = _parse_statement(item)
        doc.unknown_parts = doc.unknown_parts or statement.unknown
        doc.statements.append(statement)
    return doc


def _parse_statement(item: dict[str, Any]) -> Statement:
    effect = item.get("Effect")
    if effect is UNKNOWN:
        effect = "Unknown"
    if effect not in ("Allow", "Deny", "Unknown"):
        raise MalformedDocumentError(f"has a Statement whose Effect is {effect!r}")
    condition = item.get("Condition")
    if condition is None:
        condition = {}
    if condition is not UNKNOWN and not isinstance(condition, dict):
        raise MalformedDocumentError("has a Condition that is not an object")
    return Statement(
        effect=effect,
        actions=_as_list(item.get("Action"), "Action"),
        not_actions=_as_list(item["NotAction"], "NotAction") if "NotAction" in item else None,
        resources=_as_list(item.get("Resource"), "Resource"),
        not_resources=_as_list(item["NotResource"], "NotResource") if "NotResource" in item else None,
        principal=item.get("Principal"),
        not_principal=item.get("NotPrincipal"),
        condition=condition,
    )


class _Glob:
    """IAM wildcards: `*` any run of characters (slashes too), `?` one character — matched in linear passes.

    One regular expression of `.*` runs backtracks exponentially when it fails (`*a*a*a*…*b` against forty
    `a`s kept the pack busy for hours, and the engine waits on it). The pattern is split at its `*`s instead:
    each piece has a fixed width (`?` and literal characters), the first must start the text, the last end it,
    and those between are found left to right, each at its first place: where a `*` may absorb anything, the
    earliest place for a piece leaves the most room for the rest."""

    def __init__(self, pattern: str, ignore_case: bool) -> None:
        flags = (re.IGNORECASE if ignore_case else 0) | re.DOTALL
        pieces = pattern.split("*")
        self.pieces = [re.compile("".join("." if c == "?" else re.escape(c) for c in p), flags) for p in pieces]
        self.last_width = len(pieces[-1])

    def match(self, text: str) -> bool:
        first, *middle = self.pieces
        if not middle:
            return first.fullmatch(text) is not None
        found = first.match(text)
        if found is None:
            return False
        position = found.end()
        for piece in middle[:-1]:
            found = piece.search(text, position)
            if found is None:
                return False
            position = found.end()
        start = len(text) - self.last_width
        return start >= position and middle[-1].fullmatch(text, start) is not None


@lru_cache(maxsize=4096)
def _glob(pattern: str, ignore_case: bool) -> _Glob:
    return _Glob(pattern, ignore_case)


def _literal_or_prefix(pattern: str) -> str | None:
    """ "literal" for a pattern without wildcards, "prefix" for one ending in its only `*`, else None:
    the common shapes, decided without a regular expression."""
    if "?" in pattern:
        return None
    stars = pattern.count("*")
    if stars == 0:
        return "literal"
    return "prefix" if stars == 1 and pattern.endswith("*") else None


def action_matches(pattern: str, action: str) -> bool:
    """Actions are case-insensitive in IAM."""
    shape = _literal_or_prefix(pattern)
    if shape == "literal":
        return pattern.lower() == action.lower()
    if shape == "prefix":
        return action.lower().startswith(pattern[:-1].lower())
    return bool(_glob(pattern, True).match(action))


def resource_matches(pattern: str, arn: str) -> bool:
    """Resource ARNs are case-sensitive."""
    shape = _literal_or_prefix(pattern)
    if shape == "literal":
        return pattern == arn
    if shape == "prefix":
        return arn.startswith(pattern[:-1])
    return bool(_glob(pattern, False).match(arn))


def _covers(
    patterns: list[str] | Any, not_patterns: list[str] | Any | None, matches: Callable[[str], bool]
) -> bool | Any:
    """An element (`Action`/`Resource`) or its `Not…` form has a pattern that ``matches``: True, False or UNKNOWN."""
    if not_patterns is not None:
        return UNKNOWN if not_patterns is UNKNOWN else not any(matches(p) for p in not_patterns)
    return UNKNOWN if patterns is UNKNOWN else any(matches(p) for p in patterns)


def statement_covers_action(statement: Statement, action: str) -> bool | Any:
    known = statement.covered_actions.get(action)
    if known is None:
        patterns = statement.actions if statement.not_actions is None else statement.not_actions
        if patterns is UNKNOWN:
            known = UNKNOWN
        else:
            literals, wildcards = _action_index(statement, patterns)
            found = action.lower() in literals or any(action_matches(p, action) for p in wildcards)
            known = found if statement.not_actions is None else not found
        statement.covered_actions[action] = known
    return known


def _action_index(statement: Statement, patterns: list[str]) -> tuple[frozenset[str], list[str]]:
    """IAM actions are case-insensitive: literal names compare lower-cased, from a set."""
    if statement.action_index is None:
        literals = frozenset(p.lower() for p in patterns if "*" not in p and "?" not in p)
        statement.action_index = (literals, [p for p in patterns if "*" in p or "?" in p])
    return statement.action_index


def statement_covers_resource(statement: Statement, arn: str) -> bool | Any:
    return _covers(statement.resources, statement.not_resources, lambda pattern: resource_matches(pattern, arn))


def allows(statements: list[Statement], action: str, arn: str) -> bool | Any:
    """Whether these identity statements let ``action`` on ``arn``: True, False or UNKNOWN."""
    return _allows(statements, action, lambda statement: statement_covers_resource(statement, arn))


def _allows(statements: list[Statement], action: str, covers: Callable[[Statement], bool | Any]) -> bool | Any:
    """An explicit Deny wins when it applies without conditions; conditional Allows count as
    allowing (conditions are Braze's own request context, which a document cannot tell).

    Three-valued: a statement that may apply (a part unknown at preview) or whose Effect is
    unknown leaves the answer UNKNOWN where it could change it — an Allow only when nothing is
    allowed yet, an unconditional Deny (or unknown Effect) only when something is."""
    allowed: bool | Any = False
    may_deny = False
    for statement in statements:
        covers_action = statement_covers_action(statement, action)
        if covers_action is False:
            continue  # most statements: decided without reading their resources
        covers_resource = covers(statement)
        if covers_resource is False:
            continue
        certain = (
            covers_action is True and covers_resource is True and statement.effect != "Unknown" and not statement.maybe
        )
        unconditional = statement.condition == {}
        if certain and statement.allow:
            allowed = True
        elif certain and unconditional:
            return False
        elif not certain:
            if statement.effect != "Deny" and allowed is False:
                allowed = UNKNOWN
            if statement.effect != "Allow" and unconditional:
                may_deny = True
    return UNKNOWN if may_deny and allowed is True else allowed


# Every AWS partition: a document written for one partition reads the same in the pack, since a
# stack's partition is not known to a policy (the region is in the provider, not the resources).
PARTITIONS = ("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc")


@lru_cache(maxsize=65536)  # pure: a stack asks the same (pattern, bucket, key) for every action and rule
def s3_resource_matches(pattern: str, bucket: str, key: str | None = None) -> bool:
    """Whether a Resource pattern covers the bucket (``key`` None) or the object ``bucket/key``, in any partition.

    The ARN's fields are matched one by one: the partition against every partition, the service
    against `s3`, region and account against the empty string S3 ARNs have, the rest against the
    bucket or object. One pass, however many partitions exist.
    """
    if pattern == "*":
        return True
    fields = pattern.split(":", 5)
    if len(fields) != 6 or fields[0] != "arn":
        return False
    _, partition, service, region, account, rest = fields
    if not any(resource_matches(partition, p) for p in PARTITIONS):
        return False
    if not (resource_matches(service, "s3") and resource_matches(region, "") and resource_matches(account, "")):
        return False
    return resource_matches(rest, bucket if key is None else f"{bucket}/{key}")


def statement_covers_s3(statement: Statement, bucket: str, key: str | None = None) -> bool | Any:
    """`statement_covers_resource` for an S3 bucket or object, partition-agnostic."""
    return _covers(
        statement.resources, statement.not_resources, lambda pattern: s3_resource_matches(pattern, bucket, key)
    )


def allows_s3(statements: list[Statement], action: str, bucket: str, key: str | None = None) -> bool | Any:
    """`allows` for an S3 bucket (``key`` None) or object, in whichever partition the documents name."""
    return _allows(statements, action, lambda statement: statement_covers_s3(statement, bucket, key))


def s3_bucket_of(arn: str) -> tuple[str, str | None] | None:
    """`arn:<partition>:s3:::<bucket>[/<key>]` → (bucket pattern, key pattern or None)."""
    match = re.match(r"^arn:[^:]*:s3:::([^/]*)(?:/(.*))?$", arn, re.DOTALL)
    if not match:
        return None
    return match.group(1), match.group(2)


def principal_accounts(principal: Any) -> tuple[list[str], list[str]]:
    """(AWS account ids named, other principals) of a Principal element, any shape.

    ``"*"`` and ``{"AWS": "*"}`` come back as the other principal ``"*"``.
    """
    accounts: list[str] = []
    others: list[str] = []
    if principal is None:
        return accounts, others
    if principal is UNKNOWN:
        return accounts, ["<unknown>"]
    if isinstance(principal, str):
        return [], [principal]  # "*" is the other principal "*"
    if not isinstance(principal, dict):
        return [], ["<malformed>"]
    for kind, value in principal.items():
        values = value if isinstance(value, list) else [value]
        for item in values:
            if item is UNKNOWN:
                others.append("<unknown>")
            elif not isinstance(item, str):
                others.append("<malformed>")
            elif kind != "AWS":
                others.append(f"{kind}:{item}")
            elif re.fullmatch(r"[0-9]{12}", item):
                accounts.append(item)
            else:
                arn = re.fullmatch(r"arn:[^:]+:iam::([0-9]{12}):.+", item)
                if arn:
                    accounts.append(arn.group(1))
                else:
                    others.append(item)
    return accounts, others


def condition_values(condition: Any, operator: str, key: str) -> list[str] | Any | None:
    """Values under ``operator`` for ``key`` (condition keys are case-insensitive)."""
    if condition is UNKNOWN:
        return UNKNOWN
    if not isinstance(condition, dict):
        return None
    block = condition.get(operator)
    if block is UNKNOWN:
        return UNKNOWN
    if not isinstance(block, dict):
        return None
    for k, v in block.items():
        if k.lower() == key.lower():
            if v is UNKNOWN:
                return UNKNOWN
            values = v if isinstance(v, list) else [v]
            if any(x is UNKNOWN for x in values):
                return UNKNOWN
            return [str(x) for x in values]
    return None
