"""Stack outputs → the integrations `verify` checks: which bucket, folder, credentials and keys."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from braze_s3_tools.engine.stack_files import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "policypack"))  # the pack's facts, shared on purpose
from braze_rules import facts


@dataclass
class Integration:
    subject: str
    integration: str
    bucket: str
    folder: str | None
    auth: str
    aes256: bool
    role_arn: str | None = None
    account_id: str | None = None
    external_ids: list[str] = field(default_factory=list)
    keys: dict[str, dict[str, str]] = field(default_factory=dict)
    active_key: str | None = None
    user_name: str | None = None
    object_scope: str = "folder"  # "bucket": <bucket>/* on purpose, so writes outside the folder are allowed
    object_scope_given: bool = True  # False: older stacks and hand-written files, checked as "folder"

    @property
    def scope_note(self) -> str:
        """Said with every out-of-folder check when the outputs did not say which scope was meant."""
        if self.object_scope_given:
            return ""
        return (
            "the outputs carry no objectScope (an older stack or a hand-written file): checked as folder scope; "
            "if Braze's published <bucket>/* is meant, deploy objectScope: bucket"
        )


def buckets_of(outputs: dict[str, Any]) -> list[dict[str, Any]]:
    """The stack's buckets (`buckets.<key>`: name, region, mode, kmsKeyArn), else the one `bucketName`."""
    buckets = outputs.get("buckets")
    if isinstance(buckets, dict) and buckets:
        return [b for _, b in sorted(buckets.items()) if isinstance(b, dict) and isinstance(b.get("name"), str)]
    name = outputs.get("bucketName")
    return [{"name": name}] if isinstance(name, str) else []


def integrations_of(outputs: dict[str, Any]) -> list[Integration]:
    """The integrations the stack outputs describe (currents.<name>, dashboardExport)."""
    found = []
    entries = [(f"currents {name}", entry) for name, entry in sorted((outputs.get("currents") or {}).items())]
    if outputs.get("dashboardExport"):
        entries.append(("dashboard export", outputs["dashboardExport"]))
    for subject, entry in entries:
        found.append(
            Integration(
                subject=subject,
                integration=entry.get("integration", facts.CURRENTS),
                bucket=str(entry.get("bucketName") or outputs.get("bucketName") or ""),
                folder=entry.get("folderPath"),
                auth=entry.get("authMethod", "role"),
                aes256=bool(entry.get("aes256Encryption")),
                role_arn=entry.get("roleArn"),
                account_id=entry.get("brazeAccountId"),
                external_ids=list(entry.get("externalIds") or []),
                keys=_keys_with_secrets(entry.get("accessKeys") or {}, outputs),
                active_key=entry.get("activeAccessKey"),
                user_name=entry.get("userName"),
                object_scope=str(entry.get("objectScope") or "folder"),
                object_scope_given=entry.get("objectScope") is not None,
            )
        )
    return found


def _keys_with_secrets(keys: dict[str, Any], outputs: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Each key with its secret, read from the top-level secret output its `secretOutput` names."""
    found: dict[str, dict[str, str]] = {}
    for generation, key in keys.items():
        entry = dict(key)
        name = entry.pop("secretOutput", None)
        if isinstance(name, str) and name in outputs:
            entry["secretAccessKey"] = outputs[name]
        found[generation] = entry
    return found


def read_outputs(source: str | None, stack: str | None, show_secrets: bool = True) -> dict[str, Any]:
    """Outputs from a file, stdin ("-"), or the `pulumi` CLI when it is installed."""
    if source == "-" or (source is None and not sys.stdin.isatty() and stack is None):
        text = sys.stdin.read()
    elif source is not None:
        text = Path(source).read_text(encoding="utf-8")
    else:
        pulumi = shutil.which("pulumi")
        if pulumi is None:
            raise ValueError(
                "no outputs given and no `pulumi` CLI found: pipe `pulumi stack output --json --show-secrets` in, or pass --outputs FILE"
            )
        secrets = ["--show-secrets"] if show_secrets else []  # a read-only run needs none
        command = [pulumi, "stack", "output", "--json", *secrets, *(["--stack", stack] if stack else [])]
        text = subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603 - the user's pulumi CLI
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("the outputs must be a JSON object (pulumi stack output --json)")
    return data
