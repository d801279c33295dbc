"""Run the policy pack as the Pulumi engine does: a subprocess spoken to over gRPC.

`PackProcess` starts `python -u -m pulumi.policy <engine-address> <pack-dir>` in the pack
directory with the stack's PULUMI_* environment, reads the port from the first stdout
line, and calls the Analyzer service: `GetAnalyzerInfo`, `Configure`, `Analyze` per
resource, `AnalyzeStack`. It stops exactly the process it started.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
import jsonschema
import yaml
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc, plugin_pb2

from braze_s3_tools import processes
from braze_s3_tools.engine.harness import ProgramRun, Registration
from braze_s3_tools.engine.stack_files import PROJECT_ROOT, StackConfig

DEFAULT_PACK_DIR = PROJECT_ROOT / "policypack"
LEVELS = {
    "advisory": analyzer_pb2.ADVISORY,
    "mandatory": analyzer_pb2.MANDATORY,
    "disabled": analyzer_pb2.DISABLED,
    "remediate": analyzer_pb2.REMEDIATE,
}
LEVEL_NAMES = {v: k for k, v in LEVELS.items()}
START_TIMEOUT_S = 60
# The engine address is never dialled by the Python policy SDK; any string will do.
ENGINE_ADDRESS = "127.0.0.1:0"


class PackError(Exception):
    """The pack could not be started or answered something the engine would reject."""


@dataclass(frozen=True)
class Diagnostic:
    policy: str
    level: str
    urn: str
    message: str

    @property
    def resource(self) -> str:
        return self.urn.rsplit("::", 1)[-1] if self.urn else "(stack)"


@dataclass
class Verdict:
    pack: str
    version: str
    policies: list[dict[str, Any]]
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def blocking(self) -> bool:
        return any(d.level == "mandatory" for d in self.diagnostics)

    def as_json(self) -> dict[str, Any]:
        return {
            "pack": self.pack,
            "version": self.version,
            "blocking": self.blocking,
            "policies": self.policies,
            "diagnostics": [d.__dict__ | {"resource": d.resource} for d in self.diagnostics],
        }

    def as_text(self) -> str:
        mandatory = sum(d.level == "mandatory" for d in self.diagnostics)
        lines = [f"Policy pack {self.pack}@{self.version}: {len(self.policies)} policies"]
        for d in self.diagnostics:
            message = d.message.replace("\n", "\n      ")
            lines.append(f"  [{d.level}] {d.policy}  {d.resource}\n      {message}")
        verdict = "FAILED: mandatory violations block this stack" if mandatory else "passed: no mandatory violation"
        lines.append(f"Policy verdict: {verdict} ({mandatory} mandatory, {len(self.diagnostics) - mandatory} advisory)")
        return "\n".join(lines)


def load_policy_config(path: Path | None) -> dict[str, Any]:
    """The JSON of `pulumi policy enable --config`: per policy a level, or {enforcementLevel, …props}."""
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise PackError(f"{path}: cannot read the policy config: {error}") from None
    if not isinstance(data, dict):
        raise PackError(f"{path}: the policy config must be a JSON object")
    return data


class PackProcess:
    """A running policy pack; use as a context manager."""

    def __init__(
        self,
        pack_dir: Path = DEFAULT_PACK_DIR,
        stack: StackConfig | None = None,
        dry_run: bool = True,
        *,
        connect: bool = True,
    ) -> None:
        """Start the pack; ``connect=False`` returns at once, and `connect()` waits for it later — the
        plan starts the pack's interpreter while the program runs."""
        self.pack_dir = pack_dir
        env = dict(os.environ)
        if stack is not None:
            env.update(
                PULUMI_CONFIG=json.dumps(stack.values),
                PULUMI_PROJECT=stack.project,
                PULUMI_STACK=stack.stack,
            )
        env["PULUMI_DRY_RUN"] = "true" if dry_run else "false"
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and pack
            [sys.executable, "-u", "-m", "pulumi.policy", ENGINE_ADDRESS, str(pack_dir)],
            cwd=pack_dir,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.channel: grpc.Channel | None = None
        self._info: analyzer_pb2.AnalyzerInfo | None = None
        if connect:
            self.connect()

    def connect(self) -> None:
        """Wait for the pack's port (its imports done) and open the channel."""
        if self.channel is not None:
            return
        assert self.process.stdout is not None
        first = self.process.stdout.readline().strip()
        if not first.isdigit():
            processes.stop(self.process)
            stderr = self.process.stderr.read() if self.process.stderr else ""
            self.close()
            raise PackError(f"the policy pack did not start (first line {first!r}):\n{stderr[-2000:]}")
        # The engine sends whole stacks in one AnalyzeStack message: lift gRPC's 4 MB default.
        limit = 400 * 1024 * 1024
        options = [("grpc.max_send_message_length", limit), ("grpc.max_receive_message_length", limit)]
        self.channel = grpc.insecure_channel(f"127.0.0.1:{first}", options=options)
        self.stub = analyzer_pb2_grpc.AnalyzerStub(self.channel)
        # Ready when the engine's first call answers. Not `grpc.channel_ready_future`: its
        # connectivity subscription makes `channel.close()` wait for gRPC's polling thread
        # (0.2 s ticks) — about 150 ms of every plan.
        try:
            self._info = self.stub.GetAnalyzerInfo(empty_pb2.Empty(), wait_for_ready=True, timeout=START_TIMEOUT_S)
        except grpc.RpcError as error:
            processes.stop(self.process)
            stderr = self.process.stderr.read() if self.process.stderr else ""
            self.close()
            raise PackError(
                f"the policy pack did not answer GetAnalyzerInfo ({error.code()}):\n{stderr[-2000:]}"
            ) from None

    def __enter__(self) -> PackProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.channel is not None:
            self.channel.close()
        processes.stop(self.process)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()

    def info(self) -> analyzer_pb2.AnalyzerInfo:
        """`GetAnalyzerInfo`, asked once (by `connect`): the pack's answer does not change."""
        if self._info is None:
            self._info = self.stub.GetAnalyzerInfo(empty_pb2.Empty())
        return self._info

    def plugin_version(self) -> str:
        response: plugin_pb2.PluginInfo = self.stub.GetPluginInfo(empty_pb2.Empty())
        return response.version

    def configure(self, info: analyzer_pb2.AnalyzerInfo, config: dict[str, Any]) -> dict[str, str]:
        """What the engine sends: `reconcile_policy_config`'s levels and properties per policy."""
        reconciled = reconcile_policy_config(info, config)
        request = analyzer_pb2.ConfigureAnalyzerRequest()
        for name, (level, props) in reconciled.items():
            struct = struct_pb2.Struct()
            struct.update(props)
            request.policyConfig[name].CopyFrom(
                analyzer_pb2.PolicyConfig(enforcementLevel=LEVELS[level], properties=struct)
            )
        self.stub.Configure(request)
        return {name: level for name, (level, _) in reconciled.items()}

    def analyze(self, resource: Registration) -> list[Diagnostic]:
        request = analyzer_pb2.AnalyzeRequest(
            type=resource.type,
            properties=resource.struct,
            urn=resource.urn,
            name=resource.name,
            options=_options(resource),
        )
        # The engine attributes every Analyze diagnostic to the analysed resource (`analyzeResource`,
        # pkg/resource/deploy/analyze_snapshot.go: OnPolicyViolation(r.URN, d)); outside a preview a
        # mandatory one marks the resource invalid, so its step never reaches AWS.
        return [dataclasses.replace(d, urn=resource.urn) for d in _diagnostics(self.stub.Analyze(request).diagnostics)]

    def analyze_as_engine(self, resources: list[Registration]) -> list[Diagnostic]:
        """The engine's calls in a preview or an update: `Analyze` for each resource before its
        step (`analyzeAll` in pkg/resource/deploy/step_generator.go), then `AnalyzeStack` once
        every step is done (`AnalyzeResources`)."""
        found = [d for resource in resources if resource.custom for d in self.analyze(resource)]
        return found + self.analyze_stack(resources)

    def analyze_stack(self, resources: Iterable[Registration]) -> list[Diagnostic]:
        request = analyzer_pb2.AnalyzeStackRequest(resources=[to_analyzer_resource(r) for r in resources])
        return _diagnostics(self.stub.AnalyzeStack(request).diagnostics)


