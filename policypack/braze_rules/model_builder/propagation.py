"""Which resources of a stack are Braze's beyond what marks them itself (tags, components, a trust of Braze's
account): from a Braze principal to its policies, and from those policies to the buckets they grant on — the
second half of building the model, once every link is read (`model_builder`).
"""

from __future__ import annotations

from braze_rules import iam
from braze_rules.grants import has_brazes_fingerprint, only_brazes_actions
from braze_rules.model import WRITE, Access, BrazeModel, BucketInfo, PolicyDoc, PrincipalInfo


def propagate(model: BrazeModel) -> None:
    """Braze principal → its policies → the buckets they name, in that order.

    A principal carrying a policy of the tag contract is Braze's too, and so is a user with an
    access key whose grants have Braze's fingerprint; buckets reached by dependency count when
    the document itself is unknown at preview; a bucket only a wildcard reaches does not.
    """
    grants = model.grants
    for principal in model.principals.values():
        if principal.braze:
            continue
        if any(p.braze and p.declared for p in principal.policies):
            principal.reasons.append("has a policy of the braze-s3 tag contract attached")
        elif principal.kind == "user" and principal.access_keys and _own_grants_may_be_brazes(principal):
            bucket = has_brazes_fingerprint(grants.of_principal(principal))
            if bucket is not None:
                principal.reasons.append(
                    f"has an access key and exactly Braze's grants (GetBucketLocation among them) on {bucket.label()}"
                )
    for principal in [p for p in model.principals.values() if p.braze]:
        for policy in principal.policies:
            if not policy.braze:
                policy.reasons.append(f"applies to the Braze principal {principal.res.label()}")
        accesses = grants.of_principal(principal).access.values()
        # A bucket policy's Allow to everyone (a public website bucket, an organisation-wide read) makes the
        # bucket Braze's only when it is all the principal reaches: beside a bucket it is granted by name,
        # it is another bucket.
        only_public = not any("bucket policy" in a.reach for a in accesses) and not any(
            grants.of_policy(policy).access for policy in principal.policies
        )
        for access in accesses:
            by_policy = "bucket policy" in access.reach or (only_public and "bucket policy to everyone" in access.reach)
            if by_policy and not access.bucket.braze:
                access.bucket.reasons.append(f"its bucket policy grants to the Braze principal {principal.res.label()}")
    for policy in [p for p in model.policies if p.braze]:
        accesses = grants.of_policy(policy).access.values()
        # A bucket outside the stack is Braze's only when the policy names no bucket of the
        # stack (an existing bucket the stack references); beside one, it is another bucket.
        references_only = not any(a.named and _in_stack(a.bucket) for a in accesses)
        for access in accesses:
            if not access.named:
                access.bucket.wildcard_reach.append(policy.res.label())
            elif (
                not access.bucket.braze
                and (references_only or _in_stack(access.bucket))
                and not _only_read_beside_a_write_bucket(model, policy, access)
            ):
                access.bucket.reasons.append(f"the Braze policy {policy.res.label()} grants Braze's actions on it")


def _only_read_beside_a_write_bucket(model: BrazeModel, policy: PolicyDoc, access: Access) -> bool:
    """A bucket the policy's principals may only read, while they write to another bucket: a bucket they read
    (configuration, reference data), not one Braze writes to."""
    if access.keys.get(WRITE) or "dependency" in access.reach:
        return False
    holders = [model.grants.of_principal(model.principals[urn]) for urn in policy.principals] or [
        model.grants.of_policy(policy)
    ]
    return any(a.bucket.key != access.bucket.key and a.keys.get(WRITE) for h in holders for a in h.access.values())


def _own_grants_may_be_brazes(principal: PrincipalInfo) -> bool:
    """Whether the user's own policies leave the fingerprint possible: decided before the bucket policies
    are read for grants to it, which costs a pass over every bucket-policy statement of the stack per user."""
    statements = [s for p in principal.policies if isinstance(p.doc, iam.Document) for s in p.doc.statements]
    return only_brazes_actions(statements)


def _in_stack(bucket: BucketInfo) -> bool:
    """The bucket, or a configuration resource of it, is a resource of the stack."""
    return bucket.res is not None or bool(bucket.children)
