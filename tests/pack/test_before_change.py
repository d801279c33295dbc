"""Mistakes one resource shows are stopped by `Analyze`, before the engine runs that resource's step.

Under `pulumi up --skip-preview`, the Automation API and pulumi/actions `command: up`, stack
policies run only after every step (pulumi/pulumi `AnalyzeResources` in
pkg/resource/deploy/step_generator.go); `Analyze` runs before each step and a mandatory finding
marks the resource invalid (`analyzeResource` in pkg/resource/deploy/analyze_snapshot.go). These
tests call `Analyze` alone, as the engine does at that point, with PULUMI_DRY_RUN false (an update).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from braze_s3_tools.engine.harness import ProgramRun, Registration
from braze_s3_tools.engine.policy_run import PackProcess
from braze_s3_tools.engine.stack_files import load_stack_config
from tests.pack.mutations import edit_document, with_inputs

pytestmark = pytest.mark.slow

BUCKET = "aws:s3/bucket:Bucket"
ROLE = "aws:iam/role:Role"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"


@pytest.fixture(scope="module", params=[True, False], ids=["preview", "up-skip-preview"])
def pack(request: pytest.FixtureRequest) -> Iterator[PackProcess]:
    with PackProcess(stack=load_stack_config("dev"), dry_run=request.param) as process:
        process.configure(process.info(), {})
        yield process


def _demands_kms_header(run: ProgramRun) -> Registration:
    """A bucket-policy Deny of writes without the aws:kms header: dashboard export sends none."""

    def add(doc: dict[str, Any]) -> None:
        doc["Statement"].append(
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:PutObject",
                "Resource": "arn:aws:s3:::acme-braze-dev/*",
                "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}},
            }
        )

    resources = edit_document(run, BUCKET_POLICY, "braze-bucket-tls-only", add)
    return next(r for r in resources if r.type == BUCKET_POLICY)


def _trust_without_external_id(run: ProgramRun) -> Registration:
    def drop(doc: dict[str, Any]) -> None:
        for statement in doc["Statement"]:
            statement.pop("Condition", None)

    resources = edit_document(run, ROLE, "currents-main-role", drop, key="assumeRolePolicy")
    return next(r for r in resources if r.type == ROLE and r.name == "currents-main-role")


# (id, the one resource as a hand edit would make it, the rule that must stop it)
MISTAKES: list[tuple[str, Callable[[ProgramRun], Registration], str]] = [
    (
        "object-lock",
        lambda run: with_inputs(run.get(BUCKET, "braze-bucket"), objectLockEnabled=True),
        "braze-no-object-lock",
    ),
    (
        "object-lock-v6-inline",
        lambda run: with_inputs(
            run.get(BUCKET, "braze-bucket"), objectLockConfiguration={"objectLockEnabled": "Enabled"}
        ),
        "braze-no-object-lock",
    ),
    (
        "public-acl",
        lambda run: with_inputs(run.get(BUCKET, "braze-bucket"), acl="public-read"),
        "braze-bucket-not-public",
    ),
    (
        "public-access-block-off",
        lambda run: with_inputs(run.get(PAB, "braze-bucket-public-access"), restrictPublicBuckets=False),
        "braze-bucket-not-public",
    ),
    ("bucket-policy-demands-kms-header", _demands_kms_header, "braze-no-sse-kms"),
    (
        "public-acl-grant",
        lambda run: with_inputs(
            run.get(BUCKET, "braze-bucket"),
            grants=[
                {"type": "Group", "uri": "http://acs.amazonaws.com/groups/global/AllUsers", "permissions": ["READ"]}
            ],
        ),
        "braze-bucket-not-public",
    ),
    ("trust-without-external-id", _trust_without_external_id, "braze-role-requires-external-id"),
]


@pytest.mark.parametrize(("make", "rule"), [m[1:] for m in MISTAKES], ids=[m[0] for m in MISTAKES])
def test_analyze_alone_stops_the_resource_before_its_step(
    pack: PackProcess, dev_preview: ProgramRun, make: Callable[[ProgramRun], Registration], rule: str
) -> None:
    resource = make(dev_preview)
    found = [(d.policy, d.level, d.urn) for d in pack.analyze(resource)]
    assert found == [(rule, "mandatory", resource.urn)], f"{resource.name}: Analyze must stop it before the step"


@pytest.mark.parametrize(("make", "rule"), [m[1:] for m in MISTAKES], ids=[m[0] for m in MISTAKES])
def test_each_finding_is_reported_once_across_analyze_and_analyze_stack(
    pack: PackProcess, dev_preview: ProgramRun, make: Callable[[ProgramRun], Registration], rule: str
) -> None:
    edited = make(dev_preview)
    resources = [edited if r.urn == edited.urn else r for r in dev_preview.resources]
    mandatory = [(d.policy, d.resource) for d in pack.analyze_as_engine(resources) if d.level == "mandatory"]
    assert mandatory == [(rule, edited.name)], "the stack half must not repeat what Analyze reported"


def test_the_program_as_written_passes_analyze(pack: PackProcess, dev_preview: ProgramRun) -> None:
    for resource in dev_preview.custom_resources:
        assert pack.analyze(resource) == [], resource.name


def _top_level(reg: Registration, **inputs: Any) -> Registration:
    """The same resource in another team's program: no component parent, no braze tags."""
    copy = with_inputs(reg, **inputs)
    copy.urn = f"urn:pulumi:dev::other::{reg.type}::other-{reg.name}"
    copy.parent = ""
    return copy


def test_a_hand_written_role_that_trusts_braze_is_stopped_without_any_tag(
    pack: PackProcess, dev_preview: ProgramRun
) -> None:
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::716373062512:root"}, "Action": "sts:AssumeRole"}
        ],
    }
    role = _top_level(dev_preview.get(ROLE, "currents-main-role"), tags=None, assumeRolePolicy=json.dumps(trust))
    assert [d.policy for d in pack.analyze(role)] == ["braze-role-requires-external-id"]


def test_unrelated_resources_are_left_alone(pack: PackProcess, dev_preview: ProgramRun) -> None:
    """Object Lock, KMS and a public ACL are fine on a bucket that is not Braze's."""
    bucket = _top_level(
        dev_preview.get(BUCKET, "braze-bucket"), tags={"team": "data"}, objectLockEnabled=True, acl="public-read"
    )
    assert pack.analyze(bucket) == []
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999999999999:root"}, "Action": "sts:AssumeRole"}
        ],
    }
    role = _top_level(dev_preview.get(ROLE, "currents-main-role"), tags=None, assumeRolePolicy=json.dumps(trust))
    assert pack.analyze(role) == []
