"""`braze-s3:index:BrazeS3`: the whole Braze-on-S3 integration as one component.

The project's own stacks build it (`program.run`), and any Pulumi program, in any language, can
add it as a package (`pulumi package add`, hosted by `provider/__main__.py` with the SDK's
`component_provider_host`): same args as the stack config (`braze_s3_args.BrazeS3Args`, generated
from the config table), same validation, same messages, same resources.

No `from __future__ import annotations` here: the SDK's analyzer infers the package schema from
the real annotations of this class and of the TypedDicts it names.
"""

import re
from collections.abc import Iterable
from typing import Any, NotRequired, TypedDict

import pulumi

from components.braze_s3_args import BrazeS3Args
from components.build import build
from components.config.stack import parse_settings
from components.config.typed_args import MAPS
from components.errors import InvalidConfigError
from components.settings import PROJECT, StackSettings

PACKAGE = "braze-s3"
TOKEN = f"{PACKAGE}:index:BrazeS3"


class BucketOutput(TypedDict):
    """One bucket of the integration."""

    name: str
    """The bucket name: Braze's "AWS S3 Bucket Name"."""
    arn: str
    """The bucket ARN."""
    region: str
    """The bucket's region."""
    mode: str
    """create, import or reference."""
    kmsKeyArn: NotRequired[str]
    """The customer managed key of its default encryption, when it has one."""


class AccessKeyOutput(TypedDict):
    """One access key generation of an access-key integration."""

    accessKeyId: str
    """Braze's "AWS Access ID"."""
    secretOutput: str
    """The entry of `secretAccessKeys` (a secret at run time) holding its secret access key."""


class IntegrationOutput(TypedDict):
    """What to type into Braze for one integration, and what a check needs."""

    integration: str
    """currents or dashboard-export."""
    connector: str
    """The connector's name."""
    bucketName: str
    """Braze's "AWS S3 Bucket Name"."""
    authMethod: str
    """role or accessKey: Braze's "Credentials" choice."""
    policyArn: str
    """The IAM policy of the integration."""
    folderPath: NotRequired[str]
    """Currents: Braze's "Folder Path"."""
    objectScope: NotRequired[str]
    """Currents: folder or bucket, the object scope of its policy."""
    aes256Encryption: NotRequired[bool]
    """Currents: Braze's "AES-256 server-side encryption at rest" toggle."""
    roleArn: NotRequired[str]
    """Role auth: Braze's "AWS Role ARN"."""
    brazeAccountId: NotRequired[str]
    """Role auth: the Braze account the role trusts."""
    externalIds: NotRequired[list[str]]
    """Role auth: the external ids the trust requires."""
    userName: NotRequired[str]
    """Access-key auth: the IAM user."""
    accessKeys: NotRequired[dict[str, AccessKeyOutput]]
    """Access-key auth: each key generation."""
    activeAccessKey: NotRequired[str]
    """Access-key auth: the generation to type into Braze."""
    freshnessAlarm: NotRequired[str]
    """With alerts: the connector's freshness alarm."""


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def to_config(value: Any, path: str = "") -> Any:
    """Component args (snake_case TypedDicts) → the stack config's shape (camelCase keys); the keys
    of user maps (`tags`, `buckets`) are kept as given."""
    if isinstance(value, dict):
        if path in MAPS:
            item_path = "bucket" if path == "buckets" else None
            return {k: to_config(v, item_path) if item_path else v for k, v in value.items()}
        return {_camel(k): to_config(v, _join(path, _camel(k))) for k, v in value.items()}
    if isinstance(value, list):
        return [to_config(v, f"{path}[]") for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)  # the protocol's numbers are doubles: 90.0 is the 90 the caller wrote
    return value


def _join(path: str | None, key: str) -> str:
    return f"{path}.{key}" if path else key


def _message(errors: InvalidConfigError) -> str:
    """The config errors as a component user reads them: `args.currents[1].folderPath`, not a config key."""
    return re.sub(rf"\b{re.escape(PROJECT)}:", "args.", str(errors))


class BrazeS3(pulumi.ComponentResource):
    """Braze on Amazon S3: the buckets Braze writes to (created hardened, imported or referenced), and for each
    Currents connector and the dashboard export its own IAM principal and policy, with the values to type into Braze."""

    bucket_name: pulumi.Output[str]
    """The default bucket's name."""
    bucket_arn: pulumi.Output[str]
    """The default bucket's ARN."""
    region: pulumi.Output[str]
    """The default bucket's region."""
    buckets: pulumi.Output[dict[str, BucketOutput]]
    """Every bucket by key (the default one as `default`)."""
    currents: pulumi.Output[dict[str, IntegrationOutput]]
    """Each Currents connector by name: what to type into Braze."""
    dashboard_export: pulumi.Output[dict[str, IntegrationOutput]]
    """The dashboard export under the key `dashboard-export`, when there is one: what to type into Braze."""
    secret_access_keys: pulumi.Output[dict[str, str]]
    """Each access key's secret, by the name its `accessKeys.<generation>.secretOutput` gives. Secret at run time
    (the inferred schema cannot mark it secret)."""

    def __init__(
        self,
        name: str,
        args: BrazeS3Args,
        opts: pulumi.ResourceOptions | None = None,
        *,
        settings: StackSettings | None = None,
        secret_keys: Iterable[str] = (),
        top_level: bool = False,
    ) -> None:
        if settings is None:
            # Validated before anything is registered: a bad argument creates nothing.
            region = args.get("region") or pulumi.Config("aws").get("region")
            raw = to_config({k: v for k, v in args.items() if k != "region"})
            try:
                settings = parse_settings(raw, region=region, secret_keys=secret_keys)
            except InvalidConfigError as errors:
                raise ValueError(_message(errors)) from None
        super().__init__(TOKEN, name, {}, opts)
        outputs = build(settings, parent=self, alias_to_root=top_level)
        self.stack_outputs = outputs  # the stack program exports these, as it always has
        self.bucket_name = pulumi.Output.from_input(outputs["bucketName"])
        self.bucket_arn = pulumi.Output.from_input(outputs["bucketArn"])
        self.region = pulumi.Output.from_input(outputs["region"])
        self.buckets = pulumi.Output.from_input(outputs["buckets"])
        self.currents = pulumi.Output.from_input(outputs["currents"])
        export = outputs.get("dashboardExport")
        self.dashboard_export = pulumi.Output.from_input({"dashboard-export": export} if export else {})
        secrets = {k: v for k, v in outputs.items() if k.startswith("secretAccessKey-")}
        self.secret_access_keys = pulumi.Output.secret(secrets) if secrets else pulumi.Output.from_input({})
        self.register_outputs(
            {
                "bucketName": self.bucket_name,
                "bucketArn": self.bucket_arn,
                "region": self.region,
                "buckets": self.buckets,
                "currents": self.currents,
                "dashboardExport": self.dashboard_export,
                "secretAccessKeys": self.secret_access_keys,
            }
        )
