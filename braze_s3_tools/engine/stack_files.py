"""Read `Pulumi.yaml` and `Pulumi.<stack>.yaml` the way the Pulumi CLI does.

What the CLI does before a program runs, and where (pulumi/pulumi):
- parse both files with go-yaml v3 (`braze_s3_tools.engine.go_yaml`);
- check the project's config declarations (`Project.Validate`, sdk/go/common/workspace/project.go):
  no `default` together with `value`, arrays declare `items`, a default matches its type, keys of
  other namespaces carry a `value` and no type;
- merge the declarations under the stack's values (`mergeConfig`, pkg/workspace/config.go): a
  declared key of the project's namespace with no `default`/`value` that the stack does not set is
  an error ("Stack 'dev' is missing configuration value 'bucket'"); defaults fill in otherwise
  (`createConfigValue`);
- type-check each explicitly typed key (`validateStackConfigValue`, `ValidateConfigValue`): a
  non-object value is checked as its string, an object value as its JSON;
- decrypt `secure:` values (`braze_s3_tools.engine.config_secrets`) and hand the program each value as a
  string, objects as JSON (`object.MarshalString`), with the keys that hold a secret listed apart.

When the secrets cannot be opened here (no passphrase, or a cloud secrets provider), each secure
value is replaced by a stand-in of its declared type, and `StackConfig.undecrypted` lists where:
the plan says that what depends on them is checked only by a real preview. No ciphertext and no
stand-in is ever shown as a value: those keys are secret to the program.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from braze_s3_tools.engine import config_secrets, go_yaml
from components import naming
from components.config import schema as config_schema

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class StackConfig:
    project: str
    stack: str
    values: dict[str, str]  # full key ("braze-s3:bucket") -> string, as the engine passes it
    secret_keys: list[str] = field(default_factory=list)
    undecrypted: list[str] = field(default_factory=list)  # key paths given stand-ins, not decrypted
    secrets_provider: str | None = None  # when the stack file holds secure values


class StackFileError(Exception):
    """The CLI would stop before running the program: a file, a declaration or a value it refuses."""


def engine_string(value: Any) -> str:
    """How the CLI passes a config value to a program: strings as-is, the rest as Go's JSON."""
    return go_yaml.marshal_config_value(value)


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = go_yaml.load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StackFileError(f"{path.name}: no such file") from None
    except go_yaml.GoYamlError as error:
        raise StackFileError(f"{path.name}: not valid YAML: {error}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise StackFileError(f"{path.name}: expected a mapping at the top level")
    return data


# -- the project's declarations ---------------------------------------------------------------


def _matches_type(type_name: str, items: Any, value: Any) -> bool:
    """`ValidateConfigValue` of sdk/go/common/workspace/project.go."""
    if type_name == "string":
        return isinstance(value, str)
    if type_name == "integer":
        if isinstance(value, bool):
            return False
        if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
            return True
        return isinstance(value, str) and re.fullmatch(r"[+-]?[0-9]+", value) is not None  # strconv.Atoi
    if type_name == "boolean":
        return value in ("true", "false") or isinstance(value, bool)
    if type_name == "object":
        return isinstance(value, dict)
    if not isinstance(value, list) or not isinstance(items, dict):
        return False
    return all(_matches_type(str(items.get("type")), items.get("items"), item) for item in value)


def _full_type_name(type_name: str, items: Any) -> str:
    """`InferFullTypeName`: array<string>, array<object> …"""
    if isinstance(items, dict):
        return f"array<{_full_type_name(str(items.get('type')), items.get('items'))}>"
    return type_name


def project_declarations(project_file: dict[str, Any]) -> tuple[str, dict[str, dict[str, Any]]]:
    """The project's name and its config declarations (full keys), checked as `Project.Validate` does."""
    name = project_file.get("name")
    if not isinstance(name, str) or not name:
        raise StackFileError("Pulumi.yaml: project is missing a 'name' attribute")
    declarations: dict[str, dict[str, Any]] = {}
    # In the sorted order of the names as declared: the order the CLI checks them in (see load_stack_config).
    for key, declared in sorted((project_file.get("config") or {}).items()):
        own = ":" not in key or key.startswith(f"{name}:")
        # A plain value is shorthand for a default (`RewriteShorthandConfigValues`).
        spec = declared if isinstance(declared, dict) else ({"default": declared} if own else {"value": declared})
        if "default" in spec and "value" in spec:
            raise StackFileError(
                f"Pulumi.yaml: project config '{key}' cannot have both a 'default' and 'value' attribute"
            )
        typed = "type" in spec
        if own:
            if typed and spec["type"] == "array" and "items" not in spec:
                raise StackFileError(
                    f"Pulumi.yaml: The configuration key '{key}' declares an array but does not specify the underlying type via the 'items' attribute"
                )
            if (
                typed
                and spec.get("default") is not None
                and not _matches_type(spec["type"], spec.get("items"), spec["default"])
            ):
                raise StackFileError(
                    f"Pulumi.yaml: The default value specified for configuration key '{key}' is not of the expected type '{_full_type_name(spec['type'], spec.get('items'))}'"
                )
        elif typed or "default" in spec or spec.get("value") is None:
            raise StackFileError(
                f"Pulumi.yaml: Configuration key '{key}' is not namespaced by the project and must provide only a 'value'"
            )
        declarations[key if ":" in key else f"{name}:{key}"] = spec
    return name, declarations


# -- secure values ------------------------------------------------------------------------------


# A stand-in must pass every check the program makes on the key it stands for: the plan runs without
# the passphrase in pull requests, and a stand-in the program refuses would refuse a config the CLI
# accepts (with the passphrase). So string keys with a format get a value of that format, in the
# stack's partition and region; every stand-in is distinct. The account is the one the pack knows as
# Braze's by default (a trust to any other account would be a false violation); `plan` swaps in the
# first of the pack config's `brazeAccountIds` when the config lists others.
STAND_IN_ACCOUNT = "000000000000"
STAND_IN_BRAZE_ACCOUNT = "716373062512"
_FORMATTED_STAND_INS: dict[str, str] = {
    "brazeAccountId": STAND_IN_BRAZE_ACCOUNT,
    "iamPath": "/braze/",
    "permissionsBoundary": "arn:{partition}:iam::" + STAND_IN_ACCOUNT + ":policy/braze-s3-stand-in-{n}",
    "bucket.kmsKeyArn": "arn:{partition}:kms:{region}:" + STAND_IN_ACCOUNT + ":key/00000000-0000-4000-8000-{n:012d}",
    "buckets.<key>.kmsKeyArn": "arn:{partition}:kms:{region}:"
    + STAND_IN_ACCOUNT
    + ":key/00000000-0000-4000-8000-{n:012d}",
    "alerts.snsTopicArn": "arn:{partition}:sns:{region}:" + STAND_IN_ACCOUNT + ":braze-s3-stand-in-{n}",
    "alerts.email[]": "stand-in-{n}@example.com",
    "currents[].externalIds[]": "00000000-0000-4000-8000-{n:012d}",
    "dashboardExport.externalIds[]": "00000000-0000-4000-8000-{n:012d}",
}
DEFAULT_STAND_IN_REGION = "us-east-1"


def schema_path(path: str) -> str:
    """A config key path as the config table names it: list indexes as `[]`, bucket keys as `<key>`."""
    path = re.sub(r"\[\d+\]", "[]", path)
    return re.sub(r"^buckets\.[^.\[]+", "buckets.<key>", path)


class _StandIns:
    """Values of the declared type, valid for their key, for secure values that cannot be decrypted here."""

    def __init__(self, project: str, region: str | None) -> None:
        self.project = project
        self.region = region if region and naming.REGION.fullmatch(region) else DEFAULT_STAND_IN_REGION
        self.count = 0
        self.paths: list[str] = []

    def __call__(self, _ciphertext: str, path: str) -> Any:
        self.paths.append(path)
        self.count += 1
        namespace, _, rest = path.partition(":")
        table_path = schema_path(rest) if namespace == self.project else ""
        formatted = _FORMATTED_STAND_INS.get(table_path)
        if formatted is not None:
            return formatted.format(partition=naming.partition_of(self.region), region=self.region, n=self.count)
        spec = config_schema.BY_PATH.get(table_path)
        if spec is None or spec.type in ("string", "list<string>"):
            return f"secret-{self.count}"
        if spec.choices:
            return spec.default if spec.has_default else spec.choices[0]
        if spec.type in ("boolean", "integer"):
            return json.dumps(spec.default if spec.has_default and spec.default is not None else spec.low or 0)
        if spec.type == "object" and spec.required:  # a whole encrypted object: its required keys
            return json.dumps(
                {k.name: f"secret-{self.count}" for k in config_schema.KEYS if k.parent == rest and k.required}
            )
        return json.dumps(spec.default if spec.has_default else {})

    def settle(self, config: dict[str, Any]) -> None:
        """Stand-ins that refer to other keys, chosen from their siblings so the stack stays consistent:
        an integration's `auth` is the one its other keys configure (`accessKeys` → accessKey), its
        `bucket` a key of `buckets` that no other integration uses (else `default`)."""
        integrations = _integrations(config, self.project)
        for path in self.paths:
            match = re.fullmatch(rf"{re.escape(self.project)}:(currents\[(\d+)\]|dashboardExport)\.(auth|bucket)", path)
            if not match:
                continue
            owner = integrations.get(match.group(1))
            if owner is None:
                continue
            if match.group(3) == "auth":
                owner["auth"] = "accessKey" if "accessKeys" in owner else "role"
            else:
                owner["bucket"] = _unused_bucket_key(config, self.project, integrations, match.group(1))


def _integrations(config: dict[str, Any], project: str) -> dict[str, dict[str, Any]]:
    """Each integration's object by its path (`currents[0]`, `dashboardExport`), as parsed values."""
    found: dict[str, dict[str, Any]] = {}
    currents = config.get(f"{project}:currents")
    if isinstance(currents, list):
        found.update({f"currents[{i}]": c for i, c in enumerate(currents) if isinstance(c, dict)})
    dashboard = config.get(f"{project}:dashboardExport")
    if isinstance(dashboard, dict):
        found["dashboardExport"] = dashboard
    return found


def _unused_bucket_key(config: dict[str, Any], project: str, integrations: dict[str, dict[str, Any]], own: str) -> str:
    buckets = config.get(f"{project}:buckets")
    used = {str(i.get("bucket", "default")) for path, i in integrations.items() if path != own}
    unused = [key for key in (buckets if isinstance(buckets, dict) else {}) if key not in used]
    return unused[0] if unused else "default"


def _open_secrets(
    stack_file: dict[str, Any], config: dict[str, Any], project: str, environ: Mapping[str, str] | None
) -> tuple[dict[str, Any], list[str], str]:
    """Config with secure values decrypted (passphrase provider and passphrase known) or stood in."""
    provider = config_secrets.provider_of(stack_file)
    passphrase = config_secrets.passphrase_from_env(environ) if provider == "passphrase" else None
    salt = stack_file.get("encryptionsalt")
    if provider == "passphrase" and passphrase is not None and isinstance(salt, str):
        crypter = config_secrets.PassphraseCrypter.from_state(passphrase, salt)
        opened = {k: config_secrets.map_secure(v, lambda ct, _p: crypter.decrypt(ct), k) for k, v in config.items()}
        return opened, [], provider
    region = config.get("aws:region")
    stand_ins = _StandIns(project, region if isinstance(region, str) else None)
    opened = {k: config_secrets.map_secure(v, stand_ins, k) for k, v in config.items()}
    stand_ins.settle(opened)
    return opened, stand_ins.paths, provider


# -- the merge ------------------------------------------------------------------------------------


def _missing_keys_error(stack: str, project: str, missing: list[str]) -> StackFileError:
    """`missingStackConfigurationKeysError`, with the command that fixes it."""
    missing = sorted(missing)
    if len(missing) == 1:
        listed, noun = f"'{missing[0]}'", "value"
    else:
        listed = ", ".join(f"'{m}'" for m in missing[:-2]) + (", " if len(missing) > 2 else "")
        listed += f"'{missing[-2]}' and '{missing[-1]}'"
        noun = "values"
    return StackFileError(
        f"Stack '{stack}' is missing configuration {noun} {listed} (declared in Pulumi.yaml without a default): "
        f"set {'it' if len(missing) == 1 else 'them'} in Pulumi.{stack}.yaml, or with pulumi config set "
        f"{project}:{missing[0]} <value> (--path '{project}:{missing[0]}.<key>' for an object's keys; docs/config.md)"
    )


def _check_declared(
    stack: str,
    project: str,
    *,
    declarations: dict[str, dict[str, Any]],
    config: dict[str, Any],
    values: dict[str, str],
    secret_keys: list[str],
) -> None:
    """The declared types and `secret: true`, as `validateStackConfigValues` (pkg/workspace/config.go) checks them:
    the declared keys in the sorted order of their names in Pulumi.yaml, stopping at the first that fails."""
    for key, spec in declarations.items():
        if "type" not in spec or not key.startswith(f"{project}:") or key not in config:
            continue
        value = config[key]
        short = key.removeprefix(f"{project}:")
        if spec.get("secret") and key not in secret_keys:
            raise StackFileError(
                f"Stack '{stack}' with configuration key '{short}' must be encrypted as it's secret "
                f"(pulumi config set --secret {key} <value>)"
            )
        is_object = isinstance(value, (dict, list))
        content = json.loads(values[key]) if is_object else values[key]
        if not _matches_type(spec["type"], spec.get("items"), content):
            raise StackFileError(
                f"Stack '{stack}' with configuration key '{short}' must be of type "
                f"'{_full_type_name(spec['type'], spec.get('items'))}' (see docs/config.md)"
            )


def load_stack_config(
    stack: str,
    root: Path = PROJECT_ROOT,
    overrides: dict[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> StackConfig:
    """The config `pulumi preview --stack <stack>` would give the program, or the CLI's refusal."""
    project, declarations = project_declarations(_read_yaml(root / "Pulumi.yaml"))
    stack_file = _read_yaml(root / f"Pulumi.{stack}.yaml")
    raw_config = stack_file.get("config") or {}
    if not isinstance(raw_config, dict):
        raise StackFileError(f"Pulumi.{stack}.yaml: `config` must be a mapping")
    config: dict[str, Any] = {}
    for key, value in {**raw_config, **(overrides or {})}.items():
        config[key if ":" in key else f"{project}:{key}"] = value
    secret_keys = [key for key, value in config.items() if config_secrets.contains_secure(value)]
    undecrypted: list[str] = []
    provider = None
    if secret_keys:
        try:
            config, undecrypted, provider = _open_secrets(stack_file, config, project, environ)
        except config_secrets.SecretsError as error:
            raise StackFileError(f"Pulumi.{stack}.yaml: {error}") from None

    # Each stack value is stored as the CLI stores it (`object.MarshalString`) when the file is loaded: a value
    # it cannot store (NaN, an infinity) fails before anything else is checked.
    values: dict[str, str] = {}
    for key, value in config.items():
        if value is None:  # `key:` or `key: null` at the top level: "" (object.go `unmarshalObject`: nil is an
            values[key] = ""  # empty object; loaders.go `checkForEmptyConfig` warns it is treated as "")
            continue
        try:
            values[key] = engine_string(value)
        except go_yaml.GoYamlError as error:
            raise StackFileError(f"Pulumi.{stack}.yaml: {key}{error}") from None

    missing: list[str] = []
    for key, spec in declarations.items():
        if key in config:
            continue
        if spec.get("value") is not None or spec.get("default") is not None:
            config[key] = spec["default"] if spec.get("default") is not None else spec["value"]
            values[key] = engine_string(config[key])
        elif key.startswith(f"{project}:"):
            missing.append(key.removeprefix(f"{project}:"))
    if missing:
        raise _missing_keys_error(stack, project, missing)

    _check_declared(stack, project, declarations=declarations, config=config, values=values, secret_keys=secret_keys)
    return StackConfig(project, stack, values, sorted(secret_keys), undecrypted, provider)
