"""The grants layer: what each principal and policy reaches — buckets by name, wildcard, dependency or
everywhere, the keys it may write — in every partition; which principals and buckets are Braze's
(tags, trust, the untagged user's fingerprint, buckets the stack only references). How a principal
gets its policies, form by form, is `test_attachment_forms.py`.
"""

from __future__ import annotations

from typing import Any

import pytest
from braze_rules.model_builder import build_model
from braze_rules.rules import bucket_wildcards, object_lock, required_permissions

from tests.pack.builders import (
    BUCKET,
    T_KEY,
    T_POLICY,
    T_USER,
    UNKNOWN,
    Stack,
    bucket_stack,
    bucket_statement,
    currents_policy_doc,
    doc,
    names,
    objects_statement,
    res,
    run,
)
from tests.pack.principals import INTEGRATION_TAGS, POLICY_ARN, braze_role, managed_policy


@pytest.mark.parametrize("partition", ["aws", "aws-cn", "aws-us-gov", "*"])
def test_documents_read_the_same_in_every_partition(partition: str) -> None:
    def arn(rest: str) -> str:
        return f"arn:{partition}:s3:::{rest}"

    document = doc(
        {"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetBucketLocation"], "Resource": arn(BUCKET)},
        objects_statement(["s3:PutObject", "s3:GetObject"], arn(f"{BUCKET}/currents/*")),
    )
    stack = bucket_stack().add(braze_role(managedPolicyArns=[POLICY_ARN]), managed_policy(document))
    model = build_model(stack.resources)
    assert [b.name for b in model.braze_buckets()] == [BUCKET]
    holder = model.grants.of_principal(model.braze_principals()[0])
    access = holder.on(model.braze_buckets()[0])
    assert access is not None and access.folders("s3:PutObject") == {"currents"}
    assert run(required_permissions.RULE, stack).violations == []


def test_a_bucket_only_a_wildcard_reaches_gets_the_wildcard_finding_and_no_other() -> None:
    """Braze's published export policy names `acme-braze*`: `acme-braze` itself is Braze's bucket,
    `acme-braze-backups` (with Object Lock, as backups often have) is not."""
    stack = bucket_stack()
    backups = res("aws:s3/bucket:Bucket", "backups", {"bucket": f"{BUCKET}-backups", "objectLockEnabled": True})
    document = doc(
        {"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetBucketLocation"], "Resource": f"arn:aws:s3:::{BUCKET}*"},
        objects_statement(["s3:PutObject", "s3:GetObject", "s3:DeleteObject"], f"arn:aws:s3:::{BUCKET}*/*"),
    )
    stack.add(backups, braze_role(managedPolicyArns=[POLICY_ARN]), managed_policy(document))
    model = build_model(stack.resources)
    assert sorted(b.name for b in model.braze_buckets()) == [BUCKET]
    assert model.buckets[backups.urn].wildcard_reach  # known, but not Braze's
    assert names(run(bucket_wildcards.RULE, stack)) == ["policy", "policy"]
    assert run(object_lock.RULE, stack).violations == []
    assert run(required_permissions.RULE, stack).violations == []


def test_a_user_with_a_key_and_brazes_exact_grants_is_brazes_without_tags() -> None:
    def stack_with(document: Any, key: bool = True) -> Stack:
        user = res(T_USER, "user", {"name": "export-user"})
        policy = res("aws:iam/userPolicy:UserPolicy", "inline", {"user": "export-user", "policy": document})
        items = [user, policy] + ([res(T_KEY, "key", {"user": "export-user"})] if key else [])
        return bucket_stack().add(*items)

    brazes = doc(
        bucket_statement(),
        objects_statement(["s3:PutObject", "s3:GetObject", "s3:DeleteObject"], f"arn:aws:s3:::{BUCKET}/*"),
    )
    model = build_model(stack_with(brazes).resources)
    assert [p.res.name for p in model.braze_principals()] == ["user"]
    assert [b.name for b in model.braze_buckets()] == [BUCKET]
    # Without a key, or with grants broader than Braze's, it is some other application's user.
    assert build_model(stack_with(brazes, key=False).resources).braze_principals() == []
    broad = doc(bucket_statement(), objects_statement(["s3:*"], f"arn:aws:s3:::{BUCKET}/*"))
    assert build_model(stack_with(broad).resources).braze_principals() == []
    no_location = doc(
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{BUCKET}"},
        objects_statement(["s3:PutObject"], f"arn:aws:s3:::{BUCKET}/*"),
    )
    assert build_model(stack_with(no_location).resources).braze_principals() == []


