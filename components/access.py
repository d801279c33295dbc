"""The IAM side of one integration: its own policy and its own principal (role or user + keys).

Shared by `braze:s3:CurrentsConnector` and `braze:s3:DashboardExport`, which differ only in
the document and the tags. The principal's inputs never depend on the folder, SSE or
lifecycle, so changing those leaves the credentials Braze holds untouched.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pulumi
from pulumi_aws import iam

from components import documents, naming, tags
from components.secrecy import secret_if
from components.settings import AccessKeyAuth, Auth, Integration, RoleAuth, StackContext


@dataclass(frozen=True)
class AccessArgs:
    """What every integration needs to get its IAM resources."""

    integration: Integration
    connector: str
    auth: Auth
    policy_document: documents.Document
    context: StackContext = field(default_factory=StackContext)
    folder_path: str | None = None
    config_key: str = "currents"  # the top-level config key the integration comes from
    bucket_config_key: str = "bucket"  # the top-level config key its bucket comes from

    def iam_name(self, logical: str) -> str | None:
        """The explicit IAM name of a child, or None to keep Pulumi's auto-name."""
        if self.context.iam_name_prefix is None:
            return None
        return naming.iam_name(self.context.iam_name_prefix, logical, pulumi.get_project(), pulumi.get_stack())

    def secret(self, *keys: str) -> bool:
        """Whether a value built from these keys (and always the integration's own) is secret."""
        return self.context.is_secret(*keys, self.config_key)


@dataclass
class AccessOutputs:
    """The credentials Braze needs, as outputs; secrets already wrapped as Pulumi secrets."""

    policy_arn: pulumi.Output[str]
    role_arn: pulumi.Output[str] | None = None
    user_name: pulumi.Output[str] | None = None
    access_keys: dict[str, dict[str, Any]] = field(default_factory=dict)  # generation -> id + secret's output name
    secret_outputs: dict[str, pulumi.Output[str]] = field(default_factory=dict)  # output name -> secret

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"policyArn": self.policy_arn}
        if self.role_arn is not None:
            out["roleArn"] = self.role_arn
        if self.user_name is not None:
            out["userName"] = self.user_name
            out["accessKeys"] = self.access_keys
        return out


def build_access(parent: pulumi.Resource, name: str, args: AccessArgs) -> AccessOutputs:
    """Create the policy, the principal and the attachment, all children of ``parent``."""
    child = pulumi.ResourceOptions(parent=parent)
    description = f"Braze {args.integration} ({args.connector}): written by the braze-s3 Pulumi project"
    policy = iam.Policy(
        f"{name}-policy",
        name=args.iam_name(f"{name}-policy"),
        path=secret_if(args.secret("iamPath"), args.context.iam_path),
        description=secret_if(args.secret(), description),
        policy=secret_if(args.secret(args.bucket_config_key), json.dumps(args.policy_document, indent=2)),
        tags=secret_if(
            args.secret("tags"),
            tags.policy_tags(args.context.tags, args.integration, args.connector, args.folder_path),
        ),
        opts=child,
    )
    principal_tags = secret_if(
        args.secret("tags"), tags.principal_tags(args.context.tags, args.integration, args.connector)
    )
    if isinstance(args.auth, RoleAuth):
        return _role(
            name=name,
            args=args,
            auth=args.auth,
            policy=policy,
            principal_tags=principal_tags,
            description=description,
            child=child,
        )
    return _user(name=name, args=args, auth=args.auth, policy=policy, principal_tags=principal_tags, child=child)


def _role(
    *,
    name: str,
    args: AccessArgs,
    auth: RoleAuth,
    policy: iam.Policy,
    principal_tags: Any,
    description: str,
    child: pulumi.ResourceOptions,
) -> AccessOutputs:
    account_id = args.context.braze_account_id
    if account_id is None:  # config validation guarantees it; keep mypy and readers honest
        raise ValueError("a role needs Braze's account id")
    role = iam.Role(
        f"{name}-role",
        name=args.iam_name(f"{name}-role"),
        path=secret_if(args.secret("iamPath"), args.context.iam_path),
        description=secret_if(args.secret(), description),
        permissions_boundary=secret_if(args.secret("permissionsBoundary"), args.context.permissions_boundary),
        assume_role_policy=secret_if(
            args.secret("brazeAccountId"),
            json.dumps(documents.braze_trust_policy(args.context.partition, account_id, auth.external_ids), indent=2),
        ),
        tags=principal_tags,
        opts=child,
    )
    iam.RolePolicyAttachment(f"{name}-attachment", role=role.name, policy_arn=policy.arn, opts=child)
    return AccessOutputs(
        policy_arn=secret_if(args.secret("iamPath"), policy.arn), role_arn=secret_if(args.secret("iamPath"), role.arn)
    )


def _user(
    *,
    name: str,
    args: AccessArgs,
    auth: AccessKeyAuth,
    policy: iam.Policy,
    principal_tags: Any,
    child: pulumi.ResourceOptions,
) -> AccessOutputs:
    user = iam.User(
        f"{name}-user",
        name=args.iam_name(f"{name}-user"),
        path=secret_if(args.secret("iamPath"), args.context.iam_path),
        permissions_boundary=secret_if(args.secret("permissionsBoundary"), args.context.permissions_boundary),
        tags=principal_tags,
        opts=child,
    )
    iam.UserPolicyAttachment(f"{name}-attachment", user=user.name, policy_arn=policy.arn, opts=child)
    keys: dict[str, dict[str, Any]] = {}
    secrets: dict[str, pulumi.Output[str]] = {}
    for generation in auth.generations:
        key = iam.AccessKey(
            f"{name}-key-{generation}",
            user=user.name,
            opts=pulumi.ResourceOptions(parent=child.parent, additional_secret_outputs=["secret"]),
        )
        output_name = naming.secret_output_name(name, generation)
        keys[generation] = {"accessKeyId": key.id, "secretOutput": output_name}
        # Wrapped again on purpose: the secret must stay secret even where a provider
        # or a mock returns it without the secret flag.
        secrets[output_name] = pulumi.Output.secret(key.secret)
    return AccessOutputs(
        policy_arn=secret_if(args.secret("iamPath"), policy.arn),
        user_name=secret_if(args.secret("iamPath"), user.name),
        access_keys=keys,
        secret_outputs=secrets,
    )
