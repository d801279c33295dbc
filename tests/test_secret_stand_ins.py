"""Without the passphrase, the plan never refuses a config the CLI accepts (with it): each secret stands in validly.

The pull-request workflow plans every stack with no passphrase. A secure value then gets a stand-in
of its key's declared type *and format* (an ARN in the stack's partition and region, an e-mail
address, a UUID external id, an account the pack knows as Braze's): a stand-in the program or the
pack refused would turn a valid stack red for having a secret.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from braze_s3_tools.engine.stack_files import PROJECT_ROOT, load_stack_config
from braze_s3_tools.plan import command as plan
from tests import cli_secrets

pytestmark = pytest.mark.slow

# Every secure value below was written by the real `pulumi config set --secret --path` (tests/data/cli-secrets,
# tests/cli_secrets.py): one file where every leaf of STACK is secret, each test taking one leaf's ciphertext.
SECRETS = "all-secret"
STACK: dict[str, Any] = cli_secrets.FULL_STACK
SECRET_LEAVES = [leaf for leaf in cli_secrets.leaves(STACK) if leaf[0] != "aws:region"]


def _with_secret(leaf: tuple[Any, ...]) -> dict[str, Any]:
    """STACK with one leaf replaced by the ciphertext the CLI wrote for it."""
    config = json.loads(json.dumps(STACK))
    holder = config
    for step in leaf[:-1]:
        holder = holder[step]
    holder[leaf[-1]] = {"secure": cli_secrets.ciphertext(SECRETS, leaf)}
    return config


def _project(tmp_path: Path, config: dict[str, Any]) -> Path:
    (tmp_path / "Pulumi.yaml").write_text((PROJECT_ROOT / "Pulumi.yaml").read_text())
    (tmp_path / "__main__.py").write_text((PROJECT_ROOT / "__main__.py").read_text())
    (tmp_path / "policypack").symlink_to(PROJECT_ROOT / "policypack")
    salt = cli_secrets.salt(SECRETS)
    (tmp_path / "Pulumi.t.yaml").write_text(yaml.safe_dump({"encryptionsalt": salt, "config": config}))
    return tmp_path


@pytest.fixture
def no_passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PULUMI_CONFIG_PASSPHRASE", raising=False)
    monkeypatch.delenv("PULUMI_CONFIG_PASSPHRASE_FILE", raising=False)


def _mandatory(document: dict[str, Any]) -> list[str]:
    return [f"{d['policy']}: {d['message']}" for d in document["policy"]["diagnostics"] if d["level"] == "mandatory"]


def _plan(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, dict[str, Any], str]:
    status = plan.main(["--stack", "t", "--json", *extra], root=root)
    captured = capsys.readouterr()
    return status, (json.loads(captured.out) if captured.out.strip() else {}), captured.err


def test_the_stack_is_valid_as_it_stands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_passphrase: None
) -> None:
    status, _, err = _plan(_project(tmp_path, STACK), capsys)
    assert status == plan.EXIT_OK, err


@pytest.mark.parametrize("leaf", SECRET_LEAVES, ids=lambda leaf: ".".join(map(str, leaf)))
def test_any_one_secret_value_without_the_passphrase_plans_clean(
    leaf: tuple[Any, ...],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    no_passphrase: None,
) -> None:
    status, document, err = _plan(_project(tmp_path, _with_secret(leaf)), capsys)
    assert status == plan.EXIT_OK, (
        f"a secret {'.'.join(map(str, leaf))} made the plan fail without the passphrase:\n{err}"
    )
    assert "1 encrypted value(s) not decrypted" in err
    assert document["policy"]["blocking"] is False, _mandatory(document)


def test_a_secret_braze_account_stands_in_as_the_pack_configs_braze_account(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_passphrase: None
) -> None:
    """An organisation whose pack config lists its own Braze account: the stand-in is that account."""
    policy_config = tmp_path / "policy.json"
    production = json.loads((PROJECT_ROOT / "policypack" / "config" / "production.json").read_text())
    for entry in production.values():
        if isinstance(entry, dict) and "brazeAccountIds" in entry:
            entry["brazeAccountIds"] = ["210987654321"]
    policy_config.write_text(json.dumps(production))
    (tmp_path / "p").mkdir()
    root = _project(tmp_path / "p", _with_secret(("braze-s3:brazeAccountId",)))
    status, document, _ = _plan(root, capsys, "--policy-config", str(policy_config))
    assert status == plan.EXIT_OK, _mandatory(document)
    assert document["policy"]["blocking"] is False, _mandatory(document)


def test_stand_ins_are_in_the_stacks_partition_and_region(tmp_path: Path, no_passphrase: None) -> None:
    config = _with_secret(("braze-s3:buckets", "exports", "kmsKeyArn"))
    config["aws:region"] = "cn-north-1"
    loaded = load_stack_config("t", _project(tmp_path, config))
    kms = json.loads(loaded.values["braze-s3:buckets"])["exports"]["kmsKeyArn"]
    assert kms.startswith("arn:aws-cn:kms:cn-north-1:"), kms
