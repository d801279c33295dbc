"""`make e2e STACK=dev`: the real chain on an emulated AWS — `pulumi up`, `verify`, a no-change `up`, `destroy`.

    python -m braze_s3_tools.realcli.e2e --stack dev [--keep]

1. starts moto's server on a free loopback port, makes a deployer principal there (allowed everything) and
   switches IAM enforcement on; for a stack that references or imports buckets, makes them first as their
   owners left them (`e2e_emulator.seed_existing_buckets`);
2. on a copy of the project (`realcli.preview.copy_project`: a throwaway PULUMI_HOME and `file://` backend,
   the stand-in `aws` provider installed — a test double of AWS whose resources live in moto through
   `BRAZE_S3_STANDIN_ENDPOINT`), the real CLI runs `pulumi stack init`, then
   `pulumi up --yes --policy-pack policypack --policy-pack-config policypack/config/<pack config>`;
3. `pulumi stack output --json --show-secrets | python -m braze_s3_tools.verify --outputs - --endpoint-url
   <moto>` with the deployer's credentials; bucket policies are judged from their documents in the state
   (moto applies a conditional Deny to every request, so the stand-in keeps those statements out of it); each
   role's permissions are exercised through a stand-in role with the same policies, as verify-local does (moto
   cannot let Braze's account assume anything);
4. `pulumi refresh --yes --expect-no-changes` (the stand-in reads every resource back from moto: no drift), then
   `pulumi up --yes --expect-no-changes`: the engine must find nothing to do;
5. `pulumi destroy --yes` (a stack with protected resources is refused first, as configured; then
   `pulumi state unprotect --all --yes` and `pulumi destroy --yes`), then shows what is left in moto: the
   retained buckets with their files and settings, and that every role, user and access key is gone;
6. stops the emulator it started.

One line per step, verify's lines, a summary; exit status 0 when every step passed, 1 otherwise, 2 when the
chain could not start (no CLI). No secret is printed: outputs are read with --show-secrets into memory only.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from braze_s3_tools.engine.harness import run_program
from braze_s3_tools.realcli import e2e_emulator as emulator
from braze_s3_tools.realcli.aws_backend import NOT_IN_MOTO
from braze_s3_tools.realcli.cli import ROOT, NoCliError, find_cli
from braze_s3_tools.realcli.e2e_session import Session
from braze_s3_tools.verify.command import Verifier
from braze_s3_tools.verify.outputs import integrations_of
from braze_s3_tools.verify.report import Report

ROLE_PROBE = "with the role's permissions"  # verify's label for a probe through a role (or its stand-in)
DOUBLE = "the stand-in aws provider, a test double of AWS backed by moto"
SUMMARY_LINE = re.compile(r"^\s+(?:[-+~=]+\s*)?(\d+) (created|updated|deleted|replaced|unchanged|imported)", re.M)
NOT_LIKE_AWS = (
    "Not like AWS (moto): bucket-policy conditions (the stand-in keeps conditional statements out of moto; "
    "judged from the documents instead), KMS (not enforced), conditions other than StringEquals sts:ExternalId, "
    "Braze assuming a role (a stand-in role with the same policies is assumed instead), S3 request metrics ("
    + "; ".join(NOT_IN_MOTO.values())
    + "), e-mail subscription confirmation."
)


@dataclass
class Step:
    name: str
    ok: bool
    detail: str = ""
    seconds: float = 0.0

    def line(self) -> str:
        return f"{'✓' if self.ok else '✗'} {self.name} ({self.seconds:.1f} s)" + (
            f": {self.detail}" if self.detail else ""
        )


def changes(text: str) -> dict[str, int]:
    """The CLI's "Resources:" summary: {"created": 17, "unchanged": 3, ...}."""
    return {kind: int(n) for n, kind in SUMMARY_LINE.findall(text)}


def _counts(found: dict[str, int]) -> str:
    return ", ".join(f"{n} {kind}" for kind, n in found.items()) or "no summary"


def _tail(done: subprocess.CompletedProcess[str], lines: int = 25) -> str:
    return "\n".join((done.stdout + done.stderr).strip().splitlines()[-lines:])


