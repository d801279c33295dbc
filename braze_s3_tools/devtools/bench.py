"""`make bench`: how fast the plan and the pack are, at realistic sizes; writes docs/benchmarks.md.

    python -m braze_s3_tools.devtools.bench [--quick] [--output docs/benchmarks.md]

Measures (medians of repeated runs; wall-clock on this machine):
1. the offline plan of the dev stack as a whole process, and the import floor
   (`import pulumi, pulumi_aws.s3, pulumi_aws.iam` alone);
2. the program under the mock engine with 1, 10, 100 and 300 Currents connectors on one
   bucket: time per registered resource must stay flat (300 vs 10 within 1.3×);
3. the pack over gRPC: `AnalyzeStack` on 1,000 and 10,000 resources (connectors plus
   unrelated resources), against a one-rule pack whose only rule reads every property of
   every resource once (the floor for any stack rule);
4. the real `pulumi preview` of the dev stack (`make real-preview`) with and without the pack — the
   pack's cost in a real preview — and the offline plan next to it.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from google.protobuf import struct_pb2
from pulumi.runtime.proto import analyzer_pb2

from braze_s3_tools.devtools.bench_peer import cfn_template, checkov
from braze_s3_tools.devtools.bench_report import render
from braze_s3_tools.engine.harness import Registration, run_program
from braze_s3_tools.engine.policy_run import PackProcess, to_analyzer_resource
from braze_s3_tools.engine.stack_files import PROJECT_ROOT, load_stack_config
from braze_s3_tools.realcli.cli import NoCliError, find_cli

# The reference packs tune the garbage collector exactly as the pack does
# (`policypack/braze_rules/policies.py`), so the comparison is the rules' work, not the GC setting.
_GC = """
import gc
threshold0, threshold1, threshold2 = gc.get_threshold()
if 0 < threshold0 < 10_000:
    gc.set_threshold(10_000, threshold1, threshold2)
"""

FLOOR_PACK = (
    _GC
    + '''
from pulumi_policy import EnforcementLevel, PolicyPack, StackValidationPolicy
from pulumi_policy.proxy import UnknownValueError


def read(value):
    """Touch every value once, through the SDK's proxy, as any stack rule must: each key is read on its
    own, so an unknown value stops nothing but itself."""
    if isinstance(value, str):
        return 1
    try:
        keys = list(value.keys()) if hasattr(value, "keys") else list(range(len(value)))
    except TypeError:
        return 1
    count = 0
    for key in keys:
        try:
            count += read(value[key])
        except UnknownValueError:
            count += 1
    return count


def validate(args, report_violation):
    total = 0
    for resource in args.resources:
        total += read(resource.props)
    if total < 0:
        report_violation("unreachable")


PolicyPack(
    name="floor",
    policies=[StackValidationPolicy(name="read-everything", description="Reads every property once.", validate=validate, enforcement_level=EnforcementLevel.ADVISORY)],
)
'''
)


def noop_pack(count: int) -> str:
    """As many stack policies as the pack has, doing nothing: the SDK's own cost for that many."""
    return (
        _GC
        + f"""
from pulumi_policy import EnforcementLevel, PolicyPack, StackValidationPolicy


def validate(args, report_violation):
    return None


PolicyPack(
    name="noop",
    policies=[
        StackValidationPolicy(name=f"noop-{{i}}", description="Does nothing.", validate=validate, enforcement_level=EnforcementLevel.ADVISORY)
        for i in range({count})
    ],
)
"""
    )


