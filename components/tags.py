"""The tag contract: what the policy pack and auditors read to recognise Braze resources.

    braze:bucket       "true" on the bucket Braze writes to
    braze:integration  "currents" | "dashboard-export" on every IAM resource of an integration
    braze:connector    the connector's name (dashboard export: "dashboard-export")
    braze:folder-path  the normalised folder, on a Currents connector's policy only

`braze:folder-path` stays off roles and users on purpose: a folder change must leave the
credentials Braze holds (role, user, keys) with identical inputs.
"""

from __future__ import annotations

from collections.abc import Mapping

from components.settings import Integration

BUCKET = "braze:bucket"
INTEGRATION = "braze:integration"
CONNECTOR = "braze:connector"
FOLDER_PATH = "braze:folder-path"


def bucket_tags(extra: Mapping[str, str]) -> dict[str, str]:
    return {**extra, BUCKET: "true"}


def principal_tags(extra: Mapping[str, str], integration: Integration, connector: str) -> dict[str, str]:
    return {**extra, INTEGRATION: integration, CONNECTOR: connector}


def policy_tags(
    extra: Mapping[str, str], integration: Integration, connector: str, folder: str | None
) -> dict[str, str]:
    tags = principal_tags(extra, integration, connector)
    if folder is not None:
        tags[FOLDER_PATH] = folder
    return tags
