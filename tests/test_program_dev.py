"""The dev stack, as `pulumi preview` would register it: resources, documents, tags, outputs."""

from __future__ import annotations

import json

from braze_s3_tools.engine.harness import ProgramRun, Secret, Unknown, strip_markers
from tests.helpers import ACCESS_KEY, BUCKET, POLICY, ROLE, USER, parent_name, statements

EXPECTED_DEV = {
    # (type, name): parent name (the stack's own name for the stack)
    ("braze-s3:index:BrazeS3", "braze-s3"): "braze-s3-dev",
    ("braze:s3:Bucket", "braze-bucket"): "braze-s3",
    (BUCKET, "braze-bucket"): "braze-bucket",
    ("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "braze-bucket-public-access"): "braze-bucket",
    ("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "braze-bucket-ownership"): "braze-bucket",
    (
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "braze-bucket-encryption",
    ): "braze-bucket",
    ("aws:s3/bucketPolicy:BucketPolicy", "braze-bucket-tls-only"): "braze-bucket",
    ("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "braze-bucket-lifecycle"): "braze-bucket",
    ("braze:s3:CurrentsConnector", "currents-main"): "braze-s3",
    (POLICY, "currents-main-policy"): "currents-main",
    (ROLE, "currents-main-role"): "currents-main",
    ("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "currents-main-attachment"): "currents-main",
    ("braze:s3:CurrentsConnector", "currents-marketing"): "braze-s3",
    (POLICY, "currents-marketing-policy"): "currents-marketing",
    (USER, "currents-marketing-user"): "currents-marketing",
    ("aws:iam/userPolicyAttachment:UserPolicyAttachment", "currents-marketing-attachment"): "currents-marketing",
    (ACCESS_KEY, "currents-marketing-key-2026-11"): "currents-marketing",
    ("braze:s3:DashboardExport", "dashboard-export"): "braze-s3",
    (POLICY, "dashboard-export-policy"): "dashboard-export",
    (ROLE, "dashboard-export-role"): "dashboard-export",
    ("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "dashboard-export-attachment"): "dashboard-export",
}


def _parents(run: ProgramRun) -> dict[tuple[str, str], str]:
    stack_name = f"braze-s3-{run.stack}"
    return {(r.type, r.name): parent_name(run, r) or stack_name for r in run.resources}


def test_dev_registers_exactly_the_expected_resources_under_their_parents(dev_preview: ProgramRun) -> None:
    assert _parents(dev_preview) == EXPECTED_DEV


def test_currents_policies_grant_only_bucket_actions_and_put_get_in_their_own_folder(dev_preview: ProgramRun) -> None:
    for name, folder in (("main", "currents"), ("marketing", "currents-marketing")):
        policy = dev_preview.get(POLICY, f"currents-{name}-policy")
        assert [(s["Effect"], s["Action"], s["Resource"]) for s in statements(policy)] == [
            ("Allow", ["s3:ListBucket", "s3:GetBucketLocation"], "arn:aws:s3:::acme-braze-dev"),
            ("Allow", ["s3:PutObject", "s3:GetObject"], f"arn:aws:s3:::acme-braze-dev/{folder}/*"),
        ], f"{policy.urn}: Currents policy must be scoped to {folder}/"


def test_dashboard_export_policy_adds_delete_on_bucket_objects(dev_preview: ProgramRun) -> None:
    policy = dev_preview.get(POLICY, "dashboard-export-policy")
    assert [(s["Action"], s["Resource"]) for s in statements(policy)] == [
        (["s3:ListBucket", "s3:GetBucketLocation"], "arn:aws:s3:::acme-braze-dev"),
        (["s3:PutObject", "s3:GetObject", "s3:DeleteObject"], "arn:aws:s3:::acme-braze-dev/*"),
    ]


def test_no_policy_has_wildcard_actions_or_a_star_right_after_the_bucket_name(dev_preview: ProgramRun) -> None:
    for policy in dev_preview.by_type(POLICY):
        for statement in statements(policy):
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            assert all("*" not in action for action in actions), f"{policy.urn}: wildcard action {actions}"
            resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
            for resource in resources:
                assert not resource.startswith("arn:aws:s3:::acme-braze-dev*"), f"{policy.urn}: {resource}"
                assert not resource.endswith("acme-braze-dev/"), f"{policy.urn}: {resource}"


def test_roles_trust_only_brazes_account_with_string_equals_external_id(dev_preview: ProgramRun) -> None:
    expected = {
        "currents-main-role": "6f1c2b9e-3f7d-4c55-9a38-1b2d7c0e4a11",
        "dashboard-export-role": "0b8a7d52-94e1-4f0c-bb6e-2c3d4e5f6a70",
    }
    for role_name, external_id in expected.items():
        role = dev_preview.get(ROLE, role_name)
        assert statements(role, "assumeRolePolicy") == [
            {
                "Sid": "BrazeAssumeRole",
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::716373062512:root"},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"sts:ExternalId": external_id}},
            }
        ], f"{role.urn}: trust must name Braze's account and require the external id"
        assert role.inputs["path"] == "/braze/"


def test_each_integration_has_its_own_policy_and_principal(dev_preview: ProgramRun) -> None:
    attachments = [r for r in dev_preview.resources if r.type.endswith("PolicyAttachment")]
    owners = {parent_name(dev_preview, a) for a in attachments}
    assert owners == {"currents-main", "currents-marketing", "dashboard-export"}
    for attachment in attachments:
        deps = attachment.property_dependencies["policyArn"]
        policy = dev_preview.by_urn(deps[0])
        assert parent_name(dev_preview, policy) == parent_name(dev_preview, attachment), attachment.urn


def test_tags_follow_the_contract_on_every_taggable_resource(dev_preview: ProgramRun) -> None:
    bucket = dev_preview.get(BUCKET, "braze-bucket")
    assert bucket.inputs["tags"] == {"braze:bucket": "true", "environment": "dev", "team": "crm-platform"}
    expected_principal = {
        "currents-main-role": ("currents", "main"),
        "currents-marketing-user": ("currents", "marketing"),
        "dashboard-export-role": ("dashboard-export", "dashboard-export"),
    }
    for type_ in (ROLE, USER):
        for r in dev_preview.by_type(type_):
            integration, connector = expected_principal[r.name]
            assert r.inputs["tags"] == {
                "braze:integration": integration,
                "braze:connector": connector,
                "environment": "dev",
                "team": "crm-platform",
            }, r.urn
    folders = {"currents-main-policy": "currents", "currents-marketing-policy": "currents-marketing"}
    for policy in dev_preview.by_type(POLICY):
        tags = policy.inputs["tags"]
        assert tags.get("braze:folder-path") == folders.get(policy.name), policy.urn
        assert tags["environment"] == "dev"


def test_bucket_is_private_owner_enforced_sse_s3_tls_only_and_never_locked(dev_preview: ProgramRun) -> None:
    bucket = dev_preview.get(BUCKET, "braze-bucket")
    assert bucket.inputs["bucket"] == "acme-braze-dev"
    assert bucket.inputs["forceDestroy"] is False
    assert bucket.inputs["objectLockEnabled"] is False
    assert bucket.retain_on_delete, "the bucket must survive a delete or replace in Pulumi"
    block = dev_preview.get("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "braze-bucket-public-access")
    flags = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
    assert all(block.inputs[f] is True for f in flags)
    ownership = dev_preview.get("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "braze-bucket-ownership")
    assert ownership.inputs["rule"] == {"objectOwnership": "BucketOwnerEnforced"}
    tls = dev_preview.get("aws:s3/bucketPolicy:BucketPolicy", "braze-bucket-tls-only")
    assert statements(tls) == [
        {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": ["arn:aws:s3:::acme-braze-dev", "arn:aws:s3:::acme-braze-dev/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    ]


def test_no_object_lock_and_no_kms_anywhere(dev_preview: ProgramRun, prod_preview: ProgramRun) -> None:
    for run in (dev_preview, prod_preview):
        assert not [r for r in run.resources if "ObjectLock" in r.type]
        for r in run.resources:
            text = str(r.inputs)
            assert "aws:kms" not in text and "kmsMasterKeyId" not in text, r.urn
        encryption = next(r for r in run.resources if r.type.endswith("BucketServerSideEncryptionConfiguration"))
        assert encryption.inputs["rules"] == [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]


def test_dev_lifecycle_aborts_uploads_and_expires_only_the_main_connectors_folder(dev_preview: ProgramRun) -> None:
    lifecycle = dev_preview.get(
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "braze-bucket-lifecycle"
    )
    assert lifecycle.inputs["rules"] == [
        {
            "id": "abort-incomplete-multipart-uploads",
            "status": "Enabled",
            "filter": {"prefix": ""},
            "abortIncompleteMultipartUpload": {"daysAfterInitiation": 7},
        },
        {"id": "currents-main", "status": "Enabled", "filter": {"prefix": "currents/"}, "expiration": {"days": 90}},
    ]


def test_access_key_secrets_are_secret_outputs(dev_up: ProgramRun) -> None:
    """Each secret is its own top-level secret output: pulumi/actions masks only a wholly secret output."""
    keys = dev_up.outputs["currents"]["marketing"]["accessKeys"]
    assert set(keys) == {"2026-11"}
    name = keys["2026-11"]["secretOutput"]
    assert name == "secretAccessKey-currents-marketing-2026-11"
    assert isinstance(dev_up.outputs[name], Secret), f"{name} must be a secret output as a whole"
    nested = json.dumps(strip_markers(dev_up.outputs["currents"], reveal=True))
    assert dev_up.outputs[name].value not in nested, "no secret may sit inside a non-secret output"
    assert keys["2026-11"]["accessKeyId"].startswith("AKIA")
    key = dev_up.get(ACCESS_KEY, "currents-marketing-key-2026-11")
    assert "secret" in key.additional_secret_outputs


def test_outputs_are_the_braze_form_values(dev_up: ProgramRun) -> None:
    out = dev_up.outputs
    assert (out["bucketName"], out["bucketArn"], out["region"]) == (
        "acme-braze-dev",
        "arn:aws:s3:::acme-braze-dev",
        "eu-west-1",
    )
    main = out["currents"]["main"]
    assert main["roleArn"].startswith("arn:aws:iam::111111111111:role/braze/currents-main-role")
    assert (main["bucketName"], main["folderPath"], main["aes256Encryption"], main["authMethod"]) == (
        "acme-braze-dev",
        "currents",
        True,
        "role",
    )
    marketing = out["currents"]["marketing"]
    assert (marketing["folderPath"], marketing["aes256Encryption"], marketing["activeAccessKey"]) == (
        "currents-marketing",
        False,
        "2026-11",
    )
    assert "roleArn" not in marketing
    assert out["dashboardExport"]["roleArn"].startswith("arn:aws:iam::111111111111:role/braze/dashboard-export-role")


def test_preview_leaves_cloud_computed_values_unknown(dev_preview: ProgramRun) -> None:
    assert isinstance(dev_preview.outputs["currents"]["main"]["roleArn"], Unknown)
    assert dev_preview.outputs["bucketName"] == "acme-braze-dev"
