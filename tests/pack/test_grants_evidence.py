"""What the grants layer reads a principal's access from, and that it reads all of it.

A bucket policy counts for Braze's role in either provider's shape (aws-native holds it in
`policyDocument`), and one built from the role's outputs makes the check a note only while it is not
known; once known, it is read like any other. Every statement and every Resource entry is read: a
bucket policy unknown or malformed, an Allow to someone else, another service's ARN or an entry for
every bucket does not end the look at what follows. An Allow by NotAction or NotResource in a bucket
policy grants what it says; an Allow of actions Braze does not use grants Braze nothing (and does not
make the bucket Braze's); a bucket policy that names another bucket (S3 refuses it at deployment, the
pack sees it at preview) leaves the role without permission on its own bucket. Each decides a verdict
the user sees: the required permissions, bucket control, which bucket is Braze's.
"""

from __future__ import annotations

import json
from typing import Any

from braze_rules.rules import bucket_control, object_lock, required_permissions

from tests.pack.builders import (
    BUCKET,
    T_BUCKET,
    T_BUCKET_POLICY,
    T_ROLE,
    UNKNOWN,
    Stack,
    bucket_stack,
    bucket_statement,
    doc,
    names,
    objects_statement,
    res,
    role_with_policy,
    run,
    tls_doc,
    trust,
)

