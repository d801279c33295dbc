"""braze-no-bucket-control: Braze's credentials cannot change the bucket they write to.

Braze needs five object and bucket-read actions. A Braze principal that may also rewrite the
bucket policy, lift the public access block, switch on Object Lock, change encryption or
lifecycle, or delete the bucket turns a leaked key (or a confused deputy) into the loss or
exposure of everything Braze ever wrote there. `braze-least-privilege` reports any extra action
as advice; these are the ones that are never acceptable.
"""

from __future__ import annotations

from braze_rules import iam
from braze_rules.findings import RuleResult
from braze_rules.model import BrazeModel, BucketInfo, PrincipalInfo
from braze_rules.resources import UNKNOWN
from braze_rules.rule import Rule

NAME = "braze-no-bucket-control"
CONTROL_ACTIONS = (
    "s3:PutBucketPolicy",
    "s3:DeleteBucketPolicy",
    "s3:DeleteBucket",
    "s3:PutBucketPublicAccessBlock",
    "s3:PutBucketAcl",
    "s3:PutBucketOwnershipControls",
    "s3:PutEncryptionConfiguration",
    "s3:PutBucketObjectLockConfiguration",
    "s3:PutLifecycleConfiguration",
    "s3:PutBucketVersioning",
)
# AWS managed policies that include the actions above on every bucket.
FULL_ACCESS_POLICIES = ("AmazonS3FullAccess", "AdministratorAccess", "PowerUserAccess")
# Stands for a bucket whose name is known only after deployment: only wildcard grants reach it.
UNNAMED = "braze-s3-bucket-name-not-known-yet"


def _controls(model: BrazeModel, principal: PrincipalInfo, names: list[str]) -> tuple[list[str], bool]:
    """The control actions the principal is allowed on any of these buckets (in any partition), by its
    own policies or by a bucket policy that grants to it, and whether any was undecidable."""
    statements = model.grants.of_principal(principal).statements
    allowed: list[str] = []
    undecided = False
    # Only a statement that may allow a control action can change the answer: most Braze principals
    # allow Braze's five actions alone, and are decided here without matching a single resource.
    if not any(
        s.effect == "Unknown"
        or (s.allow and any(iam.statement_covers_action(s, a) is not False for a in CONTROL_ACTIONS))
        for s in statements
    ):
        return allowed, undecided
    for action in CONTROL_ACTIONS:
        verdicts = [iam.allows_s3(statements, action, name) for name in names]
        if any(v is True for v in verdicts):
            allowed.append(action)
        elif any(v is UNKNOWN for v in verdicts):
            undecided = True
    return allowed, undecided


def _bucket_names(buckets: list[BucketInfo]) -> list[str]:
    # UNNAMED stands for every other bucket (and one named only after deployment): wildcard grants reach it.
    return [b.name for b in buckets if isinstance(b.name, str)] + [UNNAMED]


def check(model: BrazeModel) -> RuleResult:
    result = RuleResult()
    names = _bucket_names(model.braze_buckets())
    for principal in model.braze_principals():
        where = principal.res.label()
        for policy in principal.policies:
            managed = (policy.external_arn or "").rsplit("/", 1)[-1]
            if managed in FULL_ACCESS_POLICIES:
                result.violation(
                    f"{where} has the AWS managed policy {managed} attached: Braze's credentials could delete the "
                    "bucket, rewrite its policy or lift its public access block. Attach only the policy of Braze's "
                    "five actions on the Braze bucket.",
                    principal.res.urn,
                )
        allowed, undecided = _controls(model, principal, names)
        if allowed:
            result.violation(
                f"{where} may change the bucket it writes to ({', '.join(allowed[:4])}{', …' if len(allowed) > 4 else ''}): "
                "a leaked Braze key could then delete the bucket, expose it or lock it. Grant Braze only s3:ListBucket, "
                "s3:GetBucketLocation, s3:PutObject, s3:GetObject (and s3:DeleteObject for dashboard export).",
                principal.res.urn,
            )
        elif undecided or principal.unreadable_policies():
            outside = [p.external_arn for p in principal.policies if p.external_arn]
            pending = [p for p in principal.unreadable_policies() if not p.external_arn]
            if undecided or pending:
                result.note(
                    f"{NAME}: the policies of {where} are not all known until deployment; what they allow on the "
                    "bucket was not checked."
                )
            if outside:  # never readable here, before or after deployment: say so, not "until deployment"
                result.note(
                    f"{NAME}: {where} has {', '.join(outside[:3])}{', …' if len(outside) > 3 else ''} attached from "
                    "outside this stack, which the pack cannot read; what it allows on the bucket was not checked."
                )
    return result


RULE = Rule(
    name=NAME,
    description="No Braze principal may change the bucket itself: no bucket policy, ACL, public access block, ownership, encryption, Object Lock, lifecycle or versioning change, no bucket deletion, and no full-access managed policy.",
    enforcement="mandatory",
    severity="critical",
    remediation=(
        "Give Braze's role or user only the policy the braze-s3 program generates (Braze's five actions on the "
        "Braze bucket); never s3:*, *, AmazonS3FullAccess, AdministratorAccess or PowerUserAccess."
    ),
    check=check,
)