@pytest.mark.parametrize(
    "extra",
    [
        {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
        {"Effect": "Allow", "Action": "s3:*", "Resource": f"arn:aws:s3:::{BUCKET}-logs/*"},
    ],
    ids=["not-action", "s3-star-elsewhere"],
)
def test_any_grant_beyond_brazes_actions_means_another_applications_user(extra: dict[str, Any]) -> None:
    """Every Allow counts, also after a Deny: a Deny first must not end the look at the others."""
    deny = {"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"}
    brazes = [bucket_statement(), objects_statement(["s3:PutObject", "s3:GetObject"], f"arn:aws:s3:::{BUCKET}/*")]
    user = res(T_USER, "user", {"name": "app"})
    policy = res("aws:iam/userPolicy:UserPolicy", "inline", {"user": "app", "policy": doc(deny, *brazes, extra)})
    stack = bucket_stack().add(user, policy, res(T_KEY, "key", {"user": "app"}))
    assert build_model(stack.resources).braze_principals() == []
    stack.replace(
        "inline", res("aws:iam/userPolicy:UserPolicy", "inline", {"user": "app", "policy": doc(deny, *brazes)})
    )
    assert [p.res.name for p in build_model(stack.resources).braze_principals()] == ["user"]


def test_a_user_whose_policy_is_partly_unknown_until_deployment_is_not_judged_by_fingerprint() -> None:
    """Braze's statements and one known only after deployment (it could grant anything): not judged."""
    user = res(T_USER, "user", {"name": "app"})
    brazes = [bucket_statement(), objects_statement(["s3:PutObject", "s3:GetObject"], f"arn:aws:s3:::{BUCKET}/*")]
    partly = {"Version": "2012-10-17", "Statement": [*brazes, UNKNOWN]}
    policy = res("aws:iam/userPolicy:UserPolicy", "inline", {"user": "app", "policy": partly})
    stack = bucket_stack().add(user, policy, res(T_KEY, "key", {"user": "app"}))
    assert build_model(stack.resources).braze_principals() == []


def _holder_of(*statements: dict[str, Any]) -> tuple[Any, Any]:
    """The grants of a tagged Braze role holding these statements, and the stack's bucket."""
    stack = bucket_stack().add(
        braze_role(managedPolicyArns=[POLICY_ARN], tags=INTEGRATION_TAGS), managed_policy(doc(*statements))
    )
    model = build_model(stack.resources)
    bucket = next(b for b in model.buckets.values() if b.name == BUCKET)
    return model.grants.of_principal(model.principals[stack.find("role").urn]), bucket


PUT = ["s3:PutObject"]


@pytest.mark.parametrize(
    ("statements", "everywhere", "reach", "put_keys"),
    [
        ([objects_statement(PUT, f"arn:aws:s3:::{BUCKET}/currents/*")], False, {"name"}, {"currents/*"}),
        ([objects_statement(PUT, f"arn:aws:s3:::{BUCKET}*/currents/*")], False, {"name"}, {"currents/*"}),
        ([objects_statement(PUT, "arn:aws:s3:::acme-*/currents/*")], False, {"wildcard"}, {"currents/*"}),
        ([objects_statement(PUT, "arn:aws:s3:::acme-braz?/currents/*")], False, {"wildcard"}, {"currents/*"}),
        ([objects_statement(PUT, "*")], True, {"everywhere"}, {"*"}),
        ([objects_statement(PUT, "arn:aws:s3:::*/currents/*")], True, {"everywhere"}, {"currents/*"}),
        ([objects_statement(["s3:ListBucket"], "arn:aws:s3:::*")], True, {"everywhere"}, None),
        # both: the grant on every bucket reaches the named one too
        (
            [objects_statement(PUT, f"arn:aws:s3:::{BUCKET}/currents/*"), objects_statement(PUT, "arn:aws:s3:::*/x/*")],
            True,
            {"name"},
            {"currents/*", "x/*"},
        ),
        # every resource but another bucket: this one and every other
        ([{"Effect": "Allow", "Action": PUT, "NotResource": "arn:aws:s3:::other/*"}], True, {"everywhere"}, {"*"}),
        # every resource but this bucket: every other, not this one
        ([{"Effect": "Allow", "Action": PUT, "NotResource": f"arn:aws:s3:::{BUCKET}*"}], True, None, None),
        # only this bucket's objects left out: the bucket itself is still reached, not its objects
        (
            [
                {
                    "Effect": "Allow",
                    "Action": ["s3:PutObject", "s3:ListBucket"],
                    "NotResource": f"arn:aws:s3:::{BUCKET}/*",
                }
            ],
            True,
            {"everywhere"},
            {"*"},
        ),
        ([objects_statement(PUT, "arn:aws:s3:::other/*")], False, None, None),
        ([{"Effect": "Deny", "Action": PUT, "Resource": "*"}], False, None, None),
        ([objects_statement(["iam:PassRole"], "*")], False, None, None),  # not one of Braze's actions
    ],
    ids=lambda v: str(v)[:40] if not isinstance(v, list) else None,
)
def test_what_a_holder_reaches_in_the_bucket_and_the_keys_it_may_write(
    statements: list[dict[str, Any]], everywhere: bool, reach: set[str] | None, put_keys: set[str] | None
) -> None:
    holder, bucket = _holder_of(*statements)
    assert holder.everywhere is everywhere
    access = holder.on(bucket)
    if reach is None:
        assert access is None
        assert bucket.key not in {b.key for b in holder.buckets(build_model([]), braze_only=False)}
        return
    assert access is not None and access.reach == reach
    assert access.keys.get("s3:PutObject") == put_keys


def test_a_policy_holds_its_own_declaration_and_its_principals() -> None:
    """A policy's integrations: what it declares (tags) together with what every principal it is
    attached to declares — a Currents-tagged policy on a role tagged for export is both."""
    role = braze_role(managedPolicyArns=[POLICY_ARN], tags={"braze:integration": "dashboard-export"})
    policy = res(T_POLICY, "policy", {"policy": currents_policy_doc(), "arn": POLICY_ARN, "tags": INTEGRATION_TAGS})
    model = build_model(bucket_stack().add(role, policy).resources)
    (doc_of_policy,) = [p for p in model.policies if p.res.name == "policy"]
    assert model.grants.of_policy(doc_of_policy).declared == {"currents", "dashboard-export"}


def test_only_braze_buckets_unless_asked_and_folders_from_the_tag_first() -> None:
    backups = res("aws:s3/bucket:Bucket", "backups", {"bucket": f"{BUCKET}-backups"})
    document = doc(
        bucket_statement(),
        objects_statement(["s3:PutObject"], f"arn:aws:s3:::{BUCKET}*/events/*"),
    )
    tagged = {**INTEGRATION_TAGS, "braze:folder-path": "/events/"}
    policy = res(T_POLICY, "policy", {"policy": document, "arn": POLICY_ARN, "tags": tagged})
    logs = res("aws:s3/bucket:Bucket", "logs", {"bucket": "logs"})
    stack = bucket_stack().add(backups, logs, braze_role(managedPolicyArns=[POLICY_ARN]), policy)
    model = build_model(stack.resources)
    holder = model.grants.of_principal(model.principals[stack.find("role").urn])
    assert [b.name for b in holder.buckets(model)] == [BUCKET]
    assert sorted(b.name for b in holder.buckets(model, braze_only=False)) == [BUCKET, f"{BUCKET}-backups"]
    bucket = next(b for b in holder.buckets(model))
    assert holder.currents_folder(bucket) == "events" and holder.write_folders(bucket) == {"events"}
    untagged = Stack().add(*stack.resources)
    untagged.replace(
        "policy", res(T_POLICY, "policy", {"policy": document, "arn": POLICY_ARN, "tags": INTEGRATION_TAGS})
    )
    model = build_model(untagged.resources)
    holder = model.grants.of_principal(model.principals[untagged.find("role").urn])
    bucket = next(b for b in holder.buckets(model))
    assert holder.currents_folder(bucket) == "events" and holder.write_folders(bucket) == {"events"}
    logs = model.buckets[untagged.find("logs").urn]  # a bucket no statement reaches
    assert holder.currents_folder(logs) is None and holder.write_folders(logs) == set()


def _role_naming(*resources: str, extra: list[dict[str, Any]] | None = None) -> list[Any]:
    statements = [
        {"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetBucketLocation"], "Resource": list(resources)},
        objects_statement(["s3:PutObject", "s3:GetObject"], [f"{r}/currents/*" for r in resources]),
        *(extra or []),
    ]
    return [braze_role(managedPolicyArns=[POLICY_ARN], tags=INTEGRATION_TAGS), managed_policy(doc(*statements))]


