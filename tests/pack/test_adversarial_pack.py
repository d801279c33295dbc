"""Generated resources of every token the pack knows (and others), in any shape: no rule crashes,
and nothing that is not Braze's gets a violation.

The number of resources comes from BRAZE_FUZZ_RESOURCES (default 2,000 here; `make bench` runs 6,000).
"""

from __future__ import annotations

import json
import os
from typing import Any

from braze_rules import shapes
from braze_rules.registry import RULES, evaluate
from braze_rules.resources import UNKNOWN_SENTINELS, Res, clean
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.pack.builders import UNKNOWN, as_policy_resources, urn

RESOURCES = int(os.environ.get("BRAZE_FUZZ_RESOURCES", "2000"))
STACK_SIZE = 12  # average resources per generated stack
INTERNAL_ERROR = "could not evaluate this stack"

KNOWN = sorted(shapes.READS)  # every type the pack reads
OTHER = [
    "aws:ec2/instance:Instance",
    "aws:s3/bucketObject:BucketObject",
    "random:index/randomId:RandomId",
    "pulumi:providers:aws",
    "my:component:Thing",
]
BUCKET_NAMES = ["data", "acme-braze", "acme-braze-prod", "logs", "x"]
ACCOUNTS = ["111111111111", "999999999999", "123456789012"]  # never Braze's


def sentinel() -> st.SearchStrategy[str]:
    return st.sampled_from(sorted(UNKNOWN_SENTINELS))


text = st.text(max_size=20)
scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), text, sentinel())
anything = st.recursive(
    scalar,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(text, inner, max_size=4)),
    max_leaves=10,
)
arn = st.one_of(
    st.builds(
        lambda b, k: f"arn:aws:s3:::{b}{k}",
        st.sampled_from(BUCKET_NAMES),
        st.sampled_from(["", "*", "/", "/*", "/currents/*", "/a/b/*", "?", "/x"]),
    ),
    st.sampled_from(["*", "arn:aws:s3:::*", "arn:aws:iam::aws:policy/AmazonS3FullAccess", "not-an-arn"]),
    sentinel(),
    text,
)
action = st.one_of(
    st.sampled_from(
        [
            "s3:PutObject",
            "s3:GetObject",
            "s3:DeleteObject",
            "s3:ListBucket",
            "s3:GetBucketLocation",
            "s3:*",
            "*",
            "sts:AssumeRole",
            "iam:PassRole",
            "S3:put*",
        ]
    ),
    sentinel(),
    text,
)
principal = st.one_of(
    st.just("*"),
    st.fixed_dictionaries(
        {
            "AWS": st.one_of(
                st.sampled_from(ACCOUNTS),
                st.sampled_from([f"arn:aws:iam::{a}:root" for a in ACCOUNTS]),
                st.just("*"),
                st.lists(st.sampled_from(ACCOUNTS), max_size=3),
                sentinel(),
            )
        }
    ),
    st.fixed_dictionaries({"Service": st.sampled_from(["ec2.amazonaws.com", "lambda.amazonaws.com"])}),
    anything,
)
condition = st.one_of(
    st.dictionaries(
        st.sampled_from(["StringEquals", "StringLike", "Bool", "Null", "StringNotEquals"]),
        st.dictionaries(
            st.sampled_from(["sts:ExternalId", "aws:SecureTransport", "s3:x-amz-server-side-encryption"]),
            st.one_of(text, st.lists(text, max_size=2), sentinel()),
            max_size=2,
        ),
        max_size=2,
    ),
    anything,
)


