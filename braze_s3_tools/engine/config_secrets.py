"""`secure:` config values as the Pulumi CLI stores them, and the passphrase secrets provider.

`pulumi config set --secret [--path]` writes `{secure: v1:<nonce>:<ciphertext>}` at the top level
or nested inside objects and lists (a mapping whose only key is `secure` is reserved for it:
`isSecureValue` in sdk/go/common/resource/config/object.go). A top-level key that holds a secure
value anywhere is secret as a whole (`object.Secure`).

The passphrase provider (pkg/secrets/passphrase/manager.go, sdk/go/common/resource/config/crypt.go):
the stack file's `encryptionsalt` is `v1:<base64 salt>:<v1 ciphertext of "pulumi">`; the key is
PBKDF2-HMAC-SHA256(passphrase, salt, 1,000,000 iterations, 32 bytes); each value is AES-256-GCM
with a 12-byte nonce, written `v1:<base64 nonce>:<base64 ciphertext+tag>`. The passphrase comes
from PULUMI_CONFIG_PASSPHRASE, else the file named by PULUMI_CONFIG_PASSPHRASE_FILE.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PBKDF2_ITERATIONS = 1_000_000
KEY_BYTES = 32
NONCE_BYTES = 12
PASSPHRASE_CHECK = "pulumi"  # noqa: S105 - the known plaintext the CLI seals into encryptionsalt


class SecretsError(ValueError):
    """A secure value or the secrets provider's state cannot be used; the message says why."""


def is_secure(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and isinstance(value.get("secure"), str)


def contains_secure(value: Any) -> bool:
    if is_secure(value):
        return True
    if isinstance(value, dict):
        return any(contains_secure(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_secure(v) for v in value)
    return False


def map_secure(value: Any, replace: Callable[[str, str], Any], path: str = "") -> Any:
    """A copy of ``value`` with each secure value replaced by ``replace(ciphertext, path)``."""
    if is_secure(value):
        return replace(value["secure"], path)
    if isinstance(value, dict):
        return {k: map_secure(v, replace, f"{path}.{k}") for k, v in value.items()}
    if isinstance(value, list):
        return [map_secure(v, replace, f"{path}[{i}]") for i, v in enumerate(value)]
    return value


class PassphraseCrypter:
    """The CLI's symmetric crypter for the passphrase secrets provider."""

    def __init__(self, key: bytes) -> None:
        self._aes = AESGCM(key)

    @classmethod
    def from_state(cls, passphrase: str, encryption_salt: str) -> PassphraseCrypter:
        """Derive the key from the stack file's `encryptionsalt`; refuse a wrong passphrase."""
        parts = encryption_salt.split(":", 2)
        if len(parts) != 3 or parts[0] != "v1":
            raise SecretsError("encryptionsalt is not of the form v1:<salt>:<check> (the CLI refuses it too)")
        try:
            salt = base64.b64decode(parts[1], validate=True)
        except binascii.Error:
            raise SecretsError("encryptionsalt has a salt that is not base64") from None
        key = hashlib.pbkdf2_hmac("sha256", passphrase.encode(), salt, PBKDF2_ITERATIONS, KEY_BYTES)
        crypter = cls(key)
        try:
            check = crypter.decrypt(parts[2])
        except SecretsError:
            check = None
        if check != PASSPHRASE_CHECK:
            raise SecretsError("incorrect passphrase (PULUMI_CONFIG_PASSPHRASE does not open this stack's secrets)")
        return crypter

    def decrypt(self, ciphertext: str) -> str:
        parts = ciphertext.split(":")
        if len(parts) != 3 or parts[0] != "v1":
            raise SecretsError("a secure value is not of the form v1:<nonce>:<ciphertext>")
        try:
            nonce = base64.b64decode(parts[1], validate=True)
            sealed = base64.b64decode(parts[2], validate=True)
        except binascii.Error:
            raise SecretsError("a secure value is not base64") from None
        if len(nonce) != NONCE_BYTES:
            raise SecretsError("a secure value has a nonce of the wrong size")
        try:
            return self._aes.decrypt(nonce, sealed, None).decode()
        except (InvalidTag, UnicodeDecodeError):
            raise SecretsError("a secure value does not decrypt with this passphrase") from None

    def encrypt(self, plaintext: str, nonce: bytes | None = None) -> str:
        """For tests and fixtures: a value the CLI would decrypt."""
        nonce = nonce or os.urandom(NONCE_BYTES)
        sealed = self._aes.encrypt(nonce, plaintext.encode(), None)
        return f"v1:{base64.b64encode(nonce).decode()}:{base64.b64encode(sealed).decode()}"


def passphrase_from_env(environ: Mapping[str, str] | None = None) -> str | None:
    """The passphrase as the CLI looks for it (`readPassphrase`): the variable, then the file."""
    env = os.environ if environ is None else environ
    if "PULUMI_CONFIG_PASSPHRASE" in env:
        return env["PULUMI_CONFIG_PASSPHRASE"]
    file = env.get("PULUMI_CONFIG_PASSPHRASE_FILE")
    if file:
        try:
            return Path(file).read_text(encoding="utf-8")
        except OSError as error:
            raise SecretsError(f"unable to read PULUMI_CONFIG_PASSPHRASE_FILE: {error.strerror}") from None
    return None


def provider_of(stack_file: Mapping[str, Any]) -> str:
    """Which secrets provider a stack file uses: "passphrase", "service" (Pulumi Cloud) or a KMS URL scheme."""
    provider = stack_file.get("secretsprovider")
    if isinstance(provider, str) and provider:
        return "passphrase" if provider == "passphrase" else provider.split("://", 1)[0]
    return "passphrase" if stack_file.get("encryptionsalt") else "service"
