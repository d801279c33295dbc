"""Wrapping the stack's resources in the BrazeS3 component replaces nothing in an existing stack.

The stack program used to register its components at the top of the stack; they are children of
`braze-s3:index:BrazeS3` now, with an alias to their old, parent-less URN, which the engine carries
to their children. Planned against the old layout, every resource is found under an alias and
unchanged; without the aliases, every one of them would be deleted and created again.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from braze_s3_tools.engine.aliases import alias_urns
from braze_s3_tools.engine.harness import run_program
from braze_s3_tools.engine.stack_files import PROJECT_ROOT
from braze_s3_tools.plan.command import plan_document
from braze_s3_tools.plan.diff import compare, counts

OLD_LAYOUT = """
import pulumi
from components.build import build
from components.config.stack import parse_settings
from components.program import read_raw_config

raw, secret_keys, region = read_raw_config()
for key, value in build(parse_settings(raw, region=region, secret_keys=secret_keys)).items():
    pulumi.export(key, value)
"""


@pytest.fixture(scope="module")
def old_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("old-layout")
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml"):
        shutil.copy2(PROJECT_ROOT / name, root / name)
    (root / "__main__.py").write_text(OLD_LAYOUT)
    return root


def test_the_old_top_level_layout_is_found_under_aliases_and_nothing_changes(old_root: Path) -> None:
    old = run_program("dev", root=old_root)
    new = run_program("dev")
    assert old.error is None and new.error is None
    changes = compare(plan_document(old), plan_document(new))
    assert counts(changes) == {"create": 1, "update": 0, "replace": 0, "delete": 0, "same": len(old.resources)}
    (created,) = [c for c in changes if c.op == "create"]
    assert created.type == "braze-s3:index:BrazeS3"  # only the wrapper itself is new


def test_without_the_aliases_every_resource_would_be_recreated(old_root: Path) -> None:
    old, new = plan_document(run_program("dev", root=old_root)), plan_document(run_program("dev"))
    for resource in new["resources"]:
        resource["aliases"] = []
    assert counts(compare(old, new))["same"] == 0


def test_children_inherit_their_parents_alias_as_the_engine_computes_it() -> None:
    run = run_program("dev")
    aliases = alias_urns(run.resources)
    bucket = run.get("aws:s3/bucket:Bucket", "braze-bucket")
    assert "urn:pulumi:dev::braze-s3::braze:s3:Bucket$aws:s3/bucket:Bucket::braze-bucket" in aliases[bucket.urn]
    # pulumi-aws 7 gives its Bucket an alias of its own (the former BucketV2 type): kept, under the new parent too.
    assert any(u.endswith("$aws:s3/bucketV2:BucketV2::braze-bucket") for u in aliases[bucket.urn])
