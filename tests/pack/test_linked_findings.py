"""A per-resource rule's stack half (`-linked`) reports what only the stack shows even on a resource the resource
alone was already found wrong on: a public ACL (before the step) and a missing or partial public access block
(after it) are two findings, and each is reported once."""

from __future__ import annotations

from braze_rules.registry import evaluate_linked, evaluate_resource
from braze_rules.rules import not_public

from tests.pack.builders import BUCKET, T_BUCKET, as_policy_resources, res

CONFIG = {"brazeAccountIds": ["716373062512"]}
ACCOUNT_BLOCK = "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"


def _findings(*resources: object) -> tuple[list[str], list[str]]:
    engine = as_policy_resources(list(resources))  # type: ignore[arg-type]
    alone = [v.message for r in engine for v in evaluate_resource(not_public.RULE, r, CONFIG).violations]
    linked = [v.message for v in evaluate_linked(not_public.RULE, engine, CONFIG, object()).violations]
    return alone, linked


PUBLIC_BUCKET = res(T_BUCKET, "data", {"bucket": BUCKET, "acl": "public-read", "tags": {"braze:bucket": BUCKET}})


def test_a_public_acl_and_a_missing_block_are_each_reported_once() -> None:
    alone, linked = _findings(PUBLIC_BUCKET)
    assert len(alone) == 1 and "public-read" in alone[0]
    assert len(linked) == 1 and "no public access block" in linked[0]


def test_a_partial_account_block_is_reported_beside_the_public_acl() -> None:
    flags = {
        "blockPublicAcls": False,
        "blockPublicPolicy": True,
        "ignorePublicAcls": True,
        "restrictPublicBuckets": True,
    }
    alone, linked = _findings(PUBLIC_BUCKET, res(ACCOUNT_BLOCK, "account", flags))
    assert len(alone) == 1 and "public-read" in alone[0]
    assert len(linked) == 1 and "blockPublicAcls" in linked[0]
    assert not set(alone) & set(linked)
