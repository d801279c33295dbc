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