ACCOUNT = "123456789012"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/braze-currents"
TAGS = {"braze:integration": "currents"}
BUCKET_ARNS = [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/currents/*"]
CURRENTS_ACTIONS = ["s3:ListBucket", "s3:GetBucketLocation", "s3:PutObject", "s3:GetObject"]
NATIVE_BUCKET_POLICY = "aws-native:s3:BucketPolicy"


def _allow(principal: Any = None, **element: Any) -> dict[str, Any]:
    """An Allow in a bucket policy, to Braze's role unless another principal is given."""
    statement: dict[str, Any] = {"Effect": "Allow", "Principal": principal or {"AWS": ROLE_ARN}}
    statement.update(element or {"Action": CURRENTS_ACTIONS, "Resource": BUCKET_ARNS})
    return statement


def _role(arn_known: bool = True) -> Any:
    """Braze's Currents role, with no policy of its own: what it may do comes from the bucket policy."""
    props: dict[str, Any] = {"name": "braze-currents", "assumeRolePolicy": doc(trust()), "tags": TAGS}
    if arn_known:
        props["arn"] = ROLE_ARN
    return res(T_ROLE, "role", props)


def _with_bucket_policy(*statements: dict[str, Any], role: Any = None) -> Stack:
    """The stack's bucket with these statements after its TLS Deny, and the role."""
    stack = bucket_stack()
    role = role or _role()
    body = doc(*json.loads(tls_doc())["Statement"], *statements)
    policy = res(T_BUCKET_POLICY, "data-tls", {"bucket": BUCKET, "policy": body}, {"bucket": [stack.find("data")]})
    return stack.add(role).replace("data-tls", policy)


def test_an_aws_native_bucket_policy_built_from_the_role_and_unknown_at_preview_is_a_note() -> None:
    """aws-native's BucketPolicy holds its document in `policyDocument`: built from the role's outputs, it
    may grant the role what it needs, so the check is a note; one that is not built from the role is not
    the role's grant, and the role has no permission."""
    stack = bucket_stack()
    role = _role(arn_known=False)
    data = stack.find("data")

    def native_policy(deps: dict[str, list[Any]]) -> Any:
        props = {"bucket": BUCKET, "policyDocument": UNKNOWN}
        return res(NATIVE_BUCKET_POLICY, "data-tls", props, {"bucket": [data], **deps})

    built_from_role = (
        Stack(list(stack.resources)).add(role).replace("data-tls", native_policy({"policyDocument": [role]}))
    )
    result = run(required_permissions.RULE, built_from_role)
    assert result.violations == [] and result.notes
    unrelated = Stack(list(stack.resources)).add(role).replace("data-tls", native_policy({}))
    assert names(run(required_permissions.RULE, unrelated)) == ["role"]


def test_a_known_bucket_policy_built_from_the_roles_outputs_is_read_like_any_other() -> None:
    """At an update the role exists and the policy built from its ARN is known: it grants the role
    nothing (only another principal), so the role lacks every permission; not a note."""
    role = _role()
    other = _allow({"AWS": f"arn:aws:iam::{ACCOUNT}:role/analytics"})
    stack = _with_bucket_policy(other, role=role)
    policy = stack.find("data-tls")
    stack.replace(
        "data-tls",
        res(T_BUCKET_POLICY, "data-tls", policy.props, {"bucket": [stack.find("data")], "policy": [role]}),
    )
    result = run(required_permissions.RULE, stack)
    assert names(result) == ["role"] and "no permission on any bucket" in result.violations[0].message


def test_an_allow_to_another_principal_first_does_not_hide_the_allow_to_brazes_role() -> None:
    analytics = _allow(
        {"AWS": f"arn:aws:iam::{ACCOUNT}:role/analytics"}, Action="s3:GetObject", Resource=f"arn:aws:s3:::{BUCKET}/*"
    )
    result = run(required_permissions.RULE, _with_bucket_policy(analytics, _allow()))
    assert result.violations == [] and result.notes == []


def test_an_unknown_bucket_policy_does_not_hide_the_buckets_inline_policy_that_grants_the_role() -> None:
    """A v6 Bucket's inline `policy` beside a BucketPolicy resource whose document is known only after
    deployment (built from the ARN of an analytics role created with it): the inline one's grant still
    counts."""
    stack = bucket_stack()
    inline = doc(_allow())
    data = res(T_BUCKET, "data", {"bucket": BUCKET, "policy": inline}, protect=True)
    service = {"Effect": "Allow", "Principal": {"Service": "glue.amazonaws.com"}, "Action": "sts:AssumeRole"}
    other = res(T_ROLE, "analytics", {"name": "analytics", "assumeRolePolicy": doc(service)})
    pending = res(
        T_BUCKET_POLICY, "data-tls", {"bucket": BUCKET, "policy": UNKNOWN}, {"bucket": [data], "policy": [other]}
    )
    stack.replace("data", data).replace("data-tls", pending).add(other, _role())
    assert names(run(required_permissions.RULE, stack)) == []


def test_a_bucket_policy_allow_by_notaction_grants_brazes_role_every_other_action() -> None:
    """NotAction in a bucket policy grants every action it does not list: Braze's role has what it needs,
    and bucket control with it."""
    statement = _allow(NotAction=["s3:DeleteBucket"], Resource=[f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"])
    stack = _with_bucket_policy(statement)
    assert run(required_permissions.RULE, stack).violations == []
    assert names(run(bucket_control.RULE, stack)) == ["role"]


def test_a_bucket_policy_allow_by_notresource_grants_brazes_role_on_what_it_does_not_exclude() -> None:
    statement = _allow(Action=CURRENTS_ACTIONS, NotResource=f"arn:aws:s3:::{BUCKET}/private/*")
    result = run(required_permissions.RULE, _with_bucket_policy(statement))
    assert result.violations == [] and result.notes == []


def test_an_allow_of_actions_braze_does_not_use_does_not_make_a_bucket_brazes() -> None:
    """The backups bucket (with Object Lock) lets Braze's role list its versions: not one of Braze's
    actions, so the bucket is not Braze's and its Object Lock is none of the pack's business."""
    stack = bucket_stack()
    role_with_policy(
        stack,
        "currents",
        doc(
            bucket_statement(), objects_statement(["s3:PutObject", "s3:GetObject"], f"arn:aws:s3:::{BUCKET}/currents/*")
        ),
        role_props={"name": "braze-currents", "arn": ROLE_ARN},
    )
    backups = res(T_BUCKET, "backups", {"bucket": "acme-backups", "objectLockEnabled": True})
    versions = _allow(Action="s3:ListBucketVersions", Resource="arn:aws:s3:::acme-backups")
    stack.add(
        backups,
        res(
            T_BUCKET_POLICY,
            "backups-policy",
            {"bucket": "acme-backups", "policy": doc(versions)},
            {"bucket": [backups]},
        ),
    )
    assert run(required_permissions.RULE, stack).violations == []
    assert run(object_lock.RULE, stack).violations == []


ACCESS_POINT = f"arn:aws:s3:eu-west-1:{ACCOUNT}:accesspoint/braze"


def test_a_resource_list_that_starts_with_an_access_point_still_names_the_bucket() -> None:
    """Braze's role is granted on its access point and on the bucket, in one Resource list each: the
    bucket is named (and Braze's), and the role has what it needs; nothing is missing."""
    stack = bucket_stack(objectLockEnabled=True)
    document = doc(
        {
            "Effect": "Allow",
            "Action": ["s3:ListBucket", "s3:GetBucketLocation"],
            "Resource": [ACCESS_POINT, f"arn:aws:s3:::{BUCKET}"],
        },
        objects_statement(
            ["s3:PutObject", "s3:GetObject"], [f"{ACCESS_POINT}/object/currents/*", f"arn:aws:s3:::{BUCKET}/currents/*"]
        ),
    )
    role_with_policy(stack, "currents", document)
    assert run(required_permissions.RULE, stack).violations == []
    assert names(run(object_lock.RULE, stack)) == ["data"]


def test_a_bucket_named_after_an_every_bucket_entry_in_the_same_list_is_brazes() -> None:
    """`["arn:aws:s3:::*", "arn:aws:s3:::acme-braze"]`: the grant on every bucket does not end the list;
    the bucket it names is Braze's, and its Object Lock is reported."""
    stack = bucket_stack(objectLockEnabled=True)
    document = doc(
        {
            "Effect": "Allow",
            "Action": ["s3:ListBucket", "s3:GetBucketLocation"],
            "Resource": ["arn:aws:s3:::*", f"arn:aws:s3:::{BUCKET}"],
        },
        objects_statement(
            ["s3:PutObject", "s3:GetObject"], ["arn:aws:s3:::*/braze/*", f"arn:aws:s3:::{BUCKET}/currents/*"]
        ),
    )
    role_with_policy(stack, "currents", document)
    assert names(run(object_lock.RULE, stack)) == ["data"]


def test_a_bucket_policy_that_names_another_bucket_leaves_the_role_without_permission_on_its_own() -> None:
    """A bucket policy copied from another stack still names `acme-braze-old`: S3 refuses it at deployment,
    the pack judges it at preview. It grants nothing on `acme-braze`: the role lacks what it needs there."""
    old = [f"arn:aws:s3:::{BUCKET}-old", f"arn:aws:s3:::{BUCKET}-old/currents/*"]
    result = run(required_permissions.RULE, _with_bucket_policy(_allow(Action=CURRENTS_ACTIONS, Resource=old)))
    assert names(result) == ["role"] and f"lacks s3:ListBucket on arn:aws:s3:::{BUCKET}" in result.violations[0].message


def test_a_notresource_that_leaves_out_only_the_bucket_still_reaches_its_objects() -> None:
    """`NotResource: arn:aws:s3:::acme-braze` leaves out the bucket, not its objects: the role may still
    write, read and delete in it, which makes it dashboard export's; only the bucket's own actions are
    missing."""
    stack = bucket_stack(tags={"braze:bucket": "true"})
    actions = ["s3:ListBucket", "s3:GetBucketLocation", "s3:PutObject", "s3:GetObject", "s3:DeleteObject"]
    role_with_policy(
        stack, "export", doc({"Effect": "Allow", "Action": actions, "NotResource": f"arn:aws:s3:::{BUCKET}"})
    )
    result = run(required_permissions.RULE, stack)
    assert [v.message.split(" on bucket ")[0] for v in result.violations] == [
        f'"export-role" (aws:iam/role:Role) (dashboard-export) lacks s3:ListBucket on arn:aws:s3:::{BUCKET}; '
        f"s3:GetBucketLocation on arn:aws:s3:::{BUCKET}"
    ]
