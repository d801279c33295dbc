"""The pack's two runs of a per-resource rule, in process: alone (Analyze) and linked (AnalyzeStack).

The gRPC tests drive the same functions inside the pack's subprocess; these drive them directly,
through the SDK's own resource objects, so that each decision is pinned by a fast test too.
"""

from __future__ import annotations

from typing import Any

import pytest
from braze_rules.registry import POLICY_NAMES, RULES, account_ids, evaluate, evaluate_linked, evaluate_resource
from braze_rules.rules import object_lock

from tests.pack.builders import (
    as_policy_resources,
    bucket_stack,
    currents_policy_doc,
    good_stack,
    res,
    role_with_policy,
)

CONFIG: dict[str, Any] = {"brazeAccountIds": ["716373062512"]}


def _locked_tagged_stack() -> Any:
    stack = good_stack()
    bucket = stack.find("data")
    props = {**bucket.props, "objectLockEnabled": True, "tags": {"braze:bucket": "true"}}
    stack.replace("data", res(bucket.type, "data", props, protect=True))
    return stack


def test_a_finding_one_resource_shows_is_reported_alone_and_not_again_linked() -> None:
    resources = as_policy_resources(_locked_tagged_stack().resources)
    bucket = next(r for r in resources if r.name == "data")
    alone = evaluate_resource(object_lock.RULE, bucket, CONFIG)
    assert len(alone.violations) == 1 and "objectLockEnabled" in alone.violations[0].message
    assert evaluate(object_lock.RULE, resources, CONFIG).violations, "the full stack run sees it too"
    assert evaluate_linked(object_lock.RULE, resources, CONFIG).violations == [], "…so the linked half drops it"


def test_a_finding_only_the_stack_shows_is_reported_linked_and_not_alone() -> None:
    """An untagged bucket is Braze's only because a Braze policy grants on it: no single resource shows that."""
    stack = bucket_stack(tags={}, objectLockEnabled=True)
    role_with_policy(stack, "currents-main", currents_policy_doc())
    resources = as_policy_resources(stack.resources)
    bucket = next(r for r in resources if r.name == "data")
    assert evaluate_resource(object_lock.RULE, bucket, CONFIG).violations == []
    linked = evaluate_linked(object_lock.RULE, resources, CONFIG)
    assert [v.urn.rsplit("::", 1)[-1] for v in linked.violations if v.urn] == ["data"]


def test_a_rule_that_crashes_becomes_a_visible_note_not_an_exception() -> None:
    broken = object_lock.RULE.__class__(**{**object_lock.RULE.__dict__, "check": lambda model: 1 / 0})
    resources = as_policy_resources(good_stack().resources)
    for run in (evaluate(broken, resources, CONFIG), evaluate_linked(broken, resources, CONFIG)):
        assert run.violations == [] and "could not evaluate" in run.notes[0] and "ZeroDivisionError" in run.notes[0]
    alone = evaluate_resource(broken, resources[0], CONFIG)
    assert alone.violations == [] and "could not evaluate" in alone.notes[0]


def test_account_ids_come_from_the_config_and_fall_back_to_the_default() -> None:
    assert account_ids({"brazeAccountIds": ["123456789012", 210987654321]}) == ("123456789012", "210987654321")
    assert account_ids({}) == ("716373062512",)
    assert account_ids(None) == ("716373062512",)
    assert account_ids({"brazeAccountIds": "123456789012"}) == ("716373062512",), "a string is not a list"


def test_every_per_resource_rule_has_a_linked_policy_and_the_rest_have_one_name() -> None:
    expected = []
    for rule in RULES:
        expected += [rule.name, f"{rule.name}-linked"] if rule.per_resource else [rule.name]
    assert list(POLICY_NAMES) == expected
    assert {r.name for r in RULES if r.per_resource} == {
        "braze-no-object-lock",
        "braze-no-sse-kms",
        "braze-bucket-not-public",
        "braze-role-requires-external-id",
    }


