"""The pack as `build_pack` starts it for the engine, in process.

`build_pack` hands the policies to pulumi-policy's `PolicyPack`, whose constructor serves the engine
over gRPC forever: only the pack's subprocess (the slow protocol tests) ever ran it. Here the SDK's
own constructor runs unchanged up to the point where it would start its server — its checks of the
name and the policies, its servicer — and the engine's first question, GetAnalyzerInfo, is asked of
that servicer: the pack's name, provider, tags, description and every policy in order.

What the process sets for itself before serving is pinned too: the garbage collector's
generation-0 threshold is raised to 10,000 when it is lower (never enabled when it is off, never
lowered), the other two thresholds are kept, and the models it builds from then on are moved out
of the collector's reach.

Then what the served policies do with a stack (AnalyzeStack): a stack-only rule reports what one
resource already shows (nothing reports it before the step); each violation carries the rule's own
message; the accounts configured for a policy reach its stack run. And the fallback for an SDK that
does not report through the call's shared response (`request_of`, `_say_not_checked`): the note still
reaches the user, as the SDK's own not-checked exception, worded for the operation.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pulumi_policy.policy as sdk
import pytest
from braze_rules import policies, registry
from braze_rules.findings import RuleResult
from braze_rules.registry import POLICY_NAMES
from braze_rules.resources import Res
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2
from pulumi_policy.proxy import UnknownValueError

from tests.pack.builders import (
    BUCKET,
    analyzer_resource,
    as_policy_resources,
    bucket_stack,
    doc,
    export_policy_doc,
    good_stack,
    objects_statement,
    role_with_policy,
    trust,
)

MANDATORY = 1


class _WouldServeError(Exception):
    """Raised where `PolicyPack` would start its gRPC server and never return."""


class _NoServer:
    """Stands in for the `grpc` module inside pulumi_policy.policy: the server is never started."""

    @staticmethod
    def server(*_args: Any, **_kwargs: Any) -> Any:
        raise _WouldServeError


@pytest.fixture
def servicers(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """The servicers `PolicyPack` builds; the collector's thresholds and the freeze flag restored after."""
    built: list[Any] = []

    class Recorded(sdk._PolicyAnalyzerServicer):  # type: ignore[misc]
        def __init__(self, *args: Any) -> None:
            super().__init__(*args)
            built.append(self)

    monkeypatch.setattr(sdk, "_PolicyAnalyzerServicer", Recorded)
    monkeypatch.setattr(sdk, "grpc", _NoServer)
    monkeypatch.setattr(registry, "FREEZE_MODELS", False)
    thresholds = gc.get_threshold()
    try:
        yield built
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _start(servicers: list[Any], thresholds: tuple[int, int, int] = (700, 10, 10)) -> Any:
    """`build_pack` as the pack's process runs it, with the collector's thresholds as given; the engine's view."""
    gc.set_threshold(*thresholds)
    with pytest.raises(_WouldServeError):
        policies.build_pack()
    (servicer,) = servicers
    return servicer.GetAnalyzerInfo(empty_pb2.Empty(), None)


def test_the_engine_sees_the_pack_by_its_name_provider_tags_and_description(servicers: list[Any]) -> None:
    info = _start(servicers)
    assert info.name == "braze-s3" == policies.PACK_NAME
    assert info.provider == "aws"
    assert list(info.tags) == ["braze", "s3"]
    assert info.description.startswith("Braze on Amazon S3: ")


def test_the_engine_is_served_every_policy_of_the_pack_in_order(servicers: list[Any]) -> None:
    info = _start(servicers)
    assert [p.name for p in info.policies] == list(POLICY_NAMES)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ((700, 11, 12), (10_000, 11, 12)),  # CPython's default generation 0: raised, the others kept
        ((1, 11, 12), (10_000, 11, 12)),  # the lowest enabled threshold: raised
        ((0, 11, 12), (0, 11, 12)),  # automatic collection off: left off, not turned on
        ((50_000, 11, 12), (50_000, 11, 12)),  # already larger: not lowered
    ],
    ids=["default", "lowest", "disabled", "larger"],
)
def test_the_packs_process_raises_a_lower_generation_0_threshold_and_keeps_the_rest(
    servicers: list[Any], before: tuple[int, int, int], after: tuple[int, int, int]
) -> None:
    _start(servicers, before)
    assert gc.get_threshold() == after


def test_the_models_the_packs_process_builds_are_moved_out_of_the_collector(servicers: list[Any]) -> None:
    _start(servicers)
    gc.unfreeze()
    registry.model_for(as_policy_resources(good_stack().resources), {"brazeAccountIds": ["716373062512"]}, object())
    assert gc.get_freeze_count() > 0


def _served(servicers: list[Any], config: dict[str, dict[str, Any]] | None = None) -> Any:
    """The servicer `build_pack` made, configured as `pulumi policy enable --config` would."""
    _start(servicers)
    (servicer,) = servicers
    if config:
        policy_config = {
            name: analyzer_pb2.PolicyConfig(
                enforcementLevel=MANDATORY, properties=json_format.ParseDict(props, struct_pb2.Struct())
            )
            for name, props in config.items()
        }
        servicer.Configure(analyzer_pb2.ConfigureAnalyzerRequest(policyConfig=policy_config), None)
    return servicer


