"""What a rule is: its public name, its words, its default level, and a pure check."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from braze_rules.findings import RuleResult
from braze_rules.model import BrazeModel


@dataclass(frozen=True)
class Rule:
    name: str  # the pack's public interface: never rename
    description: str  # the rule as one sentence
    enforcement: Literal["mandatory", "advisory"]
    severity: Literal["low", "medium", "high", "critical"]
    remediation: str  # how to fix it, with this project's config
    check: Callable[[BrazeModel], RuleResult]
    # Also run on each resource alone, before the engine changes it (a resource policy): for
    # mistakes one resource shows and that cannot be undone, or not safely (Object Lock). The
    # engine runs stack policies only after every step (`pulumi up --skip-preview`, the
    # Automation API and pulumi/actions `up` have no earlier gate).
    per_resource: bool = False

    @property
    def linked_name(self) -> str:
        """The stack policy that reports what only the whole stack shows, for a per-resource rule."""
        return f"{self.name}-linked"

    @property
    def policy_names(self) -> tuple[str, ...]:
        """The pack's policies for this rule, as the engine and `pulumi policy enable --config` name them."""
        return (self.name, self.linked_name) if self.per_resource else (self.name,)
