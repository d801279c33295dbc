"""The pack over the program: clean stacks, and each mistake caught by exactly its rule."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from braze_s3_tools.engine.harness import ProgramRun, Registration, run_program
from braze_s3_tools.engine.policy_run import PackProcess, analyzer_levels
from braze_s3_tools.engine.stack_files import load_stack_config
from tests.pack.mutations import edit_document, new_resource, replace, with_inputs

pytestmark = pytest.mark.slow

POLICY = "aws:iam/policy:Policy"
ROLE = "aws:iam/role:Role"


@pytest.fixture(scope="module")
def pack() -> Iterator[PackProcess]:
    with PackProcess(stack=load_stack_config("dev")) as process:
        process.configure(process.info(), {})
        yield process


def mandatory(pack: PackProcess, resources: list[Registration]) -> set[tuple[str, str]]:
    return {(d.policy, d.resource) for d in pack.analyze_as_engine(resources) if d.level == "mandatory"}


@pytest.mark.parametrize("stack", ["dev", "prod", "existing"])
def test_program_stacks_have_no_mandatory_violation(pack: PackProcess, stack: str) -> None:
    run = run_program(stack)
    assert mandatory(pack, run.resources) == set()


def _object_lock(run: ProgramRun) -> list[Registration]:
    return replace(run, "aws:s3/bucket:Bucket", "braze-bucket", objectLockEnabled=True)


def _nested_folder(run: ProgramRun) -> list[Registration]:
    def into_currents(doc: dict[str, Any]) -> None:
        doc["Statement"][1]["Resource"] = "arn:aws:s3:::acme-braze-dev/currents/marketing/*"

    tags = {**run.get(POLICY, "currents-marketing-policy").inputs["tags"], "braze:folder-path": "currents/marketing"}
    return edit_document(run, POLICY, "currents-marketing-policy", into_currents, tags=tags)


def _shared_policy(run: ProgramRun) -> list[Registration]:
    attachment = run.get("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "dashboard-export-attachment")
    role = run.get(ROLE, "currents-main-role")
    shared = copy.deepcopy(attachment)
    shared.urn = attachment.urn.replace("dashboard-export-attachment", "shared-attachment")
    shared.name = "shared-attachment"
    shared.property_dependencies = {**attachment.property_dependencies, "role": [role.urn]}
    return [*run.resources, shared]


def _no_external_id(run: ProgramRun) -> list[Registration]:
    def drop_condition(doc: dict[str, Any]) -> None:
        del doc["Statement"][0]["Condition"]

    return edit_document(run, ROLE, "currents-main-role", drop_condition, key="assumeRolePolicy")


def _seed_export_policy(run: ProgramRun) -> list[Registration]:
    """Braze's published access-key policy for dashboard export, bucket name filled in."""
    seed = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["s3:ListBucket", "s3:GetBucketLocation"],
                "Resource": ["arn:aws:s3:::acme-braze-dev"],
            },
            {
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                "Resource": [
                    "arn:aws:s3:::acme-braze-dev*",
                    "arn:aws:s3:::acme-braze-dev/",
                    "arn:aws:s3:::acme-braze-dev",
                ],
            },
        ],
    }
    return replace(run, POLICY, "dashboard-export-policy", policy=json.dumps(seed))


KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def _kms(run: ProgramRun) -> list[Registration]:
    """A customer managed key (default key policy: delegates to the account) the Braze roles get no grant on."""
    rules = [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": KEY_ARN}}]
    key = new_resource(run, "aws:kms/key:Key", "data-key", {"arn": KEY_ARN, "description": "data"})
    return [
        *replace(
            run,
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            "braze-bucket-encryption",
            rules=rules,
        ),
        key,
    ]


def _public(run: ProgramRun) -> list[Registration]:
    return replace(
        run,
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "braze-bucket-public-access",
        blockPublicPolicy=False,
    )


def _no_get_object(run: ProgramRun) -> list[Registration]:
    def put_only(doc: dict[str, Any]) -> None:
        doc["Statement"][1]["Action"] = ["s3:PutObject"]

    return edit_document(run, POLICY, "currents-main-policy", put_only)


MUTATIONS: list[tuple[str, Callable[[ProgramRun], list[Registration]], set[tuple[str, str]]]] = [
    ("object-lock", _object_lock, {("braze-no-object-lock", "braze-bucket")}),
    ("nested-folder", _nested_folder, {("braze-distinct-folder-paths", "currents-marketing-policy")}),
    (
        "shared-policy",
        _shared_policy,
        {
            ("braze-separate-integration-policies", "dashboard-export-policy"),
            ("braze-separate-integration-policies", "currents-main-role"),
        },
    ),
    ("trust-without-external-id", _no_external_id, {("braze-role-requires-external-id", "currents-main-role")}),
    ("seed-bucket-star-policy", _seed_export_policy, {("braze-no-bucket-name-wildcards", "dashboard-export-policy")}),
    ("kms-key-braze-cannot-use", _kms, {("braze-no-sse-kms-linked", "braze-bucket-encryption")}),
    ("public-bucket", _public, {("braze-bucket-not-public", "braze-bucket-public-access")}),
    ("missing-get-object", _no_get_object, {("braze-required-permissions", "currents-main-role")}),
]


@pytest.mark.parametrize(("mutate", "expected"), [m[1:] for m in MUTATIONS], ids=[m[0] for m in MUTATIONS])
def test_each_mistake_fires_exactly_its_rule(
    pack: PackProcess,
    dev_preview: ProgramRun,
    mutate: Callable[[ProgramRun], list[Registration]],
    expected: set[tuple[str, str]],
) -> None:
    assert mandatory(pack, mutate(dev_preview)) == expected


def _foreign(reg: Registration, **inputs: Any) -> Registration:
    """A resource of another team's program: top-level, untagged, its own URN."""
    copy_ = with_inputs(reg, **inputs)
    copy_.urn = f"urn:pulumi:dev::braze-s3::pulumi:pulumi:Stack${reg.type}::other-{reg.name}"
    copy_.name = f"other-{reg.name}"
    copy_.parent = ""
    copy_.property_dependencies = {}
    copy_.dependencies = []
    return copy_


def test_unrelated_resources_beside_the_program_fire_nothing(pack: PackProcess, dev_preview: ProgramRun) -> None:
    bucket = dev_preview.get("aws:s3/bucket:Bucket", "braze-bucket")
    role = dev_preview.get(ROLE, "currents-main-role")
    vendor_trust = (
        '{"Statement": {"Effect": "Allow", "Principal": {"AWS": "999999999999"}, "Action": "sts:AssumeRole"}}'
    )
    extra = [
        _foreign(bucket, bucket="data-lake", tags={"team": "data"}, objectLockEnabled=True, forceDestroy=True),
        _foreign(role, assumeRolePolicy=vendor_trust, tags={"team": "data"}),
    ]
    before = {(d.policy, d.resource, d.level) for d in pack.analyze_stack(dev_preview.resources)}
    after = {(d.policy, d.resource, d.level) for d in pack.analyze_stack([*dev_preview.resources, *extra])}
    assert after == before


def test_analyzer_levels_helper_matches_rules() -> None:
    levels: dict[str, Any] = analyzer_levels()
    assert levels["braze-no-object-lock"] == "mandatory"
