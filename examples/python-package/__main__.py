"""Braze on S3 from another Python program, with the braze-s3 component package:

    pulumi package add https://github.com/<org>/braze-s3/provider@v1.0.0

generates `pulumi_braze_s3` into ./sdks and adds it to requirements.txt (README, "Use from your own program").

The integration is the one this project's dev stack describes (Pulumi.dev.yaml): a Currents connector per auth
method and the dashboard export in one bucket. tests/real/test_real_python_package.py previews this program with
the real CLI and holds it to the stack program's resources. Replace the external ids with the ones Braze shows on
each integration's page; the region is this program's `aws:region` config.
"""

import pulumi
import pulumi_braze_s3 as braze_s3

braze = braze_s3.BrazeS3(
    "braze",
    braze_account_id="716373062512",  # Braze's AWS account, from Braze's Currents page
    bucket={"name": "acme-braze-dev", "protect": False, "versioning": False, "lifecycle": {}},
    currents=[
        {
            "name": "main",
            "folder_path": "currents",
            "auth": "role",
            "external_ids": ["6f1c2b9e-3f7d-4c55-9a38-1b2d7c0e4a11"],
            "sse": True,
            "lifecycle": {"expiration_days": 90},
        },
        {"name": "marketing", "folder_path": "currents-marketing", "auth": "accessKey", "access_keys": ["2026-11"]},
    ],
    dashboard_export={"auth": "role", "external_ids": ["0b8a7d52-94e1-4f0c-bb6e-2c3d4e5f6a70"]},
    tags={"environment": "dev", "team": "crm-platform"},
)

# What to type into Braze: role ARN or access key id, bucket name and folder of each integration.
pulumi.export("currents", braze.currents)
pulumi.export("dashboardExport", braze.dashboard_export)
# The secret access keys, by the name each `accessKeys.<generation>.secretOutput` gives (secret at run time).
pulumi.export("secretAccessKeys", braze.secret_access_keys)
