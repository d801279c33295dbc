"""Braze on S3 from another Python program, with the braze-s3 component package:

    pulumi package add https://github.com/<org>/braze-s3/provider@v1.0.0

generates `pulumi_braze_s3` into ./sdks and adds it to requirements.txt.
"""

import pulumi
import pulumi_braze_s3 as braze_s3

braze = braze_s3.BrazeS3(
    "braze",
    braze_account_id="716373062512",
    bucket={"name": "acme-braze-data-prod", "protect": True},
    currents=[
        {"name": "main", "folder_path": "currents", "auth": "role", "external_ids": ["<external id from Braze>"]}
    ],
)

pulumi.export("currents", braze.currents)
