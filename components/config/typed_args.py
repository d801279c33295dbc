"""The component's typed args (`components/braze_s3_args.py`), generated from the config table.

The package's schema is inferred from Python annotations and the string after each field
(pulumi's `provider.experimental.analyzer`), so the args are TypedDicts whose fields and
descriptions come from `config_schema.KEYS` — the same table the stack config, `Pulumi.yaml` and
`docs/config.md` come from. `make docs` rewrites the module; a test holds it equal to the table.
Field names are snake_case (the schema shows them camelCase, as the config spells them).

    python -m components.config.typed_args > components/braze_s3_args.py
"""

from __future__ import annotations

import re
import sys

from components.config.schema import BUCKETS_ITEM, KEYS, Key

# Objects with their own keys become TypedDicts, by config path (`buckets.<key>` reuses `bucket`'s).
# Type names without an `Args` suffix: the SDKs generated from the schema add their own
# (a schema type `Bucket` is `BucketArgs` in Python and `inputs.BucketArgs` in TypeScript).
TYPE_NAMES = {
    "": "BrazeS3Args",
    "bucket": "Bucket",
    "bucket.lifecycle": "BucketLifecycle",
    "currents[]": "CurrentsConnector",
    "currents[].lifecycle": "ConnectorLifecycle",
    "currents[].lifecycle.transitions[]": "Transition",
    "dashboardExport": "DashboardExport",
    "alerts": "Alerts",
}
MAPS = {"buckets": "dict[str, Bucket]", "tags": "dict[str, str]"}  # objects whose keys are the user's
SCALARS = {"string": "str", "enum": "str", "boolean": "bool", "integer": "int", "list<string>": "list[str]"}


def snake_case(name: str) -> str:
    """`kmsKeyArn` → `kms_key_arn` (the schema turns it back with the SDK's camel_case)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _annotation(key: Key) -> str:
    if key.path in MAPS:
        return MAPS[key.path]
    if key.type == "object":
        return TYPE_NAMES[key.path]
    if key.type == "list<object>":
        return f"list[{TYPE_NAMES[key.path + '[]']}]"
    return SCALARS[key.type]


def _doc(key: Key) -> str:
    text = key.description.replace("`", "").replace("**", "")
    if key.choices:
        text += " One of: " + ", ".join(key.choices) + "."
    if key.has_default and key.default not in ({}, [], ""):
        text += f" Default: {key.default!r}."
    return text.replace("\\", "\\\\").replace('"""', "'''")


def _fields(parent: str) -> list[Key]:
    return [k for k in KEYS if k.parent == parent and not k.path.startswith(BUCKETS_ITEM)]


def module_source() -> str:
    out = [
        '"""The typed args of the `BrazeS3` component: generated from components/config/schema.py by',
        "`python -m components.config.typed_args` (`make docs`); do not edit. Each field's string is its",
        'description in the package schema."""',
        "",
        "# No `from __future__ import annotations`: the SDK's analyzer reads real annotations.",
        "from typing import NotRequired, TypedDict",
        "",
    ]
    for path in sorted(TYPE_NAMES, key=lambda p: (p == "", -p.count(".") - p.count("[]"))):  # nested first, args last
        out += ["", f"class {TYPE_NAMES[path]}(TypedDict):"]
        out.append(f'    """{_class_doc(path)}"""')
        for key in _fields(path):
            annotation = _annotation(key)
            if not key.required:
                annotation = f"NotRequired[{annotation}]"
            out += ["", f"    {snake_case(key.name)}: {annotation}", f'    """{_doc(key)}"""']
        if path == "":
            out += [
                "",
                "    region: NotRequired[str]",
                '    """The AWS region of the buckets (default: the program\'s aws:region config). It decides the partition."""',
            ]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _class_doc(path: str) -> str:
    if path == "":
        return "Everything one Braze-on-S3 integration needs: the keys of the braze-s3 stack config."
    return f"The keys of braze-s3:{path.replace('[]', '[i]')} (docs/config.md)."


if __name__ == "__main__":
    sys.stdout.write(module_source())
