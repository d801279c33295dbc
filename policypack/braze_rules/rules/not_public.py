"""braze-bucket-not-public: every Braze bucket blocks public access with all four flags."""

from __future__ import annotations

from braze_rules import iam
from braze_rules.bucket_settings import public_acls
from braze_rules.findings import RuleResult
from braze_rules.model import BrazeModel, BucketInfo, bucket_policy_statements
from braze_rules.resources import UNKNOWN, Res
from braze_rules.rule import Rule
from braze_rules.shapes import ACCOUNT_PUBLIC_ACCESS_BLOCKS, PUBLIC_ACCESS_BLOCKS

NAME = "braze-bucket-not-public"
FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
WHY = "the bucket holds every Braze event and export (user ids, emails, message content)"


def _account_blocks(model: BrazeModel) -> list[Res]:
    """The stack's account-level public access blocks (pulumi-aws v6 and v7; aws-native has none).
    S3 applies the most restrictive of the account's and the bucket's settings to every bucket."""
    return [r for r in model.resources.values() if r.type in ACCOUNT_PUBLIC_ACCESS_BLOCKS]


def _check_account_blocks(bucket: BucketInfo, accounts: list[Res], result: RuleResult) -> None:
    """A bucket with no block of its own is as closed as the account's block makes it."""
    best: tuple[Res, list[str], list[str]] | None = None
    for res in accounts:
        off = [f for f in FLAGS if res.get(f) is not True and res.get(f) is not UNKNOWN]
        unknown = [f for f in FLAGS if res.get(f) is UNKNOWN]
        if best is None or (len(off), len(unknown)) < (len(best[1]), len(best[2])):
            best = (res, off, unknown)
    if best is None or bucket.res is None:
        return
    res, off, unknown = best
    if off:
        result.violation(
            f"{bucket.label()} has no public access block of its own, and the account-level block {res.label()} "
            f"leaves {', '.join(off)} off; {WHY}. Set all four flags to true on either.",
            bucket.res.urn,
            needs_stack=True,
        )
    elif unknown:
        result.note(
            f"{NAME}: {bucket.label()} has no public access block of its own; {', '.join(unknown)} of the "
            f"account-level block {res.label()} are not known until deployment."
        )


def check(model: BrazeModel) -> RuleResult:
    result = RuleResult()
    accounts = _account_blocks(model)
    for bucket in model.braze_buckets():
        blocks = [c for c in bucket.children if c.type in PUBLIC_ACCESS_BLOCKS]
        native = bucket.res.get("publicAccessBlockConfiguration") if bucket.res else None
        sources = [(b, b.props) for b in blocks]
        if isinstance(native, dict) and bucket.res:
            sources.append((bucket.res, native))
        if native is UNKNOWN:
            result.note(f"{NAME}: the public access block of {bucket.label()} is not known until deployment.")
        for res, grant in public_acls(bucket):
            result.violation(
                f"{res.label()} gives {bucket.label()} {grant}; {WHY}. Remove it (BucketOwnerEnforced disables ACLs).",
                res.urn,
            )
        if not sources:
            if bucket.res is not None and native is not UNKNOWN and accounts:
                _check_account_blocks(bucket, accounts, result)
            elif bucket.res is not None and native is not UNKNOWN:
                result.violation(
                    f"{bucket.label()} has no public access block; {WHY}. Add a BucketPublicAccessBlock with all four "
                    "flags true (or an AccountPublicAccessBlock in this stack; one set elsewhere is invisible here "
                    "and can be lifted separately).",
                    bucket.res.urn,
                    needs_stack=True,
                )
        for res, props in sources:
            off = [f for f in FLAGS if props.get(f) is not True and props.get(f) is not UNKNOWN]
            unknown = [f for f in FLAGS if props.get(f) is UNKNOWN]
            if off:
                # Reported even when an account-level block turns them on: this block is judged before its
                # step, alone, and a bucket that lifts its own flags opens when the account's block is lifted.
                result.violation(
                    f"{res.label()} leaves {', '.join(off)} off on {bucket.label()}; {WHY}. Set all four flags to true "
                    "(an account-level block covers them only while it stays).",
                    res.urn,
                )
            elif unknown:
                result.note(f"{NAME}: {', '.join(unknown)} of {res.label()} are not known until deployment.")
        _check_public_grants(bucket, result)
    return result


def _check_public_grants(bucket: BucketInfo, result: RuleResult) -> None:
    """A bucket-policy Allow to every principal ("*") without a condition makes the bucket public
    (blockPublicPolicy refuses such a policy only while the block is on)."""

    def not_known(res: Res) -> None:
        result.note(f"{NAME}: the bucket policy {res.label()} is not known until deployment and was not checked.")

    for res, statement in bucket_policy_statements(bucket, not_known):
        if not statement.allow or statement.condition:
            continue
        _, others = iam.principal_accounts(statement.principal)
        if "*" in others:
            result.violation(
                f'{res.label()} allows every principal ("*") on {bucket.label()} without a condition; {WHY}. '
                'Grant the roles and users that need it by ARN, never "*".',
                res.urn,
            )


RULE = Rule(
    name=NAME,
    description="Every Braze bucket has a public access block with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true (its own, or else an account-level block of the stack), no ACL that opens it to everyone (canned, grants to AllUsers/AuthenticatedUsers, standalone ACL resources, aws-native accessControl) and no bucket-policy Allow to every principal.",
    enforcement="mandatory",
    severity="critical",
    remediation="Add a BucketPublicAccessBlock with all four flags true on the bucket (the braze-s3 program always does), and no public canned ACL.",
    check=check,
    per_resource=True,
)