def _analyze_stack(servicer: Any, resources: list[Res]) -> list[Any]:
    request = analyzer_pb2.AnalyzeStackRequest(resources=[analyzer_resource(r) for r in resources])
    return list(servicer.AnalyzeStack(request, None).diagnostics)


def _found(diagnostics: list[Any], policy: str) -> list[str]:
    return [d.urn.rsplit("::", 1)[-1] for d in diagnostics if d.policyName == policy]


def test_a_stack_only_rule_reports_what_one_resource_already_shows(servicers: list[Any]) -> None:
    """braze-bucket-protected has no resource policy: the tagged, unprotected bucket shows it alone,
    and only the stack policy can say so."""
    stack = bucket_stack(protect=False, tags={"braze:bucket": "true"})
    found = _analyze_stack(_served(servicers), stack.resources)
    assert _found(found, "braze-bucket-protected") == ["data"]


def test_a_violation_carries_the_rules_message_after_the_policys_description(servicers: list[Any]) -> None:
    stack = good_stack().remove("data-pab")
    (diagnostic,) = [d for d in _analyze_stack(_served(servicers), stack.resources) if d.urn.endswith("::data")]
    assert diagnostic.policyName == "braze-bucket-not-public-linked" and diagnostic.enforcementLevel == MANDATORY
    description, message = diagnostic.message.split("\n", 1)
    assert description == diagnostic.description
    assert message.startswith('bucket "acme-braze" (resource "data") has no public access block; ')


def _role_of_another_braze_account() -> Any:
    """A role trusting Braze's EU account 111111111111 whose policy allows s3:* on the bucket's objects."""
    stack = bucket_stack(tags={"braze:bucket": "true"})
    broad = export_policy_doc(extra=[objects_statement(["s3:*"], f"arn:aws:s3:::{BUCKET}/*")])
    return role_with_policy(stack, "eu", broad, trust_doc=doc(trust("111111111111")))


def test_the_accounts_configured_for_a_stack_policy_decide_its_run(servicers: list[Any]) -> None:
    resources = _role_of_another_braze_account().resources
    assert _found(_analyze_stack(_served(servicers), resources), "braze-least-privilege") == []
    servicers.clear()
    configured = _served(servicers, {"braze-least-privilege": {"brazeAccountIds": ["111111111111"]}})
    assert _found(_analyze_stack(configured, resources), "braze-least-privilege") == ["eu-policy"]


NOTES = RuleResult(notes=["braze-bucket-tls-only: the bucket policy of x is not known until deployment."])
EXPECTED_NOTE = "checked what is known; not checked during this preview: braze-bucket-tls-only: the bucket policy"


def _reporting_elsewhere(appends: Any = None) -> tuple[Any, Any]:
    """A report_violation that closes over a call's response, as pulumi-policy's does, but writes
    there only what ``appends`` gives for the message (nothing by default)."""
    response = analyzer_pb2.AnalyzeResponse()

    def report_violation(message: str, urn: str | None = None) -> None:
        if appends is not None:
            response.diagnostics.append(analyzer_pb2.AnalyzeDiagnostic(message=appends(message), urn=urn or ""))

    return report_violation, response


@pytest.mark.parametrize(
    "appends",
    [None, lambda message: "(reworded by the SDK)"],
    ids=["writes-nothing-there", "writes-another-message-there"],
)
def test_an_sdk_that_reports_elsewhere_gets_the_note_as_its_fallback_exception(
    appends: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PULUMI_DRY_RUN", "true")
    report_violation, _ = _reporting_elsewhere(appends)
    with pytest.raises(UnknownValueError) as raised:
        policies._report(NOTES, report_violation, with_urn=True)
    assert raised.value.message.startswith(EXPECTED_NOTE)


def test_an_sdk_whose_report_violation_is_no_function_gets_the_fallback_exception(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PULUMI_DRY_RUN", "true")

    class ReportViolation:
        def __call__(self, message: str, urn: str | None = None) -> None:
            raise AssertionError("the note is not a violation")

    with pytest.raises(UnknownValueError) as raised:
        policies._report(NOTES, ReportViolation(), with_urn=True)
    assert raised.value.message.startswith(EXPECTED_NOTE)


def test_the_calls_response_is_found_past_a_closure_cell_not_yet_filled(monkeypatch: pytest.MonkeyPatch) -> None:
    """A closure cell the SDK fills only later (empty while the policy runs) is passed over, not the end
    of the search: the note becomes the advisory diagnostic of the call's response."""
    monkeypatch.setenv("PULUMI_DRY_RUN", "true")
    response = analyzer_pb2.AnalyzeResponse()

    def analyze() -> Any:
        def report_violation(message: str, urn: str | None = None) -> None:
            if message is None:  # never: it only names the hook, a cell still empty while the policy runs
                a_hook_set_later(message)
            response.diagnostics.append(analyzer_pb2.AnalyzeDiagnostic(message=message, urn=urn or ""))

        policies._report(NOTES, report_violation, with_urn=True)
        a_hook_set_later = print
        return report_violation

    assert analyze().__code__.co_freevars == ("a_hook_set_later", "response"), "the empty cell is read first"
    (note,) = response.diagnostics
    assert note.message.startswith(EXPECTED_NOTE) and note.enforcementLevel == analyzer_pb2.ADVISORY
