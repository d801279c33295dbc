"""Every config key of the project, once: path, type, default, range, description.

This table is the single source of truth. From it follow:
- the validation's known keys, defaults, ranges and allowed values (`components.config`);
- the `config:` declarations of `Pulumi.yaml` (`pulumi_yaml_declarations`, held equal by a test);
- `docs/config.md` (`python -m components.config_schema > docs/config.md`, held equal by a test).

Paths use `pulumi config set --path` spelling without the namespace: `bucket.name`,
`currents[].folderPath` (`[]` = every item of the list). No Pulumi import.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import Any

PROJECT = "braze-s3"
# Project config may declare `object` and arrays of objects since this CLI version
# (pulumi/pulumi#20132, `ValidateConfigValue` in sdk/go/common/workspace/project.go).
MIN_CLI_VERSION = "3.187.0"
NO_DEFAULT: Any = object()


@dataclass(frozen=True)
class Key:
    path: str
    type: str  # string | boolean | integer | object | list<string> | list<object> | enum
    description: str
    default: Any = NO_DEFAULT
    low: int | None = None
    high: int | None = None
    choices: tuple[str, ...] = ()
    required: bool = False

    @property
    def name(self) -> str:
        return self.path.rsplit(".", 1)[-1]

    @property
    def parent(self) -> str:
        return self.path.rsplit(".", 1)[0] if "." in self.path else ""

    @property
    def has_default(self) -> bool:
        return self.default is not NO_DEFAULT


STORAGE_CLASSES = ("STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE")
_DAYS = 36500  # 100 years: far beyond any retention, small enough to catch a typo'd unit

_AUTH_KEYS = (
    (
        "auth",
        "enum",
        "How Braze authenticates: `role` (assume a role with an external id) or `accessKey` (an IAM user's key).",
        "role",
        None,
        None,
        ("role", "accessKey"),
    ),
    (
        "externalIds",
        "list<string>",
        "`auth: role` only, required: the external id(s) shown on Braze's page of this integration; 2–1,224 of `A-Z a-z 0-9 _+=,.@:/-`; at most 5 (two while rotating).",
        NO_DEFAULT,
        None,
        None,
        (),
    ),
    (
        "accessKeys",
        "list<string>",
        "`auth: accessKey` only, required: key generation labels (e.g. `2026-11`, quoted in YAML); one IAM access key per label, at most 2 (IAM's limit). The last one listed is the one to type into Braze.",
        NO_DEFAULT,
        None,
        None,
        (),
    ),
)


def _auth(prefix: str) -> tuple[Key, ...]:
    return tuple(Key(f"{prefix}.{n}", t, d, default, lo, hi, ch) for n, t, d, default, lo, hi, ch in _AUTH_KEYS)


KEYS: tuple[Key, ...] = (
    # Top level: what Pulumi.yaml declares.
    Key(
        "brazeAccountId",
        "string",
        "Braze's AWS account id (12 digits, quoted in YAML), shown on Braze's Currents and Technology Partners pages. Required when any integration uses `auth: role`; empty means not set.",
        default="",
    ),
    Key(
        "iamPath",
        "string",
        "IAM path of every role, user and policy this project creates (starts and ends with `/`); lets SCPs and audits target them.",
        default="/braze/",
    ),
    Key("bucket", "object", "The bucket Braze writes to (its keys: docs/config.md).", required=True),
    Key(
        "currents",
        "list<object>",
        "Currents connectors, each with its own folder and IAM principal (their keys: docs/config.md). Empty: no Currents.",
        default=[],
    ),
    Key(
        "dashboardExport",
        "object",
        "Dashboard data export: CSV exports, engagement reports, API exports (its keys: docs/config.md). Empty (`{}`): no dashboard export.",
        default={},
    ),
    Key(
        "tags",
        "object",
        "Extra tags on every taggable resource: string → string. Keys must not start with `aws:` or `braze:` (reserved for the tag contract); at most 40.",
        default={},
    ),
    Key(
        "iamNamePrefix",
        "string",
        "Prefix of every role, user and policy name (an enterprise naming scheme), e.g. `acme-`: names become `<prefix><logical name>-<7 hex>`, within IAM's 64 (role, user) and 128 (policy) characters. Set it before the first `pulumi up`: adding or changing it later replaces every role, user and access key, and Braze needs the new credentials. Empty: Pulumi's auto-names.",
        default="",
    ),
    Key(
        "permissionsBoundary",
        "string",
        "ARN of an IAM managed policy set as the permissions boundary of every role and user this project creates (enterprise guard-rails); its own statements must still allow Braze's actions. Empty: none.",
        default="",
    ),
    Key(
        "alerts",
        "object",
        "Opt-in freshness alarms, one per Currents connector (its keys: docs/config.md). Empty (`{}`): no alarms.",
        default={},
    ),
    # bucket
    Key(
        "bucket.name",
        "string",
        "The exact bucket name: 3–63 lowercase letters, digits and hyphens, starting and ending with a letter or digit, none of S3's reserved prefixes and suffixes. **No dots**: a dotted name breaks TLS for virtual-hosted requests, and the bucket denies every request without TLS.",
        required=True,
    ),
    Key(
        "bucket.protect",
        "boolean",
        "Pulumi `protect`: `pulumi destroy` and replacements of the bucket are refused. Set `true` in production.",
        default=False,
    ),
    Key(
        "bucket.retainOnDelete",
        "boolean",
        "Pulumi `retainOnDelete`: when Pulumi deletes or replaces the bucket (e.g. after a name change), the old bucket and its files stay in AWS.",
        default=True,
    ),
    Key(
        "bucket.versioning",
        "boolean",
        "S3 versioning. With it, noncurrent versions expire after `lifecycle.noncurrentVersionExpirationDays`.",
        default=False,
    ),
    Key("bucket.lifecycle", "object", "Bucket-wide lifecycle (keys below).", default={}),
    Key(
        "bucket.lifecycle.abortIncompleteMultipartUploadDays",
        "integer",
        "Abort multipart uploads left incomplete for this many days (always on).",
        default=7,
        low=1,
        high=365,
    ),
    Key(
        "bucket.lifecycle.noncurrentVersionExpirationDays",
        "integer",
        "With `versioning: true` only: delete old versions after this many days.",
        default=30,
        low=1,
        high=_DAYS,
    ),
    Key(
        "bucket.lifecycle.expireAllObjectsDays",
        "integer",
        "Opt-in: delete **every** object (dashboard exports and Currents files alike) this many days after creation. API exports have no download link and the bucket is their only copy: set it only on purpose.",
        low=1,
        high=_DAYS,
    ),
    # currents[]
    Key(
        "currents[].name",
        "string",
        "1–32 lowercase letters, digits and hyphens; unique. Names the connector's IAM resources and its outputs.",
        required=True,
    ),
    Key(
        "currents[].folderPath",
        "string",
        "Braze's \"Folder path\". No leading `/`, no `..` or `.` segment, no empty segment, only letters, digits, `.`, `_`, `-` per segment; a trailing `/` is dropped. Must differ from every other connector's folder and not lie inside (or contain) another, and may not be (or lie inside) Braze's own prefixes `sent_messages` (message archiving) and `segment-export`.",
        default="currents",
    ),
    *_auth("currents[]"),
    Key(
        "currents[].sse",
        "boolean",
        'Whether you switch on Braze\'s "AES-256 server-side encryption at rest" toggle; exported as `aes256Encryption`.',
        default=False,
    ),
    Key(
        "currents[].objectScope",
        "enum",
        "`folder`: Put/Get only on `<bucket>/<folder>/*`. `bucket`: Braze's published `<bucket>/*`, for when Braze's credential test writes outside the folder (Braze does not document where it writes).",
        default="folder",
        choices=("folder", "bucket"),
    ),
    Key(
        "currents[].lifecycle",
        "object",
        "Lifecycle of this connector's files (prefix `<folder>/`; keys below).",
        default={},
    ),
    Key(
        "currents[].lifecycle.expirationDays",
        "integer",
        "Delete this connector's files this many days after creation.",
        low=1,
        high=_DAYS,
    ),
    Key(
        "currents[].lifecycle.transitions",
        "list<object>",
        "Storage-class transitions `{days, storageClass}`, in increasing order of days, all before `expirationDays`, as S3 validates them: each class once, along STANDARD_IA → INTELLIGENT_TIERING → ONEZONE_IA → GLACIER_IR → GLACIER → DEEP_ARCHIVE (ONEZONE_IA not to GLACIER_IR), at least 30 days after a move to STANDARD_IA or ONEZONE_IA; at most 1,000 lifecycle rules per bucket.",
        default=[],
    ),
    Key("currents[].lifecycle.transitions[].days", "integer", "Days after creation.", required=True, low=0, high=_DAYS),
    Key(
        "currents[].lifecycle.transitions[].storageClass",
        "enum",
        "Target class; `STANDARD_IA` and `ONEZONE_IA` need at least 30 days.",
        required=True,
        choices=STORAGE_CLASSES,
    ),
    # dashboardExport
    *_auth("dashboardExport"),
    # alerts
    Key(
        "alerts.staleAfterHours",
        "integer",
        "Alarm when no object arrived under a connector's folder for this many hours (S3 request metrics on the folder, summed per hour; no data counts as stale). CloudWatch evaluates at most 7 days of hourly periods. Currents writes every 5 minutes or 15,000 events and never writes empty files, so a quiet workspace needs a larger value.",
        required=True,
        low=1,
        high=168,
    ),
    Key(
        "alerts.email",
        "list<string>",
        "E-mail addresses to notify: the stack creates an SNS topic and one subscription each (each address must confirm it).",
        default=[],
    ),
    Key(
        "alerts.snsTopicArn",
        "string",
        "An existing SNS topic to notify (e.g. the on-call's), in the stack's account and region. Give it, `email`, or both.",
    ),
)

BY_PATH: dict[str, Key] = {key.path: key for key in KEYS}


def key(path: str) -> Key:
    return BY_PATH[path]


def children(parent: str) -> tuple[str, ...]:
    """The names of the keys directly under ``parent`` ("" = top level), in table order."""
    return tuple(k.name for k in KEYS if k.parent == parent)


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
        "Always set, not configurable: all four public-access-block flags; `BucketOwnerEnforced`; default encryption SSE-S3 (AES256); no Object Lock, which Currents does not support; `forceDestroy: false`; a bucket policy that denies any request without TLS.",
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

<!-- Generated from components/config_schema.py by `make docs`; edit the table there. -->

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
| `bucketName`, `bucketArn`, `region` | The bucket. |
| `currents.<name>` | `bucketName`, `folderPath`, `objectScope`, `authMethod`, `aes256Encryption` (Braze's toggle), `freshnessAlarm` (with alerts), `roleArn` + `brazeAccountId` + `externalIds` (role), or `userName` + `accessKeys.<generation>.{accessKeyId, secretOutput}` + `activeAccessKey` (access key), and `policyArn`. |
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
        "# Generated from components/config_schema.py (`make docs`); a test holds the two equal.\n"
        "# Every key but `bucket` has a default, because the CLI requires each declared key that has\n"
        "# none on every stack. Reference of every key: docs/config.md.\n" + body
    )


if __name__ == "__main__":
    if sys.argv[1:] == ["--pulumi-yaml"]:
        from pathlib import Path

        target = Path(__file__).resolve().parent.parent / "Pulumi.yaml"
        target.write_text(pulumi_yaml(target.read_text(encoding="utf-8")), encoding="utf-8")
    else:
        sys.stdout.write(config_reference())
