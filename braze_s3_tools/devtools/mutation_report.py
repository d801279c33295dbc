"""The mutation report (docs/mutation.md): scores per module from mutmut's results, survivors with their diffs.

Pure reading and writing of text: `mutation.py` runs mutmut and hands this module what it found. A row this run
did not check is carried from the committed report, so partial runs (a group, `--only`) add to it.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections import Counter, defaultdict
from dataclasses import dataclass, field

KILLED = {"killed", "timeout", "caught by type check"}


def diff_of(path: str, mutant: str) -> str:
    """The mutant's changed lines, from mutmut's own diff (in process: one `mutmut show` each is slow)."""
    from mutmut.mutation.diff_apply import get_diff_for_mutant  # noqa: PLC0415 - reads the stage's config

    diff = get_diff_for_mutant(mutant, path=path)
    return "\n".join(
        line for line in diff.splitlines() if line.startswith(("-", "+")) and not line.startswith(("---", "+++"))
    )


def _tokens(line: str) -> list[tuple[int, str]]:
    try:
        return [(t.type, t.string) for t in tokenize.generate_tokens(io.StringIO(line.strip() + "\n").readline)]
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return []


def message_only(diff: str) -> bool:
    """A mutant that changes only prose inside a string (a message's words, not a decision's value).

    Strings that decide (action names, partitions, "Deny") have no spaces; the words users read do.
    """
    removed = [line[1:] for line in diff.splitlines() if line.startswith("-")]
    added = [line[1:] for line in diff.splitlines() if line.startswith("+")]
    if len(removed) != 1 or len(added) != 1:
        return False
    before, after = _tokens(removed[0]), _tokens(added[0])
    if not before or len(before) != len(after):
        return False
    changed = [(b, a) for b, a in zip(before, after, strict=True) if b != a]
    return bool(changed) and all(b[0] == a[0] == tokenize.STRING and " " in b[1] for b, a in changed)


@dataclass
class Committed:
    """What the committed report says: each module's table row and score, and its open survivors."""

    rows: dict[str, str] = field(default_factory=dict)
    scores: dict[str, int] = field(default_factory=dict)  # percent, modules with a score only
    survivors: dict[str, list[str]] = field(default_factory=dict)  # module -> its section's lines
    diffs: dict[str, set[str]] = field(default_factory=dict)  # module -> its survivors' diffs


def read_committed(text: str) -> Committed:
    committed = Committed()
    module: str | None = None
    current: list[str] = []
    for line in text.splitlines():
        row = re.fullmatch(r"\| `([^`]+)` \|(.*)\|", line)
        if row:
            committed.rows[row.group(1)] = line
            score = row.group(2).rsplit("|", 1)[-1].strip()
            if score.endswith("%"):
                committed.scores[row.group(1)] = int(score[:-1])
            continue
        heading = re.fullmatch(r"### `([^`]+)`", line)
        if heading:
            module = heading.group(1)
            committed.survivors[module] = [line]
            committed.diffs[module] = set()
            current = []
        elif module is not None and line.startswith("- `"):
            committed.survivors[module].append(line)
            current = []
        elif module is not None and line.strip() == "```diff":
            committed.survivors[module].append(line)
        elif module is not None and line.startswith("  ") and not line.strip().startswith("```"):
            committed.survivors[module].append(line)
            current.append(line.strip())
        elif module is not None and line.strip() == "```":
            committed.survivors[module].append(line)
            if current:
                committed.diffs[module].add("\n".join(current))
                current = []
        elif module is not None and not line.strip():
            continue
        elif module is not None:
            module = None
    return committed


@dataclass
class Scored:
    """One run's outcome per module it checked (a module it did not check keeps its committed row)."""

    scores: dict[str, float] = field(default_factory=dict)
    survivors: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # module -> (mutant, diff)


def _cells(row: str) -> list[str]:
    return [c.strip() for c in row.strip("|").split("|")]


def _sections(open_survivors: list[tuple[str, str, str]], kept_sections: list[str]) -> dict[str, list[str]]:
    """Each module's survivors section: this run's, else the committed one of a module it did not check."""
    by_module: dict[str, list[str]] = defaultdict(list)
    for module, name, diff in open_survivors:
        by_module[module] += [f"- `{name}`", "  ```diff", *[f"  {d}" for d in diff.splitlines()], "  ```"]
    sections = {module: [f"### `{module}`", *items] for module, items in by_module.items()}
    kept: dict[str, list[str]] = {}
    current = ""
    for line in kept_sections:
        if line.startswith("### `"):
            current = line[len("### `") : -1]
            kept[current] = []
        kept[current].append(line)
    sections.update({m: k for m, k in kept.items() if m not in sections})
    return sections


