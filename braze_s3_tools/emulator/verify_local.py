"""`make verify-local`: the credential check against a local S3/IAM emulator, no AWS account.

Starts moto on a free loopback port, creates there what the stack describes (from the
mock engine's resource graph, with the program's exact policy documents), switches IAM
enforcement on, runs `verify` with each integration's own credentials, prints the checks,
and stops the emulator it started — nothing else.

    python -m braze_s3_tools.emulator.verify_local [--stack dev] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

import boto3

from braze_s3_tools.emulator.bucket_policy import check_bucket_policies
from braze_s3_tools.emulator.server import MotoServer, provision
from braze_s3_tools.engine.harness import ProgramRun, run_program
from braze_s3_tools.verify.command import EXIT_FAILED, EXIT_INPUT, EXIT_OK, Report, Verifier
from braze_s3_tools.verify.outputs import integrations_of

NOT_LIKE_AWS = (
    "Not checked by the emulator (moto is not AWS): bucket policies (moto ignores them; each was read from its "
    "document instead, one check per connector), KMS key use, conditions other than StringEquals sts:ExternalId, "
    "Braze's cross-account assume-role (a stand-in role with the same permission policies, trusting the emulator's "
    "admin user, was assumed instead), and the IAM policy simulator."
)


def main(argv: list[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    parser = argparse.ArgumentParser(prog="make verify-local", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--stack", default="dev")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    run = run_program(args.stack, preview=False)
    if run.error is not None:
        print(run.error, file=sys.stderr)
        return EXIT_INPUT
    return verify_run(run, args.stack, args.json, out)


def verify_run(run: ProgramRun, stack: str, as_json: bool, out: TextIO) -> int:
    """Provision ``run`` in a fresh emulator, verify it with each integration's credentials, report."""
    region = str(run.outputs.get("region") or "us-east-1")
    with MotoServer() as moto:
        if not as_json:
            print(f"moto_server started on {moto.url} (pid {moto.pid}); creating the {stack} stack there", file=out)
        provisioned = provision(run, moto.url, region)
        moto.enforce_iam()
        caller = boto3.Session(region_name=region, **provisioned.admin)
        report = Report(out=None if as_json else out)
        Verifier(
            provisioned.outputs,
            endpoint_url=moto.url,
            caller=caller,
            report=report,
            propagation_timeout=5,
            role_stand_ins=provisioned.role_stand_ins,
        ).run()
        check_bucket_policies(run, integrations_of(provisioned.outputs), report)
    if as_json:
        print(json.dumps({**report.as_json(), "notChecked": NOT_LIKE_AWS}, indent=2), file=out)
    else:
        print(f"Summary: {report.summary()}\n{NOT_LIKE_AWS}\nmoto_server stopped.", file=out)
    return EXIT_OK if report.ok else EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
