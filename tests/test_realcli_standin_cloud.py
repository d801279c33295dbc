"""Between the stand-in's gRPC methods and moto: secrets stay secret, the backend sees plain values."""

from __future__ import annotations

from typing import Any

import pytest

from braze_s3_tools.emulator.server import MotoServer
from braze_s3_tools.realcli.standin_cloud import CloudSide, holds_secret, plain, secret

pytestmark = pytest.mark.slow


def test_plain_and_holds_secret_at_any_depth() -> None:
    value: dict[str, Any] = {"rules": [{"filter": secret({"prefix": "currents/"})}], "bucket": "b"}
    assert plain(value) == {"rules": [{"filter": {"prefix": "currents/"}}], "bucket": "b"}
    assert holds_secret(value["rules"]) and not holds_secret(value["bucket"])


def test_no_endpoint_no_cloud(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BRAZE_S3_STANDIN_ENDPOINT", raising=False)
    assert CloudSide.from_env("eu-west-1") is None


def test_secret_inputs_and_the_access_key_secret_come_back_secret(
    moto: MotoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRAZE_S3_STANDIN_ENDPOINT", moto.url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "bootstrap")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "bootstrap")
    cloud = CloudSide.from_env("eu-west-1")
    assert cloud is not None
    bucket_id, bucket = cloud.create("aws:s3/bucket:Bucket", {"bucket": secret("acme-braze-secret-name"), "tags": {}})
    assert bucket_id == "acme-braze-secret-name"
    assert bucket["bucket"] == secret("acme-braze-secret-name"), "an output from a secret input stays secret"
    assert bucket["arn"] == "arn:aws:s3:::acme-braze-secret-name", "only the keys whose input was secret are wrapped"
    _, user = cloud.create("aws:iam/user:User", {"name": "standin-cloud-user", "path": "/", "tags": {}})
    key_id, key = cloud.create("aws:iam/accessKey:AccessKey", {"user": user["name"], "status": "Active"})
    assert holds_secret(key["secret"]) and not holds_secret(key["id"]), "pulumi-aws marks an access key's secret"
    found = cloud.read("aws:iam/accessKey:AccessKey", key_id, key, {"user": user["name"], "status": "Active"})
    assert found is not None and found[0]["secret"] == key["secret"]
    assert found[1] == {"user": user["name"], "status": "Active"}
