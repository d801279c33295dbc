"""The provider's autonames, one fact for the offline harness and the stand-in provider."""

from __future__ import annotations

from braze_s3_tools.engine.autonaming import offline_autoname
from braze_s3_tools.engine.harness import run_program


def test_an_autoname_is_filled_only_when_neither_the_name_nor_its_prefix_is_given() -> None:
    assert offline_autoname("aws:iam/role:Role", "currents-main-role", {}) == ("name", "currents-main-role-ae6a309")
    assert offline_autoname("aws:iam/role:Role", "r", {"name": "given"}) is None
    assert offline_autoname("aws:iam/role:Role", "r", {"namePrefix": "braze-"}) is None
    assert offline_autoname("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "a", {}) is None
    key, bucket = offline_autoname("aws:s3/bucket:Bucket", "Braze-Bucket", {}) or ("", "")
    assert key == "bucket" and bucket == bucket.lower()
    _, long_name = offline_autoname("aws:iam/role:Role", "r" * 80, {}) or ("", "")
    assert len(long_name) == 64, "IAM's limit for a role name"


def test_at_preview_a_resource_taking_an_autonamed_name_gets_it_known() -> None:
    """As in a real preview: the role's name is Check's, so the attachment's `role` input is known."""
    run = run_program("dev", preview=True)
    attachment = run.get("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "currents-main-attachment")
    assert attachment.inputs["role"] == "currents-main-role-ae6a309"
