"""Hand-written stacks for direct rule tests: resources as the engine hands them to a stack policy."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from braze_rules.findings import RuleResult
from braze_rules.model_builder import build_model
from braze_rules.resources import Res, clean
from braze_rules.rule import Rule

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # the engine's sentinel for an unknown string
BRAZE_ACCOUNT = "716373062512"
BUCKET = "acme-braze"
EXTERNAL_ID = "6f1c2b9e-3f7d-4c55-9a38-1b2d7c0e4a11"

T_BUCKET = "aws:s3/bucket:Bucket"
T_PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
T_SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
T_BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
T_ROLE = "aws:iam/role:Role"
T_USER = "aws:iam/user:User"
T_POLICY = "aws:iam/policy:Policy"
T_ROLE_ATTACH = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
T_USER_ATTACH = "aws:iam/userPolicyAttachment:UserPolicyAttachment"
T_KEY = "aws:iam/accessKey:AccessKey"


def urn(type_: str, name: str, parent_types: tuple[str, ...] = ()) -> str:
    chain = "$".join(("pulumi:pulumi:Stack", *parent_types, type_))
    return f"urn:pulumi:test::handwritten::{chain}::{name}"


def res(
    type_: str,
    name: str,
    props: dict[str, Any],
    deps: dict[str, list[Res]] | None = None,
    protect: bool = False,
    parent: Res | None = None,
) -> Res:
    parent_types = tuple(parent.type_chain()[1:]) if parent else ()
    return Res(
        urn=urn(type_, name, parent_types),
        type=type_,
        name=name,
        props=clean(props),
        parent=parent.urn if parent else None,
        dependencies=[d.urn for ds in (deps or {}).values() for d in ds],
        property_dependencies={k: [d.urn for d in v] for k, v in (deps or {}).items()},
        protect=protect,
    )


def doc(*statements: dict[str, Any], as_json: bool = True) -> Any:
    body = {"Version": "2012-10-17", "Statement": list(statements)}
    return json.dumps(body) if as_json else body


def trust(
    account: str = BRAZE_ACCOUNT, external_ids: Any = EXTERNAL_ID, operator: str = "StringEquals"
) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
        "Action": "sts:AssumeRole",
    }
    if external_ids is not None:
        statement["Condition"] = {operator: {"sts:ExternalId": external_ids}}
    return statement


def bucket_statement(bucket: str = BUCKET) -> dict[str, Any]:
    return {
        "Effect": "Allow",
        "Action": ["s3:ListBucket", "s3:GetBucketLocation"],
        "Resource": f"arn:aws:s3:::{bucket}",
    }


def objects_statement(actions: list[str], resource: str) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": actions, "Resource": resource}


def currents_policy_doc(
    folder: str = "currents", bucket: str = BUCKET, extra: list[dict[str, Any]] | None = None, **kw: Any
) -> Any:
    return doc(
        bucket_statement(bucket),
        objects_statement(["s3:PutObject", "s3:GetObject"], f"arn:aws:s3:::{bucket}/{folder}/*"),
        *(extra or []),
        **kw,
    )


def export_policy_doc(bucket: str = BUCKET, extra: list[dict[str, Any]] | None = None, **kw: Any) -> Any:
    return doc(
        bucket_statement(bucket),
        objects_statement(["s3:PutObject", "s3:GetObject", "s3:DeleteObject"], f"arn:aws:s3:::{bucket}/*"),
        *(extra or []),
        **kw,
    )


def tls_doc(bucket: str = BUCKET) -> Any:
    return doc(
        {
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    )


def with_bucket_policy(stack: Stack, *statements: dict[str, Any]) -> Stack:
    """The stack with these statements added to its TLS bucket policy (`data-tls`)."""
    body = json.loads(tls_doc(BUCKET))
    body["Statement"] += list(statements)
    policy = res(
        T_BUCKET_POLICY, "data-tls", {"bucket": BUCKET, "policy": json.dumps(body)}, {"bucket": [stack.find("data")]}
    )
    return stack.replace("data-tls", policy)


@dataclass
class Stack:
    """A hand-written Braze stack: a locked-down bucket and its integrations, editable per test."""

    resources: list[Res] = field(default_factory=list)

    def add(self, *items: Res) -> Stack:
        self.resources.extend(items)
        return self

    def find(self, name: str) -> Res:
        return next(r for r in self.resources if r.name == name)

    def replace(self, name: str, new: Res) -> Stack:
        self.resources = [new if r.name == name else r for r in self.resources]
        return self

    def remove(self, name: str) -> Stack:
        self.resources = [r for r in self.resources if r.name != name]
        return self


def bucket_stack(bucket: str = BUCKET, protect: bool = True, **bucket_props: Any) -> Stack:
    b = res(T_BUCKET, "data", {"bucket": bucket, **bucket_props}, protect=protect)
    return Stack().add(
        b,
        res(
            T_PAB,
            "data-pab",
            {
                "bucket": bucket,
                "blockPublicAcls": True,
                "blockPublicPolicy": True,
                "ignorePublicAcls": True,
                "restrictPublicBuckets": True,
            },
            {"bucket": [b]},
        ),
        res(
            T_SSE,
            "data-sse",
            {"bucket": bucket, "rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]},
            {"bucket": [b]},
        ),
        res(T_BUCKET_POLICY, "data-tls", {"bucket": bucket, "policy": tls_doc(bucket)}, {"bucket": [b]}),
    )


def role_with_policy(
    stack: Stack, name: str, policy_doc: Any, trust_doc: Any = None, role_props: dict[str, Any] | None = None
) -> Stack:
    role = res(
        T_ROLE,
        f"{name}-role",
        {"assumeRolePolicy": trust_doc if trust_doc is not None else doc(trust()), **(role_props or {})},
    )
    policy = res(T_POLICY, f"{name}-policy", {"policy": policy_doc})
    attach = res(
        T_ROLE_ATTACH,
        f"{name}-attach",
        {"role": UNKNOWN, "policyArn": UNKNOWN},
        {"role": [role], "policyArn": [policy]},
    )
    return stack.add(role, policy, attach)


def user_with_policy(stack: Stack, name: str, policy_doc: Any, user_props: dict[str, Any] | None = None) -> Stack:
    user = res(T_USER, f"{name}-user", {"name": f"{name}-user", **(user_props or {})})
    policy = res(T_POLICY, f"{name}-policy", {"policy": policy_doc})
    attach = res(
        T_USER_ATTACH,
        f"{name}-attach",
        {"user": f"{name}-user", "policyArn": UNKNOWN},
        {"user": [user], "policyArn": [policy]},
    )
    key = res(T_KEY, f"{name}-key", {"user": f"{name}-user"}, {"user": [user]})
    return stack.add(user, policy, attach, key)


def good_stack() -> Stack:
    """A hand-written stack that is right in every respect the pack checks."""
    stack = bucket_stack()
    role_with_policy(stack, "currents-main", currents_policy_doc("currents"))
    role_with_policy(stack, "currents-eu", currents_policy_doc("currents-eu"))
    role_with_policy(stack, "export", export_policy_doc())
    return stack


def run(rule: Rule, stack: Stack | list[Res], account_ids: tuple[str, ...] = (BRAZE_ACCOUNT,)) -> RuleResult:
    resources = stack.resources if isinstance(stack, Stack) else stack
    result = rule.check(build_model(resources, account_ids))
    assert_reportable(rule, result, resources)
    return result


def assert_reportable(rule: Rule, result: RuleResult, resources: list[Res]) -> None:
    """What every finding owes the user, checked on every rule run of the in-process tests: a
    violation names the resource it is tied to (a URN of this stack) in a sentence; a note names
    its rule."""
    by_urn = {r.urn: r for r in resources}
    for violation in result.violations:
        assert isinstance(violation.message, str) and len(violation.message) > 20, f"{rule.name}: {violation}"
        assert violation.urn in by_urn, f"{rule.name}: a violation must point at a resource of the stack: {violation}"
        # It names a resource of the stack: the one it is tied to, or the principal behind that policy.
        assert any(f'"{r.name}"' in violation.message for r in resources), (
            f"{rule.name}: the message names no resource: {violation.message}"
        )
    for note in result.notes:
        assert isinstance(note, str) and note.startswith(f"{rule.name}"), f"{rule.name}: note {note!r}"


def names(result: RuleResult) -> list[str]:
    """The resource names the violations point at."""
    return sorted(v.urn.rsplit("::", 1)[-1] for v in result.violations if v.urn)


def to_wire(value: Any) -> Any:
    """Properties as the engine sends them: unknowns as its sentinel."""
    if value is UNKNOWN_MARK:
        return UNKNOWN
    if isinstance(value, dict):
        return {k: to_wire(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_wire(v) for v in value]
    return value


def as_policy_resources(resources: list[Res]) -> list[Any]:
    """The same resources as the SDK hands them to a stack policy: proxied props, object links."""
    from pulumi_policy.deserialize import deserialize_properties
    from pulumi_policy.policy import PolicyCustomTimeouts, PolicyResource, PolicyResourceOptions
    from pulumi_policy.proxy import unknown_checking_proxy

    out = {}
    for r in resources:
        props = unknown_checking_proxy(deserialize_properties(to_wire(r.props)))
        opts = PolicyResourceOptions(r.protect, [], None, [], PolicyCustomTimeouts(0, 0, 0), [], r.parent)
        out[r.urn] = PolicyResource(r.type, props, r.urn, r.name, opts, None, None, [], {})
    for r in resources:
        pr = out[r.urn]
        pr.parent = out.get(r.parent) if r.parent else None
        pr.dependencies = [out[u] for u in r.dependencies if u in out]
        pr.property_dependencies = {k: [out[u] for u in v if u in out] for k, v in r.property_dependencies.items()}
    return list(out.values())


def analyzer_resource(r: Res) -> Any:
    """The resource as the engine sends it to a policy pack over gRPC (`AnalyzerResource`)."""
    from google.protobuf import struct_pb2
    from pulumi.runtime.proto import analyzer_pb2

    props = struct_pb2.Struct()
    props.update(to_wire(r.props))
    return analyzer_pb2.AnalyzerResource(
        type=r.type,
        properties=props,
        urn=r.urn,
        name=r.name,
        options=analyzer_pb2.AnalyzerResourceOptions(protect=r.protect, parent=r.parent or ""),
        parent=r.parent or "",
        dependencies=r.dependencies,
        propertyDependencies={
            k: analyzer_pb2.AnalyzerPropertyDependencies(urns=v) for k, v in r.property_dependencies.items()
        },
    )


# A customer managed KMS key and the IAM grant that lets a principal write through it.
KMS_KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
KMS_GRANT = {"Effect": "Allow", "Action": ["kms:GenerateDataKey", "kms:Decrypt"], "Resource": KMS_KEY_ARN}


def kms_key(policy: Any = None, **props: Any) -> Res:
    """The customer managed key `data-key`, with its own key policy when given."""
    return res(
        "aws:kms/key:Key",
        "data-key",
        {"arn": KMS_KEY_ARN, **props, **({"policy": policy} if policy is not None else {})},
    )


from braze_rules.resources import UNKNOWN as UNKNOWN_MARK  # noqa: E402 - after the helpers that use it
