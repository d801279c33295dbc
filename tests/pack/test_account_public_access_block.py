"""braze-bucket-not-public credits an account-level public access block of the same stack.

S3 applies the most restrictive of the account's and the bucket's block to every bucket: a Braze bucket
without a block of its own is closed when the stack's `AccountPublicAccessBlock` sets all four flags.
A bucket block that lifts a flag is still reported (before its step, alone): it opens the bucket as soon
as the account's block is lifted.
"""

from __future__ import annotations

from typing import Any

import pytest
from braze_rules.rules import not_public
from braze_rules.shapes import ACCOUNT_PUBLIC_ACCESS_BLOCKS

from tests.pack.builders import UNKNOWN, good_stack, names, res, run

T_ACCOUNT_PAB = "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"
FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")


def _account_block(**flags: Any) -> Any:
    return res(T_ACCOUNT_PAB, "account-pab", {**dict.fromkeys(FLAGS, True), **flags})


def _without_bucket_block() -> Any:
    return good_stack().remove("data-pab")


def test_the_token_is_the_providers() -> None:
    assert frozenset({T_ACCOUNT_PAB}) == ACCOUNT_PUBLIC_ACCESS_BLOCKS


def test_a_bucket_without_its_own_block_is_closed_by_the_stacks_account_block() -> None:
    assert names(run(not_public.RULE, _without_bucket_block())) == ["data"]
    stack = _without_bucket_block().add(_account_block())
    result = run(not_public.RULE, stack)
    assert result.violations == [] and result.notes == []


@pytest.mark.parametrize("flag", FLAGS)
def test_an_account_block_with_a_flag_off_is_not_enough_and_is_named(flag: str) -> None:
    stack = _without_bucket_block().add(_account_block(**{flag: False}))
    result = run(not_public.RULE, stack)
    assert names(result) == ["data"]
    assert f"leaves {flag} off" in result.violations[0].message and '"account-pab"' in result.violations[0].message


def test_the_most_closed_of_several_account_blocks_counts() -> None:
    stack = _without_bucket_block().add(_account_block(blockPublicPolicy=False))
    stack.add(res(T_ACCOUNT_PAB, "account-pab-2", dict.fromkeys(FLAGS, True)))
    assert run(not_public.RULE, stack).violations == []


def test_an_account_block_known_only_after_deployment_is_a_note() -> None:
    stack = _without_bucket_block().add(_account_block(restrictPublicBuckets=UNKNOWN))
    result = run(not_public.RULE, stack)
    assert result.violations == [] and any("account-level block" in n for n in result.notes)


def test_a_bucket_block_that_lifts_a_flag_is_still_reported_beside_a_full_account_block() -> None:
    stack = good_stack().add(_account_block())
    pab = stack.find("data-pab")
    stack.replace("data-pab", res(pab.type, "data-pab", {**pab.props, "blockPublicPolicy": False}))
    result = run(not_public.RULE, stack)
    assert names(result) == ["data-pab"] and "only while it stays" in result.violations[0].message
