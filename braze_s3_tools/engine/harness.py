"""Run the real `__main__.py` under the Pulumi SDK's mock engine and record what it registers.

This is the public testing helper of the project: the offline plan, the tests and the
credential check's local mode all see the program through `run_program`. Each
registration keeps the exact `RegisterResource` request the engine would get (inputs
as a protobuf Struct with unknowns and secrets in the wire format), so the policy pack
can be fed what `pulumi preview` feeds it.
"""

from __future__ import annotations

import hashlib
import runpy
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
from google.protobuf import json_format, struct_pb2
from pulumi.runtime import mocks, rpc, settings
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _sync_await

from braze_s3_tools.engine.autonaming import offline_autoname
from braze_s3_tools.engine.stack_files import PROJECT_ROOT, StackConfig, load_stack_config
from components.config.stack import partition_of

STACK_TYPE = "pulumi:pulumi:Stack"
FAKE_ACCOUNT = "111111111111"  # the AWS account the mock engine pretends to deploy into


class Unknown:
    """A value only the cloud knows (an ARN, an id): unknown in a preview."""

    def __repr__(self) -> str:
        return "<unknown>"


@dataclass(frozen=True)
class Secret:
    """A value the engine would store encrypted."""

    value: Any


UNKNOWN = Unknown()


