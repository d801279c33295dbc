"""braze-least-privilege: a Braze policy grants Braze's actions on Braze's bucket, and nothing more."""

from __future__ import annotations

import re

from braze_rules import facts, iam
from braze_rules.findings import RuleResult
from braze_rules.model import BrazeModel, PolicyDoc
from braze_rules.rule import Rule

NAME = "braze-least-privilege"


KMS_ACTIONS = ("kms:GenerateDataKey", "kms:Decrypt")
KMS_KEY = re.compile(r"^arn:[^:*?]+:kms:[^:*?]+:[0-9]{12}:key/[^*?]+$")
WILDCARD = re.compile(r"[*?]")


def _key_use(statement: iam.Statement) -> bool:
    """What writing to a bucket encrypted with a customer managed key needs: GenerateDataKey and
    Decrypt, named exactly, on named keys (the braze-s3 program grants them with bucket.kmsKeyArn)."""
    return (
        isinstance(statement.actions, list)
        and bool(statement.actions)
        and all(a.lower() in (k.lower() for k in KMS_ACTIONS) for a in statement.actions)
        and isinstance(statement.resources, list)
        and bool(statement.resources)
        and all(KMS_KEY.match(r) for r in statement.resources)
    )


def _extra_actions(statement: iam.Statement) -> list[str]:
    """Action patterns that reach beyond Braze's five S3 actions (and the use of a named KMS key)."""
    if not isinstance(statement.actions, list) or _key_use(statement):
        return []
    braze = {a.lower() for a in facts.BRAZE_ACTIONS}
    return [pattern for pattern in statement.actions if pattern.lower() not in braze]


def _policy_is_currents_only(model: BrazeModel, policy: PolicyDoc) -> bool:
    found = set(policy.declared)
    for urn in policy.principals:
        found |= model.grants.of_principal(model.principals[urn]).integrations
    found = found or model.grants.of_policy(policy).integrations
    return found == {facts.CURRENTS}


def check(model: BrazeModel) -> RuleResult:
    result = RuleResult()
    braze_names = {b.name for b in model.braze_buckets() if isinstance(b.name, str)}
    for policy in model.braze_policies():
        label = policy.label()
        if policy.external_arn:
            result.violation(
                f"{label} attaches {policy.external_arn}, a policy outside this stack that this pack cannot read. Attach only a policy scoped to Braze's actions and bucket.",
                policy.res.urn,
            )
            continue
        currents_only = _policy_is_currents_only(model, policy)
        for statement in policy.statements:
            if not statement.allow:
                continue
            if statement.not_actions is not None:
                result.violation(
                    f"{label} allows with NotAction, which grants every action not listed. List Braze's actions instead.",
                    policy.res.urn,
                )
            extra = _extra_actions(statement)
            if extra:
                result.violation(
                    f"{label} allows {', '.join(extra[:5])}: more than Braze's s3:ListBucket, s3:GetBucketLocation, s3:PutObject, s3:GetObject (and s3:DeleteObject for dashboard export). List those actions exactly.",
                    policy.res.urn,
                )
            if statement.not_resources is not None:
                result.violation(
                    f"{label} allows with NotResource, which grants on every resource not listed. Name the bucket instead.",
                    policy.res.urn,
                )
            for arn in statement.resources if isinstance(statement.resources, list) else []:
                parsed = iam.s3_bucket_of(arn)
                if arn == "*" or (parsed and parsed[0] == "*"):
                    result.violation(
                        f'{label} allows on "{arn}", every bucket of the account. Name the Braze bucket.',
                        policy.res.urn,
                    )
                elif parsed and not WILDCARD.search(parsed[0]) and braze_names and parsed[0] not in braze_names:
                    result.violation(
                        f'{label} allows on "{arn}", a bucket Braze does not write to. Keep other buckets out of Braze\'s policies.',
                        policy.res.urn,
                    )
            if currents_only:
                _check_currents(policy, statement, result)
    return result


def _check_currents(policy: PolicyDoc, statement: iam.Statement, result: RuleResult) -> None:
    label = policy.label()
    if iam.statement_covers_action(statement, "s3:DeleteObject") is True:
        result.violation(
            f"{label} lets a Currents connector delete objects (s3:DeleteObject). Currents only writes and reads back its files; remove DeleteObject.",
            policy.res.urn,
        )
    if policy.folder_tag and isinstance(statement.resources, list):
        folder = facts.normalise_folder(policy.folder_tag)
        for arn in statement.resources:
            parsed = iam.s3_bucket_of(arn)
            if parsed and parsed[1] is not None and parsed[1] != "" and not parsed[1].startswith(folder + "/"):
                result.violation(
                    f'{label} lets the Currents connector write "{arn}", outside its folder "{folder}/". Scope it to '
                    f'"arn:aws:s3:::<bucket>/{folder}/*" (braze-s3 objectScope: folder, the default).',
                    policy.res.urn,
                )


RULE = Rule(
    name=NAME,
    description="A Braze policy grants nothing more than Braze needs: no s3:*, * or NotAction, no other buckets, no DeleteObject for Currents, Currents objects only within its folder.",
    enforcement="advisory",
    severity="medium",
    remediation=(
        "Use the documents the braze-s3 program generates: Braze's exact actions, on the Braze bucket only, "
        "Currents scoped to <bucket>/<folder>/* without DeleteObject (objectScope: folder)."
    ),
    check=check,
)
