"""braze-distinct-folder-paths: each Currents connector on a bucket writes to its own folder."""

from __future__ import annotations

from dataclasses import dataclass

from braze_rules import facts
from braze_rules.findings import RuleResult
from braze_rules.grants import Holder
from braze_rules.model import BrazeModel, PolicyDoc
from braze_rules.rule import Rule

NAME = "braze-distinct-folder-paths"


@dataclass(frozen=True)
class Claim:
    connector: str  # what makes two claims different connectors (principal or policy URN)
    label: str
    urn: str
    folder: str


def _is_currents(model: BrazeModel, policy: PolicyDoc, holder: Holder) -> bool:
    """Currents by its own declaration or grants, or by what any principal it is attached to serves."""
    found = set(holder.integrations)
    for urn in policy.principals:
        found |= model.grants.of_principal(model.principals[urn]).integrations
    return facts.CURRENTS in found


def check(model: BrazeModel) -> RuleResult:
    result = RuleResult()
    for bucket in model.braze_buckets():
        if not isinstance(bucket.name, str):
            continue
        claims: list[Claim] = []
        for policy in model.braze_policies():
            holder = model.grants.of_policy(policy)
            if holder.on(bucket) is None or not _is_currents(model, policy, holder):
                continue
            principals = [model.principals[u] for u in sorted(policy.principals)]
            owners = [(p.res.urn, p.res.label()) for p in principals] or [(policy.res.urn, policy.res.label())]
            for folder in sorted(holder.write_folders(bucket)):
                for owner, label in owners:
                    claims.append(Claim(owner, label, policy.res.urn, folder))
        _report_overlaps(result, bucket.label(), claims)
    return result


def _report_overlaps(result: RuleResult, where: str, claims: list[Claim]) -> None:
    """Linear in claims: each folder is checked against itself and its ancestors only."""
    by_folder: dict[str, Claim] = {}
    reported: set[tuple[str, str]] = set()
    for claim in sorted(claims, key=lambda c: (c.folder.count("/"), c.folder, c.connector)):
        parts = claim.folder.split("/")
        candidates = ["/".join(parts[:end]) for end in range(1, len(parts) + 1)]
        for candidate in candidates:
            other = by_folder.get(candidate)
            if other is None or other.connector == claim.connector:
                continue
            pair = (min(other.connector, claim.connector), max(other.connector, claim.connector))
            if pair in reported:
                continue
            reported.add(pair)
            relation = (
                "the same folder as" if candidate == claim.folder else f'a folder inside "{candidate}/", the folder of'
            )
            result.violation(
                f'{claim.label} writes Currents files under "{claim.folder}/" in {where}, {relation} '
                f"{other.label}. Two connectors in one folder overwrite and mix each other's Avro files, and "
                "Braze requires a distinct folder path per connector. Give each connector its own folder, "
                "none inside another (braze-s3:currents[i].folderPath).",
                claim.urn,
            )
        by_folder.setdefault(claim.folder, claim)


RULE = Rule(
    name=NAME,
    description="Currents connectors that write to one bucket use different folder paths, none inside another.",
    enforcement="mandatory",
    severity="high",
    remediation=(
        "Give every Currents connector of a bucket its own folderPath (braze-s3:currents[i].folderPath), "
        "e.g. currents-main and currents-marketing, never currents and currents/eu; then update the "
        "Folder Path field of the connector in Braze."
    ),
    check=check,
)
