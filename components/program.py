"""The whole program: read the stack config, validate it, build the components, export.

`__main__.py` calls `run()`; tests and the offline plan run `__main__.py` itself under
the SDK's mock engine, so they exercise exactly what `pulumi up` runs.
"""

from __future__ import annotations

import gc
from typing import Any, cast

import pulumi
from pulumi.runtime import config as runtime_config

from components.braze_s3 import BrazeS3
from components.braze_s3_args import BrazeS3Args
from components.config.stack import parse_settings
from components.errors import InvalidConfigError
from components.settings import PROJECT

STACK_COMPONENT = "braze-s3"  # the BrazeS3 component of this project's own stacks


def read_raw_config() -> tuple[dict[str, Any], list[str], str | None]:
    """This project's config keys (without prefix), which are secret, and the AWS region.

    Read from the runtime's whole config rather than key by key, so that a misspelt
    key is seen (and reported with a did-you-mean) instead of silently ignored.
    """
    merged: dict[str, Any] = {**runtime_config.get_config_env(), **runtime_config.CONFIG.get()}
    prefix = f"{PROJECT}:"
    raw = {key[len(prefix) :]: value for key, value in merged.items() if key.startswith(prefix)}
    secret_keys = [
        key[len(prefix) :]
        for key in merged
        if key.startswith(prefix)
        and (runtime_config.is_config_secret(key) or key in runtime_config.get_config_secret_keys_env())
    ]
    region = merged.get("aws:region")
    return raw, secret_keys, region if isinstance(region, str) else None


# The Pulumi SDK keeps several Outputs, futures and tasks alive per resource until the
# program ends; with CPython's default generation-0 threshold (700) the cyclic GC rescans
# that growing heap so often that time per resource rises with the stack (measured: 300
# connectors cost 1.4x per resource what 10 do). A larger threshold makes it flat again
# (docs/benchmarks.md) for a few MB of memory.
GC_GENERATION0_THRESHOLD = 10_000


def _tune_gc() -> None:
    threshold0, threshold1, threshold2 = gc.get_threshold()
    if 0 < threshold0 < GC_GENERATION0_THRESHOLD:
        gc.set_threshold(GC_GENERATION0_THRESHOLD, threshold1, threshold2)


def run() -> None:
    _tune_gc()
    raw, secret_keys, region = read_raw_config()
    try:
        settings = parse_settings(raw, region=region, secret_keys=secret_keys)
    except InvalidConfigError as errors:
        # RunError: the CLI prints the message alone, without a Python traceback.
        raise pulumi.RunError(str(errors)) from None
    # One path for every program: the stack is a thin caller of the BrazeS3 component.
    # Settings parsed above, with the config's secrecy: the component skips its own parsing of args.
    component = BrazeS3(STACK_COMPONENT, cast("BrazeS3Args", {}), settings=settings, top_level=True)
    for key, value in component.stack_outputs.items():
        pulumi.export(key, value)
