"""`make plan`: the program as `pulumi preview` runs it, offline, with the policy pack's verdict.

    python -m braze_s3_tools.plan [--stack dev] [--json] [--policy-config FILE] [--no-policy]

Exit status: 0 clean; 1 a mandatory policy violation; 2 bad stack config (the message
names the key, the value and the fix); 3 the policy pack or its config could not be used.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import hmac
import json
import os
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from braze_s3_tools.engine.aliases import alias_urns
from braze_s3_tools.engine.harness import ProgramRun, Registration, Secret, Unknown, run_program, strip_markers
from braze_s3_tools.engine.policy_run import PackError, PackProcess, load_policy_config, run_pack_over
from braze_s3_tools.engine.stack_files import PROJECT_ROOT, StackConfig, StackFileError, load_stack_config
from braze_s3_tools.plan.against import (
    DIGEST_KEY_ENV,
    BaselineTooOld,
    PlanAgainstError,
    baseline,
    digest_key,
    render_markdown,
    render_text,
)
from braze_s3_tools.plan.braze_form import braze_forms
from braze_s3_tools.plan.buckets import bucket_notes
from braze_s3_tools.plan.diff import compare
from braze_s3_tools.plan.risks import risks as find_risks

EXIT_OK, EXIT_VIOLATION, EXIT_CONFIG, EXIT_PACK = 0, 1, 2, 3
# Inputs that hold an IAM or bucket-policy document, by resource type.
DOCUMENT_INPUTS = {
    "aws:iam/policy:Policy": "policy",
    "aws:iam/role:Role": "assumeRolePolicy",
    "aws:s3/bucketPolicy:BucketPolicy": "policy",
}


def resource_tree(run: ProgramRun) -> list[dict[str, Any]]:
    """Resources depth-first under their parents, children sorted by (type, name)."""
    by_parent: dict[str, list[Registration]] = defaultdict(list)
    urns = {r.urn for r in run.resources}
    for r in run.resources:
        by_parent[r.parent if r.parent in urns else ""].append(r)
    rows: list[dict[str, Any]] = []
    aliases = alias_urns(run.resources)

    def walk(parent: str, depth: int) -> None:
        for r in sorted(by_parent.get(parent, []), key=lambda r: (r.custom, r.type, r.name)):
            parent_name = next((p.name for p in run.resources if p.urn == r.parent), None)
            rows.append(
                {
                    "depth": depth,
                    "type": r.type,
                    "name": r.name,
                    "parent": parent_name,
                    "protect": r.protect,
                    "retainOnDelete": r.retain_on_delete,
                    "urn": r.urn,
                    "custom": r.custom,
                    "importId": r.import_id or None,
                    "inputs": json_value(r.inputs),
                    # Which input comes from which resource: how a replacement ripples (plan --against).
                    "dependencies": {k: sorted(v) for k, v in sorted(r.property_dependencies.items()) if v},
                    # URNs the engine would find this resource under in an older state (the aliases option).
                    "aliases": aliases.get(r.urn, []),
                }
            )
            walk(r.urn, depth + 1)

    walk("", 0)
    return rows


def documents(run: ProgramRun) -> list[dict[str, Any]]:
    """Every IAM and bucket-policy document, parsed, with the resource that carries it."""
    docs = []
    for r in sorted(run.resources, key=lambda r: (r.type, r.name)):
        key = DOCUMENT_INPUTS.get(r.type)
        if key is None:
            continue
        value = r.inputs.get(key)
        if isinstance(value, str):
            with contextlib.suppress(ValueError):  # not JSON: shown as the string it is
                value = json.loads(value)
        docs.append({"resource": r.name, "type": r.type, "property": key, "document": strip_markers(value)})
    return docs


def secrets_notes(config: StackConfig) -> list[str]:
    """What the plan says about encrypted config: which keys are secret, and what it could not check."""
    if not config.secret_keys:
        return []
    keys = ", ".join(config.secret_keys)
    notes = [f"{keys} hold encrypted (secure:) values: shown as [secret], and secret to the program"]
    if config.undecrypted:
        how = (
            "set PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) to decrypt them as the CLI does"
            if config.secrets_provider == "passphrase"
            else f"the {config.secrets_provider} secrets provider can only be opened by the Pulumi CLI"
        )
        notes.append(
            f"{len(config.undecrypted)} encrypted value(s) not decrypted ({how}): the plan used stand-ins of the "
            "declared type, so checks on their real values run only in a real `pulumi preview`"
        )
    return notes


def _shown(value: Any) -> str:
    """A JSON value in one line, secrets and unknowns as words."""
    if isinstance(value, dict) and value.get("secret"):
        return "[secret]"
    if isinstance(value, dict) and value.get("unknown"):
        return "(known after `pulumi up`)"
    text = json.dumps(value, sort_keys=True)
    return text.replace('{"unknown": true}', "(unknown)").replace('{"secret": true}', "[secret]")


def _render_text(run: ProgramRun, tree: list[dict[str, Any]], docs: list[dict[str, Any]]) -> str:
    lines = [
        f"braze-s3 offline plan: stack {run.stack} (pulumi preview under the SDK's mock engine; no AWS, no Pulumi CLI)",
        "",
        f"Resources ({len(tree)}):",
        f"  pulumi:pulumi:Stack  braze-s3-{run.stack}",
    ]
    for row in tree:
        flags = [flag for flag, on in (("protect", row["protect"]), ("retainOnDelete", row["retainOnDelete"])) if on]
        if row.get("importId"):
            flags.append(f"import {row['importId']}")
        marker = f"  [{', '.join(flags)}]" if flags else ""
        indent = "   " * (row["depth"] + 1)
        lines.append(f"  {indent}└─ {row['type']}  {row['name']}{marker}")
        # Every input, as the engine receives it; documents are printed whole below.
        for key, value in sorted(row["inputs"].items()):
            shown = "(document below)" if DOCUMENT_INPUTS.get(row["type"]) == key else _shown(value)
            lines.append(f"  {indent}      {key}: {shown}")
    notes = bucket_notes(run)
    if notes:
        lines += ["", "Buckets:"]
        for note in notes:
            lines.append(f'  {note.key}: "{note.name}" (mode: {note.mode})')
            lines += [f"    {line}" for line in note.lines]
    lines += ["", "IAM and bucket-policy documents:"]
    for doc in docs:
        lines.append(f"  {doc['resource']} ({doc['type']}, {doc['property']}):")
        lines += ["    " + line for line in json.dumps(doc["document"], indent=2).splitlines()]
    lines += ["", "Outputs:"]
    lines += [f"  {key}: {_shown(json_value(value))}" for key, value in sorted(run.outputs.items())]
    lines += ["", "What to type into Braze (values marked after `pulumi up` come from `pulumi stack output`):"]
    for form in braze_forms(run.outputs):
        lines.append(f"  {form.title}: Braze > {form.page}")
        width = max(len(label) for label, _ in form.fields)
        lines += [f"    {label.ljust(width)}  {value}" for label, value in form.fields]
    return "\n".join(lines)


def json_value(value: Any) -> Any:
    """A value for JSON: unknowns and secrets as explicit markers (a secret's value never appears;
    during `plan --against`, a digest keyed for that comparison only tells a changed secret)."""
    if isinstance(value, Unknown):
        return {"unknown": True}
    if isinstance(value, Secret):
        key = os.environ.get(DIGEST_KEY_ENV)
        if not key:
            return {"secret": True}
        plain = json.dumps(strip_markers(value.value), sort_keys=True).encode()
        return {"secret": True, "digest": hmac.new(key.encode(), plain, hashlib.sha256).hexdigest()[:32]}
    if isinstance(value, dict):
        return {k: json_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_value(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)  # the wire's numbers are doubles: 90.0 is the 90 the program set
    return value


def plan_document(run: ProgramRun, verdict: Any = None) -> dict[str, Any]:
    """The plan as `--json` prints it (without a comparison)."""
    return {
        "stack": run.stack,
        "region": run.region,
        "ok": verdict is None or not verdict.blocking,
        "resources": [{k: v for k, v in row.items() if k != "depth"} for row in resource_tree(run)],
        "buckets": [{"key": n.key, "name": n.name, "mode": n.mode, "notes": n.lines} for n in bucket_notes(run)],
        "documents": documents(run),
        "outputs": json_value(run.outputs),
        "brazeForms": [{"title": f.title, "page": f.page, "fields": f.as_json()} for f in braze_forms(run.outputs)],
        "policy": verdict.as_json() if verdict else None,
    }


def _baseline(args: argparse.Namespace, root: Path) -> tuple[dict[str, Any], str]:
    extra = ["--no-policy"] if args.no_policy else []
    extra += ["--policy-config", str(args.policy_config.resolve())] if args.policy_config else []
    return baseline(args.against, args.stack, root, extra)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="make plan", description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--stack", default="dev", help="stack name: reads Pulumi.<stack>.yaml (default: dev)")
    parser.add_argument("--json", action="store_true", help="print one JSON document for machines")
    parser.add_argument("--policy-config", type=Path, help="pack config JSON, as for `pulumi policy enable --config`")
    parser.add_argument("--no-policy", action="store_true", help="skip the policy pack")
    parser.add_argument(
        "--against", metavar="REF|FILE", help="compare with the plan at a git ref, or a plan saved with --json"
    )
    parser.add_argument("--markdown", action="store_true", help="with --against: a summary for a pull request")
    return parser


def _baseline_or_none(args: argparse.Namespace, root: Path) -> tuple[dict[str, Any] | None, str]:
    """The baseline to compare with; None (and a note) when it predates `--against`.
    Raises `PlanAgainstError` when it cannot be had at all (an unknown ref, an unreadable file)."""
    if not args.against:
        return None, ""
    try:
        return _baseline(args, root)
    except BaselineTooOld as error:  # e.g. the first pull request after `--against` landed: plan, and say so
        print(f"note: --against {args.against}: not compared: {error}", file=sys.stderr)
        if args.markdown:
            print(f"### braze-s3 plan — stack `{args.stack}`\n\nNot compared with {args.against}: {error}.\n")
        return None, ""


def _print(
    args: argparse.Namespace, plan: dict[str, Any], comparison: tuple[str, list[Any], list[Any]] | None, text: str
) -> None:
    if args.json:
        print(json.dumps(plan, indent=2))
    elif args.markdown:
        if comparison is not None:
            print(render_markdown(args.stack, *comparison), end="")
    else:
        if comparison is not None:
            print("\n".join(render_text(*comparison)) + "\n")
        print(text)


def main(argv: list[str] | None = None, root: Path = PROJECT_ROOT) -> int:
    args = _parser().parse_args(argv)
    if not args.against:
        return _main(args, root)
    with digest_key():  # both plans digest secrets with the same throw-away key
        return _main(args, root)


def _braze_account_for_the_pack(config: StackConfig, policy_config: Path | None) -> None:
    """A brazeAccountId that could not be decrypted stands in as an account the pack knows as Braze's:
    the first `brazeAccountIds` of the pack config when it lists some (else the pack's default, which
    the stand-in already is) — any other account would be a false violation of the trust rules."""
    key = f"{config.project}:brazeAccountId"
    if key not in config.undecrypted:
        return
    for entry in load_policy_config(policy_config).values():
        ids = entry.get("brazeAccountIds") if isinstance(entry, dict) else None
        if isinstance(ids, list) and ids and isinstance(ids[0], str):
            config.values[key] = ids[0]
            return


def _main(args: argparse.Namespace, root: Path) -> int:
    try:
        config = load_stack_config(args.stack, root)
    except StackFileError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CONFIG
    try:
        _braze_account_for_the_pack(config, args.policy_config)
    except PackError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_PACK
    for line in secrets_notes(config):
        print(f"note: {line}", file=sys.stderr)
    try:
        old, label = _baseline_or_none(args, root)
    except PlanAgainstError as error:
        print(f"error: --against {args.against}: {error}", file=sys.stderr)
        return EXIT_CONFIG
    use_pack = not args.no_policy and (root / "policypack" / "__main__.py").exists()
    # The pack's interpreter starts (its imports take most of its time) while the program runs.
    pack = PackProcess(root / "policypack", config, connect=False) if use_pack else None
    try:
        run = run_program(args.stack, root=root, config=config)
        if run.error is not None:
            if args.json:
                print(
                    json.dumps({"stack": args.stack, "ok": False, "configErrors": run.error.splitlines()[1:]}, indent=2)
                )
            print(run.error, file=sys.stderr)
            return EXIT_CONFIG
        verdict = None
        if pack is not None:
            try:
                verdict = run_pack_over(run, config, args.policy_config, root / "policypack", started=pack)
            except PackError as error:
                print(f"error: {error}", file=sys.stderr)
                return EXIT_PACK
    finally:
        if pack is not None:
            pack.close()
    plan = plan_document(run, verdict)
    comparison = None
    if old is not None:
        changes = compare(old, plan)
        risks = find_risks(old, plan, changes)
        plan.update(against=label, changes=[c.as_json() for c in changes], risks=[r.as_json() for r in risks])
        comparison = (label, changes, risks)
    text = _render_text(run, resource_tree(run), documents(run))
    if verdict is not None:
        text += "\n\n" + verdict.as_text()
    _print(args, plan, comparison, text)
    return EXIT_VIOLATION if verdict is not None and verdict.blocking else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