def test_a_missing_public_access_block_is_left_to_the_stack_run() -> None:
    """One bucket alone cannot show that no block exists elsewhere in the stack: needs_stack findings stay out of Analyze."""
    from braze_rules.rules import not_public

    stack = bucket_stack(tags={"braze:bucket": "true"}).remove("data-pab")
    resources = as_policy_resources(stack.resources)
    bucket = next(r for r in resources if r.name == "data")
    assert evaluate_resource(not_public.RULE, bucket, CONFIG).violations == []
    linked = evaluate_linked(not_public.RULE, resources, CONFIG)
    assert [v.urn.rsplit("::", 1)[-1] for v in linked.violations if v.urn] == ["data"]


def test_the_model_is_built_once_for_every_policys_copy_of_the_same_stack() -> None:
    """pulumi-policy deserialises the stack anew for each policy (nested read-only proxies included):
    equal content must find the one model, different content must not."""
    from braze_rules import registry

    first = registry.model_for(as_policy_resources(good_stack().resources), CONFIG)
    again = registry.model_for(as_policy_resources(good_stack().resources), CONFIG)
    assert again is first
    changed = good_stack()
    changed.replace("data", res("aws:s3/bucket:Bucket", "data", {"bucket": "acme-braze", "objectLockEnabled": True}))
    assert registry.model_for(as_policy_resources(changed.resources), CONFIG) is not first


def test_the_sdks_per_call_response_is_found_in_report_violation_and_shares_the_model() -> None:
    """pulumi-policy's report_violation closes over the call's AnalyzeResponse: the policies of one
    AnalyzeStack share it, so the model is found by identity; another call's response compares content."""
    from braze_rules import registry
    from braze_rules.policies import request_of
    from pulumi.runtime.proto import analyzer_pb2

    response = analyzer_pb2.AnalyzeResponse()

    def report_violation(message: str, urn: str | None = None) -> None:
        response.diagnostics.append(analyzer_pb2.AnalyzeDiagnostic(message=message, urn=urn or ""))

    assert request_of(report_violation) is response
    assert request_of(lambda message, urn=None: None) is None
    first = registry.model_for(as_policy_resources(good_stack().resources), CONFIG, response)
    assert registry.model_for(as_policy_resources(good_stack().resources), CONFIG, response) is first
    other = registry.model_for(
        as_policy_resources(_locked_tagged_stack().resources), CONFIG, analyzer_pb2.AnalyzeResponse()
    )
    assert other is not first


def _relinked(change: str) -> list[Any]:
    """The good stack with one link or flag changed, nothing else."""
    import dataclasses

    stack = good_stack()
    data = stack.find("data")
    other = stack.resources[0] if stack.resources[0] is not data else stack.resources[1]
    if change == "parent":
        edited = dataclasses.replace(data, parent=other.urn)
    elif change == "parent outside the stack":  # only the options name it: the SDK finds no object
        edited = dataclasses.replace(data, parent="urn:pulumi:dev::p::braze:index:Elsewhere::x")
    elif change == "dependency":
        edited = dataclasses.replace(data, dependencies=[other.urn])
    elif change == "property dependency":
        edited = dataclasses.replace(data, property_dependencies={"bucket": [other.urn]})
    else:
        edited = dataclasses.replace(data, protect=not data.protect)
    stack.replace("data", edited)
    return as_policy_resources(stack.resources)


@pytest.mark.parametrize(
    "change", ["parent", "parent outside the stack", "dependency", "property dependency", "protect"]
)
def test_a_stack_that_differs_only_in_a_link_or_protection_gets_its_own_model(change: str) -> None:
    """Links decide what counts as Braze (a parent, a reference to a bucket) and protection is a
    rule: a stack that differs only there must never be judged with another stack's model."""
    from braze_rules import registry

    first = registry.model_for(as_policy_resources(good_stack().resources), CONFIG)
    assert registry.model_for(_relinked(change), CONFIG) is not first
    assert registry.model_for(_relinked(change), CONFIG) is registry.model_for(_relinked(change), CONFIG)