def report(
    found: dict[str, dict[str, str]], equivalent: dict[str, str], committed: Committed | None = None
) -> tuple[str, Scored]:
    committed = committed or Committed()
    scored = Scored()
    lines = [
        "# Mutation score",
        "",
        "<!-- Written by `make mutation` (braze_s3_tools/devtools/mutation.py, mutation_report.py); mutmut over the modules that decide. -->",
        "",
        "Each mutant is one small change (an operator, a constant, a condition, a string); it is *killed* when a",
        "test fails. *Not run*: mutants no run has checked yet (a partial run, `--only` or `--group`, keeps the last",
        "result of every module whose source has not changed since, from a fast or a full run, and otherwise the row",
        "committed here). *Message-only*: survivors that change",
        "only the words of a message (a string with spaces), not a decision: listed by count, not in the decision",
        "score. *Equivalent*: survivors that cannot change behaviour, each with its reason",
        "(`docs/mutation-equivalents.json`). Decision score = killed / (run − message-only − equivalent).",
        "",
        "| module | mutants | not run | killed | survived | of which message-only | no tests | equivalent | decision score |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    open_survivors: list[tuple[str, str, str]] = []
    kept_sections: list[str] = []
    total: Counter[str] = Counter()
    for module, all_keys in found.items():
        # Mutants this run did not check (a partial run with --only) are left out of the score.
        by_key = {k: s for k, s in all_keys.items() if s != "not checked"}
        unchecked = len(all_keys) - len(by_key)
        if not by_key and module in committed.rows and _cells(committed.rows[module])[-1] != "–":
            # Not checked by this run (another group, or its source changed under another engineer's
            # hands since the last local run): the committed figures stand until a run checks it.
            cells = _cells(committed.rows[module])
            lines.append(committed.rows[module])
            numbers = [int(c) if c.isdigit() else 0 for c in cells[1:8]]
            for key, value in zip(
                ("all", "not run", "killed", "survived", "message", "no tests", "equivalent"), numbers, strict=True
            ):
                total[key] += value
            total["run"] += numbers[0] - numbers[1]
            kept_sections += committed.survivors.get(module, [])
            continue
        total["not run"] += unchecked
        total["all"] += len(all_keys)
        if not by_key:
            lines.append(f"| `{module}` | {len(all_keys)} | {unchecked} | – | – | – | – | – | – |")
            continue
        counts = Counter("killed" if s in KILLED else s for s in by_key.values())
        survivors = [k for k, s in by_key.items() if s not in KILLED]
        accepted = [k for k in survivors if k in equivalent]
        messages = 0
        for name in survivors:
            if name in equivalent or by_key[name] == "no tests":
                continue  # a mutant no test of this run reaches is counted ("no tests"), not listed
            diff = diff_of(module, name)
            if message_only(diff):
                messages += 1
            else:
                open_survivors.append((module, name, diff))
                scored.survivors.setdefault(module, []).append((name, diff))
        denominator = len(by_key) - messages - len(accepted)
        score = counts["killed"] / denominator if denominator else 1.0
        scored.scores[module] = score
        for key, value in (("killed", counts["killed"]), ("survived", counts["survived"]), ("no tests", counts["no tests"]),
                           ("message", messages), ("equivalent", len(accepted)), ("run", len(by_key))):  # fmt: skip
            total[key] += value
        lines.append(
            f"| `{module}` | {len(all_keys)} | {unchecked} | {counts['killed']} | {counts['survived']} | {messages} | "
            f"{counts['no tests']} | {len(accepted)} | {score:.0%} |"
        )
    denominator = total["run"] - total["message"] - total["equivalent"]
    lines.append(
        f"| **all** | {total['all']} | {total['not run']} | {total['killed']} | {total['survived']} | "
        f"{total['message']} | {total['no tests']} | {total['equivalent']} | "
        f"{total['killed'] / denominator if denominator else 1:.0%} |"
    )
    lines += ["", "## Accepted equivalents", ""]
    lines += [f"- `{k}`: {why}" for k, why in sorted(equivalent.items())] or ["(none)"]
    sections = _sections(open_survivors, kept_sections)
    count = sum(1 for section in sections.values() for line in section if line.startswith("- `"))
    lines += ["", f"## Open survivors that change a decision ({count})", ""]
    for module in sorted(sections):
        lines += sections[module]
    return "\n".join(lines) + "\n", scored


def compare(scored: Scored, committed: Committed) -> tuple[list[str], list[tuple[str, str, str]]]:
    """Modules whose score fell below the committed figure, and survivors the committed report does not list."""
    dropped = [
        f"{module}: {round(score * 100)}% < committed {committed.scores[module]}%"
        for module, score in sorted(scored.scores.items())
        if module in committed.scores and round(score * 100) < committed.scores[module]
    ]
    new = [
        (module, name, diff)
        for module, items in sorted(scored.survivors.items())
        for name, diff in sorted(items)
        if "\n".join(line.strip() for line in diff.splitlines()) not in committed.diffs.get(module, set())
    ]
    return dropped, new


def summary(scored: Scored, committed: Committed, dropped: list[str], new: list[tuple[str, str, str]]) -> str:
    """The job summary: each checked module's score against the committed one, then the new survivors."""
    lines = ["## Mutation score", "", "| module | score | committed |", "|---|---|---|"]
    for module, score in sorted(scored.scores.items()):
        before = committed.scores.get(module)
        mark = " ✗" if before is not None and round(score * 100) < before else ""
        lines.append(f"| `{module}` | {score:.0%}{mark} | {'–' if before is None else f'{before}%'} |")
    lines += [
        "",
        f"**Below the committed score:** {', '.join(dropped)}" if dropped else "No module below its committed score.",
    ]
    lines += ["", f"### New survivors ({len(new)})", ""]
    for module, name, diff in new:
        lines += [f"- `{module}` `{name}`", "  ```diff", *[f"  {d}" for d in diff.splitlines()], "  ```"]
    return "\n".join(lines) + "\n"
