"""Documentation that cannot drift from the code: config keys, commands, procedures."""

from __future__ import annotations

import re

from braze_s3_tools.engine.stack_files import PROJECT_ROOT
from components.config import auth as config_auth
from components.config import buckets as config_buckets
from components.config import lifecycle as config_lifecycle
from components.config import stack as config

DOCS = PROJECT_ROOT / "docs"


def test_config_reference_documents_every_key_the_program_accepts() -> None:
    text = (DOCS / "config.md").read_text()
    keys = {
        *config.TOP_LEVEL_KEYS,
        *config_buckets.BUCKET_KEYS,
        *config.CURRENTS_KEYS,
        *config_lifecycle.DATA_LIFECYCLE_KEYS,
        *(f"lifecycle.{k}" for k in config_buckets.BUCKET_LIFECYCLE_KEYS),
    }
    for key in sorted(keys):
        assert re.search(rf"`(braze-s3:)?([A-Za-z.]+\.)?{re.escape(key)}(`|\.)", text), (
            f"docs/config.md does not document {key}"
        )
    for value in (
        *config_auth.AUTH_METHODS,
        *config.OBJECT_SCOPES,
        *config_lifecycle.STORAGE_CLASSES,
        *config_buckets.MODES,
    ):
        assert value in text, value


def test_operations_guide_covers_each_procedure() -> None:
    text = (DOCS / "operations.md").read_text()
    for heading in (
        "## First rollout",
        "## Rotating an access key with zero downtime",
        "## Rotating an external id",
        "## Adding a Currents connector",
        "## Moving a connector from access keys to a role",
        "## What happens to data when a connector is removed",
        "## A freshness alarm fired",
    ):
        assert heading in text, heading


def test_readme_commands_exist_in_the_makefile() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text()
    makefile = (PROJECT_ROOT / "Makefile").read_text()
    for target in re.findall(r"^make ([a-z-]+)", readme, flags=re.MULTILINE):
        assert re.search(rf"^{target}:", makefile, flags=re.MULTILINE), (
            f"README runs `make {target}`, the Makefile has no such target"
        )
    assert "make plan" in readme and "make test" in readme


def test_the_components_typed_args_are_generated_from_the_config_table() -> None:
    from components.config import typed_args as config_types

    assert (PROJECT_ROOT / "components" / "braze_s3_args.py").read_text() == config_types.module_source(), (
        "run `make docs`"
    )
