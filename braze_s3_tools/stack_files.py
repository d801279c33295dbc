"""Read `Pulumi.yaml` and `Pulumi.<stack>.yaml` the way the Pulumi CLI does.

The CLI hands a program its config as strings: plain values stringified, structured
values as JSON, with the project file's `default:` values under the stack file's own.
`load_stack_config` returns exactly that mapping, so the offline plan and the tests feed
the program what `pulumi preview` would.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SECRET_PLACEHOLDER = "[secret: not decrypted offline]"  # noqa: S105 - a placeholder shown instead of a secret


@dataclass
class StackConfig:
    project: str
    stack: str
    values: dict[str, str]  # full key ("braze-s3:bucket") -> string, as the engine passes it
    secret_keys: list[str] = field(default_factory=list)


class StackFileError(Exception):
    """A project or stack file is missing or is not valid YAML of the expected shape."""


def engine_string(value: Any) -> str:
    """How the CLI passes a config value to a program: strings as-is, the rest as JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(value)


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StackFileError(f"{path}: no such file") from None
    except yaml.YAMLError as error:
        raise StackFileError(f"{path}: not valid YAML: {error}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise StackFileError(f"{path}: expected a mapping at the top level")
    return data


def project_defaults(project_file: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The project's name and its config defaults, keys fully namespaced."""
    name = project_file.get("name")
    if not isinstance(name, str):
        raise StackFileError("Pulumi.yaml: `name` is missing")
    defaults: dict[str, Any] = {}
    for key, spec in (project_file.get("config") or {}).items():
        full = key if ":" in key else f"{name}:{key}"
        if isinstance(spec, dict):
            if "default" in spec:
                defaults[full] = spec["default"]
            elif "value" in spec:
                defaults[full] = spec["value"]
        else:
            defaults[full] = spec
    return name, defaults


def load_stack_config(stack: str, root: Path = PROJECT_ROOT, overrides: dict[str, Any] | None = None) -> StackConfig:
    """The config `pulumi preview --stack <stack>` would give the program."""
    project, values = project_defaults(_read_yaml(root / "Pulumi.yaml"))
    stack_file = _read_yaml(root / f"Pulumi.{stack}.yaml")
    config = stack_file.get("config") or {}
    if not isinstance(config, dict):
        raise StackFileError(f"Pulumi.{stack}.yaml: `config` must be a mapping")
    secret_keys: list[str] = []
    for key, raw in {**config, **(overrides or {})}.items():
        full = key if ":" in key else f"{project}:{key}"
        # A `secure:` value is encrypted with the stack's secrets provider: only the real CLI decrypts it.
        encrypted = isinstance(raw, dict) and set(raw) == {"secure"}
        if encrypted:
            secret_keys.append(full)
        values[full] = SECRET_PLACEHOLDER if encrypted else raw
    return StackConfig(project, stack, {k: engine_string(v) for k, v in values.items()}, secret_keys)
