"""The pack's policies inside pulumi-policy's own servicer, in process.

`test_pack_protocol.py` speaks to the pack's subprocess over gRPC, as the engine does; these call
the same SDK servicer (`_PolicyAnalyzerServicer`, what `PolicyPack` serves) directly, so every
adapter decision — names, levels, config, what becomes a violation and what an advisory note — is
also pinned by a fast test.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from braze_rules import facts, policies
from braze_rules.registry import POLICY_NAMES, RULES
from braze_rules.resources import UNKNOWN, Res
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2
from pulumi_policy import EnforcementLevel
from pulumi_policy.policy import _PolicyAnalyzerServicer

from tests.pack.builders import T_BUCKET, T_ROLE, analyzer_resource, doc, good_stack, res, trust

MANDATORY, ADVISORY = 1, 0


def _servicer() -> Any:
    return _PolicyAnalyzerServicer(
        policies.PACK_NAME,
        "0.0.1",
        policies.policies(),
        EnforcementLevel.ADVISORY,
        None,
        None,
        None,
        None,
        "aws",
        None,
        None,
    )


def _analyze(servicer: Any, r: Res) -> list[analyzer_pb2.AnalyzeDiagnostic]:
    a = analyzer_resource(r)
    request = analyzer_pb2.AnalyzeRequest(
        type=a.type, properties=a.properties, urn=a.urn, name=a.name, options=a.options
    )
    return list(servicer.Analyze(request, None).diagnostics)


def _analyze_stack(servicer: Any, resources: list[Res]) -> list[analyzer_pb2.AnalyzeDiagnostic]:
    request = analyzer_pb2.AnalyzeStackRequest(resources=[analyzer_resource(r) for r in resources])
    return list(servicer.AnalyzeStack(request, None).diagnostics)


def _configure(servicer: Any, config: dict[str, dict[str, Any]]) -> None:
    request = analyzer_pb2.ConfigureAnalyzerRequest(
        policyConfig={
            name: analyzer_pb2.PolicyConfig(
                enforcementLevel=MANDATORY, properties=json_format.ParseDict(props, struct_pb2.Struct())
            )
            for name, props in config.items()
        }
    )
    servicer.Configure(request, None)


def test_every_rule_is_served_in_order_with_its_level_metadata_and_config_schema() -> None:
    info = _servicer().GetAnalyzerInfo(empty_pb2.Empty(), None)
    assert [p.name for p in info.policies] == list(POLICY_NAMES)
    by_name = {p.name: p for p in info.policies}
    for rule in RULES:
        for name in rule.policy_names:
            served = by_name[name]
            assert served.enforcementLevel == (MANDATORY if rule.enforcement == "mandatory" else ADVISORY), name
            assert served.remediation_steps == rule.remediation and served.url == facts.DOCS_URL, name
            assert list(served.tags) == ["braze", "s3", "iam"], name
            assert served.severity == {"low": 1, "medium": 2, "high": 3, "critical": 4}[rule.severity], name
            schema = json_format.MessageToDict(served.configSchema.properties)["brazeAccountIds"]
            assert schema["default"] == list(facts.DEFAULT_BRAZE_ACCOUNT_IDS), name
        if rule.per_resource:
            assert by_name[rule.name].description == rule.description
            assert by_name[rule.linked_name].description.startswith(rule.description[:-1] + ": what only the whole")
        else:
            assert by_name[rule.name].description == rule.description
    assert info.name == "braze-s3"


def test_a_stack_violation_points_at_its_resource_and_a_resource_violation_at_the_step() -> None:
    servicer = _servicer()
    stack = good_stack()
    data = stack.find("data")
    locked = res(
        T_BUCKET, "data", {**data.props, "objectLockEnabled": True, "tags": {"braze:bucket": "true"}}, protect=True
    )
    stack.replace("data", locked)
    alone = _analyze(servicer, locked)  # no URN: the engine ties an Analyze diagnostic to the step's resource
    assert [(d.policyName, d.enforcementLevel, d.urn) for d in alone] == [("braze-no-object-lock", MANDATORY, "")]
    stack.resources.append(res(T_ROLE, "bare", {"assumeRolePolicy": doc(trust(external_ids=None))}))
    stack.remove("data-pab")  # a missing block: only the stack shows it
    found = {(d.policyName, d.urn.rsplit("::", 1)[-1]) for d in _analyze_stack(servicer, stack.resources)}
    assert ("braze-no-object-lock-linked", "data") not in found, "said once, before the step"
    assert ("braze-role-requires-external-id-linked", "bare") not in found
    assert ("braze-bucket-not-public-linked", "data") in found


@pytest.mark.parametrize(
    ("dry_run", "wording"),
    [("true", "not checked during this preview: "), ("false", "not checked in this update: "), (None, "not checked: ")],
)
def test_what_could_not_be_checked_is_one_advisory_note_per_policy_beside_its_violations(
    dry_run: str | None, wording: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The engine sets PULUMI_DRY_RUN for the pack's process: "preview" only in a preview (the SDK's
    UnknownValueError would say "during preview" under `pulumi up` too); unset, the mode is not said."""
    if dry_run is None:
        monkeypatch.delenv("PULUMI_DRY_RUN", raising=False)
    else:
        monkeypatch.setenv("PULUMI_DRY_RUN", dry_run)
    servicer = _servicer()
    stack = good_stack()
    stack.replace("data-tls", res(stack.find("data-tls").type, "data-tls", {"bucket": "acme-braze", "policy": UNKNOWN}))
    notes = [d for d in _analyze_stack(servicer, stack.resources) if d.policyName == "braze-bucket-tls-only"]
    assert len(notes) == 1 and notes[0].enforcementLevel == ADVISORY
    assert wording in notes[0].message and "bucket policy of bucket" in notes[0].message
    assert ("preview" in notes[0].message) is (dry_run == "true")
    assert notes[0].policyPackName == "braze-s3" and notes[0].urn == ""


