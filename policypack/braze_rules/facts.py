"""What Braze needs and cannot use on S3: the facts every rule rests on.

Source: Braze's Amazon S3 documentation (see the project's shared/braze-s3-facts.md).
"""

from __future__ import annotations

# Braze's only publicly seen AWS account id (one US deployment). Other clusters may use
# another account: organisations list theirs in the pack config `brazeAccountIds`.
DEFAULT_BRAZE_ACCOUNT_IDS: tuple[str, ...] = ("716373062512",)

CURRENTS = "currents"
DASHBOARD_EXPORT = "dashboard-export"
INTEGRATIONS = (CURRENTS, DASHBOARD_EXPORT)

BUCKET_ACTIONS = ("s3:ListBucket", "s3:GetBucketLocation")
CURRENTS_OBJECT_ACTIONS = ("s3:PutObject", "s3:GetObject")
DASHBOARD_EXPORT_OBJECT_ACTIONS = ("s3:PutObject", "s3:GetObject", "s3:DeleteObject")
BRAZE_ACTIONS = (*BUCKET_ACTIONS, *DASHBOARD_EXPORT_OBJECT_ACTIONS)

# The tag contract of the braze-s3 program (components/tags.py there).
TAG_BUCKET = "braze:bucket"
TAG_INTEGRATION = "braze:integration"
TAG_CONNECTOR = "braze:connector"
TAG_FOLDER_PATH = "braze:folder-path"
BRAZE_TAG_PREFIX = "braze:"
# The program's components, and the package's top-level component (braze-s3:index:BrazeS3).
COMPONENT_TYPE_PREFIX = ("braze:s3:", "braze-s3:index:")
COMPONENT_INTEGRATION = {
    "braze:s3:CurrentsConnector": CURRENTS,
    "braze:s3:DashboardExport": DASHBOARD_EXPORT,
}

LOSS = "events Braze cannot write are dropped after 48 hours to 5 days and cannot be replayed"
DOCS_URL = "https://www.braze.com/docs/partners/data_and_infrastructure_agility/cloud_storage/amazon_s3"


def normalise_folder(path: str) -> str:
    """A folder as S3 keys see it: no leading or trailing slash, no empty segment."""
    return "/".join(part for part in path.split("/") if part)


def folders_overlap(a: str, b: str) -> bool:
    """Same folder, or one inside the other (`a` vs `a/b`, never `a` vs `ab`)."""
    a, b = normalise_folder(a), normalise_folder(b)
    return a == b or a.startswith(b + "/") or b.startswith(a + "/")
