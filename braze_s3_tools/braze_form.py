"""Stack outputs → the fields of Braze's forms, labelled as Braze labels them.

Currents: Partner Integrations > Data Export > Create Current > Amazon S3 Data Export.
Dashboard export: Partner Integrations > Technology Partners > Amazon S3.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from braze_s3_tools.harness import Secret, Unknown

CURRENTS_PAGE = "Partner Integrations > Data Export > Create Current > Amazon S3 Data Export"
DASHBOARD_PAGE = "Partner Integrations > Technology Partners > Amazon S3"
AFTER_UP = "(known after `pulumi up`)"


@dataclass(frozen=True)
class BrazeForm:
    title: str
    page: str
    fields: list[tuple[str, str]]


def _text(value: Any, reveal: bool = False) -> str:
    if isinstance(value, Unknown) or value is None:
        return AFTER_UP
    if isinstance(value, Secret):
        return _text(value.value) if reveal else "[secret] (pulumi stack output --show-secrets)"
    if isinstance(value, bool):
        return "ON" if value else "OFF"
    return str(value)


def _plain(value: Any) -> Any:
    """A value to decide on (not to show): secrets unwrapped."""
    return _plain(value.value) if isinstance(value, Secret) else value


def _credential_fields(integration: dict[str, Any], outputs: dict[str, Any], reveal: bool) -> list[tuple[str, str]]:
    if _plain(integration.get("authMethod")) == "role":
        return [("Credentials", "AWS Role ARN"), ("AWS Role ARN", _text(integration.get("roleArn")))]
    active = _plain(integration.get("activeAccessKey"))
    key = (integration.get("accessKeys") or {}).get(active) or {}
    secret_output = key.get("secretOutput")
    secret = outputs.get(secret_output) if isinstance(secret_output, str) else None
    shown = _text(secret, reveal)
    if not reveal and isinstance(secret_output, str):
        shown = f"[secret] (pulumi stack output {secret_output} --show-secrets)"
    return [
        ("Credentials", f"AWS Secret Access Key (key generation {_text(integration.get('activeAccessKey'))})"),
        ("AWS Access ID", _text(key.get("accessKeyId"))),
        ("AWS Secret Access Key", shown),
    ]


def braze_forms(outputs: dict[str, Any], reveal: bool = False) -> list[BrazeForm]:
    """One form per integration, in the order Braze's pages are filled in."""
    forms: list[BrazeForm] = []
    for name, connector in sorted((outputs.get("currents") or {}).items()):
        forms.append(
            BrazeForm(
                f'Currents connector "{name}"',
                CURRENTS_PAGE,
                [
                    *_credential_fields(connector, outputs, reveal),
                    ("AWS S3 Bucket Name", _text(connector.get("bucketName"))),
                    ("Folder Path", _text(connector.get("folderPath"))),
                    ("AES-256 server-side encryption at rest", _text(connector.get("aes256Encryption"))),
                ],
            )
        )
    export = outputs.get("dashboardExport")
    if export:
        forms.append(
            BrazeForm(
                "Dashboard data export",
                DASHBOARD_PAGE,
                [*_credential_fields(export, outputs, reveal), ("AWS S3 Bucket Name", _text(export.get("bucketName")))],
            )
        )
    return forms
