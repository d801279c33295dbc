"""braze-s3 as a component package, over the provider protocol as the engine speaks it.

The plugin is started as the Python language host starts it (`python provider <engine address>`,
the port on stdout). `GetSchema` is checked against the config table; `Construct` runs against a
resource monitor and an engine served here over gRPC (the SDK's mock monitor behind them), and
must register what the stack program registers. Not driven here: the CLI's `pulumi package add`
(SDK generation in other languages) and a real engine deployment.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent import futures
from typing import Any

import grpc
import pytest
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import (
    engine_pb2,
    engine_pb2_grpc,
    provider_pb2,
    provider_pb2_grpc,
    resource_pb2,
    resource_pb2_grpc,
)

from braze_s3_tools.engine.harness import CloudMocks, RecordingMonitor, from_wire, run_program, strip_markers
from braze_s3_tools.engine.stack_files import PROJECT_ROOT, load_stack_config
from components.config import schema as config_schema
from components.config.typed_args import snake_case

pytestmark = pytest.mark.slow

COMPONENT_TYPE = "braze-s3:index:BrazeS3"


class _Monitor(resource_pb2_grpc.ResourceMonitorServicer):
    """The resource monitor the provider registers the component's resources with."""

    def __init__(self, recording: RecordingMonitor) -> None:
        self.recording = recording
        self.loops: dict[int, asyncio.AbstractEventLoop] = {}

    def close(self) -> None:
        for loop in self.loops.values():
            loop.close()

    def SupportsFeature(self, request: Any, context: Any) -> Any:  # noqa: N802 - gRPC names
        return resource_pb2.SupportsFeatureResponse(hasSupport=self.recording.SupportsFeature(request).hasSupport)

    def RegisterResource(self, request: Any, context: Any) -> Any:  # noqa: N802
        # The SDK's mock needs an event loop in its thread; one per worker thread, closed at the end.
        thread = threading.get_ident()
        if thread not in self.loops:
            self.loops[thread] = asyncio.new_event_loop()
        asyncio.set_event_loop(self.loops[thread])
        return self.recording.RegisterResource(request)

    def RegisterResourceOutputs(self, request: Any, context: Any) -> Any:  # noqa: N802
        return self.recording.RegisterResourceOutputs(request)

    def Invoke(self, request: Any, context: Any) -> Any:  # noqa: N802
        return self.recording.Invoke(request)


class _Engine(engine_pb2_grpc.EngineServicer):
    def __init__(self) -> None:
        self.logs: list[str] = []
        self.root = ""

    def Log(self, request: Any, context: Any) -> Any:  # noqa: N802
        self.logs.append(request.message)
        return empty_pb2.Empty()

    def GetRootResource(self, request: Any, context: Any) -> Any:  # noqa: N802
        return engine_pb2.GetRootResourceResponse(urn=self.root)

    def SetRootResource(self, request: Any, context: Any) -> Any:  # noqa: N802
        self.root = request.urn
        return engine_pb2.SetRootResourceResponse()


@pytest.fixture(scope="module")
def engine() -> Iterator[tuple[str, _Engine, RecordingMonitor]]:
    recording = RecordingMonitor(
        CloudMocks(preview=True, region="eu-west-1", partition="aws"), stack="dev", project="braze-s3"
    )
    servicer = _Engine()
    monitor = _Monitor(recording)
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    resource_pb2_grpc.add_ResourceMonitorServicer_to_server(monitor, server)
    engine_pb2_grpc.add_EngineServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        yield f"127.0.0.1:{port}", servicer, recording
    finally:
        server.stop(grace=None).wait()
        monitor.close()


