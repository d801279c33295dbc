"""Stack outputs → the fields of Braze's forms, labelled as Braze labels them.

Currents: Partner Integrations > Data Export > Create Current > Amazon S3 Data Export.
Dashboard export: Partner Integrations > Technology Partners > Amazon S3.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from braze_s3_tools.engine.harness import Secret, Unknown

CURRENTS_PAGE = "Partner Integrations > Data Export > Create Current > Amazon S3 Data Export"
DASHBOARD_PAGE = "Partner Integrations > Technology Partners > Amazon S3"
AFTER_UP = "(known after `pulumi up`)"


@dataclass(frozen=True)
class BrazeForm:
    title: str
    page: str
    values: list[tuple[str, Any]]  # (label, value): a string, a bool, `Unknown` or `Secret`

    @property
    def fields(self) -> list[tuple[str, str]]:
        """The values as a person types them: ON/OFF, secrets hidden, unknowns marked."""
        return [(label, _text(value)) for label, value in self.values]

    def as_json(self) -> dict[str, Any]:
        """Values for machines: plain values, `{"unknown": true}`, `{"secret": true}`."""
        return {label: _json(value) for label, value in self.values}


@dataclass(frozen=True)
class SecretOutput:
    """A secret read from the named top-level stack output."""

    output: str


def _json(value: Any) -> Any:
    if isinstance(value, Unknown) or value is None:
        return {"unknown": True}
    if isinstance(value, Secret):
        return {"secret": True}
    if isinstance(value, SecretOutput):
        return {"secret": True, "output": value.output}
    return value


def _text(value: Any, reveal: bool = False) -> str:
    if isinstance(value, Unknown) or value is None:
        return AFTER_UP
    if isinstance(value, Secret):
        return _text(value.value) if reveal else "[secret] (pulumi stack output --show-secrets)"
    if isinstance(value, SecretOutput):
        return f"[secret] (pulumi stack output {value.output} --show-secrets)"
    if isinstance(value, bool):
        return "ON" if value else "OFF"
    return str(value)


def _plain(value: Any) -> Any:
    """A value to decide on (not to show): secrets unwrapped."""
    return _plain(value.value) if isinstance(value, Secret) else value


def _credential_fields(integration: dict[str, Any], outputs: dict[str, Any], reveal: bool) -> list[tuple[str, Any]]:
    if _plain(integration.get("authMethod")) == "role":
        return [("Credentials", "AWS Role ARN"), ("AWS Role ARN", integration.get("roleArn"))]
    active = _plain(integration.get("activeAccessKey"))
    key = (integration.get("accessKeys") or {}).get(active) or {}
    secret_output = key.get("secretOutput")
    secret = outputs.get(secret_output) if isinstance(secret_output, str) else None
    shown: Any = _text(secret, reveal) if reveal else secret
    if not reveal and isinstance(secret_output, str):
        shown = SecretOutput(secret_output)
    return [
        ("Credentials", f"AWS Secret Access Key (key generation {_text(integration.get('activeAccessKey'))})"),
        ("AWS Access ID", key.get("accessKeyId")),
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
                    ("AWS S3 Bucket Name", connector.get("bucketName")),
                    ("Folder Path", connector.get("folderPath")),
                    ("AES-256 server-side encryption at rest", connector.get("aes256Encryption")),
                ],
            )
        )
    export = outputs.get("dashboardExport")
    if export:
        forms.append(
            BrazeForm(
                "Dashboard data export",
                DASHBOARD_PAGE,
                [*_credential_fields(export, outputs, reveal), ("AWS S3 Bucket Name", export.get("bucketName"))],
            )
        )
    return forms
