"""Whether a resource-policy statement applies to one of Braze's requests: its Principal (or
NotPrincipal) and every condition of it, ANDed across operators and keys, decided against Braze's
request context — three-valued: applies, does not apply, or cannot tell here, always with the reason.

Braze's request context, from Braze's documentation and AWS's (facts sheet):

- the principal is the stack's role, as the session `arn:aws:sts::<account>:assumed-role/<role>/braze`
  (`aws:PrincipalArn` is the role's ARN), or the stack's IAM user with its access key;
  `aws:PrincipalAccount` (and the bucket's `aws:ResourceAccount`) is the stack's account;
- TLS always (`aws:SecureTransport` true); Braze's own network: no VPC, VPC endpoint or IP address
  of yours (`aws:SourceVpce`, `aws:SourceVpc`, `aws:VpcSourceIp` absent, `aws:SourceIp` outside your
  ranges); no MFA, no service principal, no access point, no KMS key id header;
- `s3:x-amz-server-side-encryption`: `AES256` on Currents' writes with its AES-256 toggle on, absent
  otherwise — dashboard export never sends it; the toggle is set in Braze, so for Currents both are
  possible;
- the organisation (`aws:PrincipalOrgID`), the region, the time, the user agent, the signature: not
  known here — a condition on them cannot be told.

What the stack does not say yet (an account id nobody wrote down, a role auto-named at deployment)
is tried with every value the statement itself names and one it does not: one answer for all is the
answer; different answers are "cannot tell", naming what was missing.

The request context is in `context`, the judgement of a statement against it in `evaluate`.
"""

from braze_rules.conditions.context import (
    ABSENT,
    ABSENT_KEYS,
    BRAZE_IP,
    NETWORK_KEYS,
    ONLY_FOR,
    OTHER_ACCOUNT,
    OTHER_NAME,
    SSE_HEADER,
    SSE_KEYS,
    UNKNOWABLE,
    Caller,
    Unknowable,
    _identities,
    _Identity,
    caller_of,
    generic_caller,
)
from braze_rules.conditions.evaluate import Verdict, applies, grants, names_everyone, names_unknown

__all__ = [
    "ABSENT",
    "ABSENT_KEYS",
    "BRAZE_IP",
    "NETWORK_KEYS",
    "ONLY_FOR",
    "OTHER_ACCOUNT",
    "OTHER_NAME",
    "SSE_HEADER",
    "SSE_KEYS",
    "UNKNOWABLE",
    "Caller",
    "Unknowable",
    "Verdict",
    "_Identity",
    "_identities",
    "applies",
    "caller_of",
    "generic_caller",
    "grants",
    "names_everyone",
    "names_unknown",
]
