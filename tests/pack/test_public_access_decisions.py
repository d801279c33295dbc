"""braze-bucket-not-public: the decisions the rule's other tests leave open.

- Which account-level block a finding names when several are equally open: the first of the stack,
  so the message (the block to fix, the flags it leaves off) is the same on every run.
- A bucket policy is read statement by statement: a Deny or a conditioned Allow before an Allow to
  everyone does not hide it.
- An Allow to everyone is reported whatever block the bucket has: its own, the account's, or none
  (a block refuses such a policy only while it stays; before the fix a bucket without a block of
  its own skipped the check, so a stack with an account-level block passed a public bucket policy).
- A Braze bucket the stack only references (an existing bucket, known by the name its policies and
  configuration resources give) has no resource of its own: what the stack sets for it is judged,
  and nothing is said about the block it may have outside the stack.
"""

from __future__ import annotations

from typing import Any

import pytest
from braze_rules.rules import not_public

from tests.pack.builders import (
    BUCKET,
    T_BUCKET_POLICY,
    T_PAB,
    UNKNOWN,
    Stack,
    currents_policy_doc,
    doc,
    good_stack,
    names,
    res,
    role_with_policy,
    run,
    tls_doc,
)

T_ACCOUNT_PAB = "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"
FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
ALL_ON = dict.fromkeys(FLAGS, True)

DENY_PLAIN_HTTP = {
    "Effect": "Deny",
    "Principal": "*",
    "Action": "s3:*",
    "Resource": [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"],
    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
}
ALLOW_EVERYONE = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{BUCKET}/*"}
ALLOW_EVERYONE_FROM_A_VPC_ENDPOINT = {
    **ALLOW_EVERYONE,
    "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}},
}


def _account_block(name: str, **flags: Any) -> Any:
    return res(T_ACCOUNT_PAB, name, {**ALL_ON, **flags})


def _without_bucket_block(*account_blocks: Any) -> Stack:
    return good_stack().remove("data-pab").add(*account_blocks)


def test_of_two_equally_open_account_blocks_the_finding_names_the_first_and_its_flags() -> None:
    stack = _without_bucket_block(
        _account_block("account-pab-a", blockPublicAcls=False),
        _account_block("account-pab-b", blockPublicPolicy=False),
    )
    result = run(not_public.RULE, stack)
    assert names(result) == ["data"]
    (message,) = [v.message for v in result.violations]
    assert '"account-pab-a"' in message and "leaves blockPublicAcls off" in message
    assert "account-pab-b" not in message and "blockPublicPolicy" not in message


def test_of_two_account_blocks_equally_unknown_the_note_names_the_first() -> None:
    stack = _without_bucket_block(
        _account_block("account-pab-a", ignorePublicAcls=UNKNOWN),
        _account_block("account-pab-b", restrictPublicBuckets=UNKNOWN),
    )
    result = run(not_public.RULE, stack)
    assert result.violations == []
    (note,) = [n for n in result.notes if "account-level block" in n]
    assert "ignorePublicAcls" in note and '"account-pab-a"' in note and "account-pab-b" not in note


def test_a_closed_account_block_counts_wherever_it_stands_among_open_ones() -> None:
    for order in (("open", "closed"), ("closed", "open")):
        blocks = {"open": _account_block("open", blockPublicAcls=False), "closed": _account_block("closed")}
        result = run(not_public.RULE, _without_bucket_block(*(blocks[n] for n in order)))
        assert result.violations == [] and result.notes == [], order


@pytest.mark.parametrize(
    "before",
    [DENY_PLAIN_HTTP, ALLOW_EVERYONE_FROM_A_VPC_ENDPOINT],
    ids=["after-the-tls-deny", "after-a-conditioned-allow"],
)
def test_an_allow_to_everyone_is_found_after_statements_that_do_not_open_the_bucket(before: dict[str, Any]) -> None:
    stack = good_stack()
    data = stack.find("data")
    policy = {"bucket": BUCKET, "policy": doc(before, ALLOW_EVERYONE)}
    stack.replace("data-tls", res(T_BUCKET_POLICY, "data-tls", policy, {"bucket": [data]}))
    result = run(not_public.RULE, stack)
    assert names(result) == ["data-tls"] and 'every principal ("*")' in result.violations[0].message


def _with_public_policy(stack: Stack) -> Stack:
    data = stack.find("data")
    policy = {"bucket": BUCKET, "policy": doc(DENY_PLAIN_HTTP, ALLOW_EVERYONE)}
    return stack.replace("data-tls", res(T_BUCKET_POLICY, "data-tls", policy, {"bucket": [data]}))


def test_an_allow_to_everyone_is_reported_on_a_bucket_closed_only_by_the_account_block() -> None:
    result = run(not_public.RULE, _with_public_policy(_without_bucket_block(_account_block("account-pab"))))
    assert names(result) == ["data-tls"] and 'every principal ("*")' in result.violations[0].message


def test_an_allow_to_everyone_is_reported_beside_the_missing_block() -> None:
    result = run(not_public.RULE, _with_public_policy(good_stack().remove("data-pab")))
    assert names(result) == ["data", "data-tls"]
    by_name = {v.urn.rsplit("::", 1)[-1]: v.message for v in result.violations}
    assert "has no public access block" in by_name["data"] and 'every principal ("*")' in by_name["data-tls"]


def _referenced_bucket(*config: Any) -> Stack:
    """No bucket resource: Braze's Currents role grants on "acme-braze", which exists outside the stack."""
    stack = role_with_policy(Stack(), "currents-main", currents_policy_doc())
    return stack.add(*config)


def test_a_referenced_buckets_block_set_by_the_stack_is_judged() -> None:
    block = res(T_PAB, "data-pab", {"bucket": BUCKET, **ALL_ON, "restrictPublicBuckets": False})
    result = run(not_public.RULE, _referenced_bucket(block))
    assert names(result) == ["data-pab"]
    assert "restrictPublicBuckets" in result.violations[0].message and f'"{BUCKET}"' in result.violations[0].message


def test_a_referenced_bucket_with_a_closed_block_and_a_tls_policy_passes() -> None:
    block = res(T_PAB, "data-pab", {"bucket": BUCKET, **ALL_ON})
    tls = res(T_BUCKET_POLICY, "data-tls", {"bucket": BUCKET, "policy": tls_doc()})
    result = run(not_public.RULE, _referenced_bucket(block, tls))
    assert result.violations == [] and result.notes == []


def test_a_referenced_bucket_without_a_block_in_the_stack_is_not_reported_as_missing_one() -> None:
    """Its block, if any, is set where the bucket is managed: this stack cannot see it."""
    result = run(not_public.RULE, _referenced_bucket())
    assert result.violations == [] and result.notes == []


def test_a_referenced_buckets_public_policy_is_found() -> None:
    policy = res(T_BUCKET_POLICY, "data-policy", {"bucket": BUCKET, "policy": doc(ALLOW_EVERYONE)})
    assert names(run(not_public.RULE, _referenced_bucket(policy))) == ["data-policy"]
