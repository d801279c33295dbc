"""verify-local: the stack's bucket policy, judged from its document: the emulator cannot judge it.

moto (5.2.5) applies a bucket policy to object requests only, and ignores its conditions: a conditional
Deny denies every request (seen by the real `pulumi up` into moto, `make e2e`). So only the statements
without a condition are put on the emulated bucket (`emulator.server`), and a bucket policy that denies
Braze's writes under a condition would otherwise end in "all passed". Each integration
gets one check per bucket policy, made with the pack's own reader (`braze_rules.bucket_denials`):
an unconditional Deny on `*`, or one admitting only your network, fails it. Against AWS, `verify`'s
probes meet the real bucket policy and need none of this.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from braze_s3_tools.engine.harness import ProgramRun, Secret
from braze_s3_tools.engine.stack_files import PROJECT_ROOT
from braze_s3_tools.verify.outputs import Integration
from braze_s3_tools.verify.report import Report

sys.path.insert(0, str(PROJECT_ROOT / "policypack"))  # the pack's bucket-policy reader, shared on purpose
from braze_rules import facts
from braze_rules.bucket_denials import denials
from braze_rules.model import BucketInfo
from braze_rules.resources import Res, clean

BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
PROBE = "braze-s3-verify-probe"
CHECK = "bucket policy lets Braze's requests through (read from its document: the emulator does not apply it)"


def _plain(value: Any) -> Any:
    return _plain(value.value) if isinstance(value, Secret) else value


def bucket_of(run: ProgramRun, name: str) -> BucketInfo:
    """The bucket with the stack's bucket policies as the pack reads them."""
    children = []
    for reg in run.resources:
        if reg.type != BUCKET_POLICY:
            continue
        policy = _plain(reg.inputs.get("policy"))
        props = {
            "bucket": _plain(reg.inputs.get("bucket")),
            "policy": policy if isinstance(policy, str) else json.dumps(policy),
        }
        children.append(Res(reg.urn, reg.type, reg.name, clean(props)))
    return BucketInfo(f"name:{name}", name, None, children)


def wanted(integration: Integration) -> list[tuple[str, str | None]]:
    """The requests Braze makes for this integration: (action, object key or None for the bucket)."""
    found: list[tuple[str, str | None]] = [(a, None) for a in facts.BUCKET_ACTIONS]
    if integration.integration == facts.DASHBOARD_EXPORT:
        return found + [(a, PROBE) for a in facts.DASHBOARD_EXPORT_OBJECT_ACTIONS]
    key = f"{integration.folder.strip('/')}/{PROBE}" if integration.folder else PROBE
    return found + [(a, key) for a in facts.CURRENTS_OBJECT_ACTIONS]


def check_bucket_policies(run: ProgramRun, integrations: list[Integration], report: Report) -> None:
    for integration in integrations:
        bucket = bucket_of(run, integration.bucket)
        if not bucket.children:
            report.add(integration.subject, CHECK, True, "the stack sets no bucket policy")
            continue
        found = {
            (d.res.name, d.why): action for action, key in wanted(integration) for d in denials(bucket, action, key)
        }
        reason = "; ".join(f'"{name}" {why} (denies {action})' for (name, why), action in found.items())
        report.add(integration.subject, CHECK, not found, reason)
