"""Edits of the program's registrations: the mistakes a hand-edited program could make."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

from google.protobuf import json_format, struct_pb2

from braze_s3_tools.engine.harness import ProgramRun, Registration


def with_inputs(reg: Registration, **changes: Any) -> Registration:
    """A copy of ``reg`` whose inputs have ``changes`` (None deletes a key); wire format kept."""
    data = json_format.MessageToDict(reg.struct)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    struct = struct_pb2.Struct()
    struct.update(data)
    # The analysis reads the state after the step; in a preview that is the inputs.
    return dataclasses.replace(reg, struct=struct, state=struct if reg.state is not None else None)


def replace(run: ProgramRun, type_: str, name: str, **changes: Any) -> list[Registration]:
    target = run.get(type_, name)
    return [with_inputs(r, **changes) if r is target else r for r in run.resources]


def document(reg: Registration, key: str = "policy") -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(reg.inputs[key])
    return parsed


def edit_document(
    run: ProgramRun, type_: str, name: str, edit: Callable[[dict[str, Any]], None], key: str = "policy", **changes: Any
) -> list[Registration]:
    """The run's resources with one resource's JSON document edited in place (plus other input changes)."""
    doc = document(run.get(type_, name), key)
    edit(doc)
    return replace(run, type_, name, **{key: json.dumps(doc)}, **changes)


def new_resource(run: ProgramRun, type_: str, name: str, inputs: dict[str, Any]) -> Registration:
    """A top-level resource of ``type_`` added to the run's stack (a hand-written addition)."""
    template = run.resources[0]
    stack_and_project = template.urn.split("::", 3)[:2]  # "urn:pulumi:<stack>", "<project>"
    struct = struct_pb2.Struct()
    struct.update(inputs)
    return Registration(
        urn="::".join([*stack_and_project, f"pulumi:pulumi:Stack${type_}", name]),
        type=type_,
        name=name,
        custom=True,
        parent="",
        struct=struct,
        dependencies=[],
        property_dependencies={},
        protect=False,
        retain_on_delete=False,
        additional_secret_outputs=[],
        state=struct if template.state is not None else None,
    )