def test_a_note_beside_a_violation_keeps_the_violation_mandatory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PULUMI_DRY_RUN", "false")
    servicer = _servicer()
    stack = good_stack()
    stack.resources.append(res(T_ROLE, "bare", {"assumeRolePolicy": doc(trust(external_ids=None))}))
    stack.replace("data-tls", res(stack.find("data-tls").type, "data-tls", {"bucket": "acme-braze", "policy": UNKNOWN}))
    found = _analyze_stack(servicer, stack.resources)
    levels = {(d.policyName, d.enforcementLevel, "not checked" in d.message) for d in found}
    assert ("braze-role-requires-external-id-linked", MANDATORY, False) not in levels  # said by the resource half
    assert ("braze-bucket-tls-only", ADVISORY, True) in levels
    alone = _analyze(servicer, stack.find("bare"))
    assert [(d.policyName, d.enforcementLevel) for d in alone] == [("braze-role-requires-external-id", MANDATORY)]


def test_an_sdk_without_the_shared_response_gets_the_fallback_exception(monkeypatch: pytest.MonkeyPatch) -> None:
    """`request_of` finds nothing: the SDK's own UnknownValueError carries the note (its prefix says
    "during preview", so outside one the note says it is not one)."""
    from pulumi_policy.proxy import UnknownValueError

    monkeypatch.setattr(policies, "request_of", lambda _report: None)
    for mode, expected in (("true", "not checked during this preview: a"), ("false", "(not a preview")):
        monkeypatch.setenv("PULUMI_DRY_RUN", mode)
        with pytest.raises(UnknownValueError) as raised:
            policies._say_not_checked(["a"], lambda message, urn=None: None)
        assert raised.value.message.startswith(expected) or expected in raised.value.message


def test_configured_braze_accounts_reach_every_policy_that_is_given_them() -> None:
    """Pack config is per policy (`pulumi policy enable --config`): a role trusting another Braze
    account without an external id fails only where that account is configured."""
    servicer = _servicer()
    role = res(T_ROLE, "eu", {"assumeRolePolicy": doc(trust("111111111111", None))})
    assert _analyze(servicer, role) == []
    _configure(servicer, {"braze-role-requires-external-id": {"brazeAccountIds": ["111111111111"]}})
    assert [d.policyName for d in _analyze(servicer, role)] == ["braze-role-requires-external-id"]


def test_a_malformed_config_falls_back_to_the_default_accounts() -> None:
    class Args:
        def get_config(self) -> Any:
            raise ValueError("not a mapping")

    assert policies._config(Args()) == {}  # type: ignore[arg-type]
    assert json.loads(json.dumps(policies._schema().properties)) == json.loads(json.dumps(policies.ACCOUNT_IDS_SCHEMA))


@pytest.mark.parametrize("enforcement", ["mandatory", "advisory"])
def test_levels_follow_the_rules_enforcement(enforcement: str) -> None:
    rule = next(r for r in RULES if r.enforcement == enforcement)
    expected = EnforcementLevel.MANDATORY if enforcement == "mandatory" else EnforcementLevel.ADVISORY
    assert policies._level(rule) is expected
