"""`Pulumi.yaml`'s config declarations and `docs/config.md`, generated from the config table.

    python -m components.config.docs > docs/config.md      # the reference
    python -m components.config.docs --pulumi-yaml          # rewrites Pulumi.yaml's config block

Both are held equal to the table by tests (tests/test_cli_config.py); `make docs` runs both.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from components.config.schema import KEYS, MIN_CLI_VERSION, Key

# -- Pulumi.yaml ---------------------------------------------------------------------------

_PULUMI_TYPES: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "boolean": {"type": "boolean"},
    "integer": {"type": "integer"},
    "object": {"type": "object"},
    "list<string>": {"type": "array", "items": {"type": "string"}},
    "list<object>": {"type": "array", "items": {"type": "object"}},
}


def pulumi_yaml_declarations() -> dict[str, dict[str, Any]]:
    """The `config:` block of Pulumi.yaml. Every optional key has a default, because the CLI
    requires a declared key without `default`/`value` on every stack (`mergeConfig` in
    pkg/workspace/config.go); only `bucket` is required."""
    declarations: dict[str, dict[str, Any]] = {}
    for k in KEYS:
        if k.parent:
            continue
        declaration: dict[str, Any] = dict(_PULUMI_TYPES[k.type])
        declaration["description"] = _plain(k.description)
        if k.has_default:
            declaration["default"] = k.default
        declarations[k.name] = declaration
    return declarations


def _plain(text: str) -> str:
    return text.replace("`", "").replace("**", "")


# -- docs/config.md ------------------------------------------------------------------------

_TYPE_WORDS = {"list<string>": "list of strings", "list<object>": "list of objects"}


def _type_cell(k: Key) -> str:
    if k.choices:
        return " \\| ".join(f"`{c}`" for c in k.choices)
    words = _TYPE_WORDS.get(k.type, k.type)
    if k.low is not None:
        words += f" {k.low}–{k.high}"
    return words


def _default_cell(k: Key) -> str:
    if k.required:
        return "required"
    if not k.has_default:
        return "absent"
    return f"`{json.dumps(k.default)}`"


_SECTIONS = (
    (
        "",
        "Top level",
        "Keys of `Pulumi.<stack>.yaml` in the `braze-s3:` namespace, declared with their type and default in `Pulumi.yaml`.",
    ),
    (
        "bucket",
        "`braze-s3:bucket`",
        "Always set on a bucket this stack manages (`mode: create` or `import`), not configurable: all four public-access-block flags; `BucketOwnerEnforced`; default encryption SSE-S3 (AES256), or SSE-KMS with `kmsKeyArn` and S3 Bucket Keys; no Object Lock, which Currents does not support; `forceDestroy: false`; a bucket policy that denies any request without TLS. A `reference` bucket gets none of it: `make verify` checks it live.",
    ),
    (
        "buckets.<key>",
        "`braze-s3:buckets.<key>`",
        "Each further bucket has the keys of `braze-s3:bucket`. Its resources are named after its bucket name, not its key, so renaming a key replaces nothing; folder paths need only differ within one bucket.",
    ),
    ("currents[]", "`braze-s3:currents[i]`", ""),
    (
        "dashboardExport",
        "`braze-s3:dashboardExport`",
        "Dashboard export files have no common prefix, so its policy covers `<bucket>/*` with Put, Get and Delete. It never shares a policy or a principal with a Currents connector.",
    ),
    (
        "alerts",
        "`braze-s3:alerts`",
        "Per Currents connector: an S3 request-metrics configuration filtered on `<folder>/` and a CloudWatch alarm on its hourly `PutRequests` that fires after `staleAfterHours` without a write and clears when writes resume (notifications on both). Request metrics are billed as CloudWatch metrics, per filter; the cost and the runbook are in docs/operations.md.",
    ),
)

_HEADER = f"""# Stack configuration reference

<!-- Generated from components/config/schema.py by `make docs`; edit the table there. -->

Every key lives in the `braze-s3:` namespace of `Pulumi.<stack>.yaml`. Structured keys are set
with `pulumi config set --path`, e.g. `pulumi config set --path 'braze-s3:currents[0].folderPath' currents`;
any value can be stored encrypted with `--secret` (then every message shows it as `[secret]`, and
everything built from that key — documents, outputs — is a Pulumi secret).

