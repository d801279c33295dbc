"""Between the stand-in provider's gRPC methods and its cloud side (`aws_backend`): secrets and shapes.

The engine sends property maps as JSON with its wire markers (a secret is `{SECRET_SIG: SECRET_VAL, "value":
…}`); the cloud side works on plain values. Each call here unwraps the secrets, calls the backend, and wraps
again every top-level output whose input carried a secret anywhere inside — the stand-in accepts secrets
(`acceptSecrets`), so the engine leaves keeping them secret to it, as it does for pulumi-aws — and an access
key's `secret`, which pulumi-aws marks secret whatever the program says.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from braze_s3_tools.realcli import aws_backend as backend
from braze_s3_tools.realcli.aws_common import Ctx

SECRET_SIG = "4dabf18193072939515e22adb298388d"  # noqa: S105 - the wire format's marker, no secret
SECRET_VAL = "1b47061264138c4ac30d75fd1eb44270"  # noqa: S105
# Outputs pulumi-aws always marks secret, per type.
SECRET_OUTPUTS = {"aws:iam/accessKey:AccessKey": ("secret", "sesSmtpPasswordV4", "encryptedSecret")}


def is_secret(value: Any) -> bool:
    return isinstance(value, dict) and value.get(SECRET_SIG) == SECRET_VAL


def plain(value: Any) -> Any:
    """The value with every secret wrapper removed, at any depth."""
    if is_secret(value):
        return plain(value.get("value"))
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def holds_secret(value: Any) -> bool:
    if is_secret(value):
        return True
    if isinstance(value, dict):
        return any(holds_secret(v) for v in value.values())
    if isinstance(value, list):
        return any(holds_secret(v) for v in value)
    return False


def secret(value: Any) -> dict[str, Any]:
    return {SECRET_SIG: SECRET_VAL, "value": value}


@dataclass
class CloudSide:
    """The emulator the stand-in's resources live in (None when no endpoint is set: no cloud at all)."""

    ctx: Ctx

    @classmethod
    def from_env(cls, region: str) -> CloudSide | None:
        ctx = backend.ctx_from_env(region)
        return None if ctx is None else cls(ctx)

    @staticmethod
    def _wrap(type_: str, outputs: dict[str, Any], *sources: dict[str, Any]) -> dict[str, Any]:
        secret_keys = {k for source in sources for k, v in source.items() if holds_secret(v)}
        secret_keys |= set(SECRET_OUTPUTS.get(type_, ()))
        return {k: secret(v) if k in secret_keys and v is not None else v for k, v in outputs.items()}

    def create(self, type_: str, props: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        id_, outputs = backend.create(type_, plain(props), self.ctx)
        return id_, self._wrap(type_, outputs, props)

    def update(self, type_: str, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
        outputs = backend.update(type_, id_, plain(olds), plain(news), self.ctx)
        return self._wrap(type_, outputs, news)

    def delete(self, type_: str, id_: str, outputs: dict[str, Any]) -> None:
        backend.delete(type_, id_, plain(outputs), self.ctx)

    def read(
        self, type_: str, id_: str, state: dict[str, Any], inputs: dict[str, Any]
    ) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """(state, inputs) as the emulator has them, secrets kept secret; None when the resource is gone."""
        found = backend.read(type_, id_, plain(state), self.ctx)
        if found is None:
            return None
        read_inputs = backend.read_inputs(type_, found, plain(inputs))
        return self._wrap(type_, found, state, inputs), self._wrap(type_, read_inputs, state, inputs)
