"""braze-no-bucket-name-wildcards: Braze's published BUCKET* policy, BUCKET/, and their look-alikes."""

from __future__ import annotations

import pytest
from braze_rules.rules.bucket_wildcards import RULE

from tests.pack.builders import (
    BUCKET,
    bucket_statement,
    doc,
    good_stack,
    names,
    objects_statement,
    res,
    role_with_policy,
    run,
    user_with_policy,
)

SEED_EXPORT_RESOURCES = [f"arn:aws:s3:::{BUCKET}*", f"arn:aws:s3:::{BUCKET}/", f"arn:aws:s3:::{BUCKET}"]


def test_exact_bucket_and_bucket_slash_star_pass() -> None:
    assert run(RULE, good_stack()).violations == []


def test_brazes_published_dashboard_export_access_key_policy_fails_twice() -> None:
    stack = good_stack()
    seed = doc(
        bucket_statement(),
        objects_statement(["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], SEED_EXPORT_RESOURCES),
    )  # type: ignore[arg-type]
    user_with_policy(stack, "seed", seed, {"tags": {"braze:integration": "dashboard-export"}})
    result = run(RULE, stack)
    assert names(result) == ["seed-policy", "seed-policy"]
    messages = " ".join(v.message for v in result.violations)
    assert f'"arn:aws:s3:::{BUCKET}*"' in messages and f"{BUCKET}-prod" in messages
    assert f'"arn:aws:s3:::{BUCKET}/"' in messages and "empty key" in messages


@pytest.mark.parametrize(
    "resource", [f"arn:aws:s3:::{BUCKET}?", f"arn:aws:s3:::{BUCKET[:-1]}*/currents/*", f"arn:aws-cn:s3:::{BUCKET}*"]
)
def test_other_wildcards_in_the_bucket_name_fail(resource: str) -> None:
    stack = good_stack()
    role_with_policy(stack, "wild", doc(bucket_statement(), objects_statement(["s3:PutObject"], resource)))
    stack.replace(
        "wild-policy",
        res(
            "aws:iam/policy:Policy",
            "wild-policy",
            {**stack.find("wild-policy").props, "tags": {"braze:integration": "currents"}},
        ),
    )
    assert names(run(RULE, stack)) == ["wild-policy"]


def test_a_deny_with_a_wildcard_is_fine() -> None:
    stack = good_stack()
    deny = {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": f"arn:aws:s3:::{BUCKET}*"}
    role_with_policy(
        stack,
        "deny",
        doc(
            bucket_statement(), objects_statement(["s3:PutObject", "s3:GetObject"], f"arn:aws:s3:::{BUCKET}/d/*"), deny
        ),
    )
    assert run(RULE, stack).violations == []
