"""braze-distinct-folder-paths: each Currents connector on a bucket writes to its own folder."""

from __future__ import annotations

from dataclasses import dataclass

from braze_rules import facts, iam
from braze_rules.findings import RuleResult
from braze_rules.model import BrazeModel, PolicyDoc, PrincipalInfo, folder_of_key_pattern, infer_integrations
from braze_rules.rule import Rule

NAME = "braze-distinct-folder-paths"


@dataclass(frozen=True)
class Claim:
    connector: str  # what makes two claims different connectors (principal or policy URN)
    label: str
    urn: str
    folder: str


def _folders_in(policy: PolicyDoc, bucket_name: str) -> set[str]:
    """Folders a Currents policy writes under, from its tag or from its PutObject grants."""
    if policy.folder_tag:
        return {facts.normalise_folder(policy.folder_tag)}
    folders: set[str] = set()
    for statement in policy.statements:
        if not statement.allow or not isinstance(statement.resources, list):
            continue
        if iam.statement_covers_action(statement, "s3:PutObject") is not True:
            continue
        for arn in statement.resources:
            parsed = iam.s3_bucket_of(arn)
            if parsed and parsed[1] is not None and parsed[0] == bucket_name:
                folder = folder_of_key_pattern(parsed[1])
                if folder:
                    folders.add(folder)
    return folders


def _is_currents(model: BrazeModel, policy: PolicyDoc, principals: list[PrincipalInfo]) -> bool:
    declared = set(policy.declared)
    for principal in principals:
        declared |= model.integrations_of(principal)
    if not declared:
        declared = infer_integrations(policy.statements)
    return facts.CURRENTS in declared


def check(model: BrazeModel) -> RuleResult:
    result = RuleResult()
    for bucket in model.braze_buckets():
        if not isinstance(bucket.name, str):
            continue
        claims: list[Claim] = []
        for policy in model.braze_policies():
            if not model.touches(policy, bucket):
                continue
            principals = [model.principals[u] for u in sorted(policy.principals)]
            if not _is_currents(model, policy, principals):
                continue
            owners = [(p.res.urn, p.res.label()) for p in principals] or [(policy.res.urn, policy.res.label())]
            for folder in sorted(_folders_in(policy, bucket.name)):
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