def _parse_entry(key: str, value: Any) -> tuple[str | None, dict[str, Any]]:
    """One entry of the config file, as `parsePolicyPackConfig` reads it: a level, or an object."""
    if isinstance(value, str):
        if value not in LEVELS:
            raise PackError(f"parsing enforcement level for {key!r}: {value!r} is not a valid enforcement level")
        return value, {}
    if not isinstance(value, dict):
        raise PackError(f"parsing {key!r}: {json.dumps(value)} is not a valid value; must be a string or object")
    props = dict(value)
    level = props.pop("enforcementLevel", None)
    if level is not None and (not isinstance(level, str) or level not in LEVELS):
        raise PackError(f"parsing enforcement level for {key!r}: {json.dumps(level)} is not a valid enforcement level")
    return level, props


def reconcile_policy_config(
    info: analyzer_pb2.AnalyzerInfo, config: dict[str, Any]
) -> dict[str, tuple[str, dict[str, Any]]]:
    """The config the engine sends `Configure`, as the CLI builds it (pkg/resource/analyzer/config.go):
    schema defaults and declared levels (`createConfigWithDefaults`), then `all`'s level, then each
    policy's own entry (`applyConfig`), then every policy's properties validated against its schema
    (`validatePolicyPackConfig`, JSON Schema). Raises `PackError` where the CLI refuses the config."""
    entries = {key: _parse_entry(key, value) for key, value in config.items() if key != "environments"}
    result: dict[str, tuple[str, dict[str, Any]]] = {}
    schemas: dict[str, dict[str, Any]] = {}
    for policy in info.policies:
        properties = _schema_properties(policy)
        defaults = {k: v["default"] for k, v in properties.items() if isinstance(v, dict) and "default" in v}
        result[policy.name] = (LEVEL_NAMES[policy.enforcementLevel], defaults)
        schema: dict[str, Any] = {"type": "object"}
        if properties:
            schema["properties"] = properties
        if policy.configSchema.required:
            schema["required"] = list(policy.configSchema.required)
        schemas[policy.name] = schema
    all_level = entries.get("all", (None, {}))[0]
    if all_level is not None:
        result = {name: (all_level, props) for name, (_, props) in result.items()}
    for key, (level, props) in entries.items():
        if key not in result:
            continue  # `all`, or a policy this pack does not have: the CLI keeps it and nothing reads it
        current_level, current_props = result[key]
        result[key] = (level or current_level, {**current_props, **props})
    problems = [
        f"{name}: {error.message}"
        for name, (_, props) in result.items()
        for error in jsonschema.Draft4Validator(schemas[name]).iter_errors(props)
    ]
    if problems:
        raise PackError("policy pack configuration is invalid: " + "; ".join(problems))
    return result


