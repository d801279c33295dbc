"""Encrypted stack files written by the real Pulumi CLI, committed as test data (tests/data/cli-secrets/).

Each file was made by `pulumi stack init` and `pulumi config set [--secret] [--path]` of the real CLI (v3.259.0,
built by `make pulumi`) on a throwaway file backend, with the passphrase below — test data, not a credential: it
opens nothing but these files. `python -m tests.cli_secrets` writes them again (it needs the CLI);
tests/real/test_real_config.py checks with the real CLI that each still reads as `expected()` says.

- secret-stack: a top-level secret (`brazeAccountId`) and a nested one (`currents[0].externalIds[0]`);
- secret-stack-bad: the same, with an external id the program refuses;
- all-secret: every leaf of `FULL_STACK` (but `aws:region`) secret, for one-leaf-at-a-time tests: a ciphertext is
  valid at any position of a file with the same `encryptionsalt` (AES-GCM without associated data).
"""

from __future__ import annotations

import copy
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

from braze_s3_tools.engine import go_yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data" / "cli-secrets"
PASSPHRASE = "braze-s3-test-data"  # noqa: S105 - opens only the committed test data
EXTERNAL_ID = "6f1c2b9e-3f7d-4c55-9a38-1b2d7c0e4a11"
BAD_EXTERNAL_ID = "bad id with spaces-hunter2"

# A stack using every key that has a format of its own, valid as it stands (the plan passes it).
FULL_STACK: dict[str, Any] = {
    "aws:region": "eu-central-1",
    "braze-s3:brazeAccountId": "716373062512",
    "braze-s3:iamPath": "/braze/",
    "braze-s3:iamNamePrefix": "acme",
    "braze-s3:permissionsBoundary": "arn:aws:iam::123456789012:policy/boundaries/braze",
    "braze-s3:bucket": {"name": "acme-braze-secret-test", "protect": True},
    "braze-s3:buckets": {
        "exports": {
            "name": "acme-braze-secret-exports",
            "protect": True,
            "kmsKeyArn": "arn:aws:kms:eu-central-1:123456789012:key/0f4e2d1c-8b7a-4c6d-9e5f-1a2b3c4d5e6f",
        }
    },
    "braze-s3:currents": [
        {
            "name": "main",
            "folderPath": "currents",
            "auth": "role",
            "externalIds": ["9d3e1f20-5a6b-4c7d-8e9f-0a1b2c3d4e5f"],
        },
        {"name": "eu", "folderPath": "currents-eu", "auth": "accessKey", "accessKeys": ["2026-11"]},
    ],
    "braze-s3:dashboardExport": {
        "bucket": "exports",
        "auth": "role",
        "externalIds": ["2c4e6a8b-0d1f-4a3c-9e5b-7d9f1b3d5f70"],
    },
    "braze-s3:alerts": {
        "staleAfterHours": 6,
        "email": ["crm-oncall@example.com"],
        "snsTopicArn": "arn:aws:sns:eu-central-1:123456789012:braze-alerts",
    },
    "braze-s3:tags": {"team": "crm"},
}

Leaf = tuple[Any, ...]


def leaves(value: Any, path: Leaf = ()) -> list[Leaf]:
    if isinstance(value, dict):
        return [leaf for k, v in value.items() for leaf in leaves(v, (*path, k))]
    if isinstance(value, list):
        return [leaf for i, v in enumerate(value) for leaf in leaves(v, (*path, i))]
    return [path]


def _secret_stack(external_id: str) -> tuple[dict[str, Any], set[Leaf]]:
    config = {
        "aws:region": "eu-west-1",
        "braze-s3:brazeAccountId": "716373062512",
        "braze-s3:bucket": {"name": "acme-secret"},
        "braze-s3:currents": [{"name": "main", "externalIds": [external_id]}],
    }
    return config, {("braze-s3:brazeAccountId",), ("braze-s3:currents", 0, "externalIds", 0)}


def plans() -> dict[str, tuple[dict[str, Any], set[Leaf]]]:
    """Each file's plain config and the leaves written with --secret."""
    return {
        "secret-stack": _secret_stack(EXTERNAL_ID),
        "secret-stack-bad": _secret_stack(BAD_EXTERNAL_ID),
        "all-secret": (FULL_STACK, {leaf for leaf in leaves(FULL_STACK) if leaf[0] != "aws:region"}),
    }


STACKS = tuple(plans())


def read_yaml(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


def stack_file(stack: str) -> dict[str, Any]:
    return read_yaml(DATA / f"Pulumi.{stack}.yaml")


def text_of(stack: str) -> str:
    return (DATA / f"Pulumi.{stack}.yaml").read_text(encoding="utf-8")


def project_yaml(stack: str) -> str:
    del stack  # every file is a stack of this project
    return (ROOT / "Pulumi.yaml").read_text(encoding="utf-8")


def ciphertext(stack: str, leaf: Leaf) -> str:
    """The CLI's ciphertext of one secret leaf of a committed file."""
    holder: Any = stack_file(stack)["config"]
    for step in leaf:
        holder = holder[step]
    secure: str = holder["secure"]
    return secure


def salt(stack: str) -> str:
    value: str = stack_file(stack)["encryptionsalt"]
    return value


def _text(value: Any) -> str:
    """What the CLI stores for a value given on the command line: its text (a boolean or number as written)."""
    return value if isinstance(value, str) else json.dumps(value)


def expected(stack: str) -> dict[str, str]:
    """The values the CLI hands a program for the keys of a committed file: secret leaves decrypt to strings."""
    config, secret = plans()[stack]
    config = copy.deepcopy(config)
    for leaf in secret:
        holder: Any = config
        for step in leaf[:-1]:
            holder = holder[step]
        holder[leaf[-1]] = _text(holder[leaf[-1]])
    return {key: go_yaml.marshal_config_value(value) for key, value in config.items()}


def _path(leaf: Leaf) -> str:
    key, *rest = leaf
    return str(key) + "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in rest)


def write_all() -> None:
    """Write every file again with the real CLI (`python -m tests.cli_secrets`)."""
    from braze_s3_tools.realcli.workspace import Workspace

    with tempfile.TemporaryDirectory(prefix="cli-secrets-") as tmp:
        ws = Workspace.create(Path(tmp) / "ws", PASSPHRASE)
        for stack, (config, secret) in plans().items():
            project = Path(tmp) / stack
            project.mkdir()
            (project / "Pulumi.yaml").write_text(project_yaml(stack), encoding="utf-8")
            ws.pulumi("stack", "init", stack, "--non-interactive", cwd=project)
            for leaf in leaves(config):
                holder: Any = config
                for step in leaf:
                    holder = holder[step]
                flags = ["--secret"] if leaf in secret else []
                flags += ["--path"] if len(leaf) > 1 else []
                ws.pulumi("config", "set", *flags, "--stack", stack, _path(leaf), "--", _text(holder), cwd=project)
            DATA.mkdir(parents=True, exist_ok=True)
            shutil.copy2(project / f"Pulumi.{stack}.yaml", DATA / f"Pulumi.{stack}.yaml")
            print(f"wrote {DATA / f'Pulumi.{stack}.yaml'}", file=sys.stderr)


if __name__ == "__main__":
    write_all()