def one_or_list(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(inner, st.lists(inner, max_size=3), sentinel())


statement = st.fixed_dictionaries(
    {},
    optional={
        "Effect": st.one_of(st.sampled_from(["Allow", "Deny", "allow", "Maybe"]), sentinel()),
        "Action": one_or_list(action),
        "NotAction": one_or_list(action),
        "Resource": one_or_list(arn),
        "NotResource": one_or_list(arn),
        "Principal": principal,
        "NotPrincipal": principal,
        "Condition": condition,
        "Sid": scalar,
    },
)
document_body = st.fixed_dictionaries(
    {},
    optional={
        "Version": st.just("2012-10-17"),
        "Statement": st.one_of(statement, st.lists(statement, max_size=4), sentinel(), anything),
    },
)
document = st.one_of(
    document_body.map(json.dumps), document_body, st.sampled_from(["{not json", "[]", "null", ""]), sentinel(), anything
)
tags = st.one_of(
    st.dictionaries(st.sampled_from(["team", "env", "Name", "owner"]), text, max_size=3),
    st.lists(st.fixed_dictionaries({"key": st.sampled_from(["team", "env"]), "value": text}), max_size=2),
    sentinel(),
    anything,
)

SHAPED: dict[str, st.SearchStrategy[Any]] = {
    "bucket": st.one_of(st.sampled_from(BUCKET_NAMES), sentinel(), scalar),
    "bucketName": st.one_of(st.sampled_from(BUCKET_NAMES), sentinel()),
    "objectLockEnabled": scalar,
    "objectLockConfiguration": anything,
    "forceDestroy": scalar,
    "acl": st.sampled_from(["private", "public-read", "authenticated-read"]),
    "rules": st.one_of(
        st.lists(
            st.fixed_dictionaries(
                {
                    "applyServerSideEncryptionByDefault": st.one_of(
                        st.fixed_dictionaries({"sseAlgorithm": st.sampled_from(["AES256", "aws:kms", "aws:kms:dsse"])}),
                        sentinel(),
                        anything,
                    )
                }
            ),
            max_size=2,
        ),
        anything,
    ),
    "serverSideEncryptionConfiguration": anything,
    "bucketEncryption": anything,
    "publicAccessBlockConfiguration": anything,
    "blockPublicAcls": scalar,
    "blockPublicPolicy": scalar,
    "ignorePublicAcls": scalar,
    "restrictPublicBuckets": scalar,
    "policy": document,
    "policyDocument": document,
    "assumeRolePolicy": document,
    "assumeRolePolicyDocument": document,
    "inlinePolicies": st.one_of(
        st.lists(st.fixed_dictionaries({"name": text, "policy": document}), max_size=2), anything
    ),
    "policies": st.one_of(
        st.lists(st.fixed_dictionaries({"policyName": text, "policyDocument": document}), max_size=2), anything
    ),
    "managedPolicyArns": st.one_of(st.lists(arn, max_size=2), anything),
    "name": st.one_of(st.sampled_from(["r1", "u1", "p1"]), sentinel(), scalar),
    "role": st.one_of(st.sampled_from(["r1", "arn:aws:iam::1:role/r1"]), sentinel(), scalar),
    "user": st.one_of(st.sampled_from(["u1"]), sentinel(), scalar),
    "roles": anything,
    "users": anything,
    "policyArn": st.one_of(arn, sentinel()),
    "arn": st.one_of(arn, sentinel()),
    "tags": tags,
}

props = st.one_of(
    st.dictionaries(st.sampled_from(sorted(SHAPED)), st.just(None), max_size=8).flatmap(
        lambda keys: st.fixed_dictionaries({k: SHAPED[k] for k in keys})
    ),
    st.dictionaries(text, anything, max_size=4),
)
resource_spec = st.tuples(st.one_of(st.sampled_from(KNOWN), st.sampled_from(OTHER)), props, st.booleans())


@st.composite
def stacks(draw: st.DrawFn) -> list[Res]:
    specs = draw(st.lists(resource_spec, min_size=1, max_size=2 * STACK_SIZE))
    built: list[Res] = []
    for index, (type_, raw, protect) in enumerate(specs):
        built.append(Res(urn(type_, f"r{index}"), type_, f"r{index}", clean(raw), None, [], {}, protect))
    # Random links, as property dependencies would draw them (parents among the non-Braze types only).
    for res in built:
        for key in draw(
            st.lists(
                st.sampled_from(["bucket", "role", "user", "policyArn", "policy", "roles", "managedPolicyArns"]),
                max_size=3,
                unique=True,
            )
        ):
            targets = draw(st.lists(st.sampled_from(built), max_size=2))
            res.property_dependencies[key] = [t.urn for t in targets]
            res.dependencies += [t.urn for t in targets]
        if draw(st.booleans()):
            res.parent = draw(st.sampled_from(built)).urn
    return built


def _check(resources: list[Res], via_sdk: bool) -> list[tuple[str, Any]]:
    results = []
    inputs = as_policy_resources(resources) if via_sdk else resources
    for rule in RULES:
        result = evaluate(rule, inputs, {"brazeAccountIds": ["716373062512"]}) if via_sdk else _direct(rule, resources)
        assert not [n for n in result.notes if INTERNAL_ERROR in n], f"{rule.name} crashed: {result.notes}"
        results.append((rule.name, result))
    return results


def _direct(rule: Any, resources: list[Res]) -> Any:
    from braze_rules.model_builder import build_model

    return rule.check(build_model(resources, ("716373062512",)))


FUZZ = settings(
    max_examples=max(RESOURCES // STACK_SIZE, 50),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


@FUZZ
@given(stacks())
def test_no_rule_ever_crashes_and_nothing_unrelated_is_flagged(resources: list[Res]) -> None:
    """None of these resources is Braze's (no braze tag, no braze:s3 parent, no Braze account)."""
    for name, result in _check(resources, via_sdk=False):
        assert result.violations == [], f"{name} flagged a resource that is not Braze's: {result.violations[0].message}"
        assert result.notes == [], f"{name} noted on resources that are not Braze's: {result.notes}"


def _braze_flavour(resources: list[Res], data: st.DataObject) -> list[Res]:
    """Make some of them Braze's: tags of the contract, a trust naming Braze, a braze:s3 parent."""
    component = Res(urn("braze:s3:CurrentsConnector", "comp"), "braze:s3:CurrentsConnector", "comp", {}, None)
    out = [component]
    for res in resources:
        how = data.draw(st.sampled_from(["none", "tag", "trust", "parent"]))
        if how == "tag" and isinstance(res.props, dict):
            res.props["tags"] = {
                "braze:integration": data.draw(st.sampled_from(["currents", "dashboard-export", "bogus"])),
                "braze:folder-path": data.draw(st.one_of(text, st.just("currents"))),
            }
        elif how == "trust":
            res.props["assumeRolePolicy"] = json.dumps(
                {"Statement": {"Effect": "Allow", "Principal": {"AWS": "716373062512"}, "Action": "sts:AssumeRole"}}
            )
        elif how == "parent":
            res.parent = component.urn
            res.urn = res.urn.replace("pulumi:pulumi:Stack$", "pulumi:pulumi:Stack$braze:s3:CurrentsConnector$")
        out.append(res)
    return out


@FUZZ
@given(stacks(), st.data())
def test_braze_resources_in_any_shape_never_crash_a_rule(resources: list[Res], data: st.DataObject) -> None:
    results = _check(_braze_flavour(resources, data), via_sdk=False)
    event(f"{sum(bool(r.violations) for _, r in results)} rules reported violations")
    event(f"{sum(bool(r.notes) for _, r in results)} rules reported notes")


@settings(
    max_examples=max(RESOURCES // STACK_SIZE // 5, 20),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(stacks(), st.data())
def test_through_the_sdks_proxy_the_rules_see_what_they_see_directly(resources: list[Res], data: st.DataObject) -> None:
    braze = _braze_flavour(resources, data)
    direct = [(n, r.violations, r.notes) for n, r in _check(braze, via_sdk=False)]
    via_sdk = [(n, r.violations, r.notes) for n, r in _check(braze, via_sdk=True)]
    assert via_sdk == direct


def test_unknown_is_the_engines_sentinel() -> None:
    assert UNKNOWN in UNKNOWN_SENTINELS
