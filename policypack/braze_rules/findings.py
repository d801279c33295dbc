"""What a rule returns: violations (at the rule's level) and notes (what it could not check)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Violation:
    message: str
    urn: str | None = None
    # True for a finding about something *missing* (no public access block): one resource
    # alone cannot show it, so the per-resource run of a rule leaves it to the stack run.
    needs_stack: bool = False


@dataclass
class RuleResult:
    violations: list[Violation] = field(default_factory=list)
    # Things the rule could not decide (unknown at preview, malformed): reported as an
    # advisory note, never as a pass and never as a crash.
    notes: list[str] = field(default_factory=list)

    def violation(self, message: str, urn: str | None = None, *, needs_stack: bool = False) -> None:
        self.violations.append(Violation(message, urn, needs_stack))

    def note(self, message: str) -> None:
        if message not in self.notes:
            self.notes.append(message)