def test_a_bucket_the_stack_only_references_is_known_by_name_and_is_brazes() -> None:
    """An existing bucket (braze-s3 `mode: reference`, or a hand-written program's literal name): no
    bucket resource, only the name in Braze's policy. It is Braze's bucket, and the grants count."""
    stack = Stack().add(*_role_naming("arn:aws:s3:::legacy-exports"))
    model = build_model(stack.resources)
    assert [(b.key, b.name) for b in model.braze_buckets()] == [("name:legacy-exports", "legacy-exports")]
    assert run(required_permissions.RULE, stack).violations == []


@pytest.mark.parametrize(
    ("extra", "outside"),
    [
        ([], []),
        ([{"Effect": "Deny", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::denied/*"}], []),
        ([objects_statement(["s3:GetObject"], "arn:aws:s3:::logs-*/*")], []),  # a pattern names no bucket
        ([objects_statement(["s3:GetObject"], "arn:aws:logs:us-east-1:123456789012:log-group:x")], []),
        ([objects_statement(["s3:GetObject"], "arn:aws:s3:::archive/*")], ["archive"]),
    ],
)
def test_beside_a_stack_bucket_an_outside_name_is_known_but_not_brazes(extra: list[Any], outside: list[str]) -> None:
    stack = bucket_stack().add(*_role_naming(f"arn:aws:s3:::{BUCKET}", extra=extra))
    model = build_model(stack.resources)
    assert [b.name for b in model.braze_buckets()] == [BUCKET]
    assert sorted(b.name for b in model.buckets.values() if b.res is None) == outside
