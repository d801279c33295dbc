"""Changing where or how a connector writes never touches the credentials Braze holds."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from braze_s3_tools.engine.harness import ProgramRun, run_program
from braze_s3_tools.engine.stack_files import PROJECT_ROOT

CREDENTIAL_TYPES = ("aws:iam/role:Role", "aws:iam/user:User", "aws:iam/accessKey:AccessKey")


def _dev_currents() -> list[dict[str, Any]]:
    stack = yaml.safe_load((PROJECT_ROOT / "Pulumi.dev.yaml").read_text())
    currents: list[dict[str, Any]] = stack["config"]["braze-s3:currents"]
    return currents


def _credentials(run: ProgramRun) -> dict[tuple[str, str], dict[str, Any]]:
    return {(r.type, r.name): r.inputs for r in run.resources if r.type in CREDENTIAL_TYPES}


@pytest.mark.parametrize(
    "change",
    [
        {"folderPath": "events/main"},
        {"sse": False},
        {"lifecycle": {"expirationDays": 30, "transitions": [{"days": 10, "storageClass": "GLACIER_IR"}]}},
        {"objectScope": "bucket"},
    ],
    ids=["folder-path", "sse", "lifecycle", "object-scope"],
)
def test_connector_change_leaves_role_user_and_key_inputs_identical(
    dev_preview: ProgramRun, change: dict[str, Any]
) -> None:
    currents = _dev_currents()
    for connector in currents:
        connector.update(change)
    currents[1]["folderPath"] = currents[0].get("folderPath", "currents") + "-marketing-2"
    changed = run_program("dev", overrides={"braze-s3:currents": currents})
    assert changed.error is None, changed.error
    assert _credentials(changed) == _credentials(dev_preview)
    # …while the policy did change where the change is about the policy.
    if "folderPath" in change or "objectScope" in change:
        before = dev_preview.get("aws:iam/policy:Policy", "currents-main-policy").inputs["policy"]
        after = changed.get("aws:iam/policy:Policy", "currents-main-policy").inputs["policy"]
        assert before != after


def test_bucket_name_is_exactly_the_configured_one_and_its_urn_does_not_depend_on_it(dev_preview: ProgramRun) -> None:
    renamed = run_program("dev", overrides={"braze-s3:bucket": {"name": "acme-braze-dev-2"}})
    before = dev_preview.get("aws:s3/bucket:Bucket", "braze-bucket")
    after = renamed.get("aws:s3/bucket:Bucket", "braze-bucket")
    assert before.urn == after.urn, "the bucket's URN must not change with its name (no surprise replace of others)"
    assert after.inputs["bucket"] == "acme-braze-dev-2"
    assert after.retain_on_delete, "a replaced bucket is left in AWS with its data"
