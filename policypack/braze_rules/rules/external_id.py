"""braze-role-requires-external-id: a role Braze assumes trusts only Braze, and only with the external id."""

from __future__ import annotations

from braze_rules import iam
from braze_rules.findings import RuleResult
from braze_rules.model import BrazeModel, PrincipalInfo, bucket_policy_statements
from braze_rules.resources import UNKNOWN
from braze_rules.rule import Rule

NAME = "braze-role-requires-external-id"
WHY = (
    "without StringEquals on sts:ExternalId any Braze customer who learns the role ARN can make Braze "
    "write into (or read) this bucket: the confused-deputy problem the external id exists to stop"
)
WEAK_OPERATORS = (
    "StringLike",
    "StringEqualsIfExists",
    "StringLikeIfExists",
    "ForAnyValue:StringEquals",
    "ForAnyValue:StringLike",
    "StringEqualsIgnoreCase",
)


def _check_statement(model: BrazeModel, role: PrincipalInfo, statement: iam.Statement, result: RuleResult) -> None:
    where = role.res.label()
    if statement.not_principal is not None:
        result.violation(
            f"{where} trusts with NotPrincipal, which allows every principal but the ones listed. Trust only Braze's account with Principal.AWS.",
            role.res.urn,
        )
        return
    accounts, others = iam.principal_accounts(statement.principal)
    if "<unknown>" in others:
        result.note(f"{NAME}: the trusted principal of {where} is not known until deployment and was not checked.")
    if "*" in others:
        result.violation(
            f'{where} trusts every AWS principal ("*"); {WHY}. Trust only arn:aws:iam::<brazeAccountId>:root.',
            role.res.urn,
        )
    strangers = [o for o in others if o not in ("*", "<unknown>")]
    if strangers:
        result.violation(
            f"{where} trusts {', '.join(sorted(strangers)[:3])} besides Braze. A role for Braze trusts Braze's account only; use a separate role for anything else.",
            role.res.urn,
        )
    unknown_accounts = sorted({a for a in accounts if a not in model.account_ids})
    if unknown_accounts:
        result.violation(
            f"{where} trusts AWS account {', '.join(unknown_accounts)}, which is not a configured Braze account "
            f"({', '.join(model.account_ids) or 'none configured'}). If it is Braze's account for your cluster, add it to "
            "the pack config brazeAccountIds; otherwise trust only Braze.",
            role.res.urn,
        )
    values = iam.condition_values(statement.condition, "StringEquals", "sts:ExternalId")
    if values is UNKNOWN:
        result.note(f"{NAME}: the trust condition of {where} is not known until deployment and was not checked.")
    elif not values or not all(v.strip() for v in values):
        weak = [op for op in WEAK_OPERATORS if iam.condition_values(statement.condition, op, "sts:ExternalId")]
        how = f" ({weak[0]} is not enough: it matches patterns or a missing id)" if weak else ""
        result.violation(
            f"{where} lets Braze's account assume it without a StringEquals condition on sts:ExternalId{how}; {WHY}. "
            'Add "Condition": {"StringEquals": {"sts:ExternalId": ["<external id from Braze>"]}} '
            "(braze-s3:currents[i].externalIds / braze-s3:dashboardExport.externalIds).",
            role.res.urn,
        )


def _check_bucket_policies(model: BrazeModel, result: RuleResult) -> None:
    """A bucket policy that grants a Braze account itself lets any principal of that account in:
    no role, so no external id, so any Braze customer who learns the bucket name."""
    for bucket in model.buckets.values():
        for res, statement in bucket_policy_statements(bucket):
            if not statement.allow:
                continue
            accounts, _ = iam.principal_accounts(statement.principal)
            braze = sorted({a for a in accounts if a in model.account_ids})
            if braze:
                result.violation(
                    f"{res.label()} grants Braze's AWS account {', '.join(braze)} directly on {bucket.label()}; "
                    f"{WHY}. Remove the statement and give Braze a role that requires the external id "
                    "(braze-s3:currents[i].auth: role).",
                    res.urn,
                )


def check(model: BrazeModel) -> RuleResult:
    result = RuleResult()
    _check_bucket_policies(model, result)
    for role in model.braze_principals():
        if role.kind != "role":
            continue
        if role.trust_malformed:
            result.violation(
                f"{role.res.label()} has a trust policy that {role.trust_malformed}; AWS will reject it and Braze cannot assume it. Fix the assumeRolePolicy document.",
                role.res.urn,
            )
            continue
        if role.trust is UNKNOWN or role.trust is None:
            if role.trust is UNKNOWN:
                result.note(
                    f"{NAME}: the trust policy of {role.res.label()} is not known until deployment and was not checked."
                )
            continue
        if role.trust.unknown_parts:
            result.note(f"{NAME}: parts of the trust policy of {role.res.label()} are not known until deployment.")
        for statement in role.trust.statements:
            if not statement.allow:
                continue
            covers = iam.statement_covers_action(statement, "sts:AssumeRole")
            if covers is UNKNOWN:
                result.note(
                    f"{NAME}: the actions of a trust statement of {role.res.label()} are not known until deployment."
                )
            elif covers:
                _check_statement(model, role, statement, result)
    return result


RULE = Rule(
    name=NAME,
    description="A role trusting a Braze account requires sts:ExternalId with StringEquals, trusts only Braze's account(s), and never '*'.",
    enforcement="mandatory",
    severity="critical",
    remediation=(
        "Trust only arn:aws:iam::<brazeAccountId>:root with Condition StringEquals sts:ExternalId = the external "
        "id shown in Braze (braze-s3:currents[i].externalIds, braze-s3:dashboardExport.externalIds); list Braze's "
        "account ids of your clusters in the pack config brazeAccountIds."
    ),
    check=check,
    per_resource=True,
)
