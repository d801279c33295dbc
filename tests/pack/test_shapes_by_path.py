"""Each rule on each shape the providers' own input classes give a setting (issue 24, class 7).

`shapes.READS` lists every (type, path) the pack reads; `test_provider_names.py` holds each path to its
own type's input classes, recursively. Here every setting path a bucket rule decides on is built in the
exact shape of each provider SDK that defines it — a list where the SDK has a list (BucketV2's
`serverSideEncryptionConfigurations[].rules[].applyServerSideEncryptionByDefaults[]`), an object where
it has an object — with a value that must fail and one that must pass: a rule that ignores the path, or
reads it at another level or in the singular, fails here. The rest of the table (names, tags, documents)
identifies resources and is listed with the reason it is not a setting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from braze_rules import shapes
from braze_rules.rule import Rule
from braze_rules.rules import not_public, object_lock, protected, sse_kms

from tests.pack.builders import BUCKET, KMS_KEY_ARN, UNKNOWN, good_stack, kms_key, names, res, run
from tests.pack.test_provider_names import PROVIDERS

T_ACCOUNT_PAB = "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
OWNER = "http://acs.amazonaws.com/groups/s3/LogDelivery"
FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")


def shaped(kinds: dict[str, str], path: str, leaf: Any, siblings: dict[str, Any] | None = None) -> dict[str, Any]:
    """The properties holding ``leaf`` at ``path``, each step a list or an object as the SDK's classes say
    (``siblings``: other fields of the innermost object)."""
    parts = path.split(".")
    value: Any = {parts[-1]: leaf, **(siblings or {})}
    for depth in range(len(parts) - 1, 0, -1):
        prefix = ".".join(parts[:depth])
        value = {parts[depth - 1]: [value] if kinds[prefix] == "list" else value}
    return value


@dataclass(frozen=True)
class Case:
    rule: Rule
    bad: Any
    good: Any
    siblings: dict[str, Any] | None = None  # the other fields of the leaf's object
    bad_siblings: dict[str, Any] | None = None


# path suffix → how the rule must judge it
SETTINGS: dict[str, Case] = {
    "sseAlgorithm": Case(sse_kms.RULE, "aws:kms", "AES256", siblings={"kmsMasterKeyId": KMS_KEY_ARN}),
    "kmsMasterKeyId": Case(sse_kms.RULE, KMS_KEY_ARN, "alias/aws/s3", siblings={"sseAlgorithm": "aws:kms"}),
    "objectLockEnabled": Case(object_lock.RULE, True, False),
    "objectLockConfiguration.objectLockEnabled": Case(object_lock.RULE, "Enabled", "Disabled"),
    "objectLockConfiguration.rule": Case(
        object_lock.RULE, {"defaultRetention": {"mode": "GOVERNANCE", "days": 1}}, None
    ),
    "acl": Case(not_public.RULE, "public-read", "private"),
    "accessControl": Case(not_public.RULE, "PublicRead", "Private"),
    "grants.uri": Case(not_public.RULE, ALL_USERS, OWNER, siblings={"type": "Group", "permissions": ["READ"]}),
    "accessControlPolicy.grants.grantee.uri": Case(not_public.RULE, ALL_USERS, OWNER, siblings={"type": "Group"}),
    "forceDestroy": Case(protected.RULE, True, False),
    **{flag: Case(not_public.RULE, False, True) for flag in FLAGS},
    **{f"publicAccessBlockConfiguration.{flag}": Case(not_public.RULE, False, True) for flag in FLAGS},
}
# Read to find and link resources, not settings a rule judges by value (exercised by the model's tests).
IDENTITY = {
    "bucket": "the bucket's name, or the bucket a configuration resource belongs to",
    "bucketName": "aws-native's bucket name",
    "tags": "the braze: tag contract",
    "tags.key": "the braze: tag contract (aws-native)",
    "tags.value": "the braze: tag contract (aws-native)",
    "policy": "the inline bucket policy document (bucket-policy tests)",
    "rules": "the list an unknown at preview stands for (test_sse_kms: unknown rules are a note)",
    "grants.type": "read with grants.uri",
    "rule": "a lock configuration resource fails by its type alone (test_object_lock)",
}
BUCKET_TOKENS = (
    shapes.BUCKETS
    | shapes.SSE_CONFIGS
    | shapes.LOCK_CONFIGS
    | shapes.ACL_CONFIGS
    | shapes.PUBLIC_ACCESS_BLOCKS
    | shapes.ACCOUNT_PUBLIC_ACCESS_BLOCKS
)


def _setting(path: str) -> Case | None:
    """The case of the longest suffix the path ends with (`objectLockConfiguration.objectLockEnabled`
    before `objectLockEnabled`)."""
    for suffix, case in sorted(SETTINGS.items(), key=lambda item: -len(item[0])):
        if path == suffix or path.endswith(f".{suffix}"):
            return case
    return None


def _cases() -> list[tuple[str, str, str]]:
    """(token, path, provider) for every setting path of the table, in each SDK that defines it there."""
    found = []
    for token in sorted(BUCKET_TOKENS):
        for path in shapes.READS[token]:
            if _setting(path) is None:
                continue
            if token in shapes.LOCK_CONFIGS:
                continue  # a lock configuration resource fails by its type alone (test_object_lock)
            for provider, extract in PROVIDERS.items():
                if path in extract["inputs"].get(token, {}):
                    found.append((token, path, provider))
    return found


CASES = _cases()


def _bucket_props(token: str) -> dict[str, Any]:
    if token == shapes.NATIVE_BUCKET:
        return {"bucketName": BUCKET, "tags": [{"key": "braze:bucket", "value": "true"}]}
    return {"bucket": BUCKET, "tags": {"braze:bucket": "true"}}


def _stack_with(token: str, props: dict[str, Any]) -> Any:
    """The good stack with the setting on the bucket itself (a bucket type) or on its configuration resource."""
    stack = good_stack().add(kms_key())
    data = stack.find("data")
    if token in shapes.BUCKETS:
        bucket = res(token, "data", {**_bucket_props(token), **props}, protect=True)
        stack.replace("data", bucket)
        if token == shapes.NATIVE_BUCKET and "publicAccessBlockConfiguration" in props:
            stack.remove("data-pab")
        return stack
    deps = {"bucket": [data]}
    if token in shapes.SSE_CONFIGS:
        return stack.replace("data-sse", res(token, "data-sse", {"bucket": BUCKET, **props}, deps))
    if token in shapes.PUBLIC_ACCESS_BLOCKS:
        return stack.replace("data-pab", res(token, "data-pab", {"bucket": BUCKET, **props}, deps))
    if token in shapes.ACCOUNT_PUBLIC_ACCESS_BLOCKS:
        return stack.remove("data-pab").add(res(token, "account-pab", props))
    return stack.add(res(token, "data-acl", {"bucket": BUCKET, **props}, deps))


def _props(token: str, path: str, provider: str, leaf: Any, siblings: dict[str, Any] | None) -> dict[str, Any]:
    kinds = PROVIDERS[provider]["inputs"][token]
    last = path.rsplit(".", 1)[-1]
    if last in FLAGS:  # the other three flags on: only this one decides
        siblings = {f: True for f in FLAGS if f != last}
    props = shaped(kinds, path, leaf, siblings) if leaf is not None else {}
    return props


@pytest.mark.parametrize(("token", "path", "provider"), CASES, ids=[f"{t}:{p}@{v}" for t, p, v in CASES])
def test_each_rule_judges_each_setting_in_each_providers_shape(token: str, path: str, provider: str) -> None:
    case = _setting(path)
    assert case is not None
    bad = run(case.rule, _stack_with(token, _props(token, path, provider, case.bad, case.siblings)))
    assert bad.violations, f"{case.rule.name} ignores {path} on {token} in the {provider} shape"
    good = run(case.rule, _stack_with(token, _props(token, path, provider, case.good, case.siblings)))
    assert good.violations == [], [v.message for v in good.violations]


def _judged_when_unknown(path: str) -> bool:
    """Settings whose unknown value at preview is a note. Not these: canned ACLs and grants known only after
    deployment (no public value is known, so nothing is judged), and a key id (unknown only as a new key's ARN,
    linked by dependency: tests/pack/test_kms_key_use.py)."""
    case = _setting(path)
    last = path.rsplit(".", 1)[-1]
    judged = case is not None and (case.rule is sse_kms.RULE or last in ("objectLockEnabled", "forceDestroy", *FLAGS))
    return judged and not path.endswith("kmsMasterKeyId")


UNKNOWN_CASES = [c for c in CASES if _judged_when_unknown(c[1])]


@pytest.mark.parametrize(
    ("token", "path", "provider"), UNKNOWN_CASES, ids=[f"{t}:{p}@{v}" for t, p, v in UNKNOWN_CASES]
)
def test_a_setting_unknown_at_preview_is_a_note_not_a_pass_nor_a_violation(
    token: str, path: str, provider: str
) -> None:
    case = _setting(path)
    assert case is not None
    result = run(case.rule, _stack_with(token, _props(token, path, provider, UNKNOWN, case.siblings)))
    assert result.violations == [] and result.notes, (token, path)


def test_every_path_the_table_lists_for_a_bucket_type_is_a_judged_setting_or_an_identity() -> None:
    unaccounted = {
        (token, path)
        for token in BUCKET_TOKENS
        for path in shapes.READS[token]
        if _setting(path) is None and path not in IDENTITY
    }
    assert unaccounted == set()


def test_every_setting_path_is_exercised_in_at_least_one_providers_shape() -> None:
    covered = {(t, p) for t, p, _ in CASES}
    expected = {
        (token, path)
        for token in BUCKET_TOKENS - shapes.LOCK_CONFIGS
        for path in shapes.READS[token]
        if _setting(path) is not None
    }
    assert expected - covered == set(), "a path no provider's input classes define for its type"


def test_bucketv2_default_encryption_is_read_in_the_sdks_plural_shape() -> None:
    """The example of the issue: a customer key set on BucketV2 the way pulumi-aws 6 and 7 define it."""
    kinds = PROVIDERS[next(iter(PROVIDERS))]["inputs"][shapes.BUCKET_V2]
    assert kinds["serverSideEncryptionConfigurations.rules.applyServerSideEncryptionByDefaults"] == "list"
    props = {
        "serverSideEncryptionConfigurations": [
            {
                "rules": [
                    {
                        "applyServerSideEncryptionByDefaults": [
                            {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": KMS_KEY_ARN}
                        ]
                    }
                ]
            }
        ]
    }
    assert names(run(sse_kms.RULE, _stack_with(shapes.BUCKET_V2, props))).count("data") == 3
