"""What `verify` found: one line per check (✓ ✗ –), a summary, JSON; and how an AWS error is named."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, TextIO

from botocore.exceptions import ClientError


def error_code(error: Exception) -> str:
    """The AWS error code of a botocore error, else the exception's type."""
    if isinstance(error, ClientError):
        return str(error.response.get("Error", {}).get("Code", "ClientError"))
    return type(error).__name__


@dataclass
class Check:
    subject: str  # "bucket", "currents main", "dashboard export"
    name: str
    ok: bool | None  # None: not checked (and why)
    reason: str = ""

    def line(self) -> str:
        mark = {True: "✓", False: "✗", None: "–"}[self.ok]
        return f"  {mark} {self.subject}: {self.name}" + (f" — {self.reason}" if self.reason else "")


@dataclass
class Report:
    checks: list[Check] = field(default_factory=list)
    leftover_probes: list[str] = field(default_factory=list)
    out: TextIO | None = None  # where progress goes as checks happen

    def add(self, subject: str, name: str, ok: bool | None, reason: str = "") -> bool:
        check = Check(subject, name, ok, reason)
        self.checks.append(check)
        if self.out is not None:
            print(check.line(), file=self.out, flush=True)
        return ok is not False

    def progress(self, message: str) -> None:
        if self.out is not None:
            print(f"  … {message}", file=self.out, flush=True)

    @property
    def ok(self) -> bool:
        return all(c.ok is not False for c in self.checks) and not self.leftover_probes

    def summary(self) -> str:
        passed = sum(c.ok is True for c in self.checks)
        failed = sum(c.ok is False for c in self.checks)
        skipped = sum(c.ok is None for c in self.checks)
        text = f"{passed} passed, {failed} failed, {skipped} not checked"
        if self.leftover_probes:
            text += f"; probe objects left behind: {', '.join(self.leftover_probes)}"
        return text

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checks": [asdict(c) for c in self.checks],
            "leftoverProbes": self.leftover_probes,
            "summary": self.summary(),
        }