def test_the_same_stack_under_other_braze_accounts_gets_its_own_model() -> None:
    from braze_rules import registry

    first = registry.model_for(as_policy_resources(good_stack().resources), CONFIG)
    other = registry.model_for(as_policy_resources(good_stack().resources), {"brazeAccountIds": ["111111111111"]})
    assert other is not first and other.account_ids == ("111111111111",)


def test_the_per_resource_run_uses_the_configured_braze_accounts() -> None:
    """An org whose Braze cluster assumes from another account: a role trusting that account without
    an external id is caught before its step, not only at the end of the preview."""
    from braze_rules.rules import external_id

    from tests.pack.builders import T_ROLE, doc, trust

    role = as_policy_resources([res(T_ROLE, "braze-role", {"assumeRolePolicy": doc(trust("111111111111", None))})])[0]
    assert evaluate_resource(external_id.RULE, role, {"brazeAccountIds": ["111111111111"]}).violations
    assert evaluate_resource(external_id.RULE, role, CONFIG).violations == [], "another account's role: not Braze"


@pytest.mark.parametrize(
    "nested",
    [
        {"tags": {"team": "crm"}},  # a map inside the properties: the SDK nests a read-only proxy there
        {"grants": [{"permissions": ["READ"]}]},  # a list of maps
    ],
)
def test_a_stack_that_differs_only_deep_inside_a_value_gets_its_own_model(nested: dict[str, Any]) -> None:
    from braze_rules import registry

    def with_value(value: Any) -> list[Any]:
        stack = good_stack()
        data = stack.find("data")
        return as_policy_resources(stack.replace("data", res(data.type, "data", {**data.props, **value})).resources)

    changed = {
        k: [{"permissions": ["FULL_CONTROL"]}] if isinstance(v, list) else {"team": "ops"} for k, v in nested.items()
    }
    first = registry.model_for(with_value(nested), CONFIG)
    assert registry.model_for(with_value(nested), CONFIG) is first
    assert registry.model_for(with_value(changed), CONFIG) is not first


def test_the_policies_of_one_call_share_the_model_without_reading_the_stack_again(monkeypatch: Any) -> None:
    """Issue 14's budget: pulumi-policy hands each of the 13 stack policies its own copy of the stack;
    the call's response (or the same list) finds the model without even the content key's pass, and
    a process's first call computes no key until a second call needs one."""
    from braze_rules import registry
    from pulumi.runtime.proto import analyzer_pb2

    keys: list[int] = []
    real_key = registry._content_key

    def counting_key(resources: list[Any], ids: tuple[str, ...]) -> str:
        keys.append(len(resources))
        return real_key(resources, ids)

    monkeypatch.setattr(registry, "_content_key", counting_key)
    response = analyzer_pb2.AnalyzeResponse()
    first = registry.model_for(as_policy_resources(good_stack().resources), CONFIG, response)
    for _ in range(3):  # the other policies of the same call, each with its own copy
        assert registry.model_for(as_policy_resources(good_stack().resources), CONFIG, response) is first
    for rule in RULES:  # as the policies run them
        copy = as_policy_resources(good_stack().resources)
        run = evaluate_linked if rule.per_resource else evaluate
        assert not run(rule, copy, CONFIG, response).notes
    assert keys == [], "the engine's only call: no content key at all"
    same_list = as_policy_resources(_locked_tagged_stack().resources)  # a second call, with no response object
    second = registry.model_for(same_list, CONFIG)
    assert second is not first and len(keys) == 2, "now the first call's key is needed too"
    assert registry.model_for(same_list, CONFIG) is second and len(keys) == 2
    again = registry.model_for(as_policy_resources(good_stack().resources), CONFIG, analyzer_pb2.AnalyzeResponse())
    assert again is first and len(keys) == 3, "a later call with the first call's content finds its model"


