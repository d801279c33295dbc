"""Errors raised by the Braze S3 program.

Hierarchy:

    BrazeS3Error                 every error this package raises on purpose
    └── InvalidConfigError       the stack configuration is invalid; carries every
                                 ConfigIssue found, so a user fixes them all in one pass

Config errors are raised before any resource is registered, so a bad config never
leaves a half-created stack behind.
"""

from __future__ import annotations

from dataclasses import dataclass


class BrazeS3Error(Exception):
    """Base class of every error this package raises on purpose."""


@dataclass(frozen=True)
class ConfigIssue:
    """One problem in the stack config: where it is, and what to do about it.

    ``path`` is the full key path as `pulumi config set --path` spells it,
    e.g. ``braze-s3:currents[1].folderPath``; ``message`` names the bad value,
    the rule and the fix.
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class InvalidConfigError(BrazeS3Error):
    """The stack configuration is invalid; raised before any resource exists."""

    def __init__(self, issues: list[ConfigIssue]) -> None:
        self.issues = list(issues)
        count = len(self.issues)
        heading = f"{count} error{'s' if count != 1 else ''} in the braze-s3 stack configuration:"
        super().__init__("\n".join([heading, *(f"  - {issue}" for issue in self.issues)]))
