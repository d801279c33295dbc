"""Where the stack lives: its region and the partition it implies, decided once and checked first.

`aws:region` decides the partition of every ARN the stack writes (`arn:aws-cn:…` in `cn-*`,
`arn:aws-us-gov:…` in `us-gov-*`). It is read and checked here before any other key uses it, and
every check that compares an ARN's partition or region with the stack's takes this placement: no
module derives the partition again. A region the stack cannot use is reported once, on
`aws:region`; the placement then carries no region, so no other key repeats that problem.
"""

from __future__ import annotations

from dataclasses import dataclass

from components import naming
from components.config.reader import Reader, show_value


@dataclass(frozen=True)
class Placement:
    region: str | None  # None: not set (pulumi-aws then takes AWS_REGION), or unusable (reported)
    partition: str = "aws"

    def partition_problem(self, partition: str) -> str | None:
        """Why an ARN of ``partition`` cannot be used by this stack, or None."""
        if partition != self.partition:
            return f"is in partition {partition}, the stack in {self.partition}"
        return None


def parse_placement(reader: Reader, region: str | None) -> Placement:
    """The stack's placement from `aws:region`, refused (once, on that key) when Braze cannot use it."""
    if region is None:
        return Placement(None)
    problem = naming.region_problem(region)
    if problem:
        reader.problem("aws:region", f"{show_value(region)} {problem}")
        return Placement(None)
    return Placement(region, naming.partition_of(region))


def check_role_partition(reader: Reader, placement: Placement, role_auth_keys: list[str]) -> None:
    """Braze's accounts live in the `aws` partition: a role elsewhere can never trust them."""
    if placement.partition == "aws":
        return
    for key in role_auth_keys:
        reader.problem(
            key,
            f"is role, but aws:region {show_value(placement.region)} is in the {placement.partition} partition and Braze's AWS accounts are in "
            "aws: IAM cannot trust a principal of another partition, so Braze could never assume the role. Use a "
            "bucket in a commercial region (Braze documents no support for other partitions at all)",
        )
