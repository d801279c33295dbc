"""Another team's hand-written program (examples/handwritten), run under the mock engine and the pack.

Its documents are built from `bucket.arn`, so at preview they are unknown as a whole: the pack
must link them by dependency, say what it could not check, and still catch what is known.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from braze_s3_tools.engine.harness import run_program
from braze_s3_tools.engine.policy_run import PackProcess
from braze_s3_tools.engine.stack_files import PROJECT_ROOT, load_stack_config

pytestmark = pytest.mark.slow
ROOT = PROJECT_ROOT / "examples" / "handwritten"


@pytest.fixture(scope="module")
def pack() -> Iterator[PackProcess]:
    with PackProcess(stack=load_stack_config("dev", ROOT)) as process:
        process.configure(process.info(), {})
        yield process


def diagnostics(pack: PackProcess, preview: bool, **mistakes: bool) -> list[tuple[str, str, str]]:
    overrides = {f"handwritten:{k}": v for k, v in mistakes.items()}
    run = run_program("dev", root=ROOT, preview=preview, overrides=overrides)
    assert run.error is None, run.error
    # As the engine calls the pack: Analyze for each resource before its step, then AnalyzeStack.
    return sorted((d.policy, d.level, d.resource) for d in pack.analyze_as_engine(run.resources))


def test_preview_with_unknown_arns_has_no_mandatory_violation_and_says_what_it_could_not_check(
    pack: PackProcess,
) -> None:
    found = diagnostics(pack, preview=True)
    assert not [d for d in found if d[1] == "mandatory"], found
    assert ("braze-bucket-protected", "advisory", "events") in found
    notes = [
        d
        for d in pack.analyze_stack(run_program("dev", root=ROOT).resources)
        if "checked what is known; not checked" in d.message
    ]
    assert {d.policy for d in notes} >= {"braze-required-permissions", "braze-bucket-tls-only"}


def test_after_deployment_every_document_is_known_and_checked(pack: PackProcess) -> None:
    found = diagnostics(pack, preview=False)
    assert not [d for d in found if d[1] == "mandatory"], found
    run = run_program("dev", root=ROOT, preview=False)
    assert not [d for d in pack.analyze_stack(run.resources) if "not checked" in d.message]


@pytest.mark.parametrize("preview", [True, False], ids=["preview", "up"])
@pytest.mark.parametrize(
    ("mistake", "rule", "resource"),
    [
        # The bucket has no tags: only the whole stack (a Braze policy grants on it) shows it is Braze's.
        ("objectLock", "braze-no-object-lock-linked", "events"),
        # The role's trust names Braze's account: Analyze stops it before the step.
        ("noExternalId", "braze-role-requires-external-id", "braze-currents"),
    ],
)
def test_each_planted_mistake_is_caught_at_preview_and_after(
    pack: PackProcess, preview: bool, mistake: str, rule: str, resource: str
) -> None:
    mandatory = [d for d in diagnostics(pack, preview, **{mistake: True}) if d[1] == "mandatory"]
    assert mandatory == [(rule, "mandatory", resource)]


def test_a_kms_key_no_policy_grants_is_caught_once_the_policies_are_known(pack: PackProcess) -> None:
    """At preview the role's policies are unknown as a whole (built from `bucket.arn`): they could grant the
    key's actions, so the pack says it could not check; after deployment they are read and the key fails."""
    preview = run_program("dev", root=ROOT, preview=True, overrides={"handwritten:kms": True})
    found = pack.analyze_as_engine(preview.resources)
    assert not [d for d in found if d.level == "mandatory"], found
    assert any(d.policy.startswith("braze-no-sse-kms") and "was not checked" in d.message for d in found)
    mandatory = [d for d in diagnostics(pack, False, kms=True) if d[1] == "mandatory"]
    assert mandatory == [("braze-no-sse-kms-linked", "mandatory", "events-sse")]