class E2E:
    """The steps of `make e2e`, each reported as one line to ``out``."""

    def __init__(self, session: Session, out: TextIO) -> None:
        self.s = session
        self.out = out
        self.steps: list[Step] = []
        self.verify_passed = 0

    def step(self, name: str, ok: bool, detail: str, started: float) -> bool:
        step = Step(name, ok, detail, time.monotonic() - started)
        self.steps.append(step)
        print(step.line(), file=self.out, flush=True)
        return ok

    def failed_output(self, done: subprocess.CompletedProcess[str]) -> None:
        print(_tail(done), file=self.out)

    def run(self) -> bool:
        s = self.s
        started = time.monotonic()
        run = run_program(s.stack, preview=True)  # only for the buckets the stack expects to exist already
        seeded = emulator.seed_existing_buckets(s.url, s.region, dict(run.outputs.get("buckets") or {}), s.deployer)
        detail = f"moto at {s.url}, IAM enforced, deployer {emulator.DEPLOYER}" + (
            "; existing buckets: " + "; ".join(seeded) if seeded else ""
        )
        self.step("emulator", True, detail, started)

        started = time.monotonic()
        done = s.init()
        if not self.step(f"pulumi stack init {s.stack}", done.returncode == 0, "file:// backend", started):
            self.failed_output(done)
            return False

        started = time.monotonic()
        done = s.up()
        if not self.step("pulumi up", done.returncode == 0, _counts(changes(done.stdout)), started):
            self.failed_output(done)
            return False

        ok = self.verify()

        started = time.monotonic()
        done = s.pulumi("refresh", "--yes", "--expect-no-changes", "--stack", s.stack)
        found = changes(done.stdout)
        same = done.returncode == 0 and set(found) <= {"unchanged"}
        ok = self.step("pulumi refresh: the emulator holds what the state says", same, _counts(found), started) and ok
        if not same:
            self.failed_output(done)

        started = time.monotonic()
        done = s.up("--expect-no-changes")
        found = changes(done.stdout)
        unchanged = done.returncode == 0 and set(found) <= {"unchanged"}
        ok = self.step("pulumi up again: no changes", unchanged, _counts(found), started) and ok
        if not unchanged:
            self.failed_output(done)

        return self.destroy() and ok

    def verify(self) -> bool:
        s = self.s
        started = time.monotonic()
        outputs = s.outputs()
        done = s.verify(outputs)
        lines = [line for line in done.stdout.splitlines() if line.strip()]
        for line in lines:
            print(f"    {line.strip()}", file=self.out)
        self.verify_passed = sum(line.lstrip().startswith("✓") for line in lines)
        ok = self.step(
            "verify (pulumi stack output --json --show-secrets | python -m braze_s3_tools.verify)",
            done.returncode == 0,
            f"{self.verify_passed} ✓, exit {done.returncode}",
            started,
        )
        if done.returncode != 0 and done.stderr.strip():
            print(done.stderr.strip()[-2000:], file=self.out)

        ok = self.roles(outputs) and ok

        started = time.monotonic()
        report = Report(out=None)
        kept_out = emulator.check_bucket_policies(s.export(), integrations_of(outputs), report)
        for check in report.checks:
            print(f"  {check.line()}", file=self.out)
        self.verify_passed += sum(c.ok is True for c in report.checks)
        return (
            self.step(
                "bucket policies judged from their documents in the state",
                report.ok,
                f"{kept_out} conditional statement(s) kept out of moto, which would apply them to every request",
                started,
            )
            and ok
        )

    def roles(self, outputs: dict[str, Any]) -> bool:
        """Each role's permissions exercised as Braze would use them, through a stand-in role (emulator only)."""
        s = self.s
        integrations = [it for it in integrations_of(outputs) if it.auth != "accessKey"]
        if not integrations:
            return True
        started = time.monotonic()
        stand_ins = emulator.role_stand_ins(s.url, s.region, integrations, s.deployer)
        try:
            report = Report(out=None)
            caller = boto3.Session(
                aws_access_key_id=s.deployer["AWS_ACCESS_KEY_ID"],
                aws_secret_access_key=s.deployer["AWS_SECRET_ACCESS_KEY"],
                region_name=s.region,
            )
            verifier = Verifier(
                outputs,
                endpoint_url=s.url,
                caller=caller,
                report=report,
                propagation_timeout=10,
                role_stand_ins=stand_ins,
            )
            for it in integrations:
                verifier.check_role(it)
        finally:
            emulator.remove_stand_ins(s.url, s.region, stand_ins, s.deployer)
        probes = [c for c in report.checks if c.name.startswith(ROLE_PROBE)]
        for check in probes:
            print(f"  {check.line()}", file=self.out)
        self.verify_passed += sum(c.ok is True for c in probes)
        return self.step(
            "roles exercised through stand-ins with the same policies (Braze's account cannot call moto)",
            bool(probes) and all(c.ok is not False for c in probes) and not report.leftover_probes,
            f"{sum(c.ok is True for c in probes)} ✓",
            started,
        )

    def destroy(self) -> bool:
        s = self.s
        outputs = s.outputs()
        integrations = integrations_of(outputs)
        marked = emulator.put_retained_marker(s.url, s.region, outputs, s.deployer)
        started = time.monotonic()
        done = s.pulumi("destroy", "--yes", "--stack", s.stack)
        ok = True
        if done.returncode != 0 and "protect" in (done.stdout + done.stderr):
            self.step("pulumi destroy refused: the stack protects resources", True, "as configured", started)
            started = time.monotonic()
            unprotect = s.pulumi("state", "unprotect", "--all", "--yes", "--stack", s.stack)
            ok = self.step("pulumi state unprotect --all", unprotect.returncode == 0, "", started)
            started = time.monotonic()
            done = s.pulumi("destroy", "--yes", "--stack", s.stack)
        if not self.step("pulumi destroy", done.returncode == 0, _counts(changes(done.stdout)), started):
            self.failed_output(done)
            return False

        started = time.monotonic()
        left = emulator.left_after_destroy(s.url, s.region, outputs, integrations, s.deployer)
        kept = all(left.buckets.get(name, -1) >= 1 for name in marked) and all(n >= 0 for n in left.buckets.values())
        buckets = "; ".join(
            f"{name}: {n} file(s), settings left: {', '.join(left.settings.get(name, [])) or 'none'}"
            for name, n in left.buckets.items()
        )
        ok = self.step("buckets retained with their files (retainOnDelete)", kept, buckets, started) and ok
        gone = all(v.startswith("gone") for v in left.principals.values())
        detail = "; ".join(f"{k}: {v}" for k, v in left.principals.items())
        return self.step("credentials gone (roles, users, access keys)", gone, detail, started) and ok


