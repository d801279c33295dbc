"""`verify`'s role checks: what the caller can read of a Braze role, and what only Braze can do."""

from __future__ import annotations

import sys
import uuid
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from braze_s3_tools.engine.stack_files import PROJECT_ROOT
from braze_s3_tools.verify.outputs import Integration
from braze_s3_tools.verify.report import Report
from braze_s3_tools.verify.report import error_code as _code

sys.path.insert(0, str(PROJECT_ROOT / "policypack"))  # the pack's IAM reader, shared on purpose
from braze_rules import facts, iam

PROBE_DIR = "braze-s3-verify"
OUTSIDE_DIR = "braze-s3-verify-outside"
BUCKET_SCOPE = "objectScope: bucket grants Braze's published <bucket>/* on purpose: not checked"


def outside_key() -> str:
    """A key outside every possible folder: its first segment carries a random id, so no configured
    folder can be it or contain it (a folder "braze-s3-verify-outside" would otherwise make the
    "write outside its folder is denied" probe write inside a folder)."""
    return f"{OUTSIDE_DIR}-{uuid.uuid4().hex}/x"


class RoleChecks:
    """Mixed into `Verifier`: the role half of the checks (IAM reads, the simulator, emulator stand-ins)."""

    report: Report
    partition: str
    region: str
    read_only: bool
    role_stand_ins: dict[str, str]

    def client(self, service: str, session: boto3.Session | None = None) -> Any:
        raise NotImplementedError  # Verifier's

    def braze_probe(self, it: Integration, session: boto3.Session, label: str) -> None:
        raise NotImplementedError  # Verifier's

    # --- roles: what can be read, and what only Braze can do ------------------------------------
    def check_role(self, it: Integration) -> None:
        if not it.role_arn:
            self.report.add(it.subject, "role ARN in the outputs", False, "no roleArn")
            return
        client = self.client("iam")
        name = it.role_arn.rsplit("/", 1)[-1]
        try:
            role = client.get_role(RoleName=name)["Role"]
        except (ClientError, BotoCoreError) as error:
            self.report.add(it.subject, "GetRole", False, f"{_code(error)}: the role is not readable by the caller")
            return
        self.report.add(it.subject, "GetRole", True, it.role_arn)
        self._check_trust(it, role.get("AssumeRolePolicyDocument"))
        statements = self._role_statements(client, name, it)
        if statements is not None:
            self._check_permissions(it, statements)
        self._simulate(client, it)
        if it.role_arn in self.role_stand_ins and not self.read_only:
            self._probe_as_role(it, self.role_stand_ins[it.role_arn])
        self.report.add(
            it.subject,
            "Braze can assume the role",
            None,
            'only Braze can check this: use "Test credentials" in Braze (retry after a minute if IAM has not propagated)',
        )

    def _probe_as_role(self, it: Integration, stand_in: str) -> None:
        try:
            creds = self.client("sts").assume_role(
                RoleArn=stand_in, RoleSessionName="braze", ExternalId=(it.external_ids or [""])[0]
            )["Credentials"]
        except (ClientError, BotoCoreError) as error:
            self.report.add(it.subject, "assume the role's stand-in (emulator)", False, _code(error))
            return
        session = boto3.Session(
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"],
            region_name=self.region,
        )
        self.braze_probe(it, session, "with the role's permissions")

    def _check_trust(self, it: Integration, raw: Any) -> None:
        try:
            doc = iam.parse_document(raw)
        except iam.MalformedDocumentError as error:
            self.report.add(it.subject, "trust policy", False, f"the document {error}")
            return
        assert isinstance(doc, iam.Document)
        allows = [s for s in doc.statements if s.allow and iam.statement_covers_action(s, "sts:AssumeRole") is True]
        accounts = sorted({a for s in allows for a in iam.principal_accounts(s.principal)[0]})
        others = sorted({o for s in allows for o in iam.principal_accounts(s.principal)[1]})
        # An Allow with NotPrincipal trusts everyone it does not name.
        others += ["everyone (NotPrincipal)"] if any(s.not_principal is not None for s in allows) else []
        self.report.add(
            it.subject,
            "trust names only Braze's account",
            accounts == [it.account_id] and not others,
            f"trusts {', '.join(accounts + others) or 'nobody'}",
        )
        ids: set[str] = set()
        unconditioned = 0  # Allows any caller of the trusted accounts may use without the external id
        for statement in allows:
            values = iam.condition_values(statement.condition, "StringEquals", "sts:ExternalId")
            if isinstance(values, list):
                ids |= set(values)
            else:
                unconditioned += 1
        problems = [f"{unconditioned} Allow statement(s) without StringEquals sts:ExternalId"] if unconditioned else []
        if ids != set(it.external_ids):
            problems.append(f"{len(ids)} id(s) in the trust, {len(it.external_ids)} configured")
        self.report.add(
            it.subject,
            "StringEquals sts:ExternalId = the configured ids",
            bool(allows) and not problems,
            "; ".join(problems) if allows else "no Allow of sts:AssumeRole",
        )

    def _role_statements(self, client: Any, name: str, it: Integration) -> list[iam.Statement] | None:
        try:
            statements: list[iam.Statement] = []
            for attached in client.list_attached_role_policies(RoleName=name)["AttachedPolicies"]:
                policy = client.get_policy(PolicyArn=attached["PolicyArn"])["Policy"]
                version = client.get_policy_version(
                    PolicyArn=attached["PolicyArn"], VersionId=policy["DefaultVersionId"]
                )
                doc = iam.parse_document(version["PolicyVersion"]["Document"])
                statements += doc.statements if isinstance(doc, iam.Document) else []
            for inline in client.list_role_policies(RoleName=name)["PolicyNames"]:
                doc = iam.parse_document(client.get_role_policy(RoleName=name, PolicyName=inline)["PolicyDocument"])
                statements += doc.statements if isinstance(doc, iam.Document) else []
            return statements
        except (ClientError, BotoCoreError, iam.MalformedDocumentError) as error:
            self.report.add(it.subject, "read the role's policies", False, f"{_code(error)}")
            return None

    def _wanted(self, it: Integration) -> list[tuple[str, str]]:
        bucket_arn = f"arn:{self.partition}:s3:::{it.bucket}"
        probe = f"{bucket_arn}/{it.folder + '/' if it.folder else ''}{PROBE_DIR}/x"
        actions = (
            facts.DASHBOARD_EXPORT_OBJECT_ACTIONS
            if it.integration == facts.DASHBOARD_EXPORT
            else facts.CURRENTS_OBJECT_ACTIONS
        )
        return [(a, bucket_arn) for a in facts.BUCKET_ACTIONS] + [(a, probe) for a in actions]

    def _check_permissions(self, it: Integration, statements: list[iam.Statement]) -> None:
        missing = [f"{a} on {r}" for a, r in self._wanted(it) if iam.allows(statements, a, r) is not True]
        self.report.add(it.subject, "policy grants what Braze checks", not missing, "; ".join(missing))
        if it.integration == facts.CURRENTS:
            outside = f"arn:{self.partition}:s3:::{it.bucket}/{outside_key()}"
            broad = [a for a in facts.CURRENTS_OBJECT_ACTIONS if iam.allows(statements, a, outside) is True]
            if it.object_scope == "bucket":
                self.report.add(it.subject, "policy stays inside the folder", None, BUCKET_SCOPE)
            else:
                found = f"{', '.join(broad)} allowed outside {it.folder}/" if broad else ""
                self.report.add(
                    it.subject,
                    "policy stays inside the folder",
                    not broad,
                    "; ".join(r for r in (found, it.scope_note) if r),
                )
            deletes = (
                iam.allows(statements, "s3:DeleteObject", f"arn:{self.partition}:s3:::{it.bucket}/{it.folder}/x")
                is True
            )
            self.report.add(it.subject, "policy has no DeleteObject", not deletes)

    def _simulate(self, client: Any, it: Integration) -> None:
        try:
            results = client.simulate_principal_policy(
                PolicySourceArn=it.role_arn,
                ActionNames=sorted({a for a, _ in self._wanted(it)}),
                ResourceArns=sorted({r for _, r in self._wanted(it)}),
            )["EvaluationResults"]
        except Exception as error:  # noqa: BLE001 - denied, unimplemented (emulators), unparsable: all mean "not available"
            self.report.add(it.subject, "IAM policy simulator", None, f"not available to this caller ({_code(error)})")
            return
        wanted = set(self._wanted(it))
        denied = [
            f"{r['EvalActionName']} on {r.get('EvalResourceName')}"
            for r in results
            if (r["EvalActionName"], r.get("EvalResourceName")) in wanted and r["EvalDecision"] != "allowed"
        ]
        self.report.add(it.subject, "IAM policy simulator allows Braze's actions", not denied, "; ".join(denied))
