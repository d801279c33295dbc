"""The IAM side of the stack config: path, permissions boundary, name prefix, and the region's partition."""

from __future__ import annotations

import re
from typing import Any

from components import naming
from components.config.placement import Placement
from components.config.reader import Reader
from components.settings import PROJECT, CurrentsSettings, DashboardExportSettings

# IAM's own pattern for a path (`(\u002F)|(\u002F[\u0021-\u007E]+\u002F)`, 1 to 512 characters, the
# CreateRole / CreateUser / CreatePolicy API reference): "/" alone, or printable ASCII without spaces
# between a leading and a trailing "/" — "/a//b/" included.
IAM_PATH = re.compile(r"^(/|/[\x21-\x7e]+/)$")
IAM_PATH_MAX = 512
POLICY_ARN = re.compile(r"^arn:(aws|aws-cn|aws-us-gov):iam::([0-9]{12}|aws):policy/([A-Za-z0-9+=,.@_/-]{1,512})$")


def parse_permissions_boundary(reader: Reader, value: Any, placement: Placement) -> str | None:
    """A managed policy ARN of the stack's partition, or None ("" is the declared default)."""
    key = f"{PROJECT}:permissionsBoundary"
    if value is None or value == "":
        return None
    match = POLICY_ARN.fullmatch(value) if isinstance(value, str) else None
    if not match:
        reader.problem(
            key,
            f"{reader.show(key, value)} is not an IAM managed policy ARN "
            "(arn:aws:iam::<account>:policy/<path/name>, as your security team gives it)",
        )
        return None
    if problem := placement.partition_problem(match.group(1)):
        reader.problem(key, f"{reader.show(key, value)} {problem}")
        return None
    return str(value)


def parse_name_prefix(
    reader: Reader, value: Any, currents: list[CurrentsSettings], dashboard: DashboardExportSettings | None
) -> str | None:
    """The IAM name prefix, and every name it makes within IAM's limits ("" is the declared default)."""
    key = f"{PROJECT}:iamNamePrefix"
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not naming.IAM_NAME_PREFIX.fullmatch(value):
        reader.problem(key, f"{reader.show(key, value)} is not a name prefix: 1 to 32 of A-Z a-z 0-9 + = , . @ _ -")
        return None
    components = [f"currents-{c.name}" for c in currents] + (["dashboard-export"] if dashboard else [])
    for component in components:
        for kind, suffix in (("role", "role"), ("user", "user"), ("policy", "policy")):
            problem = naming.iam_name_length_problem(value, f"{component}-{suffix}", kind)
            if problem:
                reader.problem(key, f"{reader.show(key, value)} {problem}: shorten the prefix or the connector name")
                return None
    return value


def iam_path_problem(value: str, secret: bool = False) -> str | None:
    """Why IAM would refuse ``value`` as a path, or None: each of IAM's constraints in its own words
    (``secret``: the offending characters are not shown)."""
    if len(value) > IAM_PATH_MAX:
        return f"is {len(value)} characters long; IAM allows at most {IAM_PATH_MAX}"
    bad = sorted({c for c in value if not "\x21" <= c <= "\x7e"})
    if bad:
        shown = "characters" if secret else ", ".join(repr(c) for c in bad)
        return f"contains {shown} outside printable ASCII (spaces included); IAM paths allow ! to ~ only"
    if not IAM_PATH.fullmatch(value):
        return "is not an IAM path; start and end it with '/', e.g. /braze/"
    return None


def parse_iam_path(reader: Reader, value: Any) -> str:
    key = f"{PROJECT}:iamPath"
    if not isinstance(value, str):
        reader.problem(
            key, f"{reader.show(key, value)} is not an IAM path: give text that starts and ends with '/', e.g. /braze/"
        )
        return "/braze/"
    problem = iam_path_problem(value, reader.is_secret(key))
    if problem:
        reader.problem(key, f"{reader.show(key, value)} {problem}")
        return "/braze/"
    return value