def _schema_properties(policy: analyzer_pb2.PolicyInfo) -> dict[str, Any]:
    props = json_format.MessageToDict(policy.configSchema.properties)
    return props if isinstance(props, dict) else {}


def _options(resource: Registration) -> analyzer_pb2.AnalyzerResourceOptions:
    return analyzer_pb2.AnalyzerResourceOptions(
        protect=resource.protect, parent=resource.parent, additionalSecretOutputs=resource.additional_secret_outputs
    )


def to_analyzer_resource(resource: Registration) -> analyzer_pb2.AnalyzerResource:
    """A resource as `AnalyzeStack` gets it: its state after the step (in a preview of a new
    resource that is its inputs, computed values unknown; after `up`, with ARNs and names)."""
    return analyzer_pb2.AnalyzerResource(
        type=resource.type,
        properties=resource.state if resource.state is not None and resource.custom else resource.struct,
        urn=resource.urn,
        name=resource.name,
        options=_options(resource),
        parent=resource.parent,
        dependencies=resource.dependencies,
        propertyDependencies={
            k: analyzer_pb2.AnalyzerPropertyDependencies(urns=v) for k, v in resource.property_dependencies.items()
        },
    )


def _diagnostics(raw: Iterable[analyzer_pb2.AnalyzeDiagnostic]) -> list[Diagnostic]:
    return [
        Diagnostic(d.policyName, LEVEL_NAMES.get(d.enforcementLevel, str(d.enforcementLevel)), d.urn, d.message)
        for d in raw
    ]


def run_pack(
    resources: list[Registration],
    stack: StackConfig | None = None,
    policy_config: dict[str, Any] | None = None,
    pack_dir: Path = DEFAULT_PACK_DIR,
    started: PackProcess | None = None,
) -> Verdict:
    """Every call the engine makes in a preview, in its order; returns what the engine would print."""
    with started or PackProcess(pack_dir, stack) as pack:
        pack.connect()
        info = pack.info()
        levels = pack.configure(info, policy_config or {})
        diagnostics = pack.analyze_as_engine(resources)
    policies = [{"name": p.name, "level": levels[p.name], "description": p.description} for p in info.policies]
    return Verdict(info.name, pack_version(pack_dir) or info.version, policies, diagnostics)


def pack_version(pack_dir: Path) -> str | None:
    """The CLI takes a Python pack's version from PulumiPolicy.yaml, not from the SDK."""
    try:
        data = yaml.safe_load((pack_dir / "PulumiPolicy.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None
    version = data.get("version") if isinstance(data, dict) else None
    return str(version) if version is not None else None


def run_pack_over(
    run: ProgramRun,
    stack: StackConfig,
    config_file: Path | None,
    pack_dir: Path = DEFAULT_PACK_DIR,
    started: PackProcess | None = None,
) -> Verdict:
    return run_pack(run.resources, stack, load_policy_config(config_file), pack_dir, started)


def analyzer_levels(pack_dir: Path = DEFAULT_PACK_DIR) -> dict[str, str]:
    """Each policy's default enforcement level, as the pack itself declares it."""
    with PackProcess(pack_dir) as pack:
        return {p.name: LEVEL_NAMES[p.enforcementLevel] for p in pack.info().policies}
