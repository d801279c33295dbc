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
"""

from __future__ import annotations

import json
import re
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

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


def extract(package: Path) -> dict[str, dict[str, list[str]]]:
    """{"resources": {token: [property, …]}, "nested": {module: [property, …]}}."""
    resources: dict[str, list[str]] = {}
    nested: dict[str, set[str]] = {}
    for path, text in _sources(package):
        module, filename = path.split("/", 1)
        if filename in ("outputs.py", "_inputs.py"):
            nested.setdefault(module, set()).update(_properties(text))
            continue
        tokens = _TOKEN.findall(text)
        if len(tokens) == 1:  # a resource module (functions and enums have none)
            resources[tokens[0]] = sorted(_properties(text))
    return {
        "resources": dict(sorted(resources.items())),
        "nested": {module: sorted(names) for module, names in sorted(nested.items())},
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
