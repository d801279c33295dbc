"""braze-distinct-folder-paths: each Currents connector on a bucket writes to its own folder, and
none writes in Braze's own prefixes (message archiving's `sent_messages/`, `segment-export/`)."""

from __future__ import annotations

from dataclasses import dataclass

from braze_rules import facts
from braze_rules.findings import RuleResult
from braze_rules.grants import WRITE, Access, Holder
from braze_rules.model import BrazeModel, BucketInfo, PolicyDoc, folder_of_key_pattern, folder_of_prefix
from braze_rules.rule import Rule

NAME = "braze-distinct-folder-paths"


@dataclass(frozen=True)
class Claim:
    connector: str  # what makes two claims different connectors (principal or policy URN)
    label: str
    urn: str
    folder: str
    prefix: bool = False  # granted without its slash (`currents*`): it also reaches `currents-marketing/`


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
        exports: bool | None = None  # whether the bucket also serves dashboard export: asked when needed
        for policy in model.braze_policies():
            holder = model.grants.of_policy(policy)
            access = holder.on(bucket)
            if access is None or not _is_currents(model, policy, holder):
                continue
            for written, prefixes, explicit in _reserved_writes(holder, access):
                if not explicit:
                    if facts.DASHBOARD_EXPORT in holder.integrations:
                        # dashboard export's own grant, shared with Currents: separate-integration-policies.
                        # Declared Currents with a delete is not that: an over-privileged connector (least-privilege).
                        continue
                    exports = _serves_export(model, bucket) if exports is None else exports
                    if not exports:
                        continue
                _report_reserved(result, policy, bucket, written, prefixes, explicit=explicit)
            principals = [model.principals[u] for u in sorted(policy.principals)]
            owners = [(p.res.urn, p.res.label()) for p in principals] or [(policy.res.urn, policy.res.label())]
            slashless = holder.write_prefixes(bucket)
            for folder in sorted(holder.write_folders(bucket)):
                for owner, label in owners:
                    claims.append(Claim(owner, label, policy.res.urn, folder, folder in slashless))
        _report_overlaps(result, bucket.label(), claims)
    return result


def _reserved_writes(holder: Holder, access: Access) -> list[tuple[str, list[str], bool]]:
    """(what it writes, Braze's prefixes it reaches, whether that is a folder it names) for a Currents holder.

    Its folder is its `braze:folder-path` tag, else each `<folder>/*` (or slashless `<folder>*`) it may
    write: a folder that is, lies inside or contains a Braze prefix (the root contains them all). Without a tag, a write grant
    on the whole bucket or with a wildcard reaching into a Braze prefix (`*`, `sent*`) is not a folder
    of its own: it reaches Braze's files only where Braze writes them, in a bucket that also serves
    dashboard export (``explicit`` False)."""
    found: list[tuple[str, list[str], bool]] = []
    if holder.folder_tags:
        for tag in holder.folder_tags:
            folder = facts.normalise_folder(tag)
            prefixes = [p for p in facts.BRAZE_RESERVED_PREFIXES if folder == "" or facts.folders_overlap(folder, p)]
            if prefixes:
                found.append((folder, prefixes, True))
        return found
    for key in sorted(access.keys.get(WRITE, ())):
        proper = folder_of_key_pattern(key)
        named = proper or folder_of_prefix(key)  # `sent_messages*` is the folder sent_messages too
        if named is not None:
            prefixes = [p for p in facts.BRAZE_RESERVED_PREFIXES if facts.folders_overlap(named, p)]
            if prefixes:
                found.append((named, prefixes, True))
                continue
            if proper is not None:
                continue  # a folder of its own, beside Braze's
            # `sent*`: no reserved folder by name, but its keys may run into one (below)
        prefixes = [p for p in facts.BRAZE_RESERVED_PREFIXES if facts.key_pattern_reaches(key, p)]
        if prefixes:
            found.append((key, prefixes, False))
    return found


def _serves_export(model: BrazeModel, bucket: BucketInfo) -> bool:
    """Some Braze policy or principal of the stack serves dashboard export on the bucket: Braze's
    message archives and exports land there."""
    for policy in model.braze_policies():
        holder = model.grants.of_policy(policy)
        if holder.on(bucket) is not None and facts.DASHBOARD_EXPORT in holder.integrations:
            return True
    for principal in model.braze_principals():
        holder = model.grants.of_principal(principal)
        if holder.on(bucket) is not None and facts.DASHBOARD_EXPORT in holder.integrations:
            return True
    return False


def _report_reserved(
    result: RuleResult, policy: PolicyDoc, bucket: BucketInfo, written: str, prefixes: list[str], *, explicit: bool
) -> None:
    named = " and ".join(f'"{p}/"' for p in prefixes)
    own = f"Braze's own {named} prefix" + ("es" if len(prefixes) > 1 else "")
    if not explicit:
        what = f'may write Currents files at any key matching "{written}" in {bucket.label()}, which also serves dashboard export, so'
        relation = f"inside {own}"
    elif written == "":
        what = f"writes Currents files at the root of {bucket.label()}, which"
        relation = f"contains {own}"
    elif written in prefixes:
        what = f'writes Currents files under "{written}/" in {bucket.label()},'
        relation = own
    else:  # a one-segment prefix is contained only by the root: any other overlap lies inside it
        what = f'writes Currents files under "{written}/" in {bucket.label()},'
        relation = f"a folder inside {own}"
    why = "; ".join(f"{p}/: {facts.BRAZE_RESERVED_PREFIXES[p]}" for p in prefixes)
    result.violation(
        f"{policy.label()} {what} {relation} ({why}). A Currents credential there can read and overwrite "
        "those files, and Currents lifecycle rules on its folder would expire them. Give the connector a "
        f"folder of its own outside {' and '.join(p + '/' for p in facts.BRAZE_RESERVED_PREFIXES)} "
        "(braze-s3:currents[i].folderPath) and grant PutObject/GetObject on <bucket>/<folder>/* only.",
        policy.res.urn,
    )


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
    _report_prefix_overlaps(result, where, claims, reported)


def _report_prefix_overlaps(
    result: RuleResult, where: str, claims: list[Claim], reported: set[tuple[str, str]]
) -> None:
    """A folder granted without its slash (`currents*`) reaches every folder whose name starts so."""
    for claim in [c for c in claims if c.prefix]:
        for other in claims:
            pair = (min(other.connector, claim.connector), max(other.connector, claim.connector))
            if other.connector == claim.connector or pair in reported or not other.folder.startswith(claim.folder):
                continue
            reported.add(pair)
            result.violation(
                f'{claim.label} may write Currents files at any key starting with "{claim.folder}" in {where} (its grant '
                f'has no slash after the folder: "{claim.folder}*"), so also under "{other.folder}/", the folder of '
                f"{other.label}. A connector's credential could overwrite the other's Avro files. Grant "
                f'"<bucket>/{claim.folder}/*" instead (braze-s3:currents[i].folderPath).',
                claim.urn,
            )


RULE = Rule(
    name=NAME,
    description="Currents connectors that write to one bucket use different folder paths, none inside another, and none is, lies inside or contains Braze's own prefixes sent_messages/ (message archiving) and segment-export/.",
    enforcement="mandatory",
    severity="high",
    remediation=(
        "Give every Currents connector of a bucket its own folderPath (braze-s3:currents[i].folderPath), "
        "e.g. currents-main and currents-marketing, never currents and currents/eu; then update the "
        "Folder Path field of the connector in Braze. Never use Braze's own prefixes sent_messages/ and "
        "segment-export/ (or the bucket root) as a Currents folder."
    ),
    check=check,
)