def from_wire(value: Any) -> Any:
    """Wire-format JSON (from a Struct) to Python values with `Unknown` and `Secret` markers."""
    if value == rpc.UNKNOWN:
        return UNKNOWN
    if isinstance(value, dict):
        if value.get(rpc._special_sig_key) == rpc._special_secret_sig:
            return Secret(from_wire(value.get("value")))
        return {k: from_wire(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_wire(v) for v in value]
    return value


def strip_markers(value: Any, reveal: bool = False) -> Any:
    """Plain JSON: unknowns as None; secrets as "[secret]" unless ``reveal``."""
    if isinstance(value, Unknown):
        return None
    if isinstance(value, Secret):
        return strip_markers(value.value, reveal) if reveal else "[secret]"
    if isinstance(value, dict):
        return {k: strip_markers(v, reveal) for k, v in value.items()}
    if isinstance(value, list):
        return [strip_markers(v, reveal) for v in value]
    return value


@dataclass
class Registration:
    """One `RegisterResource` request, as the engine receives it."""

    urn: str
    type: str
    name: str
    custom: bool
    parent: str
    struct: struct_pb2.Struct  # the inputs, in wire format
    dependencies: list[str]
    property_dependencies: dict[str, list[str]]
    protect: bool
    retain_on_delete: bool
    additional_secret_outputs: list[str]
    outputs: dict[str, Any] = field(default_factory=dict)  # what the mock returned (state)
    id: str = ""  # the physical id the mock returned ("" in a preview)
    import_id: str = ""  # the `import` resource option: the id of an existing resource to adopt
    # The `aliases` option as sent: a URN, or a spec {name, type, noParent | parentUrn} (empty: as registered).
    aliases: list[dict[str, Any]] = field(default_factory=list)
    state: struct_pb2.Struct | None = None  # what the resource holds after the step, in wire format

    @property
    def inputs(self) -> dict[str, Any]:
        """Inputs with `Unknown` and `Secret` markers."""
        return from_wire(json_format.MessageToDict(self.struct))  # type: ignore[no-any-return]


@dataclass
class ProgramRun:
    stack: str
    preview: bool
    resources: list[Registration]
    outputs: dict[str, Any]  # stack outputs, with markers
    error: str | None = None
    region: str | None = None  # aws:region, where the stack's regional resources (the buckets) live

    @property
    def custom_resources(self) -> list[Registration]:
        return [r for r in self.resources if r.custom]

    def by_type(self, type_: str) -> list[Registration]:
        return [r for r in self.resources if r.type == type_]

    def get(self, type_: str, name: str) -> Registration:
        for r in self.resources:
            if r.type == type_ and r.name == name:
                return r
        raise KeyError(f"no {type_} named {name!r} registered; have {[r.name for r in self.by_type(type_)]}")

    def by_urn(self, urn: str) -> Registration:
        for r in self.resources:
            if r.urn == urn:
                return r
        raise KeyError(urn)

    def children(self, parent: Registration) -> Iterator[Registration]:
        return (r for r in self.resources if r.parent == parent.urn)


def _fake_suffix(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()[:7]


class CloudMocks(pulumi.runtime.Mocks):
    """Return inputs only in preview (computed values stay unknown, as in a real preview);
    in `up` mode, fill the computed values a real deployment would return."""

    def __init__(self, preview: bool, region: str, partition: str) -> None:
        self.preview = preview
        self.region = region
        self.partition = partition

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        state = dict(args.inputs)
        if self.preview:
            # The provider's Check names what the program leaves unnamed: that name is known at preview.
            named = offline_autoname(args.typ, args.name, state)
            if named is not None:
                state[named[0]] = named[1]
            return None, state
        type_ = args.typ
        physical = state.get("name") or f"{args.name}-{_fake_suffix(args.name)}"
        path = state.get("path", "/")
        if type_ == "aws:s3/bucket:Bucket":
            # An explicit name, or Pulumi's auto-name: the resource name plus a random suffix.
            name = state.get("bucket") or f"{args.name}-{_fake_suffix(args.name)}"
            state.update(
                bucket=name,
                arn=f"arn:{self.partition}:s3:::{name}",
                region=self.region,
                bucketDomainName=f"{name}.s3.amazonaws.com",
            )
            return name, state
        if type_ in ("aws:iam/role:Role", "aws:iam/user:User", "aws:iam/policy:Policy"):
            kind = type_.split(":")[-1].lower()
            state.update(name=physical, arn=f"arn:{self.partition}:iam::{FAKE_ACCOUNT}:{kind}{path}{physical}")
            return physical, state
        if type_ == "aws:sns/topic:Topic":
            # Pulumi auto-names a topic: the resource name plus a random suffix.
            topic = state.get("name") or f"{args.name}-{_fake_suffix(args.name)}"
            state.update(name=topic, arn=f"arn:{self.partition}:sns:{self.region}:{FAKE_ACCOUNT}:{topic}")
            return state["arn"], state
        if type_ == "aws:kms/key:Key":
            key_id = str(uuid.UUID(hashlib.sha256(args.name.encode()).hexdigest()[:32]))
            state.update(keyId=key_id, arn=f"arn:{self.partition}:kms:{self.region}:{FAKE_ACCOUNT}:key/{key_id}")
            return key_id, state
        if type_ == "aws:iam/accessKey:AccessKey":
            digest = hashlib.sha256(args.name.encode()).hexdigest().upper()
            key_id = "AKIA" + digest[:16]
            state.update(secret=hashlib.sha256(("secret" + args.name).encode()).hexdigest()[:40], status="Active")
            return key_id, state
        return f"{args.name}-id", state

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


class RecordingMonitor(mocks.MockMonitor):
    """Keeps every RegisterResource request and the outputs each resource registers."""

    def __init__(self, cloud: CloudMocks, *, stack: str | None = None, project: str | None = None) -> None:
        super().__init__(cloud)
        self.registrations: list[Registration] = []
        self.registered_outputs: dict[str, dict[str, Any]] = {}
        # Served over gRPC to a provider process, the monitor knows its stack from its caller, not the runtime.
        self.stack, self.project = stack, project

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        """URNs as the engine makes them (`Deployment.generateURN`, pkg/resource/deploy/deployment.go): the
        parent's whole qualified type, except the root stack's, then the type; the SDK's mock keeps only the
        parent's last type, which would hide a change of any grandparent."""
        qualified = parent.split("::")[2] if parent else ""
        if qualified and qualified != STACK_TYPE:
            type_ = f"{qualified}${type_}"
        stack, project = self.stack or settings.get_stack(), self.project or settings.get_project()
        return f"urn:pulumi:{stack}::{project}::{type_}::{name}"

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 (gRPC method name)
        response = super().RegisterResource(request)  # type: ignore[no-untyped-call]  # the SDK's mock is untyped
        self.registrations.append(
            Registration(
                urn=response.urn,
                type=request.type,
                name=request.name,
                custom=bool(request.custom),
                parent=request.parent,
                struct=_copy_struct(request.object),
                dependencies=list(request.dependencies),
                property_dependencies={k: list(v.urns) for k, v in request.propertyDependencies.items()},
                protect=bool(request.protect),
                retain_on_delete=bool(request.retainOnDelete),
                additional_secret_outputs=list(request.additionalSecretOutputs),
                outputs=from_wire(json_format.MessageToDict(response.object)) if response.object else {},
                id=response.id,
                import_id=request.importId,
                aliases=[json_format.MessageToDict(a) for a in request.aliases],
                state=_copy_struct(response.object) if response.object else None,
            )
        )
        return response

    def RegisterResourceOutputs(self, request: Any) -> Any:  # noqa: N802 (gRPC method name)
        self.registered_outputs[request.urn] = from_wire(json_format.MessageToDict(request.outputs))
        return super().RegisterResourceOutputs(request)  # type: ignore[no-untyped-call]  # the SDK's mock is untyped


def _copy_struct(struct: struct_pb2.Struct) -> struct_pb2.Struct:
    copy = struct_pb2.Struct()
    copy.CopyFrom(struct)
    return copy


def run_program(
    stack: str = "dev",
    *,
    preview: bool = True,
    root: Path = PROJECT_ROOT,
    overrides: dict[str, Any] | None = None,
    config: StackConfig | None = None,
) -> ProgramRun:
    """Run ``root/__main__.py`` for ``stack`` under mocks, as `pulumi preview` (or `up`) would.

    ``overrides`` replace stack-file keys (``{"braze-s3:bucket": {...}}``). A config error
    comes back in ``ProgramRun.error`` with the message the CLI would print.
    """
    config = config or load_stack_config(stack, root, overrides)
    region = config.values.get("aws:region", "us-east-1")
    cloud = CloudMocks(preview, region, partition_of(region))
    monitor = RecordingMonitor(cloud, stack=config.stack, project=config.project)
    # The root stack is a context variable that outlives a run: clear it, or this run's
    # resources would be parented to the previous run's stack.
    settings.ROOT.set(None)
    pulumi.runtime.set_mocks(cloud, project=config.project, stack=config.stack, preview=preview, monitor=monitor)
    pulumi.runtime.set_all_config(dict(config.values), config.secret_keys)
    root_str = str(root)
    if root_str not in sys.path:
        sys.path.insert(0, root_str)

    error: str | None = None

    def program() -> None:
        runpy.run_path(str(root / "__main__.py"), run_name="__main__")

    try:
        _sync_await(run_pulumi_func(program))
    except pulumi.RunError as exc:
        error = str(exc)
    outputs = _stack_outputs() if error is None else {}
    resources = [r for r in monitor.registrations if r.type != STACK_TYPE]
    for r in resources:
        if r.urn in monitor.registered_outputs and not r.custom:
            r.outputs = monitor.registered_outputs[r.urn]
    return ProgramRun(
        stack=config.stack,
        preview=preview,
        resources=resources,
        outputs=outputs,
        error=error,
        region=config.values.get("aws:region") if "aws:region" not in config.secret_keys else None,
    )


def _stack_outputs() -> dict[str, Any]:
    """The exports, serialised as the engine receives them (secrets and unknowns marked)."""
    root_resource = settings.get_root_resource()
    exports = getattr(root_resource, "outputs", {}) or {}
    struct = _sync_await(rpc.serialize_properties(exports, {}))
    return from_wire(json_format.MessageToDict(struct))  # type: ignore[no-any-return]
