"""Which resources pulumi-aws names itself, and how: the provider's Check fills the name, so it is known at preview.

pulumi-aws maps these inputs to the bridge's `tfbridge.AutoName` (provider/resources.go): when neither the name
nor its `namePrefix` input is given, Check sets it to `<logical name>-<7 random hex>` (`resource.NewUniqueName`
with the engine's random seed), lower-cased for buckets, within the length AWS allows. The name is then an input
the engine knows at preview — a resource that takes `role.name` gets a known value in a real preview, not an
unknown one. The suffix is random per deployment in the real engine; the offline harness derives it from the
logical name (the same name every run, so plans stay comparable) and the stand-in provider from the engine's seed.
"""

from __future__ import annotations

import hashlib

# type -> (autonamed input, its namePrefix input or None, max length, lower-case)
AUTONAME: dict[str, tuple[str, str | None, int, bool]] = {
    "aws:iam/role:Role": ("name", "namePrefix", 64, False),
    "aws:iam/user:User": ("name", None, 64, False),
    "aws:iam/policy:Policy": ("name", "namePrefix", 128, False),
    "aws:s3/bucket:Bucket": ("bucket", "bucketPrefix", 63, True),
    "aws:sns/topic:Topic": ("name", "namePrefix", 256, False),
    "aws:cloudwatch/metricAlarm:MetricAlarm": ("name", None, 255, False),
}
SUFFIX_LENGTH = 7


def offline_autoname(type_: str, logical_name: str, inputs: dict[str, object]) -> tuple[str, str] | None:
    """(input, name) the provider's Check would fill for this resource, or None (named, prefixed, or not autonamed).
    The suffix is a digest of the logical name: stable across offline runs."""
    spec = AUTONAME.get(type_)
    if spec is None:
        return None
    key, prefix_key, max_length, lower = spec
    if inputs.get(key) or (prefix_key and inputs.get(prefix_key)):
        return None
    suffix = hashlib.sha256(logical_name.encode()).hexdigest()[:SUFFIX_LENGTH]
    name = f"{logical_name[: max_length - SUFFIX_LENGTH - 1]}-{suffix}"
    return key, name.lower() if lower else name
