# ruff: noqa: N802 - the methods are the gRPC service's own names (Check, Diff, Create...)
"""A stand-in `aws` resource provider plugin: a test double of AWS (never of the engine) for the real Pulumi CLI.

The real pulumi-aws plugin cannot be built here (its go.mod replaces terraform-provider-aws with a local
directory), so the real CLI's previews and updates in tests talk to this plugin instead. It is registered as
resource plugin `aws` at the version of the installed `pulumi_aws` (`plugin.install`), and the engine drives it
like any provider over the `pulumirpc.ResourceProvider` gRPC service: GetPluginInfo, CheckConfig, DiffConfig,
Configure, Check, Diff, Create, Update, Read, Delete (GetSchema answers an empty schema).

It implements the gRPC service directly (`provider_pb2_grpc.ResourceProviderServicer`) rather than through
`pulumi.provider.experimental`: that layer drops CheckRequest's `autonaming` and `name` fields and converts every
value into its own PropertyValue model; here the engine's Structs pass through untouched, with secret and
unknown markers as the engine sent them (the plugin accepts secrets, as pulumi-aws does).

What it computes like the real provider (pulumi-aws through pulumi-terraform-bridge):
- Check: autonames like the bridge's `AutoName` — the engine's proposed name when it sends one (this plugin
  answers `supports_autonaming_configuration`), else `<logical name>-<7 hex>` drawn from the engine's random
  seed (`resource.NewUniqueName(randomSeed, name+"-", 7, maxlen)`), lower-cased for buckets, only when neither
  the name nor its `namePrefix` input is given: IAM role/user/policy `name` (64/64/128), bucket `bucket` (63),
  SNS topic `name` (256), CloudWatch alarm `name` (255). Fills the Terraform schema defaults this program's
  types have (role/user/policy `path` "/", role `maxSessionDuration` 3600 and `forceDetachPolicies` false,
  user and bucket `forceDestroy` false, access key `status` "Active").
- Diff: the changed inputs, and which of them replace, from `braze_s3_tools.plan.replacements` (the Terraform
  schemas' ForceNew attributes, the same table the offline plan uses).
- Create: at preview, the inputs plus every computed output unknown (the bridge plans with the cloud's values
  unknown); at `up`, ids and ARNs as AWS forms them: a bucket's id is its name and its ARN
  `arn:<partition>:s3:::<bucket>`; a role's and a user's id is the name, ARN `arn:<partition>:iam::<account>:
  role<path><name>` (`user<path><name>`); a policy's id is its ARN `arn:<partition>:iam::<account>:policy<path>
  <name>`; an attachment's id `<role or user>-<20 hex>` like Terraform's `id.PrefixedUniqueId`; a bucket
  configuration's id is the bucket name; an SNS topic's id is its ARN `arn:<partition>:sns:<region>:<account>:
  <name>`; an alarm's id is its name. The partition follows the region (aws-cn, aws-us-gov, else aws).
- Read: on refresh, returns the state it is given (no drift); on `import` (no state given), what AWS reads of
  an existing resource of that id with nothing set beyond the schema defaults: a bucket named by the id,
  without Object Lock and without tags (so the import's Diff shows the program's tags as an update, as a
  real untagged bucket would), plus its computed outputs.
- Update: the new inputs over the old outputs; Delete: forgets nothing (there is no cloud).

With an emulator (`BRAZE_S3_STANDIN_ENDPOINT`, `make e2e`): Create, Update, Delete and Read (refresh, `import`)
are real API calls against it — moto's server — through `realcli.aws_backend`, with the ids, ARNs and values the
emulator gives (an access key's `secret` is returned as a secret), and Read answers what the emulator holds (an
import reads the existing bucket's real settings; a refresh sees drift). Preview still makes no call beyond
Read. What moto lacks is said in aws_backend (bucket metrics: outputs only; conditional bucket-policy statements
kept out of moto). Without the variable, nothing below changes: no cloud at all.

What it does NOT model (a test passing here proves nothing about these):
- any call to AWS: credentials, existence, conflicts (a taken bucket name), eventual consistency, quotas;
- the Terraform schemas' validation (lengths, patterns, enums, JSON policy syntax), their conflicts and
  required-with rules, and defaults of types this program does not create; `__defaults`-style bookkeeping;
- values only AWS computes (unique ids, creation dates, access-key secrets): made-up values at `up`, unknown at
  preview; the account id is `BRAZE_S3_STANDIN_ACCOUNT` (default 123456789012), not STS's answer;
- provider configuration: `aws:defaultTags` (not merged into `tagsAll`), `skip*` flags, assume-role, endpoints;
- drift: Read never reports a change; Diff compares inputs only (not outputs against the cloud);
- invokes (`aws.s3.get_bucket`…): answered as unimplemented.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import sys
from concurrent import futures
from typing import Any

import grpc
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import plugin_pb2, provider_pb2, provider_pb2_grpc

from braze_s3_tools.engine.autonaming import AUTONAME  # pulumi-aws's autonamed inputs, one table with the harness
from braze_s3_tools.plan.replacements import replaces
from braze_s3_tools.realcli.aws_backend import BackendError
from braze_s3_tools.realcli.standin_cloud import CloudSide

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # the engine's wire sentinel for an unknown value
SECRET_SIG = "4dabf18193072939515e22adb298388d"  # noqa: S105 - the wire format's marker, no secret
SECRET_VAL = "1b47061264138c4ac30d75fd1eb44270"  # noqa: S105
DEFAULT_ACCOUNT = "123456789012"

DEFAULTS: dict[str, dict[str, Any]] = {
    "aws:iam/role:Role": {"path": "/", "maxSessionDuration": 3600, "forceDetachPolicies": False},
    "aws:iam/user:User": {"path": "/", "forceDestroy": False},
    "aws:iam/policy:Policy": {"path": "/"},
    "aws:iam/accessKey:AccessKey": {"status": "Active"},
    "aws:s3/bucket:Bucket": {"forceDestroy": False},
}
# What an import reads of an existing resource besides its name and the schema defaults: a bucket without
# Object Lock (Terraform reads object_lock_enabled from GetObjectLockConfiguration: false when it has none).
IMPORTED: dict[str, dict[str, Any]] = {"aws:s3/bucket:Bucket": {"objectLockEnabled": False}}
# Outputs only AWS knows, per type: unknown at preview.
COMPUTED: dict[str, tuple[str, ...]] = {
    "aws:iam/role:Role": ("arn", "uniqueId", "createDate", "tagsAll", "id"),
    "aws:iam/user:User": ("arn", "uniqueId", "tagsAll", "id"),
    "aws:iam/policy:Policy": ("arn", "policyId", "attachmentCount", "tagsAll", "id"),
    "aws:iam/accessKey:AccessKey": ("secret", "sesSmtpPasswordV4", "createDate", "encryptedSecret", "id"),
    "aws:s3/bucket:Bucket": (
        "arn",
        "bucketDomainName",
        "bucketRegionalDomainName",
        "hostedZoneId",
        "region",
        "tagsAll",
        "id",
    ),
    "aws:sns/topic:Topic": ("arn", "owner", "tagsAll", "id"),
    "aws:sns/topicSubscription:TopicSubscription": ("arn", "ownerId", "id"),
    "aws:cloudwatch/metricAlarm:MetricAlarm": ("arn", "tagsAll", "id"),
}


def partition(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def _type_of(urn: str) -> str:
    return urn.split("::")[2].rsplit("$", maxsplit=1)[-1]


def _name_of(urn: str) -> str:
    return urn.split("::")[3]


def autoname(name: str, seed: bytes, maxlen: int, lower: bool) -> str:
    """`<name>-<7 hex>` from the engine's random seed (deterministic per seed, not pulumi's frand stream)."""
    digest = hashlib.sha256(seed or secrets.token_bytes(32)).hexdigest()[:7]
    prefix = (name.lower() if lower else name) + "-"
    if len(prefix) + 7 > maxlen:
        raise ValueError(f"name '{prefix}' plus 7 random chars is longer than maximum length {maxlen}")
    return prefix + digest


def _plain(value: Any) -> Any:
    """The value without its secret wrapper (None when unknown)."""
    if isinstance(value, dict) and value.get(SECRET_SIG) == SECRET_VAL:
        return _plain(value.get("value"))
    return None if value == UNKNOWN else value


def _to_dict(struct: struct_pb2.Struct) -> dict[str, Any]:
    return dict(json_format.MessageToDict(struct))


def _to_struct(props: dict[str, Any]) -> struct_pb2.Struct:
    out = struct_pb2.Struct()
    out.update(props)
    return out


class StandInAws(provider_pb2_grpc.ResourceProviderServicer):
    def __init__(self, version: str) -> None:
        self.version = version
        self.region = ""
        self.account = os.environ.get("BRAZE_S3_STANDIN_ACCOUNT", DEFAULT_ACCOUNT)
        # With BRAZE_S3_STANDIN_ENDPOINT set, the resources live in that emulator (realcli.aws_backend).
        self.cloud: CloudSide | None = None

    # --- plugin and provider configuration ---
    def GetPluginInfo(self, request: empty_pb2.Empty, context: grpc.ServicerContext) -> plugin_pb2.PluginInfo:
        return plugin_pb2.PluginInfo(version=self.version)

    def GetSchema(
        self, request: provider_pb2.GetSchemaRequest, context: grpc.ServicerContext
    ) -> provider_pb2.GetSchemaResponse:
        return provider_pb2.GetSchemaResponse(schema='{"name": "aws", "version": "' + self.version + '"}')

    def CheckConfig(
        self, request: provider_pb2.CheckRequest, context: grpc.ServicerContext
    ) -> provider_pb2.CheckResponse:
        return provider_pb2.CheckResponse(inputs=request.news)

    def DiffConfig(self, request: provider_pb2.DiffRequest, context: grpc.ServicerContext) -> provider_pb2.DiffResponse:
        olds, news = _to_dict(request.olds), _to_dict(request.news)
        changed = sorted(k for k in set(olds) | set(news) if olds.get(k) != news.get(k))
        return provider_pb2.DiffResponse(
            changes=provider_pb2.DiffResponse.DIFF_SOME if changed else provider_pb2.DiffResponse.DIFF_NONE,
            diffs=changed,
        )

    def Configure(
        self, request: provider_pb2.ConfigureRequest, context: grpc.ServicerContext
    ) -> provider_pb2.ConfigureResponse:
        args = _to_dict(request.args)
        region = _plain(args.get("region")) or request.variables.get("aws:config:region", "")
        self.region = str(region or os.environ.get("AWS_REGION", ""))
        self.cloud = CloudSide.from_env(self.region)
        return provider_pb2.ConfigureResponse(
            acceptSecrets=True,
            acceptResources=True,
            acceptOutputs=False,
            supportsPreview=True,
            supports_autonaming_configuration=True,
        )

    # --- resources ---
    def Check(self, request: provider_pb2.CheckRequest, context: grpc.ServicerContext) -> provider_pb2.CheckResponse:
        type_ = request.type or _type_of(request.urn)
        news = _to_dict(request.news)
        olds = _to_dict(request.olds)
        for key, default in DEFAULTS.get(type_, {}).items():
            news.setdefault(key, default)
        naming = AUTONAME.get(type_)
        if naming is not None:
            key, prefix_key, maxlen, lower = naming
            if key not in news and (prefix_key is None or prefix_key not in news):
                if key in olds:  # the bridge keeps the old autoname on update
                    news[key] = olds[key]
                else:
                    proposed = request.autonaming.proposed_name if request.HasField("autonaming") else ""
                    name = request.name or _name_of(request.urn)
                    try:
                        news[key] = proposed or autoname(name, request.randomSeed, maxlen, lower)
                    except ValueError as err:
                        return provider_pb2.CheckResponse(
                            inputs=request.news, failures=[provider_pb2.CheckFailure(property=key, reason=str(err))]
                        )
        return provider_pb2.CheckResponse(inputs=_to_struct(news))

    def Diff(self, request: provider_pb2.DiffRequest, context: grpc.ServicerContext) -> provider_pb2.DiffResponse:
        type_ = request.type or _type_of(request.urn)
        olds, news = (
            _to_dict(request.old_inputs if request.HasField("old_inputs") else request.olds),
            _to_dict(request.news),
        )
        ignored = set(request.ignoreChanges)
        changed = {k for k in set(olds) | set(news) if olds.get(k) != news.get(k) and k not in ignored}
        changed.discard("__defaults")
        replacing = replaces(type_, changed)
        detailed = {
            k: provider_pb2.PropertyDiff(
                kind=(
                    (provider_pb2.PropertyDiff.ADD_REPLACE if k in replacing else provider_pb2.PropertyDiff.ADD)
                    if k not in olds
                    else (
                        provider_pb2.PropertyDiff.DELETE_REPLACE if k in replacing else provider_pb2.PropertyDiff.DELETE
                    )
                    if k not in news
                    else (
                        provider_pb2.PropertyDiff.UPDATE_REPLACE if k in replacing else provider_pb2.PropertyDiff.UPDATE
                    )
                ),
                inputDiff=True,
            )
            for k in changed
        }
        return provider_pb2.DiffResponse(
            changes=provider_pb2.DiffResponse.DIFF_SOME if changed else provider_pb2.DiffResponse.DIFF_NONE,
            replaces=sorted(replacing),
            diffs=sorted(changed),
            detailedDiff=detailed,
            hasDetailedDiff=True,
        )

    def Create(self, request: provider_pb2.CreateRequest, context: grpc.ServicerContext) -> provider_pb2.CreateResponse:
        type_ = request.type or _type_of(request.urn)
        props = _to_dict(request.properties)
        if request.preview:
            outputs = {**props, **{k: UNKNOWN for k in COMPUTED.get(type_, ()) if k != "id" and k not in props}}
            return provider_pb2.CreateResponse(id="", properties=_to_struct(outputs))
        if self.cloud is not None:
            try:
                id_, outputs = self.cloud.create(type_, props)
            except BackendError as err:
                context.abort(grpc.StatusCode.UNKNOWN, str(err))
            return provider_pb2.CreateResponse(id=id_, properties=_to_struct(outputs))
        id_, computed = self._made(type_, props)
        return provider_pb2.CreateResponse(id=id_, properties=_to_struct({**props, **computed}))

    def Update(self, request: provider_pb2.UpdateRequest, context: grpc.ServicerContext) -> provider_pb2.UpdateResponse:
        olds, news = _to_dict(request.olds), _to_dict(request.news)
        if self.cloud is not None and not request.preview:
            try:
                outputs = self.cloud.update(request.type or _type_of(request.urn), request.id, olds, news)
            except BackendError as err:
                context.abort(grpc.StatusCode.UNKNOWN, str(err))
            return provider_pb2.UpdateResponse(properties=_to_struct(outputs))
        return provider_pb2.UpdateResponse(properties=_to_struct({**olds, **news}))

    def Read(self, request: provider_pb2.ReadRequest, context: grpc.ServicerContext) -> provider_pb2.ReadResponse:
        type_ = request.type or _type_of(request.urn)
        state = _to_dict(request.properties)
        inputs = _to_dict(request.inputs)
        if self.cloud is not None:  # the emulator's answer: an import reads what exists, a refresh sees drift
            try:
                found = self.cloud.read(type_, request.id, state, inputs)
            except BackendError as err:
                context.abort(grpc.StatusCode.UNKNOWN, str(err))
            if found is None:  # gone: an empty id tells the engine (refresh deletes it, import fails)
                return provider_pb2.ReadResponse(id="")
            return provider_pb2.ReadResponse(
                id=request.id, properties=_to_struct(found[0]), inputs=_to_struct(found[1])
            )
        if not state:  # an import: what AWS would read of an existing resource, with the defaults and no tags
            inputs = {**DEFAULTS.get(type_, {}), **IMPORTED.get(type_, {})}
            key = AUTONAME.get(type_, ("", None, 0, False))[0]
            if key:
                inputs[key] = request.id
            _, computed = self._made(type_, inputs, request.id)
            state = {**inputs, **computed}
        return provider_pb2.ReadResponse(
            id=request.id, properties=_to_struct(state), inputs=_to_struct(inputs or state)
        )

    def Delete(self, request: provider_pb2.DeleteRequest, context: grpc.ServicerContext) -> empty_pb2.Empty:
        if self.cloud is not None:
            try:
                self.cloud.delete(request.type or _type_of(request.urn), request.id, _to_dict(request.properties))
            except BackendError as err:
                context.abort(grpc.StatusCode.UNKNOWN, str(err))
        return empty_pb2.Empty()

    def Invoke(self, request: provider_pb2.InvokeRequest, context: grpc.ServicerContext) -> provider_pb2.InvokeResponse:
        context.abort(grpc.StatusCode.UNIMPLEMENTED, f"the stand-in aws provider does not model {request.tok}")
        raise AssertionError  # abort raises

    # --- what AWS would compute at `up` ---
    def _made(self, type_: str, props: dict[str, Any], given_id: str = "") -> tuple[str, dict[str, Any]]:
        part, acct, region = partition(self.region), self.account, self.region
        name = str(_plain(props.get("name")) or "")
        path = str(_plain(props.get("path")) or "/")
        hexid = secrets.token_hex(10)
        out: dict[str, Any] = {}
        if type_ == "aws:s3/bucket:Bucket":
            bucket = str(_plain(props.get("bucket")) or given_id)
            out = {
                "arn": f"arn:{part}:s3:::{bucket}",
                "bucketDomainName": f"{bucket}.s3.amazonaws.com",
                "bucketRegionalDomainName": f"{bucket}.s3.{region}.amazonaws.com",
                "region": region,
            }
            return given_id or bucket, out
        if type_ in ("aws:iam/role:Role", "aws:iam/user:User"):
            kind = "role" if type_.endswith("Role") else "user"
            out = {"arn": f"arn:{part}:iam::{acct}:{kind}{path}{name}", "uniqueId": "AROA" + hexid.upper()[:17]}
            return given_id or name, out
        if type_ == "aws:iam/policy:Policy":
            arn = f"arn:{part}:iam::{acct}:policy{path}{name}"
            return given_id or arn, {"arn": arn, "policyId": "ANPA" + hexid.upper()[:17]}
        if type_ == "aws:iam/accessKey:AccessKey":
            return given_id or "AKIA" + hexid.upper()[:16], {
                "secret": {SECRET_SIG: SECRET_VAL, "value": secrets.token_hex(20)}
            }
        if type_ in (
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
            "aws:iam/userPolicyAttachment:UserPolicyAttachment",
        ):
            who = _plain(props.get("role")) or _plain(props.get("user")) or "attachment"
            return given_id or f"{who}-{hexid}", out
        if type_ == "aws:sns/topic:Topic":
            arn = f"arn:{part}:sns:{region}:{acct}:{name}"
            return given_id or arn, {"arn": arn, "owner": acct}
        if type_ == "aws:cloudwatch/metricAlarm:MetricAlarm":
            return given_id or name, {"arn": f"arn:{part}:cloudwatch:{region}:{acct}:alarm:{name}"}
        if type_.startswith("aws:s3/bucket"):  # bucket configuration resources: id = the bucket's name
            return given_id or str(_plain(props.get("bucket")) or hexid), out
        return given_id or hexid, out


def serve(version: str) -> None:
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(StandInAws(version), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    sys.stdout.write(f"{port}\n")
    sys.stdout.flush()
    try:
        server.wait_for_termination()
    except KeyboardInterrupt:  # the engine ends its plugins with SIGINT when the operation is done
        server.stop(grace=None)


def main(argv: list[str]) -> int:
    from importlib.metadata import version  # noqa: PLC0415 - only the plugin process needs it

    # The engine starts a plugin as `<plugin> <engine address> [flags]`; the address is not used here.
    del argv
    serve(version("pulumi_aws"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
