"""Every document the program generates, linted by an independent IAM linter (parliament)."""

from __future__ import annotations

import pytest
from parliament import analyze_policy_string

from braze_s3_tools.engine.harness import ProgramRun, run_program

# parliament reads identity policies; a trust policy has no Resource by design.
TRUST_ONLY_FINDING = "Statement contains neither Resource nor NotResource"


@pytest.mark.parametrize("stack", ["dev", "prod", "existing"])
def test_parliament_finds_nothing_in_the_generated_documents(stack: str) -> None:
    run: ProgramRun = run_program(stack)
    linted = 0
    for resource in run.resources:
        for key in ("policy", "assumeRolePolicy"):
            document = resource.inputs.get(key)
            if not isinstance(document, str):
                continue
            findings = analyze_policy_string(document).findings
            details = [(f.issue, str(f.detail)) for f in findings]
            if key == "assumeRolePolicy":
                details = [d for d in details if d != ("MALFORMED", TRUST_ONLY_FINDING)]
            assert details == [], f"{resource.urn} {key}: {details}"
            linted += 1
    assert linted >= 5


def test_parliament_would_catch_a_mismatched_resource() -> None:
    """The linter is live: an object action on a bucket ARN is flagged."""
    bad = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b"}]}'
    assert [f.issue for f in analyze_policy_string(bad).findings] == ["RESOURCE_MISMATCH"]
