"""`plan --against REF|FILE`: the baseline plan to compare with, and how the comparison reads.

A git ref is checked out in a temporary worktree and planned there by its own code (the program
and tools as they were at REF), with the same stack name, as `--json`; a file is a plan saved
with `--json`. Secret inputs are compared by a keyed digest made with a key that lives only for
this comparison (`BRAZE_PLAN_DIGEST_KEY`), so a changed secret shows as changed without its
value ever being written; a saved plan's digests used another key and compare as unknown.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from braze_s3_tools.plan.diff import Change, counts
from braze_s3_tools.plan.risks import Risk

DIGEST_KEY_ENV = "BRAZE_PLAN_DIGEST_KEY"
MARKERS = {"create": "+ ", "update": "~ ", "replace": "+-", "delete": "- ", "same": "  "}


class PlanAgainstError(Exception):
    """The baseline could not be planned or read."""


class BaselineTooOld(PlanAgainstError):  # noqa: N818 - named for what the user reads
    """The baseline's plan has no resource inputs: it predates `--against`. Not an error of the
    change under review: the plan goes on without a comparison and says so."""


@contextlib.contextmanager
def digest_key() -> Iterator[str]:
    """This comparison's key, shared with the baseline's subprocess through the environment for the
    comparison only (an outer one's key is kept: a baseline's own plan digests with its caller's)."""
    outer = os.environ.get(DIGEST_KEY_ENV)
    key = outer or secrets.token_hex(32)
    os.environ[DIGEST_KEY_ENV] = key
    try:
        yield key
    finally:
        if outer is None:
            os.environ.pop(DIGEST_KEY_ENV, None)


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)  # noqa: S603, S607 - git, by name
    if done.returncode != 0:
        raise PlanAgainstError(done.stderr.strip() or f"git {' '.join(args)} failed")
    return done.stdout.strip()


def baseline(against: str, stack: str, root: Path, extra_args: list[str]) -> tuple[dict[str, Any], str]:
    """(the baseline plan, how to name it) from a saved plan file or a git ref."""
    path = Path(against)
    if path.is_file():
        try:
            plan = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as error:
            raise PlanAgainstError(f"{against} is not a plan saved with --json: {error}") from None
        return _checked(plan, against), f"the saved plan {against}"
    toplevel = Path(_git(root, "rev-parse", "--show-toplevel"))
    commit = _git(root, "rev-parse", "--verify", "--quiet", f"{against}^{{commit}}")
    with tempfile.TemporaryDirectory(prefix="braze-s3-baseline-") as tmp:
        tree = Path(tmp) / "tree"
        _git(toplevel, "worktree", "add", "--detach", "--force", str(tree), commit)
        try:
            return _plan_at(
                tree / root.resolve().relative_to(toplevel.resolve()), stack, extra_args
            ), f"{against} ({commit[:12]})"
        finally:
            _git(toplevel, "worktree", "remove", "--force", str(tree))


def _plan_at(root: Path, stack: str, extra_args: list[str]) -> dict[str, Any]:
    if not (root / f"Pulumi.{stack}.yaml").exists():
        return {
            "stack": stack,
            "resources": [],
            "note": f"no Pulumi.{stack}.yaml at the baseline: every resource is new",
        }
    digest_key()
    env = {**os.environ, "PYTHONPATH": str(root)}
    command = [sys.executable, "-m", "braze_s3_tools.plan.command", "--stack", stack, "--json", *extra_args]
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - our own tool
    try:
        plan = json.loads(done.stdout)
    except ValueError:
        raise PlanAgainstError(
            f"the baseline's plan failed (exit {done.returncode}): {done.stderr.strip()[-2000:]}"
        ) from None
    if plan.get("configErrors"):
        return {"stack": stack, "resources": [], "note": "the baseline's config was invalid: every resource is new"}
    return _checked(plan, str(root))


def _checked(plan: Any, where: str) -> dict[str, Any]:
    resources = plan.get("resources") if isinstance(plan, dict) else None
    if not isinstance(plan, dict) or not isinstance(resources, list) or any("inputs" not in r for r in resources):
        raise BaselineTooOld(
            f"{where}: the plan has no resource inputs — it predates `plan --against`; compare with a newer ref, or a "
            "plan saved with this version's --json"
        )
    checked: dict[str, Any] = plan
    return checked


def _short(value: Any, width: int = 120) -> str:
    text = (
        "[secret]"
        if isinstance(value, dict) and value.get("secret")
        else (
            "(known after `pulumi up`)"
            if isinstance(value, dict) and value.get("unknown")
            else json.dumps(value, sort_keys=True)
        )
    )
    return text if len(text) <= width else text[: width - 1] + "…"


def diff_lines(change: Change) -> list[str]:
    """old → new per changed input; statements of documents one by one."""
    lines = []
    for key, diff in change.diff.items():
        statements = diff.get("statements") if isinstance(diff, dict) else None
        if statements is None:
            lines.append(f"{key}: {_short(diff.get('old'))} → {_short(diff.get('new'))}")
            continue
        for sid, statement in statements["added"].items():
            lines.append(f"{key}: + statement {sid}: {_short(statement)}")
        for sid, statement in statements["removed"].items():
            lines.append(f"{key}: - statement {sid}: {_short(statement)}")
        for sid, both in statements["changed"].items():
            old, new = both["old"], both["new"]
            fields = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
            for field_name in fields:
                lines.append(
                    f"{key}: ~ statement {sid} {field_name}: {_short(old.get(field_name))} → {_short(new.get(field_name))}"
                )
    return lines


def summary(changes: list[Change]) -> str:
    c = counts(changes)
    return (
        f"{c['create']} to create, {c['update']} to update, {c['replace']} to replace, {c['delete']} to delete, "
        f"{c['same']} unchanged"
    )


def render_text(label: str, changes: list[Change], risks: list[Risk]) -> list[str]:
    lines = [f"Changes against {label}: {summary(changes)}", ""]
    lines.append(f"Risks ({len(risks)}):" if risks else "Risks: none")
    lines += [f"  [{r.code}] {r.message}" for r in risks]
    lines += ["", "Changes (+ create, ~ update, +- replace, - delete):"]
    for change in (c for c in changes if c.op != "same"):
        why = f"  (replaced: {', '.join(change.replace_keys)} changes)" if change.replace_keys else ""
        lines.append(f"  {MARKERS[change.op]} {change.type}  {change.name}{why}")
        lines += [f"       {line}" for line in diff_lines(change)]
    return lines


def _cell(text: str) -> str:
    """Text inside a Markdown table cell: its own pipes escaped."""
    return text.replace("|", "\\|")


def render_markdown(stack: str, label: str, changes: list[Change], risks: list[Risk]) -> str:
    """For a pull request's job summary and comment: risks first, then each change."""
    out = [f"### braze-s3 plan — stack `{stack}` against {label}", "", f"**{summary(changes)}**", ""]
    if risks:
        out += ["| risk | message |", "|---|---|"]
        out += [f"| `{r.code}` | {_cell(r.message)} |" for r in risks]
    else:
        out.append("No risk to Braze's credentials or data found.")
    shown = [c for c in changes if c.op != "same"]
    if shown:
        out += ["", "<details><summary>Changes</summary>", "", "```diff"]
        for change in shown:
            out.append(f"{MARKERS[change.op].strip() or '~'} {change.type} {change.name}")
            out += [f"    {line}" for line in diff_lines(change)]
        out += ["```", "</details>"]
    return "\n".join(out) + "\n"
