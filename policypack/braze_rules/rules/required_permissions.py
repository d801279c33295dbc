"""braze-required-permissions: each Braze principal can do what Braze's credential test checks."""

from __future__ import annotations

from braze_rules import facts
from braze_rules.bucket_denials import judge
from braze_rules.conditions import caller_of
from braze_rules.findings import RuleResult
from braze_rules.grants import PROBE, WRITE, Access, Holder
from braze_rules.model import BrazeModel, BucketInfo, PrincipalInfo
from braze_rules.resources import UNKNOWN
from braze_rules.rule import Rule
from braze_rules.rules.sse_kms import _demands_header as sse_kms_reports

# A Deny that demands an encryption header Braze does not send is braze-no-sse-kms's finding, reported once there.

NAME = "braze-required-permissions"


def _wanted(holder: Holder, integrations: set[str], bucket: BucketInfo) -> list[tuple[str, str | None]]:
    """(action, object key or None for the bucket) Braze's credential test exercises."""
    wanted: list[tuple[str, str | None]] = [(a, None) for a in facts.BUCKET_ACTIONS]
    if facts.DASHBOARD_EXPORT in integrations:
        wanted += [(a, PROBE) for a in facts.DASHBOARD_EXPORT_OBJECT_ACTIONS]
    if facts.CURRENTS in integrations or not integrations:
        folder = holder.currents_folder(bucket)
        key = f"{folder}/{PROBE}" if folder else _a_key_it_writes(holder, bucket)
        wanted += [(a, key) for a in facts.CURRENTS_OBJECT_ACTIONS]
    return list(dict.fromkeys(wanted))


def _a_key_it_writes(holder: Holder, bucket: BucketInfo) -> str:
    """Without a folder of its own (`curr?nts/*`, `currents/*/*`, the whole bucket), the folder set in Braze
    is one the write grant allows: a key of it (its wildcards filled in), else any key of the bucket."""
    access = holder.on(bucket)
    patterns = sorted(access.keys.get(WRITE, ())) if access else []
    return patterns[0].replace("*", "x").replace("?", "x") if patterns else PROBE


def _check_bucket(
    model: BrazeModel, principal: PrincipalInfo, holder: Holder, access: Access, result: RuleResult
) -> None:
    bucket = access.bucket
    integrations = holder.integrations
    caller = caller_of(model, principal, integrations)
    missing, unsure = [], []
    denied: dict[tuple[str, str], list[str]] = {}
    undecided: dict[tuple[str, str], list[str]] = {}
    for action, key in _wanted(holder, integrations, bucket):
        for denial in judge(bucket, action, key, caller):
            if denial.statement is not None and sse_kms_reports(denial.statement):
                continue
            found = denied if denial.certain else undecided
            found.setdefault((denial.res.urn, denial.why), []).append(action)
        verdict = access.allows(action, key)
        if verdict is False:
            where = f"arn:aws:s3:::{bucket.name}" + (f"/{key.replace(PROBE, '*')}" if key else "")
            missing.append(f"{action} on {where}")
        elif verdict is UNKNOWN:
            unsure.append(action)
    for (urn, why), actions in undecided.items():
        result.note(
            f"{NAME}: {model.resources[urn].label()} may deny {', '.join(dict.fromkeys(actions))} on {bucket.label()} "
            f"to {principal.res.label()}; not decided here: {why}."
        )
    if missing and not holder.unreadable:
        what = " and ".join(sorted(integrations)) or "Braze"
        result.violation(
            f'{principal.res.label()} ({what}) lacks {"; ".join(missing)} on {bucket.label()}. Braze\'s "Test credentials" '
            "checks these and refuses to save the integration without them (GetObject serves Braze's error handling); "
            f"a connector that loses them stops and {facts.LOSS}. Grant exactly Braze's actions: ListBucket and "
            "GetBucketLocation on the bucket; PutObject and GetObject on <bucket>/<folder>/* (Currents); PutObject, "
            "GetObject and DeleteObject on <bucket>/* (dashboard export).",
            principal.res.urn,
        )
    elif missing or unsure:
        result.note(
            f"{NAME}: the permissions of {principal.res.label()} depend on values known after deployment and were not fully checked."
        )
    for (urn, why), actions in denied.items():
        res = next(c for c in bucket.children + ([bucket.res] if bucket.res else []) if c.urn == urn)
        result.violation(
            f"{res.label()} {why}: it denies {', '.join(dict.fromkeys(actions))} on {bucket.label()} to "
            f'{principal.res.label()}, whatever its own policies allow. Braze\'s "Test credentials" fails and {facts.LOSS}. '
            "Exempt Braze's requests from the Deny, or drop it (an explicit Deny wins over every Allow).",
            urn,
        )


def check(model: BrazeModel) -> RuleResult:
    result = RuleResult()
    for principal in model.braze_principals():
        holder = model.grants.of_principal(principal)
        accesses = [a for b in holder.buckets(model) if (a := holder.on(b)) is not None]
        named = [a for a in accesses if isinstance(a.bucket.name, str)]
        if not named:
            if holder.everywhere or holder.wildcard_buckets:
                # every bucket, or every bucket a pattern matches (`*braze*`): nothing missing here;
                # braze-least-privilege and braze-no-bucket-name-wildcards report the breadth
                continue
            outside = [p.external_arn for p in principal.policies if p.external_arn]
            pending = holder.unreadable and (
                not outside or any(not p.external_arn for p in principal.unreadable_policies())
            )
            if pending or accesses:
                result.note(
                    f"{NAME}: which bucket {principal.res.label()} writes to is not known until deployment; its permissions were not checked."
                )
            elif outside:  # never readable here, before or after deployment
                result.note(
                    f"{NAME}: {principal.res.label()} has its policies from outside this stack ({', '.join(outside[:3])}), "
                    "which the pack cannot read; its permissions were not checked."
                )
            elif principal.declared or principal.trusted_braze_accounts:
                result.violation(
                    f"{principal.res.label()} is a Braze principal with no permission on any bucket in this stack. Braze's "
                    '"Test credentials" will fail. Attach a policy granting Braze\'s actions on the bucket.',
                    principal.res.urn,
                )
            continue
        for access in named:
            _check_bucket(model, principal, holder, access, result)
    return result


RULE = Rule(
    name=NAME,
    description="Each Braze principal has what Braze checks: ListBucket and GetBucketLocation on the bucket, PutObject and GetObject on its objects (its folder for Currents), and DeleteObject for dashboard export.",
    enforcement="mandatory",
    severity="high",
    remediation=(
        "Attach the policy the braze-s3 program generates (components/documents.py): bucket-level "
        "s3:ListBucket + s3:GetBucketLocation, object-level s3:PutObject + s3:GetObject on <bucket>/<folder>/* "
        "for Currents, plus s3:DeleteObject on <bucket>/* for dashboard export."
    ),
    check=check,
)
