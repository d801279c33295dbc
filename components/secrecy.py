"""Keep config secrets secret in everything built from them.

The CLI marks a whole top-level config key secret when any value inside it was set with
`--secret` (`object.Secure`, sdk/go/common/resource/config/object.go), and a program cannot see
which nested value it was. So every input, document and output built from a secret key is a
Pulumi secret. Resource names are the exception Pulumi allows none for: a connector's name is
part of its URNs (docs/config.md says so).
"""

from __future__ import annotations

from typing import Any, TypeVar

import pulumi

T = TypeVar("T")


def secret_if(secret: bool, value: T) -> Any:
    """``value`` as a Pulumi secret when it derives from a secret config key, else as it is."""
    return pulumi.Output.secret(value) if secret else value