def test_one_call_under_another_policys_braze_accounts_gets_that_model() -> None:
    """Pack config is per policy: two policies of one call can name different Braze accounts."""
    from braze_rules import registry
    from pulumi.runtime.proto import analyzer_pb2

    response = analyzer_pb2.AnalyzeResponse()
    resources = as_policy_resources(good_stack().resources)
    first = registry.model_for(resources, CONFIG, response)
    other = registry.model_for(resources, {"brazeAccountIds": ["111111111111"]}, response)
    assert other is not first and other.account_ids == ("111111111111",)


def test_a_stack_rule_judges_with_the_configured_braze_accounts() -> None:
    from braze_rules.rules import external_id

    from tests.pack.builders import doc, trust

    stack = good_stack()
    role_with_policy(stack, "other", currents_policy_doc("other"), trust_doc=doc(trust("111111111111", None)))
    resources = as_policy_resources(stack.resources)
    other_accounts = {"brazeAccountIds": ["716373062512", "111111111111"]}
    assert evaluate(external_id.RULE, resources, other_accounts).violations
    assert evaluate(external_id.RULE, resources, CONFIG).violations == []


def test_the_linked_run_keeps_only_the_notes_the_resource_alone_could_not_give() -> None:
    """A per-resource rule's note about one resource is said before its step; the stack run says
    only what needs the stack (here: a key outside the stack that Braze's role must use)."""
    from braze_rules.rules import sse_kms

    from tests.pack.builders import BUCKET, T_BUCKET, T_SSE, UNKNOWN

    stack = good_stack()
    data = stack.find("data")
    later = {"rule": {"applyServerSideEncryptionByDefault": {"sseAlgorithm": UNKNOWN}}}
    stack.add(
        res(
            T_BUCKET,
            "later",
            {"bucket": "later", "tags": {"braze:bucket": "true"}, "serverSideEncryptionConfiguration": later},
            protect=True,
        )
    )
    kms = {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": "arn:aws:kms:eu-west-1:123456789012:key/outside"}
    stack.replace(
        "data-sse",
        res(
            T_SSE,
            "data-sse",
            {"bucket": BUCKET, "rules": [{"applyServerSideEncryptionByDefault": kms}]},
            {"bucket": [data]},
        ),
    )
    resources = as_policy_resources(stack.resources)
    later_res = next(r for r in resources if r.name == "later")
    alone = evaluate_resource(sse_kms.RULE, later_res, CONFIG).notes
    assert alone and all("not known until deployment" in n for n in alone)
    linked = evaluate_linked(sse_kms.RULE, resources, CONFIG).notes
    assert linked and not set(alone) & set(linked)
    assert all("KMS key" in n for n in linked)


@pytest.mark.parametrize("freeze", [True, False])
def test_only_the_packs_own_process_moves_its_models_out_of_the_collector(monkeypatch: Any, freeze: bool) -> None:
    import gc

    from braze_rules import registry

    monkeypatch.setattr(registry, "FREEZE_MODELS", freeze)
    gc.unfreeze()
    try:
        registry.model_for(as_policy_resources(good_stack().resources), CONFIG, object())
        assert (gc.get_freeze_count() > 0) is freeze
    finally:
        gc.unfreeze()


def test_the_last_four_stacks_keep_their_models_and_the_oldest_goes() -> None:
    """A pack process serving several stacks alternately keeps the four most recent models: the
    newest always (a policy of the same stack finds it next), the fifth-oldest evicted."""
    from braze_rules import registry

    def stack(index: int) -> list[Any]:
        changed = good_stack()
        changed.replace("data", res("aws:s3/bucket:Bucket", "data", {"bucket": f"acme-braze-{index}"}))
        return as_policy_resources(changed.resources)

    models = [registry.model_for(stack(index), CONFIG) for index in range(5)]
    assert len({id(m) for m in models}) == 5
    for index in (4, 3, 2, 1):  # newest first: each lookup is a hit and moves nothing out
        assert registry.model_for(stack(index), CONFIG) is models[index], f"stack {index} was evicted"
    assert registry.model_for(stack(0), CONFIG) is not models[0], "the oldest stays past the capacity"
