"""`make plan`: what it prints for people and for machines, and its exit status."""

from __future__ import annotations

import json

import pytest

from braze_s3_tools.plan import command as plan


def test_text_plan_shows_tree_documents_and_braze_form(capsys: pytest.CaptureFixture[str]) -> None:
    assert plan.main(["--stack", "dev", "--no-policy"]) == plan.EXIT_OK
    out = capsys.readouterr().out
    assert "Resources (21):" in out
    assert "└─ braze-s3:index:BrazeS3  braze-s3" in out
    assert "└─ braze:s3:CurrentsConnector  currents-main" in out
    assert "└─ aws:s3/bucket:Bucket  braze-bucket  [retainOnDelete]" in out
    assert '"Resource": "arn:aws:s3:::acme-braze-dev/currents-marketing/*"' in out
    assert '"sts:ExternalId": "6f1c2b9e-3f7d-4c55-9a38-1b2d7c0e4a11"' in out
    assert 'Currents connector "main": Braze > Partner Integrations > Data Export' in out
    assert "Folder Path                             currents-marketing" in out
    assert "AES-256 server-side encryption at rest  ON" in out
    assert "AWS Secret Access Key                   [secret]" in out


def test_prod_plan_marks_the_bucket_protected(capsys: pytest.CaptureFixture[str]) -> None:
    assert plan.main(["--stack", "prod", "--no-policy"]) == plan.EXIT_OK
    assert "aws:s3/bucket:Bucket  braze-bucket  [protect, retainOnDelete]" in capsys.readouterr().out


def test_json_plan_is_one_document_with_resources_documents_and_forms(capsys: pytest.CaptureFixture[str]) -> None:
    assert plan.main(["--stack", "dev", "--json", "--no-policy"]) == plan.EXIT_OK
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is True
    assert len(data["resources"]) == 21
    bucket = next(r for r in data["resources"] if r["type"] == "aws:s3/bucket:Bucket")
    assert (bucket["parent"], bucket["protect"]) == ("braze-bucket", False)
    docs = {d["resource"]: d["document"] for d in data["documents"]}
    assert docs["dashboard-export-policy"]["Statement"][1]["Action"] == [
        "s3:PutObject",
        "s3:GetObject",
        "s3:DeleteObject",
    ]
    key = data["outputs"]["currents"]["marketing"]["accessKeys"]["2026-11"]
    assert key["secretOutput"] == "secretAccessKey-currents-marketing-2026-11"
    # Unknown in a preview; pulumi < 3.2xx reports an unknown secret as unknown, newer ones as secret.
    assert data["outputs"]["secretAccessKey-currents-marketing-2026-11"] in ({"secret": True}, {"unknown": True})
    assert data["outputs"]["currents"]["main"]["roleArn"] == {"unknown": True}
    forms = {f["title"]: f["fields"] for f in data["brazeForms"]}
    assert forms['Currents connector "main"']["Folder Path"] == "currents"


def test_bad_config_exits_2_with_the_named_key(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    from braze_s3_tools.engine.stack_files import PROJECT_ROOT

    for name in ("Pulumi.yaml", "__main__.py"):
        (tmp_path / name).write_text((PROJECT_ROOT / name).read_text())
    (tmp_path / "Pulumi.broken.yaml").write_text("config:\n  braze-s3:bucket:\n    name: Not.Valid\n")
    assert plan.main(["--stack", "broken", "--no-policy"], root=tmp_path) == plan.EXIT_CONFIG
    captured = capsys.readouterr()
    assert 'braze-s3:bucket.name: "Not.Valid" contains a dot' in captured.err
    assert "Traceback" not in captured.err


def test_missing_stack_file_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert plan.main(["--stack", "nosuchstack"]) == plan.EXIT_CONFIG
    assert "Pulumi.nosuchstack.yaml: no such file" in capsys.readouterr().err


def test_an_unreadable_policy_config_exits_3_with_the_reason(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "config.json"
    bad.write_text('{"braze-no-object-lock": {"enforcementLevel": "sometimes"}}')
    assert plan.main(["--stack", "dev", "--policy-config", str(bad)]) == plan.EXIT_PACK
    assert '"sometimes" is not a valid enforcement level' in capsys.readouterr().err


@pytest.mark.parametrize(
    ("config", "words"),
    [
        ({"braze-no-object-lock": {"brazeAccountIds": ["12345"]}}, "does not match"),
        ({"braze-no-object-lock": {"brazeAccountIds": "716373062512"}}, "is not of type 'array'"),
        ({"braze-no-object-lock": 3}, "must be a string or object"),
    ],
)
def test_a_pack_config_the_cli_would_refuse_exits_3(
    tmp_path, capsys: pytest.CaptureFixture[str], config, words
) -> None:  # type: ignore[no-untyped-def]
    """The CLI validates each policy's properties against its config schema before Configure."""
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config))
    assert plan.main(["--stack", "dev", "--policy-config", str(path)]) == plan.EXIT_PACK
    assert words in capsys.readouterr().err


def test_plan_with_the_pack_reports_the_verdict(capsys: pytest.CaptureFixture[str]) -> None:
    assert plan.main(["--stack", "dev"]) == plan.EXIT_OK
    out = capsys.readouterr().out
    assert "Policy pack braze-s3@1.5.0: 17 policies" in out
    assert "[advisory] braze-bucket-protected  braze-bucket" in out
    assert "Policy verdict: passed: no mandatory violation (0 mandatory, 2 advisory)" in out


def test_production_policy_config_blocks_an_unprotected_bucket(capsys: pytest.CaptureFixture[str]) -> None:
    from braze_s3_tools.engine.stack_files import PROJECT_ROOT

    config = PROJECT_ROOT / "policypack" / "config" / "production.json"
    assert plan.main(["--stack", "dev", "--policy-config", str(config), "--json"]) == plan.EXIT_VIOLATION
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False
    assert [(d["policy"], d["level"]) for d in data["policy"]["diagnostics"] if d["level"] == "mandatory"] == [
        ("braze-bucket-protected", "mandatory")
    ]


def test_an_encrypted_value_is_announced_and_never_shown(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    """A Pulumi Cloud-encrypted value cannot be opened here: stand-in, note, no ciphertext, no exit 2."""
    from braze_s3_tools.engine.stack_files import PROJECT_ROOT

    for name in ("Pulumi.yaml", "__main__.py"):
        (tmp_path / name).write_text((PROJECT_ROOT / name).read_text())
    (tmp_path / "Pulumi.enc.yaml").write_text(
        "config:\n  braze-s3:brazeAccountId:\n    secure: v1:c2VjcmV0\n  braze-s3:bucket:\n    name: enc-bucket\n"
        "  braze-s3:dashboardExport:\n    externalIds: [0b8a7d52-94e1-4f0c-bb6e-2c3d4e5f6a70]\n"
    )
    assert plan.main(["--stack", "enc", "--no-policy"], root=tmp_path) == plan.EXIT_OK
    captured = capsys.readouterr()
    assert "braze-s3:brazeAccountId hold encrypted (secure:) values" in captured.err
    assert "not decrypted" in captured.err and "real `pulumi preview`" in captured.err
    assert "c2VjcmV0" not in captured.out + captured.err
    assert "000000000000" not in captured.out, "a stand-in must never be shown as a value"
