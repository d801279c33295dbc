"""The component package, for real: `pulumi package get-schema provider` gives the schema the project's tests assert.

tests/test_component_package.py reads the schema over gRPC from the plugin process it starts itself. Here the real
CLI loads `provider/` as a package would be loaded from a user's program (`PulumiPlugin.yaml`, the Python language
host, its virtualenv), binds it, and prints it; it must be the same document — but for what `schema.PackageSpec`
has no field for (`as_package_spec`) — and pass the same assertions.

The plugin runs from a copy of `provider/` and `components/` in the cache (`$BRAZE_S3_CACHE`): the CLI makes
`provider/venv` from provider/requirements.txt, and the work tree must not change. The
`aws` plugin pulumi_aws declares is the stand-in (`realcli.provider`): the schema's aws types are references only.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import grpc
import pytest
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from braze_s3_tools.realcli.cli import ROOT, NoCliError
from braze_s3_tools.realcli.example_typescript import component_package  # the same cached copy
from braze_s3_tools.realcli.workspace import Workspace
from components.config import schema as config_schema
from tests import test_component_package as asserted

pytestmark = pytest.mark.real


@pytest.fixture(scope="module")
def real_schema(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    home = tmp_path_factory.mktemp("component-schema")
    try:
        ws = Workspace.create(home / "ws", "throwaway")
    except NoCliError as error:
        pytest.fail(f"no Pulumi CLI: {error}")
    done = ws.pulumi("package", "get-schema", str(component_package()), cwd=home)
    schema: dict[str, Any] = json.loads(done.stdout)
    return schema


@pytest.fixture(scope="module")
def plugin_schema() -> dict[str, Any]:
    """The schema as tests/test_component_package.py reads it: GetSchema of the plugin process."""
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "provider"), "127.0.0.1:1"],
        cwd="/",
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        port = process.stdout.readline().strip() if process.stdout else ""
        assert port.isdigit(), process.stderr.read() if process.stderr else "no port"
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            reply = provider_pb2_grpc.ResourceProviderStub(channel).GetSchema(provider_pb2.GetSchemaRequest(version=0))
        schema: dict[str, Any] = json.loads(reply.schema)
        return schema
    finally:
        process.terminate()
        process.communicate(timeout=10)


def as_package_spec(value: Any, in_type: bool = False) -> Any:
    """The plugin's schema as the CLI prints it: `get-schema` (cmd/pulumi/packagecmd/package_extract_schema.go)
    reads it into `schema.PackageSpec` and writes that back (`json.MarshalIndent`), binding it on the way
    (`packages.BindSpec`). pkg/codegen/schema/schema.go: a `TypeSpec` (an `items` or `additionalProperties`) has no
    description — the SDK's analyzer repeats the property's own there, and it is dropped; `config` is always
    written (`json:"config"`), an empty `dependencies` never (omitempty)."""
    if isinstance(value, list):
        return [as_package_spec(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {
        k: as_package_spec(v, in_type=k in ("items", "additionalProperties"))
        for k, v in value.items()
        if not (in_type and k == "description")
    }
    return out


def test_the_cli_gives_the_schema_the_plugin_serves(real_schema: dict[str, Any], plugin_schema: dict[str, Any]) -> None:
    expected = as_package_spec(plugin_schema)
    if not expected.get("dependencies"):
        expected.pop("dependencies", None)
    expected.setdefault("config", {})
    assert real_schema == expected


def test_the_real_schema_passes_the_component_package_assertions(real_schema: dict[str, Any]) -> None:
    asserted.test_the_schema_names_the_package_its_version_and_the_component(real_schema)
    asserted.test_every_output_is_typed_and_described(real_schema)
    for key in config_schema.KEYS:
        if not key.path.startswith(config_schema.BUCKETS_ITEM):
            asserted.test_every_config_key_is_an_input_with_its_type_and_description(real_schema, key)