def run_e2e(stack: str, *, cli: Path | None = None, keep: bool = False, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    try:
        cli = cli or find_cli()
    except NoCliError as err:
        print(f"e2e: {err}", file=out)
        return 2
    began = time.monotonic()
    print(f"e2e {stack}: the real Pulumi CLI ({cli}) and {DOUBLE}", file=out, flush=True)
    with Session(stack, cli, keep=keep) as session:
        e2e = E2E(session, out)
        try:
            ok = e2e.run()
        except (RuntimeError, OSError, subprocess.SubprocessError, BotoCoreError, ClientError) as err:
            print(f"✗ {err}", file=out)
            ok = False
        if keep:
            (session.dest / "cli.log").write_text("\n".join(session.log), encoding="utf-8")
    failed = [st.name for st in e2e.steps if not st.ok]
    print(
        f"Summary: {len(e2e.steps) - len(failed)} of {len(e2e.steps)} steps passed"
        + (f" (failed: {', '.join(failed)})" if failed else "")
        + f"; verify {e2e.verify_passed} ✓; {time.monotonic() - began:.0f} s in all; moto_server stopped.\n"
        + f"Results from {DOUBLE}, not from AWS. {NOT_LIKE_AWS}",
        file=out,
    )
    return 0 if ok and not failed else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make e2e", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--stack", default="dev")
    parser.add_argument("--keep", action="store_true", help="keep the project copy, state and CLI log")
    parser.add_argument("--cli", type=Path, help="the Pulumi CLI to run (default: make pulumi's)")
    args = parser.parse_args(argv)
    if not (ROOT / f"Pulumi.{args.stack}.yaml").exists():
        print(f"e2e: no Pulumi.{args.stack}.yaml in {ROOT}", file=sys.stderr)
        return 2
    return run_e2e(args.stack, cli=args.cli, keep=args.keep)


if __name__ == "__main__":
    sys.exit(main())
