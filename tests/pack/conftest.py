"""Each pack test starts as the engine starts the pack: a fresh process, so no model, no cached match."""

from __future__ import annotations

from collections import OrderedDict

import pytest


@pytest.fixture(autouse=True)
def fresh_pack_state(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pack keeps the last call's model and a few by content, and caches pattern matches: per
    process, as the engine runs it. A test must not find what another test (or a mutation tool's
    clean run in the same process) left there."""
    from braze_rules import iam, registry

    monkeypatch.setattr(registry, "_LAST", registry._LastCall())
    monkeypatch.setattr(registry, "_MODELS", OrderedDict())
    for cached in (iam._glob, iam.s3_resource_matches):
        cached.cache_clear()
