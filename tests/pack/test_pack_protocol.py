"""The pack as the engine runs it: a subprocess, spoken to over gRPC."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from braze_rules.registry import POLICY_NAMES
from google.protobuf import json_format

from braze_s3_tools.engine.harness import ProgramRun, Registration
from braze_s3_tools.engine.policy_run import PackProcess, run_pack
from braze_s3_tools.engine.stack_files import load_stack_config
from tests.pack.mutations import replace, with_inputs

pytestmark = pytest.mark.slow

# The pack's public interface: names and default levels. Changing it is a visible diff here.
# `-linked`: the stack half of a rule whose resource half runs before each step.
MANIFEST = {
    "braze-no-object-lock": "mandatory",
    "braze-no-object-lock-linked": "mandatory",
    "braze-distinct-folder-paths": "mandatory",
    "braze-separate-integration-policies": "mandatory",
    "braze-role-requires-external-id": "mandatory",
    "braze-role-requires-external-id-linked": "mandatory",
    "braze-no-bucket-name-wildcards": "mandatory",
    "braze-required-permissions": "mandatory",
    "braze-least-privilege": "advisory",
    "braze-no-bucket-control": "mandatory",
    "braze-no-sse-kms": "mandatory",
    "braze-no-sse-kms-linked": "mandatory",
    "braze-bucket-not-public": "mandatory",
    "braze-bucket-not-public-linked": "mandatory",
    "braze-bucket-tls-only": "advisory",
    "braze-bucket-protected": "advisory",
    "braze-prefer-role-auth": "advisory",
}


@pytest.fixture(scope="module")
def pack() -> Iterator[PackProcess]:
    with PackProcess(stack=load_stack_config("dev")) as process:
        yield process


def test_analyzer_info_lists_every_rule_with_its_default_level_and_config_schema(pack: PackProcess) -> None:
    info = pack.info()
    levels = {0: "advisory", 1: "mandatory"}
    assert {p.name: levels[p.enforcementLevel] for p in info.policies} == MANIFEST
    assert [p.name for p in info.policies] == list(POLICY_NAMES)
    assert [p.name for p in info.policies if p.name in MANIFEST] == list(MANIFEST), "the order is part of the manifest"
    for policy in info.policies:
        schema = json_format.MessageToDict(policy.configSchema.properties)
        assert schema["brazeAccountIds"]["items"]["pattern"] == "^[0-9]{12}$", policy.name
        assert policy.remediation_steps and policy.description.endswith("."), policy.name
    assert pack.plugin_version()


def test_analyze_per_resource_has_nothing_to_say_and_stack_analysis_reports(
    pack: PackProcess, dev_preview: ProgramRun
) -> None:
    pack.configure(pack.info(), {})
    for resource in dev_preview.custom_resources:
        assert pack.analyze(resource) == []
    found = {(d.policy, d.level, d.resource) for d in pack.analyze_stack(dev_preview.resources)}
    assert found == {
        ("braze-bucket-protected", "advisory", "braze-bucket"),
        ("braze-prefer-role-auth", "advisory", "currents-marketing-user"),
    }


def test_configure_sets_levels_and_account_ids_as_pulumi_policy_enable_does(
    pack: PackProcess, dev_preview: ProgramRun
) -> None:
    levels = pack.configure(
        pack.info(), {"all": "mandatory", "braze-prefer-role-auth": {"enforcementLevel": "disabled"}}
    )
    assert levels["braze-bucket-protected"] == "mandatory" and levels["braze-prefer-role-auth"] == "disabled"
    found = {(d.policy, d.level) for d in pack.analyze_stack(dev_preview.resources)}
    assert found == {("braze-bucket-protected", "mandatory")}
    # With another Braze account configured, the program's roles trust an unknown account.
    pack.configure(pack.info(), {"braze-role-requires-external-id": {"brazeAccountIds": ["123456789012"]}})
    diagnostics = [
        d for d in pack.analyze_as_engine(dev_preview.resources) if d.policy == "braze-role-requires-external-id"
    ]
    assert {d.resource for d in diagnostics} == {"currents-main-role", "dashboard-export-role"}


def test_unknown_document_at_preview_gives_an_advisory_note_and_keeps_known_violations(dev_preview: ProgramRun) -> None:
    unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
    resources = replace(dev_preview, "aws:iam/policy:Policy", "currents-main-policy", policy=unknown)
    resources = [r for r in resources]
    bucket = next(r for r in resources if r.type == "aws:s3/bucket:Bucket")
    from tests.pack.mutations import with_inputs

    resources = [with_inputs(r, objectLockEnabled=True) if r is bucket else r for r in resources]
    verdict = run_pack(resources, load_stack_config("dev"))
    mandatory = {(d.policy, d.resource) for d in verdict.diagnostics if d.level == "mandatory"}
    assert mandatory == {("braze-no-object-lock", "braze-bucket")}
    notes = [d for d in verdict.diagnostics if "checked what is known; not checked" in d.message]
    assert notes and all(d.level == "advisory" for d in notes)


KMS_KEY_OUTSIDE = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def _with_unreadable_key(run: ProgramRun) -> list[Registration]:
    """The program's bucket encrypted by default with a customer key outside the stack: a note that has
    nothing to do with preview (the key policy is not readable here), in every mode."""
    sse = next(r for r in run.resources if r.type.startswith("aws:s3/bucketServerSideEncryptionConfiguration"))
    rules = [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": KMS_KEY_OUTSIDE}}]
    return replace(run, sse.type, sse.name, rules=rules)


@pytest.mark.parametrize("preview", [True, False], ids=["preview", "up"])
def test_not_checked_notes_say_preview_only_in_a_preview_over_the_real_protocol(
    preview: bool, dev_preview: ProgramRun, dev_up: ProgramRun
) -> None:
    """The engine starts the pack once per operation with PULUMI_DRY_RUN set to its mode; the SDK's own
    unknown-value channel says "during preview" in every mode, so the pack words its notes itself."""
    run = dev_preview if preview else dev_up
    unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
    resources = _with_unreadable_key(run)
    resources = [
        with_inputs(r, policy=unknown) if (r.type, r.name) == ("aws:iam/policy:Policy", "currents-main-policy") else r
        for r in resources
    ]
    with PackProcess(stack=load_stack_config("dev"), dry_run=preview) as process:
        process.configure(process.info(), {})
        found = process.analyze_as_engine(resources)  # Analyze per resource, then AnalyzeStack
    notes = [d for d in found if "checked what is known" in d.message]
    assert {d.policy for d in notes} >= {"braze-no-sse-kms-linked", "braze-required-permissions"}, found
    assert all(d.level == "advisory" for d in notes), notes
    kms_note = next(d for d in notes if d.policy == "braze-no-sse-kms-linked")
    assert "outside this stack, not read" in kms_note.message
    if preview:
        assert all("not checked during this preview" in d.message for d in notes)
    else:
        assert all("not checked in this update" in d.message for d in notes)
        assert not [d.message for d in found if "preview" in d.message]
    assert not [d for d in found if d.level == "mandatory"], "a note blocks nothing"


def test_violation_messages_never_contain_a_secret(dev_up: ProgramRun) -> None:
    secret = dev_up.outputs["secretAccessKey-currents-marketing-2026-11"].value
    verdict = run_pack(dev_up.resources, load_stack_config("dev"))
    assert verdict.diagnostics
    assert all(secret not in d.message for d in verdict.diagnostics)


def test_all_sets_every_level_and_a_policy_entry_overrides_it_as_the_cli_applies_them() -> None:
    """`applyConfig` (pulumi/pulumi pkg/resource/analyzer/config.go): `all` first, then each policy;
    a policy's object entry without a level keeps `all`'s level and merges its properties over the defaults."""
    from braze_s3_tools.engine.policy_run import PackProcess, reconcile_policy_config

    with PackProcess() as pack:
        info = pack.info()
    config = {
        "all": "advisory",
        "braze-no-object-lock": {"brazeAccountIds": ["123456789012"]},
        "braze-role-requires-external-id": "mandatory",
    }
    reconciled = reconcile_policy_config(info, config)
    assert reconciled["braze-no-object-lock"] == ("advisory", {"brazeAccountIds": ["123456789012"]})
    assert reconciled["braze-role-requires-external-id"][0] == "mandatory"
    assert reconciled["braze-role-requires-external-id"][1] == {"brazeAccountIds": ["716373062512"]}, (
        "schema default filled in"
    )
    assert {level for name, (level, _) in reconciled.items() if name != "braze-role-requires-external-id"} == {
        "advisory"
    }