def median_time(action: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def process_time(command: list[str], runs: int) -> float:
    return median_time(lambda: subprocess.run(command, cwd=PROJECT_ROOT, check=True, capture_output=True), runs)  # noqa: S603 - our own commands


def connectors(count: int) -> list[dict[str, Any]]:
    """`count` connectors on one bucket: alternately role and access key, each in its own folder."""
    out = []
    for index in range(count):
        auth: dict[str, Any] = (
            {"auth": "role", "externalIds": [f"00000000-0000-4000-8000-{index:012d}"]}
            if index % 2 == 0
            else {"auth": "accessKey", "accessKeys": ["2026-11"]}
        )
        out.append({"name": f"c{index}", "folderPath": f"currents/c{index}" if index else "events", **auth})
    return out


def scale(runs: int) -> list[dict[str, Any]]:
    rows = []
    for count in (1, 10, 100, 300):
        overrides = {"braze-s3:currents": connectors(count)}
        registered = len(run_program("dev", overrides=overrides).resources)
        seconds = median_time(lambda overrides=overrides: run_program("dev", overrides=overrides), runs)  # type: ignore[misc]
        rows.append(
            {
                "connectors": count,
                "resources": registered,
                "seconds": seconds,
                "ms_per_resource": 1000 * seconds / registered,
            }
        )
    return rows


def _unrelated(template: list[Registration], count: int) -> list[Registration]:
    """Resources of other teams: untagged buckets, roles trusting other vendors, policies on other buckets."""
    bucket = next(r for r in template if r.type == "aws:s3/bucket:Bucket")
    role = next(r for r in template if r.type == "aws:iam/role:Role")
    policy = next(r for r in template if r.type == "aws:iam/policy:Policy")
    out = []
    for index in range(count):
        kind = (bucket, role, policy)[index % 3]
        clone = copy.copy(kind)
        clone.urn = f"urn:pulumi:dev::braze-s3::pulumi:pulumi:Stack${kind.type}::other-{index}"
        clone.name, clone.parent, clone.dependencies, clone.property_dependencies = f"other-{index}", "", [], {}
        data: dict[str, Any] = {"tags": {"team": "data"}}
        if kind is bucket:
            data["bucket"] = f"data-lake-{index}"
        elif kind is role:
            data["assumeRolePolicy"] = json.dumps(
                {"Statement": {"Effect": "Allow", "Principal": {"AWS": "999999999999"}, "Action": "sts:AssumeRole"}}
            )
        else:
            data["policy"] = json.dumps(
                {"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": f"arn:aws:s3:::data-lake-{index}/*"}}
            )
        struct = struct_pb2.Struct()
        struct.update(data)
        clone.struct = clone.state = struct
        out.append(clone)
    return out


