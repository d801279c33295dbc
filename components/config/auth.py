"""How Braze authenticates, as config: a role with external ids, or an IAM user's key generations."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from components import documents, naming
from components.config import schema
from components.config.reader import Reader
from components.settings import PROJECT, AccessKeyAuth, Auth, RoleAuth

AUTH_METHODS = schema.key("currents[].auth").choices
ACCOUNT_ID = re.compile(r"^[0-9]{12}$")
EXTERNAL_ID = re.compile(r"^[A-Za-z0-9_+=,.@:/-]{2,1224}$")
KEY_GENERATION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
MAX_EXTERNAL_IDS = 5
MAX_KEY_GENERATIONS = 2  # IAM's own limit of access keys per user
# IAM quota "Role trust policy length" (non-whitespace characters): 2,048 unless raised, 4,096 at most.
DEFAULT_TRUST_POLICY, MAX_TRUST_POLICY = 2048, 4096


def parse_auth(reader: Reader, obj: Mapping[str, Any], path: str, account_id_needed: list[str]) -> Auth | None:
    method = reader.string(obj, "auth", path, default=schema.key("currents[].auth").default)
    if method not in AUTH_METHODS:
        if method is not None:
            close = difflib.get_close_matches(method, AUTH_METHODS, n=1, cutoff=0.5)
            hint = f'did you mean "{close[0]}"?' if close else "use role or accessKey"
            reader.problem(f"{path}.auth", f"{reader.show(f'{path}.auth', method)} is not an auth method; {hint}")
        return None
    external_ids = reader.string_list(obj, "externalIds", path)
    access_keys = reader.string_list(obj, "accessKeys", path)
    if method == "role":
        if "accessKeys" in obj:
            reader.problem(f"{path}.accessKeys", "applies to auth: accessKey only; remove it, or set auth: accessKey")
        account_id_needed.append(f"{path}.auth")
        return role_auth(reader, external_ids, path, obj)
    if "externalIds" in obj:
        reader.problem(f"{path}.externalIds", "applies to auth: role only; remove it, or set auth: role")
    return access_key_auth(reader, access_keys, path, obj)


def role_auth(reader: Reader, external_ids: list[str] | None, path: str, obj: Mapping[str, Any]) -> RoleAuth | None:
    key = f"{path}.externalIds"
    if not external_ids:
        if "externalIds" not in obj or external_ids == []:
            reader.problem(
                key,
                "is required for auth: role; copy the external id from the Braze page of this integration "
                f"(pulumi config set --path '{key}[0]' <external-id>)",
            )
        return None
    ok = True
    if len(external_ids) > MAX_EXTERNAL_IDS:
        reader.problem(key, f"lists {len(external_ids)} ids; keep at most {MAX_EXTERNAL_IDS} (two while rotating)")
        ok = False
    for index, external_id in enumerate(external_ids):
        if not EXTERNAL_ID.fullmatch(external_id):
            reader.problem(
                f"{key}[{index}]",
                f"{reader.show(f'{key}[{index}]', external_id)} is not an external id; AWS allows 2 to 1,224 of A-Z a-z 0-9 _+=,.@:/- "
                "(copy it exactly from the Braze dashboard)",
            )
            ok = False
    if len(set(external_ids)) != len(external_ids):
        reader.problem(key, "lists the same external id twice; list each once")
        ok = False
    if ok and (size := _trust_policy_size(external_ids)) > MAX_TRUST_POLICY:
        reader.problem(
            key,
            f"makes a trust policy of {size:,} characters; IAM refuses more than {MAX_TRUST_POLICY:,} (its quota "
            f'"Role trust policy length": {DEFAULT_TRUST_POLICY:,} by default, at most {MAX_TRUST_POLICY:,}), so the role '
            "could not be created; list fewer or shorter ids (Braze's are UUIDs)",
        )
        ok = False
    return RoleAuth(tuple(external_ids)) if ok else None


def _trust_policy_size(external_ids: list[str]) -> int:
    """The trust policy's length as IAM counts it (no whitespace), in the longest partition and account id."""
    document = documents.braze_trust_policy("aws-us-gov", "0" * 12, tuple(external_ids))
    return len(json.dumps(document, separators=(",", ":")))


def access_key_auth(
    reader: Reader, generations: list[str] | None, path: str, obj: Mapping[str, Any]
) -> AccessKeyAuth | None:
    key = f"{path}.accessKeys"
    if not generations:
        if "accessKeys" not in obj or generations == []:
            reader.problem(
                key,
                f"is required for auth: accessKey; name the key generation, e.g. [\"2026-11\"] (pulumi config set --path '{key}[0]' 2026-11)",
            )
        return None
    ok = True
    if len(generations) > MAX_KEY_GENERATIONS:
        reader.problem(
            key,
            f"lists {len(generations)} key generations; IAM allows {MAX_KEY_GENERATIONS} access keys per user: "
            "keep the one Braze uses and its successor, remove the oldest",
        )
        ok = False
    for index, generation in enumerate(generations):
        if not KEY_GENERATION.fullmatch(generation):
            reader.problem(
                f"{key}[{index}]",
                f"{reader.show(f'{key}[{index}]', generation)} is not a generation label; use up to 32 letters, digits, '.', '_' or '-', e.g. \"2026-11\"",
            )
            ok = False
    if len(set(generations)) != len(generations):
        reader.problem(key, "lists the same generation twice; give the new key a new label")
        ok = False
    return AccessKeyAuth(tuple(generations)) if ok else None


def parse_account_id(reader: Reader, value: Any, needed_by: list[str]) -> str | None:
    path = f"{PROJECT}:brazeAccountId"
    # "" is the declared default in Pulumi.yaml (a declared key without a default would be
    # required on every stack by the CLI, access-key-only stacks included).
    if value is None or value == "":
        if needed_by:
            reader.problem(
                path,
                f"is required because {needed_by[0]} is role; copy Braze's AWS account id from the Braze "
                f"dashboard (pulumi config set {path} <12-digit id>)",
            )
        return None
    account_id = str(value).strip()
    if not ACCOUNT_ID.fullmatch(account_id):
        reader.problem(
            path,
            f"{reader.show(path, account_id)} is not an AWS account id; it has exactly 12 digits "
            "(copy it from the Braze page of the integration; quote it in YAML so leading zeros stay)",
        )
        return None
    return account_id


def check_secret_outputs(reader: Reader, owners: Sequence[tuple[str, str, Auth]]) -> None:
    """Each access key gets a stack output of its own. (config path, component name, auth) per integration:
    `secretAccessKey-<component>-<generation>` has no separator names and labels cannot hold, so connector
    `a` with generation `b-c` and connector `a-b` with generation `c` would export one output, one secret lost."""
    seen: dict[str, str] = {}
    for path, component, auth in owners:
        if not isinstance(auth, AccessKeyAuth):
            continue
        for index, generation in enumerate(auth.generations):
            output = naming.secret_output_name(component, generation)
            key = f"{path}.accessKeys[{index}]"
            if output in seen:
                reader.problem(
                    key,
                    f"{reader.show(key, generation)} makes the secret output {output!r}, which {seen[output]} makes too: "
                    "one secret would overwrite the other; rename the connector or the key generation",
                )
            seen.setdefault(output, key)
