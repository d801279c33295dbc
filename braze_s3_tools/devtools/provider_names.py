"""The resource type tokens and property names a Pulumi provider's Python SDK defines.

The policy pack reads resources by type token and property name; a name that no provider
version defines is a check that can never fire. This extracts, from a provider's Python
package (an installed directory or a published wheel), every resource token of the modules
the pack looks at with the names of its properties, and the names of every nested type's
properties per module. The pack's tests compare what the pack reads against these.

    python -m braze_s3_tools.devtools.provider_names pulumi_aws-6.83.4-py3-none-any.whl > names.json

It reads the generated SDK source, not a schema: each resource class passes its token to
`super().__init__`, and each property is a `@pulumi.getter` (its wire name is the getter's
`name=`, else the Python name, which is then a single word).

`inputs` holds, per resource token, every property path of its input class followed recursively
through the nested input classes its getters' annotations name (`BucketV2Args` →
`serverSideEncryptionConfigurations` → `BucketV2ServerSideEncryptionConfigurationArgs` → `rules` …),
each with its kind: `list`, `map`, `object` or `scalar`. A list is transparent in a path
(`rules.applyServerSideEncryptionByDefault.sseAlgorithm`), as the pack writes them. This is what
holds a path to its own type: a name that exists only on some other type no longer passes.
"""

from __future__ import annotations

import ast
import json
import re
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MODULES = ("s3", "iam", "kms")
# Types shared across modules (aws-native's `Tag`) live at the package root, as module "_root".
ROOT = "_root"
SHARED_TYPES = ("outputs.py", "_inputs.py")
_TOKEN = re.compile(r"super\(\w+, __self__\)\.__init__\(\s*'([^']+)'")
# A getter may be followed by other decorators (`@_utilities.deprecated(...)`) before its `def`.
_GETTER = re.compile(r"@pulumi\.getter(?:\(name=\"([^\"]+)\"\))?[ \t]*\n(?:[ \t]*@[^\n]*\n)*[ \t]*def (\w+)\(")


def _sources(package: Path) -> Iterator[tuple[str, str]]:
    """(path inside the package, text) of every module file of interest, from a wheel or a directory."""
    if package.is_file():
        with zipfile.ZipFile(package) as wheel:
            for name in wheel.namelist():
                parts = name.split("/")
                if name.endswith(".py") and len(parts) == 3 and parts[1] in MODULES:
                    yield name.split("/", 1)[1], wheel.read(name).decode()
                elif len(parts) == 2 and parts[1] in SHARED_TYPES:
                    yield f"{ROOT}/{parts[1]}", wheel.read(name).decode()
        return
    for module in MODULES:
        for path in sorted((package / module).glob("*.py")):
            yield f"{module}/{path.name}", path.read_text()
    for filename in SHARED_TYPES:
        if (package / filename).exists():
            yield f"{ROOT}/{filename}", (package / filename).read_text()


def _properties(text: str) -> set[str]:
    return {wire or python for wire, python in _GETTER.findall(text)}


# A getter's annotation: the first container decides the kind; the `…Args` class it names, the fields.
_ARGS_NAME = re.compile(r"\b(\w+Args)\b")
MAX_DEPTH = 8  # deeper than any input type the pack reads; guards against recursive types


@dataclass(frozen=True)
class Field:
    wire: str
    kind: str  # list, map, object, scalar
    type_name: str | None  # the nested input class, for a list or object of one


def _field_kind(annotation: str) -> tuple[str, str | None]:
    named = _ARGS_NAME.search(annotation)
    sequence, mapping = annotation.find("Sequence["), annotation.find("Mapping[")
    firsts = [(i, kind) for i, kind in ((sequence, "list"), (mapping, "map")) if i >= 0]
    if firsts:
        return min(firsts)[1], named.group(1) if named else None
    return ("object", named.group(1)) if named else ("scalar", None)


def _input_classes(module: str, text: str) -> dict[str, list[Field]]:
    """Every `…Args` class of a module file with its getters (wire name, kind, nested class)."""
    found: dict[str, list[Field]] = {}
    for node in ast.parse(text).body:
        if not isinstance(node, ast.ClassDef) or not node.name.endswith("Args"):
            continue
        fields: list[Field] = []
        for item in node.body:
            if not isinstance(item, ast.FunctionDef) or item.returns is None:
                continue
            wire = None
            for decorator in item.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if ast.unparse(target) != "pulumi.getter":
                    continue
                wire = item.name
                if isinstance(decorator, ast.Call):
                    for keyword in decorator.keywords:
                        if keyword.arg == "name" and isinstance(keyword.value, ast.Constant):
                            wire = str(keyword.value.value)
            if wire is not None:
                fields.append(Field(wire, *_field_kind(ast.unparse(item.returns))))
        found[f"{module}.{node.name}"] = fields
    return found


def _resolve(classes: dict[str, list[Field]], module: str, name: str) -> list[Field] | None:
    """A nested class by name: in the module first, then the package root, then any module."""
    for key in (f"{module}.{name}", f"{ROOT}.{name}"):
        if key in classes:
            return classes[key]
    matches = [fields for key, fields in classes.items() if key.endswith(f".{name}")]
    return matches[0] if len(matches) == 1 else None


def _paths(
    classes: dict[str, list[Field]], module: str, fields: list[Field], prefix: str, *, depth: int, seen: tuple[str, ...]
) -> dict[str, str]:
    out: dict[str, str] = {}
    for field_ in fields:
        path = f"{prefix}{field_.wire}"
        out[path] = field_.kind
        if field_.type_name is None or depth >= MAX_DEPTH or field_.type_name in seen:
            continue
        nested = _resolve(classes, module, field_.type_name)
        if nested is not None:
            out.update(_paths(classes, module, nested, f"{path}.", depth=depth + 1, seen=(*seen, field_.type_name)))
    return out


def extract(package: Path) -> dict[str, Any]:
    """{"resources": {token: [property, …]}, "nested": {module: [property, …]},
    "inputs": {token: {path: kind}}}."""
    resources: dict[str, list[str]] = {}
    nested: dict[str, set[str]] = {}
    classes: dict[str, list[Field]] = {}
    resource_args: dict[str, tuple[str, str]] = {}  # token → (module, its input class)
    for path, text in _sources(package):
        module, filename = path.split("/", 1)
        module_classes = _input_classes(module, text)
        classes.update(module_classes)
        if filename in ("outputs.py", "_inputs.py"):
            nested.setdefault(module, set()).update(_properties(text))
            continue
        tokens = _TOKEN.findall(text)
        if len(tokens) == 1:  # a resource module (functions and enums have none)
            resources[tokens[0]] = sorted(_properties(text))
            own = [k for k in module_classes if not k.split(".", 1)[1].startswith("_")]
            if own:
                resource_args[tokens[0]] = (module, own[0])
    inputs = {
        token: dict(sorted(_paths(classes, module, classes[name], "", depth=0, seen=(name,)).items()))
        for token, (module, name) in sorted(resource_args.items())
    }
    return {
        "resources": dict(sorted(resources.items())),
        "nested": {module: sorted(names) for module, names in sorted(nested.items())},
        "inputs": inputs,
    }


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m braze_s3_tools.devtools.provider_names <package dir | wheel>", file=sys.stderr)
        return 2
    json.dump(extract(Path(argv[0])), sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
