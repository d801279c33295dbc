"""What every part of the stand-in's cloud side shares: the emulator context and value conversions.

The stand-in `aws` provider (`realcli.provider`) is a test double of AWS; with an emulator endpoint set its
resources live in that emulator (moto), reached through boto3 (`realcli.aws_backend`). Values arrive as the
engine sends them over gRPC — plain JSON, every number a double — and leave in pulumi-aws's camelCase shapes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from braze_s3_tools.plan.diff import parsed_document
from components.naming import partition_of

# The stand-in's own variable: the emulator its resources live in (see aws_backend's docstring for why not
# `aws:endpoints`). Unset: the stand-in keeps its no-cloud behaviour.
ENDPOINT_ENV = "BRAZE_S3_STANDIN_ENDPOINT"


class BackendError(RuntimeError):
    """An emulator call failed; the message names the resource, the call and the emulator's error code."""


@dataclass
class Ctx:
    """One emulator and one region; boto3 clients made once each, with the standard credential chain."""

    endpoint: str
    region: str
    _clients: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def partition(self) -> str:
        return partition_of(self.region)

    def client(self, service: str) -> Any:
        if service not in self._clients:
            self._clients[service] = boto3.session.Session().client(
                service,
                endpoint_url=self.endpoint,
                region_name=self.region or "us-east-1",
                config=Config(retries={"max_attempts": 3, "mode": "standard"}),
            )
        return self._clients[service]


def ctx_from_env(region: str) -> Ctx | None:
    endpoint = os.environ.get(ENDPOINT_ENV, "").strip()
    return Ctx(endpoint, region) if endpoint else None


def code(error: Exception) -> str:
    if isinstance(error, ClientError):
        return str(
            error.response.get("Error", {}).get("Code")
            or error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        )
    return type(error).__name__


def ints(value: Any) -> Any:
    """protobuf Structs carry every number as a double; the AWS APIs want integers where they are whole."""
    if isinstance(value, dict):
        return {k: ints(v) for k, v in value.items()}
    if isinstance(value, list):
        return [ints(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# camelCase (pulumi-aws) <-> PascalCase (the S3 API) for the nested configuration shapes.
_TO_AWS = {"id": "ID", "sseAlgorithm": "SSEAlgorithm", "kmsMasterKeyId": "KMSMasterKeyID"}
_FROM_AWS = {v: k for k, v in _TO_AWS.items()}


def to_aws(value: Any) -> Any:
    if isinstance(value, dict):
        return {_TO_AWS.get(k, k[:1].upper() + k[1:]): to_aws(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_aws(v) for v in value]
    return ints(value)


def from_aws(value: Any) -> Any:
    if isinstance(value, dict):
        return {_FROM_AWS.get(k, k[:1].lower() + k[1:]): from_aws(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_aws(v) for v in value]
    return value


def aws_tags(tags: Any) -> list[dict[str, str]]:
    return [{"Key": str(k), "Value": str(v)} for k, v in sorted((tags or {}).items())]


def tags_of(tag_list: Any) -> dict[str, str]:
    return {str(t["Key"]): str(t["Value"]) for t in tag_list or []}


def document(value: Any) -> Any:
    """A policy document as data (AWS returns some as JSON text, boto3 decodes others)."""
    return parsed_document(value)


def or_none_when_gone(call: Callable[[], Any], gone: frozenset[str]) -> Any:
    """The call's answer, or None when the emulator answers one of the service's not-found codes."""
    try:
        return call()
    except ClientError as error:
        if code(error) in gone:
            return None
        raise


def same(a: Any, b: Any) -> bool:
    """Equal as AWS compares them: documents by content, whole doubles as integers, no tags as empty tags, and
    inside a structure an absent field as its default (AWS answers `BucketKeyEnabled: false` unasked)."""
    a, b = normalised(a), normalised(b)
    return bool(a == b)


def normalised(value: Any) -> Any:
    value = document(value)
    if isinstance(value, dict):
        return {k: normalised(v) for k, v in value.items() if v is not False and v not in (None, {}, [])}
    if isinstance(value, list):
        return [normalised(v) for v in value]
    return ints(value)


def keep_equivalent(old: Any, new: Any) -> Any:
    """The old value when AWS's new one means the same (as the Terraform provider keeps a config's JSON)."""
    return old if old is not None and same(old, new) else new


def document_text(value: Any) -> str:
    """A document as pulumi-aws outputs it: JSON text."""
    return value if isinstance(value, str) else json.dumps(value)
