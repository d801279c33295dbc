"""braze-required-permissions: each Braze principal can do what Braze's credential test checks."""

from __future__ import annotations

from braze_rules import facts, iam
from braze_rules.findings import RuleResult
from braze_rules.model import BrazeModel, BucketInfo, PrincipalInfo, folder_of_key_pattern
from braze_rules.resources import UNKNOWN
from braze_rules.rule import Rule

NAME = "braze-required-permissions"
PROBE = "braze-s3-policy-probe"


def _folder(principal: PrincipalInfo, bucket: str) -> str | None:
    """The Currents folder: from the braze:folder-path tag, else from a folder-scoped PutObject grant."""
    for policy in principal.policies:
        if policy.folder_tag:
            return facts.normalise_folder(policy.folder_tag)
    for statement in principal.statements():
        if statement.allow and isinstance(statement.resources, list):
            for arn in statement.resources:
                parsed = iam.s3_bucket_of(arn)
                if parsed and parsed[0] == bucket and parsed[1] is not None:
                    folder = folder_of_key_pattern(parsed[1])
                    if folder:
                        return folder
    return None


def _allowed(statements: list[iam.Statement], action: str, arn: str) -> bool | object:
    """Allowed in any partition the documents are written for."""
    verdicts = [
        iam.allows(statements, action, arn.replace("arn:aws:", f"arn:{p}:", 1)) for p in ("aws", "aws-cn", "aws-us-gov")
    ]
    if True in verdicts:
        return True
    return UNKNOWN if UNKNOWN in verdicts else False


def _check_bucket(principal: PrincipalInfo, integrations: set[str], bucket: BucketInfo, result: RuleResult) -> None:
    name = bucket.name
    assert isinstance(name, str)
    statements = principal.statements()
    bucket_arn = f"arn:aws:s3:::{name}"
    wanted: list[tuple[str, str]] = [(a, bucket_arn) for a in facts.BUCKET_ACTIONS]
    if facts.DASHBOARD_EXPORT in integrations:
        wanted += [(a, f"{bucket_arn}/{PROBE}") for a in facts.DASHBOARD_EXPORT_OBJECT_ACTIONS]
    if facts.CURRENTS in integrations or not integrations:
        folder = _folder(principal, name)
        key = f"{folder}/{PROBE}" if folder else PROBE
        wanted += [(a, f"{bucket_arn}/{key}") for a in facts.CURRENTS_OBJECT_ACTIONS]
    missing, unsure = [], []
    for action, arn in dict.fromkeys(wanted):
        verdict = _allowed(statements, action, arn)
        if verdict is False:
            missing.append(f"{action} on {arn.replace(PROBE, '*')}")
        elif verdict is UNKNOWN:
            unsure.append(action)
    if missing and not principal.unreadable_policies():
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


def _grants_everywhere(principal: PrincipalInfo) -> bool:
    statements = principal.statements()
    probe = "arn:aws:s3:::any-bucket-of-the-account"
    return all(
        _allowed(statements, a, probe if a in facts.BUCKET_ACTIONS else f"{probe}/{PROBE}") is True
        for a in (*facts.BUCKET_ACTIONS, *facts.CURRENTS_OBJECT_ACTIONS)
    )


def check(model: BrazeModel) -> RuleResult:
    result = RuleResult()
    for principal in model.braze_principals():
        integrations = model.integrations_of(principal)
        buckets = {b.key: b for p in principal.policies for b in model.braze_buckets() if model.touches(p, b)}
        named = [b for b in buckets.values() if isinstance(b.name, str)]
        if not named:
            if _grants_everywhere(principal):
                continue  # every bucket: nothing missing here; braze-least-privilege reports the breadth
            if principal.unreadable_policies() or buckets or any(p.external_arn for p in principal.policies):
                result.note(
                    f"{NAME}: which bucket {principal.res.label()} writes to is not known until deployment; its permissions were not checked."
                )
            elif principal.declared or principal.trusted_braze_accounts:
                result.violation(
                    f"{principal.res.label()} is a Braze principal with no permission on any bucket in this stack. Braze's "
                    '"Test credentials" will fail. Attach a policy granting Braze\'s actions on the bucket.',
                    principal.res.urn,
                )
            continue
        for bucket in named:
            _check_bucket(principal, integrations, bucket, result)
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