def org_stack(size: int) -> list[Registration]:
    """About half Braze (connectors of this program), half unrelated."""
    braze = run_program("dev", overrides={"braze-s3:currents": connectors(max(1, size // 9))}).resources
    return braze + _unrelated(braze, max(0, size - len(braze)))


def pack_times(pack_dirs: list[Path], resources: list[Registration], runs: int) -> list[list[float]]:
    """One `AnalyzeStack` per fresh pack process, as the engine calls it (after `GetAnalyzerInfo` and
    `Configure`, which import the pack): cold, so no cache filled by an earlier call helps. The packs
    take turns run by run, so that a slow spell of the machine falls on all of them alike (the pack's
    own work is a difference of two of these columns)."""
    request = analyzer_pb2.AnalyzeStackRequest(resources=[to_analyzer_resource(r) for r in resources])
    times: list[list[float]] = [[] for _ in pack_dirs]
    for _ in range(runs):
        for pack_dir, found in zip(pack_dirs, times, strict=True):
            with PackProcess(pack_dir, load_stack_config("dev")) as pack:
                pack.configure(pack.info(), {})
                started = time.perf_counter()
                pack.stub.AnalyzeStack(request)
                found.append(time.perf_counter() - started)
    return times


def spread(times: list[float]) -> dict[str, float]:
    return {"median": statistics.median(times), "min": min(times), "max": max(times)}


def stack_policy_count() -> int:
    """The pack's stack policies (each rule has one; the per-resource rules' `-linked` half included):
    the ones `AnalyzeStack` runs."""
    sys.path.insert(0, str(PROJECT_ROOT / "policypack"))
    from braze_rules.registry import RULES  # noqa: PLC0415 - the pack's own modules, imported as the engine does

    return len(RULES)


def pack_bench(sizes: list[int], runs: int) -> list[dict[str, Any]]:
    rows = []
    policies = stack_policy_count()
    with tempfile.TemporaryDirectory() as tmp:
        floor_dir, noop_dir = Path(tmp) / "floor", Path(tmp) / "noop"
        for directory, source in ((floor_dir, FLOOR_PACK), (noop_dir, noop_pack(policies))):
            directory.mkdir()
            (directory / "__main__.py").write_text(textwrap.dedent(source))
            (directory / "PulumiPolicy.yaml").write_text("runtime: python\nversion: 0.0.1\n")
        for size in sizes:
            resources = org_stack(size)
            pack_runs, floor_runs, noop_runs = pack_times(
                [PROJECT_ROOT / "policypack", floor_dir, noop_dir], resources, runs
            )
            ours, floor, noop = spread(pack_runs), spread(floor_runs), spread(noop_runs)
            # Paired by run: the pack and the no-op pack ran back to back, so their difference is
            # steadier than the difference of two medians.
            own = statistics.median(p - n for p, n in zip(pack_runs, noop_runs, strict=True))
            rows.append(
                {
                    "resources": len(resources),
                    "stack_policies": policies,
                    "pack": ours,
                    "floor": floor,
                    "noop": noop,
                    "ratio": ours["median"] / floor["median"],
                    "noop_ratio": noop["median"] / floor["median"],
                    # The pack's own work: what it costs above the SDK's cost for as many policies.
                    "own_ratio": own / floor["median"],
                }
            )
    return rows


def _process_seconds(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, capture_output=True, check=False)  # noqa: S603 - our tools and the peer
    return time.perf_counter() - started


def peer_bench(runs: int) -> dict[str, Any] | None:
    """The dev plan (with the pack) and checkov on an equivalent CloudFormation template, whole processes,
    alternating run by run so both see the same machine state; None when checkov cannot be installed."""
    executable = checkov()
    if executable is None:
        return None
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "dev.template.json"
        template.write_text(json.dumps(cfn_template(run_program("dev")), indent=2))
        plan_command = [python, "-m", "braze_s3_tools.plan.command", "--stack", "dev"]
        peer_command = [str(executable), "--quiet", "--compact", "-f", str(template)]
        plans: list[float] = []
        peers: list[float] = []
        for _ in range(runs):
            plans.append(_process_seconds(plan_command, PROJECT_ROOT))
            peers.append(_process_seconds(peer_command, Path(tmp)))
    version = subprocess.run([str(executable), "--version"], capture_output=True, text=True, check=False).stdout.strip()  # noqa: S603
    return {
        "version": version,
        "plan": spread(plans),
        "checkov": spread(peers),
        "ratio": statistics.median(plans) / statistics.median(peers),
    }


def real_cli_bench(runs: int) -> dict[str, Any]:
    """The real `pulumi preview` of the dev stack (`make real-preview`: a copy of the project, a throwaway
    backend, the stand-in aws provider) with and without the pack, next to the offline plan, alternating run
    by run; a reason instead when no CLI can be found or built."""
    try:
        cli = find_cli()
    except NoCliError as error:
        return {"skipped": str(error)}
    python = sys.executable
    commands = {
        "real": [python, "-m", "braze_s3_tools.realcli.preview", "--stack", "dev"],
        "real_no_pack": [python, "-m", "braze_s3_tools.realcli.preview", "--stack", "dev", "--no-policy"],
        "plan": [python, "-m", "braze_s3_tools.plan.command", "--stack", "dev"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(_process_seconds(command, PROJECT_ROOT))
    version = subprocess.run([str(cli), "version"], capture_output=True, text=True, check=False).stdout.strip()  # noqa: S603
    medians = {name: statistics.median(values) for name, values in times.items()}
    return {
        "cli": version,
        **{name: spread(values) for name, values in times.items()},
        "pack_ratio": medians["real"] / medians["real_no_pack"],
        "plan_ratio": medians["plan"] / medians["real"],
    }


def versions() -> dict[str, str]:
    names = ("pulumi", "pulumi-aws", "pulumi-policy", "grpcio", "protobuf", "moto", "hypothesis")
    return {name: metadata.version(name) for name in names}


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return (
        f"{os.cpu_count()} cores, {cpu}, {platform.system()} {platform.release()}, Python {platform.python_version()}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make bench", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, smaller stacks (a smoke run)")
    parser.add_argument("--output", type=Path, default=PROJECT_ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args(argv)
    runs = 2 if args.quick else 7
    python = sys.executable
    results: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "versions": versions(),
        "runs": runs,
        "import_floor": process_time([python, "-c", "import pulumi, pulumi_aws.s3, pulumi_aws.iam"], runs),
        "plan_no_pack": process_time(
            [python, "-m", "braze_s3_tools.plan.command", "--stack", "dev", "--no-policy"], runs
        ),
        "plan": process_time([python, "-m", "braze_s3_tools.plan.command", "--stack", "dev"], runs),
        # The pull-request job's command: the baseline planned in a git worktree of HEAD, then this tree.
        "plan_against": process_time(
            [python, "-m", "braze_s3_tools.plan.command", "--stack", "dev", "--against", "HEAD"], runs
        ),
        "scale": scale(runs),
        "pack": pack_bench([1000] if args.quick else [1000, 10000], 3 if args.quick else 5),
        "peer": peer_bench(max(runs, 5)),
        "real_cli": real_cli_bench(3 if args.quick else 5),
    }
    text = render(results)
    args.output.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