`Pulumi.yaml` declares every top-level key with its type and default, which needs **Pulumi CLI
{MIN_CLI_VERSION} or newer** (object-typed project config). Only `braze-s3:bucket` is required. The
program validates all of it before it registers a single resource; a mistake is reported as
`<key path>: <bad value> <rule>; <fix>`, every mistake of the stack in one message, and a
`pulumi preview` shows that message, not a traceback. An unknown key anywhere is an error with a
did-you-mean. `aws:region` (the bucket's region; Braze writes wherever the bucket is) decides the ARN
partition (`cn-*` → `aws-cn`, `us-gov-*` → `aws-us-gov`). Braze's AWS accounts are in the `aws` partition and IAM
cannot trust a principal of another one, so `auth: role` is refused in China and GovCloud regions; isolated
partitions (`us-iso-*`, …) are refused altogether. A stack with neither a Currents connector nor
`dashboardExport` is refused: it would make a bucket Braze never writes to.
"""

_FOOTER = """
## Outputs

| output | description |
|---|---|
| `bucketName`, `bucketArn`, `region` | The default bucket (`braze-s3:bucket`). |
| `buckets.<key>` | Every bucket, the default one as `buckets.default`: `name`, `arn`, `region`, `mode` and, with a customer managed key, `kmsKeyArn`. `make verify` checks each of them live. |
| `currents.<name>` | `bucketName` (the bucket it writes to), `folderPath`, `objectScope`, `authMethod`, `aes256Encryption` (Braze's toggle), `freshnessAlarm` (with alerts), `roleArn` + `brazeAccountId` + `externalIds` (role), or `userName` + `accessKeys.<generation>.{accessKeyId, secretOutput}` + `activeAccessKey` (access key), and `policyArn`. |
| `dashboardExport` | The same fields, without `folderPath` and `aes256Encryption`. |
| `secretAccessKey-<component>-<generation>` | One top-level **secret** output per access key, e.g. `secretAccessKey-currents-marketing-2026-11`: its secret access key. Top level on purpose: `pulumi/actions` masks an output only when its whole value is secret. `accessKeys.<generation>.secretOutput` names it. |

Values that come from a key stored with `--secret` are secret outputs too.
"""


def config_reference() -> str:
    """docs/config.md, generated from the table."""
    parts = [_HEADER]
    for prefix, title, note in _SECTIONS:
        parts += [f"## {title}", "", "| key | type | default | description |", "|---|---|---|---|"]
        for k in KEYS:
            inside = k.parent == prefix or k.parent.startswith(f"{prefix}.") if prefix else not k.parent
            if not inside:
                continue
            shown = k.path[len(prefix) + 1 :] if prefix else f"braze-s3:{k.path}"
            parts.append(f"| `{shown}` | {_type_cell(k)} | {_default_cell(k)} | {k.description} |")
        if note:
            parts += ["", note]
        parts.append("")
    return "\n".join(parts) + _FOOTER


PULUMI_YAML_MARKER = "# Every top-level key, declared with its type"


def pulumi_yaml(current: str) -> str:
    """Pulumi.yaml with its generated `config:` block (everything from the marker on) rewritten."""
    # Only this generator needs YAML; `pulumi up` installs requirements.txt, which has no PyYAML.
    import yaml  # noqa: PLC0415

    head = current.split(PULUMI_YAML_MARKER, 1)[0]
    body: str = yaml.safe_dump(
        {"config": pulumi_yaml_declarations()}, sort_keys=False, width=110, allow_unicode=True, default_flow_style=False
    )
    return (
        head + f"{PULUMI_YAML_MARKER} (object types need Pulumi CLI >= {MIN_CLI_VERSION}).\n"
        "# Generated from components/config/schema.py (`make docs`); a test holds the two equal.\n"
        "# Every key but `bucket` has a default, because the CLI requires each declared key that has\n"
        "# none on every stack. Reference of every key: docs/config.md.\n" + body
    )


if __name__ == "__main__":
    if sys.argv[1:] == ["--pulumi-yaml"]:
        from pathlib import Path

        target = Path(__file__).resolve().parents[2] / "Pulumi.yaml"
        target.write_text(pulumi_yaml(target.read_text(encoding="utf-8")), encoding="utf-8")
    else:
        sys.stdout.write(config_reference())
