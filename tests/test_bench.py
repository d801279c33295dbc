"""The bench's references are what they claim: the floor reads every value, the peer's template is the dev stack."""

from __future__ import annotations

from typing import Any

from pulumi_policy.deserialize import deserialize_properties
from pulumi_policy.proxy import unknown_checking_proxy

from braze_s3_tools.devtools import bench
from braze_s3_tools.devtools.bench_peer import cfn_template
from braze_s3_tools.engine.harness import run_program

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


def test_the_floor_reads_every_value_even_past_an_unknown() -> None:
    namespace: dict[str, Any] = {}
    exec(bench.FLOOR_PACK.split("PolicyPack(")[0], namespace)  # noqa: S102 - the bench's own reference pack
    props = {"a": UNKNOWN, "b": {"c": "x", "d": UNKNOWN, "e": ["y", UNKNOWN, "z"]}, "f": "w"}
    # a, c, d, y, unknown, z, f: seven leaves, unknowns included, none skipped.
    assert namespace["read"](unknown_checking_proxy(deserialize_properties(props))) == 7


def test_the_noop_pack_has_as_many_stack_policies_as_the_pack() -> None:
    source = bench.noop_pack(bench.stack_policy_count())
    assert f"range({bench.stack_policy_count()})" in source and "gc.set_threshold(10_000" in source


def test_the_peer_template_holds_the_dev_stacks_resources() -> None:
    template = cfn_template(run_program("dev"))
    types = sorted(r["Type"] for r in template["Resources"].values())
    assert types.count("AWS::IAM::Role") == 2 and types.count("AWS::IAM::ManagedPolicy") == 3
    assert "AWS::IAM::AccessKey" in types and "AWS::S3::BucketPolicy" in types
    bucket = template["Resources"]["Bucket"]["Properties"]
    assert bucket["BucketName"] == "acme-braze-dev"
    assert bucket["PublicAccessBlockConfiguration"]["RestrictPublicBuckets"] is True


def test_the_report_says_at_which_sizes_a_goal_is_met() -> None:
    from braze_s3_tools.devtools.bench_report import _goal_sentence

    rows = [{"resources": 1000, "own": 1.4}, {"resources": 10000, "own": 0.4}]
    assert "**met** at 10000 resources and **not met** at 1000" in _goal_sentence(rows, "own", 1.0, "The goal")
    assert "**met** at every size" in _goal_sentence(rows, "own", 2.0, "The goal")
    assert "**not met**." in _goal_sentence(rows, "own", 0.1, "The goal")


def test_the_real_cli_section_states_the_packs_cost_and_the_plan_beside_the_real_preview() -> None:
    from braze_s3_tools.devtools.bench_report import _real_cli_lines

    row = {"median": 2.0, "min": 1.5, "max": 3.0}
    real = {
        "cli": "v3.259.0",
        "real": row,
        "real_no_pack": {**row, "median": 1.0},
        "plan": {**row, "median": 0.5},
        "pack_ratio": 2.0,
        "plan_ratio": 0.25,
    }
    text = "\n".join(_real_cli_lines(real))
    assert "v3.259.0" in text and "stand-in aws provider (a test double of AWS" in text
    assert "**2.00×** the preview without it" in text and "**0.25×** the real preview's time" in text
    assert "Not measured: no CLI" in "\n".join(_real_cli_lines({"skipped": "no CLI"}))
