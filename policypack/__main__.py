"""The Braze S3 policy pack: only builds the pack; the rules live in braze_rules/."""

from braze_rules.policies import build_pack

build_pack()
