"""The prod stack: protected buckets (Currents and exports apart), old versions expiring."""

from __future__ import annotations

from braze_s3_tools.engine.harness import ProgramRun
from tests.helpers import BUCKET


def test_prod_buckets_are_protected_and_only_the_buckets_are(prod_preview: ProgramRun) -> None:
    bucket = prod_preview.get(BUCKET, "braze-bucket")
    assert bucket.protect, f"{bucket.urn}: prod bucket must be protected"
    assert bucket.inputs["bucket"] == "acme-braze-prod"
    exports = prod_preview.get(BUCKET, "braze-bucket-acme-braze-exports-prod")
    assert exports.inputs["bucket"] == "acme-braze-exports-prod"
    assert sorted(r.name for r in prod_preview.resources if r.protect) == [
        "braze-bucket",
        "braze-bucket-acme-braze-exports-prod",
    ]


def test_prod_versioning_with_noncurrent_expiry_and_ordered_transitions(prod_preview: ProgramRun) -> None:
    versioning = prod_preview.get("aws:s3/bucketVersioning:BucketVersioning", "braze-bucket-versioning")
    assert versioning.inputs["versioningConfiguration"] == {"status": "Enabled"}
    lifecycle = prod_preview.get(
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "braze-bucket-lifecycle"
    )
    rules = {rule["id"]: rule for rule in lifecycle.inputs["rules"]}
    assert rules["abort-incomplete-multipart-uploads"]["abortIncompleteMultipartUpload"] == {"daysAfterInitiation": 3}
    assert rules["expire-noncurrent-versions"]["noncurrentVersionExpiration"] == {"noncurrentDays": 30}
    assert rules["currents-main"]["filter"] == {"prefix": "currents/"}
    assert rules["currents-main"]["transitions"] == [{"days": 30, "storageClass": "STANDARD_IA"}]
    assert rules["currents-main"]["expiration"] == {"days": 400}
    assert versioning.urn in lifecycle.dependencies, "lifecycle must wait for versioning"


def test_prod_has_no_access_keys(prod_preview: ProgramRun) -> None:
    assert not prod_preview.by_type("aws:iam/accessKey:AccessKey")
    assert not prod_preview.by_type("aws:iam/user:User")