@pytest.fixture(scope="module")
def provider(engine: tuple[str, _Engine, RecordingMonitor]) -> Iterator[Any]:
    """The plugin process, started as the language host starts it, and a client of it."""
    process = subprocess.Popen(
        [sys.executable, str(PROJECT_ROOT / "provider"), engine[0]],
        cwd="/",  # nothing from the test's working directory: the plugin finds its components itself
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        port = process.stdout.readline().strip() if process.stdout else ""
        assert port.isdigit(), process.stderr.read() if process.stderr else "no port"
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            yield provider_pb2_grpc.ResourceProviderStub(channel)
    finally:
        process.terminate()
        process.communicate(timeout=10)  # waits and closes the pipes


@pytest.fixture(scope="module")
def schema(provider: Any) -> dict[str, Any]:
    return dict(json.loads(provider.GetSchema(provider_pb2.GetSchemaRequest(version=0)).schema))


def test_the_schema_names_the_package_its_version_and_the_component(schema: dict[str, Any]) -> None:
    from components.version import VERSION

    assert schema["name"] == "braze-s3" and schema["version"] == VERSION
    assert list(schema["resources"]) == [COMPONENT_TYPE]
    assert schema["resources"][COMPONENT_TYPE]["isComponent"] is True


def _schema_property(schema: dict[str, Any], path: str) -> dict[str, Any]:
    """The schema property of a config path (`currents[].folderPath`), through its nested types."""
    properties = schema["resources"][COMPONENT_TYPE]["inputProperties"]
    *parents, leaf = path.replace("[]", "").split(".")
    for part in parents:
        prop = properties[part]
        prop = prop.get("items", prop.get("additionalProperties", prop))
        ref = prop["$ref"].split("/")[-1]
        properties = schema["types"][ref]["properties"]
    return dict(properties[leaf])


@pytest.mark.parametrize(
    "key", [k for k in config_schema.KEYS if not k.path.startswith(config_schema.BUCKETS_ITEM)], ids=lambda k: k.path
)
def test_every_config_key_is_an_input_with_its_type_and_description(
    schema: dict[str, Any], key: config_schema.Key
) -> None:
    prop = _schema_property(schema, key.path)
    assert prop.get("description", "").startswith(key.description.replace("`", "").replace("**", "")[:40])
    expected = {"string": "string", "enum": "string", "boolean": "boolean", "integer": "integer"}.get(key.type)
    if expected:
        assert prop.get("type") == expected
    elif key.type.startswith("list"):
        assert prop.get("type") == "array"
    required = schema["resources"][COMPONENT_TYPE].get("requiredInputs", []) if "." not in key.path else None
    if required is not None:
        assert (key.name in required) is key.required


def test_every_output_is_typed_and_described(schema: dict[str, Any]) -> None:
    outputs = schema["resources"][COMPONENT_TYPE]["properties"]
    assert set(outputs) == {
        "bucketName",
        "bucketArn",
        "region",
        "buckets",
        "currents",
        "dashboardExport",
        "secretAccessKeys",
    }
    assert all(p.get("description") for p in outputs.values())
    integration = schema["types"]["braze-s3:index:IntegrationOutput"]["properties"]
    assert {"roleArn", "folderPath", "accessKeys", "bucketName", "externalIds"} <= set(integration)


def _construct(name: str, args: dict[str, Any], monitor: str) -> Any:
    """A preview's Construct of the component in stack dev, as the engine sends it."""
    inputs = struct_pb2.Struct()
    inputs.update(args)
    return provider_pb2.ConstructRequest(
        project="braze-s3",
        stack="dev",
        config={"aws:region": "eu-west-1"},
        dryRun=True,
        monitorEndpoint=monitor,
        type=COMPONENT_TYPE,
        name=name,
        inputs=inputs,
    )


def _as_args(config: dict[str, Any]) -> dict[str, Any]:
    """The dev stack's config as another program passes it to the component: its own values, spelt as the schema
    spells them (camelCase, like the config), and not the Pulumi.yaml defaults ({} there means "none")."""
    defaults = {k.path: k.default for k in config_schema.KEYS if not k.parent and k.has_default}
    return {k: v for k, v in config.items() if defaults.get(k, object()) != v}


def test_construct_registers_what_the_stack_program_registers(
    provider: Any, engine: tuple[str, _Engine, RecordingMonitor]
) -> None:
    config = load_stack_config("dev")
    inputs = {
        key.split(":", 1)[1]: json.loads(value) if value.startswith(("[", "{")) else value
        for key, value in config.values.items()
        if key.startswith("braze-s3:")
    }
    response = provider.Construct(_construct("braze-s3", _as_args(inputs), engine[0]))
    assert response.urn == "urn:pulumi:dev::braze-s3::braze-s3:index:BrazeS3::braze-s3"
    outputs = from_wire(json_format.MessageToDict(response.state))
    # At preview the maps that hold ARNs are unknown as a whole; the bucket name is known.
    assert {"bucketName", "bucketArn", "buckets", "currents", "dashboardExport"} <= set(outputs)
    assert outputs["bucketName"] == "acme-braze-dev"
    constructed = {(r.type, r.name): strip_markers(r.inputs) for r in engine[2].registrations}
    program = {(r.type, r.name): strip_markers(r.inputs) for r in run_program("dev").resources}
    assert constructed == program


def test_a_bad_argument_names_the_argument_the_value_and_the_fix(
    provider: Any, engine: tuple[str, _Engine, RecordingMonitor]
) -> None:
    args = {"bucket": {"name": "Acme.Braze"}, "dashboardExport": {"auth": "role", "externalIds": ["abc"]}}
    request = _construct("bad", args, engine[0])
    before = len(engine[2].registrations)
    with pytest.raises(grpc.RpcError) as raised:
        provider.Construct(request)
    message = raised.value.details() or ""
    assert 'args.bucket.name: "Acme.Braze"' in message and "contains a dot" in message
    assert "args.brazeAccountId" in message  # role auth needs Braze's account: every problem at once
    assert len(engine[2].registrations) == before, "a refused argument registers nothing"


def test_snake_case_is_what_the_schema_turns_back_into_camel_case() -> None:
    from pulumi.provider.experimental.util import camel_case

    for key in config_schema.KEYS:
        if "<" not in key.name:
            assert camel_case(snake_case(key.name)) == key.name
