"""Several buckets, bucket modes and customer managed KMS in what the program registers and exports."""

from __future__ import annotations

from typing import Any

from braze_s3_tools.engine.harness import ProgramRun, run_program
from braze_s3_tools.plan.braze_form import braze_forms
from braze_s3_tools.plan.buckets import bucket_notes
from tests.helpers import BUCKET, POLICY, ROLE_AUTH, statements
from tests.test_buckets_config import KEY_ARN, _stack

SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"


def _run(**changes: Any) -> ProgramRun:
    run = run_program("dev", overrides=_stack(**changes))
    assert run.error is None, run.error
    return run


def _buckets_named(run: ProgramRun, policy_name: str) -> set[str]:
    """The buckets a policy grants on."""
    found = set()
    for statement in statements(run.get(POLICY, policy_name)):
        resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        found |= {r.split(":::", 1)[1].split("/", 1)[0] for r in resources if ":s3:::" in r}
    return found


def test_each_managed_bucket_gets_the_full_hardening_and_its_own_outputs() -> None:
    run = _run()
    names = sorted(b.inputs["bucket"] for b in run.by_type(BUCKET))
    assert names == ["acme-braze-dev", "acme-braze-exports-dev"]
    for suffix in ("public-access", "ownership", "encryption", "tls-only", "lifecycle"):
        assert {r.name for r in run.resources if r.name.endswith(f"-{suffix}")} == {
            f"braze-bucket-{suffix}",
            f"braze-bucket-acme-braze-exports-dev-{suffix}",
        }
    buckets = run.outputs["buckets"]
    assert {k: b["name"] for k, b in buckets.items()} == {
        "default": "acme-braze-dev",
        "exports": "acme-braze-exports-dev",
    }
    assert run.outputs["dashboardExport"]["bucketName"] == "acme-braze-exports-dev"
    assert run.outputs["currents"]["main"]["bucketName"] == "acme-braze-dev"


def test_a_policy_never_grants_on_a_bucket_its_integration_does_not_use() -> None:
    run = _run()
    assert _buckets_named(run, "currents-main-policy") == {"acme-braze-dev"}
    assert _buckets_named(run, "dashboard-export-policy") == {"acme-braze-exports-dev"}


def test_renaming_a_bucket_key_replaces_nothing() -> None:
    before = _run()
    after = _run(
        buckets={"archive": {"name": "acme-braze-exports-dev"}},
        dashboardExport={"bucket": "archive", **ROLE_AUTH},
    )
    assert {r.urn for r in before.resources} == {r.urn for r in after.resources}


def test_adding_a_bucket_leaves_every_existing_urn_in_place() -> None:
    one = run_program("dev")
    two = run_program(
        "dev",
        overrides={
            "braze-s3:buckets": {"exports": {"name": "acme-braze-exports-dev"}},
            "braze-s3:dashboardExport": {"bucket": "exports", **ROLE_AUTH},
        },
    )
    assert two.error is None, two.error
    assert {r.urn for r in one.resources} <= {r.urn for r in two.resources}


def test_import_mode_adopts_the_bucket_and_the_plan_lists_what_it_overwrites() -> None:
    run = _run(buckets={"exports": {"name": "acme-braze-exports-dev", "mode": "import"}})
    imported = run.get(BUCKET, "braze-bucket-acme-braze-exports-dev")
    assert imported.import_id == "acme-braze-exports-dev"
    assert run.get(BUCKET, "braze-bucket").import_id == ""
    note = next(n for n in bucket_notes(run) if n.key == "exports")
    text = "\n".join(note.lines)
    assert "bucket policy REPLACED" in text and "lifecycle configuration REPLACED" in text
    assert "tags REPLACED" in text, (
        "the bucket resource sets its tags: the real up replaces them (tests/real/test_e2e.py)"
    )
    assert "get-object-lock-configuration --bucket acme-braze-exports-dev" in text


def test_reference_mode_creates_nothing_on_the_bucket_and_scopes_iam_to_its_name() -> None:
    run = _run(bucket={"name": "acme-old-braze-bucket", "mode": "reference"})
    s3_resources = [
        r for r in run.resources if r.type.startswith("aws:s3/") and "old" in str(r.inputs.get("bucket", r.name))
    ]
    assert s3_resources == []
    assert _buckets_named(run, "currents-main-policy") == {"acme-old-braze-bucket"}
    assert run.outputs["buckets"]["default"]["mode"] == "reference"
    # No alarm either: it would add a metrics config to the bucket (alerts with only such connectors are
    # refused: tests/test_alerts.py).
    assert "freshnessAlarm" not in run.outputs["currents"]["main"]
    note = next(n for n in bucket_notes(run) if n.key == "default")
    assert "not managed by this stack" in note.lines[0] and "TLS-only bucket policy" in note.lines[0]


def test_a_kms_bucket_encrypts_with_its_key_and_grants_exactly_that_key_to_its_principals() -> None:
    run = _run(buckets={"exports": {"name": "acme-braze-exports-dev", "kmsKeyArn": KEY_ARN}})
    encryption = run.get(SSE, "braze-bucket-acme-braze-exports-dev-encryption").inputs["rules"][0]
    assert encryption["applyServerSideEncryptionByDefault"] == {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": KEY_ARN}
    assert encryption["bucketKeyEnabled"] is True
    assert run.get(SSE, "braze-bucket-encryption").inputs["rules"][0]["applyServerSideEncryptionByDefault"] == {
        "sseAlgorithm": "AES256"
    }
    key_statements = [
        s for s in statements(run.get(POLICY, "dashboard-export-policy")) if s.get("Sid") == "BrazeBucketKey"
    ]
    assert key_statements == [
        {
            "Sid": "BrazeBucketKey",
            "Effect": "Allow",
            "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
            "Resource": KEY_ARN,
            "Condition": {"StringEquals": {"kms:ViaService": "s3.eu-west-1.amazonaws.com"}},
        }
    ]
    assert not any("kms:" in str(s["Action"]) for s in statements(run.get(POLICY, "currents-main-policy")))
    assert run.outputs["buckets"]["exports"]["kmsKeyArn"] == KEY_ARN


def test_each_braze_form_names_the_bucket_of_its_integration() -> None:
    forms = {f.title: dict(f.fields) for f in braze_forms(_run().outputs)}
    assert forms['Currents connector "main"']["AWS S3 Bucket Name"] == "acme-braze-dev"
    assert forms["Dashboard data export"]["AWS S3 Bucket Name"] == "acme-braze-exports-dev"


def test_a_kept_bucket_keeps_its_hardening_but_not_its_lifecycle_rules() -> None:
    """`pulumi destroy` (or a replacement) keeps a retainOnDelete bucket: its public access block, ownership
    controls, default encryption, TLS-only policy and versioning stay with it; its expiry rules do not."""
    from braze_s3_tools.engine.harness import run_program

    run = run_program("prod")
    bucket = run.get("aws:s3/bucket:Bucket", "braze-bucket")
    children = {r.type.split(":")[-1]: r.retain_on_delete for r in run.children(run.by_urn(bucket.parent)) if r.custom}
    assert children == {
        "Bucket": True,
        "BucketPublicAccessBlock": True,
        "BucketOwnershipControls": True,
        "BucketServerSideEncryptionConfiguration": True,
        "BucketPolicy": True,
        "BucketVersioning": True,
        "BucketLifecycleConfiguration": False,
    }
    opted_out = run_program("dev", overrides={"braze-s3:bucket": {"name": "acme-braze-dev", "retainOnDelete": False}})
    assert not any(r.retain_on_delete for r in opted_out.resources if r.type.startswith("aws:s3/"))
