"""Small helpers for reading registrations in tests."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from braze_s3_tools.engine.harness import ProgramRun, Registration
from braze_s3_tools.engine.stack_files import PROJECT_ROOT

BUCKET = "aws:s3/bucket:Bucket"
POLICY = "aws:iam/policy:Policy"
ROLE = "aws:iam/role:Role"
USER = "aws:iam/user:User"
ACCESS_KEY = "aws:iam/accessKey:AccessKey"

# The two auth shapes of a connector or the export, as a stack file writes them.
ROLE_AUTH = {"auth": "role", "externalIds": ["6f1c2b9e-3f7d-4c55-9a38-1b2d7c0e4a11"]}
KEYS_AUTH = {"auth": "accessKey", "accessKeys": ["2026-11"]}


def document(resource: Registration, key: str = "policy") -> dict[str, Any]:
    value = resource.inputs[key]
    assert isinstance(value, str), f"{resource.urn}: {key} must be a known JSON string at preview, got {value!r}"
    parsed: dict[str, Any] = json.loads(value)
    return parsed


def statements(resource: Registration, key: str = "policy") -> list[dict[str, Any]]:
    doc = document(resource, key)
    stmts = doc["Statement"]
    return stmts if isinstance(stmts, list) else [stmts]


def parent_name(run: ProgramRun, resource: Registration) -> str:
    """The parent's name, or "" for a child of the root stack."""
    return next((r.name for r in run.resources if r.urn == resource.parent), "")


def error_line(run: ProgramRun, key: str) -> str:
    """The line of a config error that reports ``key`` (its full path), or "" when none does."""
    assert run.error is not None, f"{key}: the config was accepted"
    return next((line for line in run.error.splitlines() if line.startswith(f"  - {key}: ")), "")


PROGRAM_FILES = ("Pulumi.yaml", "__main__.py", "components", "braze_s3_tools", "policypack")


def copy_program(root: Path, names: tuple[str, ...] = PROGRAM_FILES) -> Path:
    """A throwaway copy of the project's program, pack and tools (no venv, no caches) under ``root``."""
    for name in names:
        source = PROJECT_ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__", "venv", ".mypy_cache"))
        else:
            shutil.copy2(source, root / name)
    return root
