"""The stand-in's IAM resources in the emulator: roles, users, managed policies, attachments, access keys.

Ids as pulumi-aws gives them: a role's and a user's is the name, a policy's its ARN, an access key's its
access key id, an attachment's `<role or user>-<unique suffix>` (Terraform's `id.PrefixedUniqueId`). ARNs and
unique ids are the emulator's own. An access key's `secret` is returned once, at create, and kept from the
state afterwards (AWS never returns it again); the provider marks it secret. Documents are kept as the
program wrote them while the emulator holds the same content (the Terraform provider's equivalence check).

Where moto is not AWS: IAM evaluates only `StringEquals sts:ExternalId` among conditions, and a role's trust
is matched against a caller's exact ARN (shared/pulumi-notes.md); moto deletes a user that still has access
keys or attached policies, where AWS refuses with DeleteConflict (the engine deletes those first anyway).
`sesSmtpPasswordV4` is not computed.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from braze_s3_tools.realcli.aws_common import (
    Ctx,
    aws_tags,
    document_text,
    ints,
    keep_equivalent,
    or_none_when_gone,
    same,
    tags_of,
)

GONE = frozenset({"NoSuchEntity"})


def _gone(call: Callable[[], Any]) -> Any:
    return or_none_when_gone(call, GONE)


def _when(value: Any) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _retag(kind: str, name_arg: dict[str, str], olds: Any, news: Any, ctx: Ctx) -> None:
    iam = ctx.client("iam")
    old, new = dict(olds or {}), dict(news or {})
    removed = sorted(set(old) - set(new))
    if removed:
        getattr(iam, f"untag_{kind}")(**name_arg, TagKeys=removed)
    if new and new != old:
        getattr(iam, f"tag_{kind}")(**name_arg, Tags=aws_tags(new))


# --- roles ---------------------------------------------------------------------------------


def _role_outputs(role: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    tags = tags_of(role.get("Tags"))
    out = {
        **base,
        "id": role["RoleName"],
        "name": role["RoleName"],
        "arn": role["Arn"],
        "uniqueId": role["RoleId"],
        "createDate": _when(role["CreateDate"]),
        "path": role["Path"],
        "assumeRolePolicy": document_text(
            keep_equivalent(base.get("assumeRolePolicy"), role["AssumeRolePolicyDocument"])
        ),
        "maxSessionDuration": role.get("MaxSessionDuration", 3600),
        "tags": tags,
        "tagsAll": tags,
    }
    if role.get("Description") or "description" in base:
        out["description"] = role.get("Description", "")
    boundary = (role.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn")
    if boundary or base.get("permissionsBoundary"):
        out["permissionsBoundary"] = boundary or ""
    return out


def role_create(inputs: dict[str, Any], ctx: Ctx) -> tuple[str, dict[str, Any]]:
    args: dict[str, Any] = {
        "RoleName": inputs["name"],
        "Path": inputs.get("path") or "/",
        "AssumeRolePolicyDocument": inputs["assumeRolePolicy"],
        "MaxSessionDuration": ints(inputs.get("maxSessionDuration") or 3600),
        "Tags": aws_tags(inputs.get("tags")),
    }
    if inputs.get("description"):
        args["Description"] = inputs["description"]
    if inputs.get("permissionsBoundary"):
        args["PermissionsBoundary"] = inputs["permissionsBoundary"]
    role = ctx.client("iam").create_role(**args)["Role"]
    return role["RoleName"], _role_outputs(role, inputs)


def role_update(id_: str, olds: dict[str, Any], news: dict[str, Any], ctx: Ctx) -> dict[str, Any]:
    iam = ctx.client("iam")
    if not same(olds.get("assumeRolePolicy"), news.get("assumeRolePolicy")):
        iam.update_assume_role_policy(RoleName=id_, PolicyDocument=news["assumeRolePolicy"])
    if olds.get("description") != news.get("description") or olds.get("maxSessionDuration") != news.get(
        "maxSessionDuration"
    ):
        iam.update_role(
            RoleName=id_,
            Description=news.get("description") or "",
            MaxSessionDuration=ints(news.get("maxSessionDuration") or 3600),
        )
    if olds.get("permissionsBoundary") != news.get("permissionsBoundary"):
        if news.get("permissionsBoundary"):
            iam.put_role_permissions_boundary(RoleName=id_, PermissionsBoundary=news["permissionsBoundary"])
        else:
            iam.delete_role_permissions_boundary(RoleName=id_)
    _retag("role", {"RoleName": id_}, olds.get("tags"), news.get("tags"), ctx)
    return _role_outputs(iam.get_role(RoleName=id_)["Role"], news)


def role_delete(id_: str, outputs: dict[str, Any], ctx: Ctx) -> None:
    iam = ctx.client("iam")
    if outputs.get("forceDetachPolicies"):
        for attached in iam.list_attached_role_policies(RoleName=id_)["AttachedPolicies"]:
            iam.detach_role_policy(RoleName=id_, PolicyArn=attached["PolicyArn"])
    iam.delete_role(RoleName=id_)


def role_read(id_: str, state: dict[str, Any], ctx: Ctx) -> dict[str, Any] | None:
    got = _gone(lambda: ctx.client("iam").get_role(RoleName=id_))
    return None if got is None else _role_outputs(got["Role"], state)


# --- users ---------------------------------------------------------------------------------


def _user_outputs(user: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    tags = tags_of(user.get("Tags"))
    out = {
        **base,
        "id": user["UserName"],
        "name": user["UserName"],
        "arn": user["Arn"],
        "uniqueId": user["UserId"],
        "path": user["Path"],
        "tags": tags,
        "tagsAll": tags,
    }
    boundary = (user.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn")
    if boundary or base.get("permissionsBoundary"):
        out["permissionsBoundary"] = boundary or ""
    return out


def user_create(inputs: dict[str, Any], ctx: Ctx) -> tuple[str, dict[str, Any]]:
    args: dict[str, Any] = {
        "UserName": inputs["name"],
        "Path": inputs.get("path") or "/",
        "Tags": aws_tags(inputs.get("tags")),
    }
    if inputs.get("permissionsBoundary"):
        args["PermissionsBoundary"] = inputs["permissionsBoundary"]
    user = ctx.client("iam").create_user(**args)["User"]
    return user["UserName"], _user_outputs(user, inputs)


def user_update(id_: str, olds: dict[str, Any], news: dict[str, Any], ctx: Ctx) -> dict[str, Any]:
    iam = ctx.client("iam")
    name = str(news.get("name") or id_)
    if name != id_ or olds.get("path") != news.get("path"):  # IAM renames and moves users in place
        iam.update_user(UserName=id_, NewUserName=name, NewPath=news.get("path") or "/")
    if olds.get("permissionsBoundary") != news.get("permissionsBoundary"):
        if news.get("permissionsBoundary"):
            iam.put_user_permissions_boundary(UserName=name, PermissionsBoundary=news["permissionsBoundary"])
        else:
            iam.delete_user_permissions_boundary(UserName=name)
    _retag("user", {"UserName": name}, olds.get("tags"), news.get("tags"), ctx)
    return _user_outputs(iam.get_user(UserName=name)["User"], news)


def user_delete(id_: str, outputs: dict[str, Any], ctx: Ctx) -> None:
    # forceDestroy false (this program's value): a user that still has keys or policies is refused, as in AWS.
    ctx.client("iam").delete_user(UserName=id_)


def user_read(id_: str, state: dict[str, Any], ctx: Ctx) -> dict[str, Any] | None:
    got = _gone(lambda: ctx.client("iam").get_user(UserName=id_))
    return None if got is None else _user_outputs(got["User"], state)


# --- managed policies ---------------------------------------------------------------------


def _policy_outputs(arn: str, base: dict[str, Any], ctx: Ctx) -> dict[str, Any]:
    iam = ctx.client("iam")
    policy = iam.get_policy(PolicyArn=arn)["Policy"]
    version = iam.get_policy_version(PolicyArn=arn, VersionId=policy["DefaultVersionId"])["PolicyVersion"]
    tags = tags_of(policy.get("Tags"))
    return {
        **base,
        "id": arn,
        "arn": arn,
        "name": policy["PolicyName"],
        "path": policy["Path"],
        "policyId": policy["PolicyId"],
        "attachmentCount": policy.get("AttachmentCount", 0),
        "description": policy.get("Description", base.get("description", "")),
        "policy": document_text(keep_equivalent(base.get("policy"), version["Document"])),
        "tags": tags,
        "tagsAll": tags,
    }


def policy_create(inputs: dict[str, Any], ctx: Ctx) -> tuple[str, dict[str, Any]]:
    args: dict[str, Any] = {
        "PolicyName": inputs["name"],
        "Path": inputs.get("path") or "/",
        "PolicyDocument": inputs["policy"],
        "Tags": aws_tags(inputs.get("tags")),
    }
    if inputs.get("description"):
        args["Description"] = inputs["description"]
    arn = ctx.client("iam").create_policy(**args)["Policy"]["Arn"]
    return arn, _policy_outputs(arn, inputs, ctx)


def policy_update(id_: str, olds: dict[str, Any], news: dict[str, Any], ctx: Ctx) -> dict[str, Any]:
    iam = ctx.client("iam")
    if not same(olds.get("policy"), news.get("policy")):
        # IAM keeps at most five versions: drop the oldest non-default one first, as the Terraform provider does.
        versions = iam.list_policy_versions(PolicyArn=id_)["Versions"]
        if len(versions) >= 5:
            oldest = min((v for v in versions if not v["IsDefaultVersion"]), key=lambda v: v["CreateDate"])
            iam.delete_policy_version(PolicyArn=id_, VersionId=oldest["VersionId"])
        iam.create_policy_version(PolicyArn=id_, PolicyDocument=news["policy"], SetAsDefault=True)
    _retag("policy", {"PolicyArn": id_}, olds.get("tags"), news.get("tags"), ctx)
    return _policy_outputs(id_, news, ctx)


def policy_delete(id_: str, outputs: dict[str, Any], ctx: Ctx) -> None:
    iam = ctx.client("iam")
    for version in iam.list_policy_versions(PolicyArn=id_)["Versions"]:
        if not version["IsDefaultVersion"]:
            iam.delete_policy_version(PolicyArn=id_, VersionId=version["VersionId"])
    iam.delete_policy(PolicyArn=id_)


def policy_read(id_: str, state: dict[str, Any], ctx: Ctx) -> dict[str, Any] | None:
    if _gone(lambda: ctx.client("iam").get_policy(PolicyArn=id_)) is None:
        return None
    return _policy_outputs(id_, state, ctx)


# --- attachments ---------------------------------------------------------------------------


def _attachment(kind: str) -> tuple[Callable[..., Any], ...]:
    """RolePolicyAttachment (kind "role") or UserPolicyAttachment ("user")."""
    key = "RoleName" if kind == "role" else "UserName"

    def attached(who: str, ctx: Ctx) -> list[str]:
        listing = getattr(ctx.client("iam"), f"list_attached_{kind}_policies")(**{key: who})
        return [p["PolicyArn"] for p in listing["AttachedPolicies"]]

    def create(inputs: dict[str, Any], ctx: Ctx) -> tuple[str, dict[str, Any]]:
        who = str(inputs[kind])
        getattr(ctx.client("iam"), f"attach_{kind}_policy")(**{key: who}, PolicyArn=inputs["policyArn"])
        id_ = f"{who}-{datetime.now(UTC):%Y%m%d%H%M%S%f}{secrets.token_hex(4)}"
        return id_, {**inputs, "id": id_}

    def update(id_: str, olds: dict[str, Any], news: dict[str, Any], ctx: Ctx) -> dict[str, Any]:
        return {**news, "id": id_}  # both inputs replace: nothing is updated in place

    def delete(id_: str, outputs: dict[str, Any], ctx: Ctx) -> None:
        _gone(
            lambda: getattr(ctx.client("iam"), f"detach_{kind}_policy")(
                **{key: outputs[kind]}, PolicyArn=outputs["policyArn"]
            )
        )

    def read(id_: str, state: dict[str, Any], ctx: Ctx) -> dict[str, Any] | None:
        who, arn = state.get(kind), state.get("policyArn")
        if not who or not arn:
            return None  # an attachment is found by its principal and policy, which an import id does not carry
        listing = _gone(lambda: attached(str(who), ctx))
        return {**state, "id": id_} if listing and arn in listing else None

    return create, update, delete, read


# --- access keys ---------------------------------------------------------------------------


def key_create(inputs: dict[str, Any], ctx: Ctx) -> tuple[str, dict[str, Any]]:
    iam = ctx.client("iam")
    key = iam.create_access_key(UserName=inputs["user"])["AccessKey"]
    status = inputs.get("status") or "Active"
    if status != key["Status"]:
        iam.update_access_key(UserName=inputs["user"], AccessKeyId=key["AccessKeyId"], Status=status)
    return key["AccessKeyId"], {
        **inputs,
        "id": key["AccessKeyId"],
        "status": status,
        "createDate": _when(key["CreateDate"]),
        "secret": key["SecretAccessKey"],
    }


def key_update(id_: str, olds: dict[str, Any], news: dict[str, Any], ctx: Ctx) -> dict[str, Any]:
    status = news.get("status") or "Active"
    if status != olds.get("status"):
        ctx.client("iam").update_access_key(UserName=news["user"], AccessKeyId=id_, Status=status)
    return {**olds, **news, "id": id_, "status": status}


def key_delete(id_: str, outputs: dict[str, Any], ctx: Ctx) -> None:
    ctx.client("iam").delete_access_key(UserName=outputs["user"], AccessKeyId=id_)


def key_read(id_: str, state: dict[str, Any], ctx: Ctx) -> dict[str, Any] | None:
    user = state.get("user")
    if not user:
        return None
    listing = _gone(lambda: ctx.client("iam").list_access_keys(UserName=user))
    for key in (listing or {}).get("AccessKeyMetadata", []):
        if key["AccessKeyId"] == id_:
            return {**state, "id": id_, "status": key["Status"], "createDate": _when(key["CreateDate"])}
    return None


def iam_kinds() -> dict[str, tuple[Callable[..., Any], ...]]:
    """type -> (create, update, delete, read)."""
    return {
        "aws:iam/role:Role": (role_create, role_update, role_delete, role_read),
        "aws:iam/user:User": (user_create, user_update, user_delete, user_read),
        "aws:iam/policy:Policy": (policy_create, policy_update, policy_delete, policy_read),
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment": _attachment("role"),
        "aws:iam/userPolicyAttachment:UserPolicyAttachment": _attachment("user"),
        "aws:iam/accessKey:AccessKey": (key_create, key_update, key_delete, key_read),
    }
