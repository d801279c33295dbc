"""`plan --against`: each config change is committed in a temporary git repository and planned
against its parent, as a pull request is planned against its base branch."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from braze_s3_tools.plan import command as plan
from tests.helpers import PROGRAM_FILES, copy_program

pytestmark = pytest.mark.slow


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project as it is now, committed once."""
    root = copy_program(tmp_path_factory.mktemp("repo"), (*PROGRAM_FILES, "Pulumi.dev.yaml"))
    _git(root, "init", "-q", "-b", "main")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.com", "add", "-A")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "base")
    return root


def _against_parent(
    repo: Path, edit: Callable[[str], str], capsys: pytest.CaptureFixture[str], *flags: str
) -> dict[str, Any]:
    """Commit an edit of Pulumi.dev.yaml, plan against its parent, then undo the commit."""
    stack_file = repo / "Pulumi.dev.yaml"
    original = stack_file.read_text()
    edited = edit(original)
    assert edited != original, "the edit must change the stack file"
    stack_file.write_text(edited)
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-am", "change")
    try:
        capsys.readouterr()
        code = plan.main(["--stack", "dev", "--against", "HEAD~1", "--json", "--no-policy", *flags], root=repo)
        out = capsys.readouterr().out
        assert code in (0, 1), out
        result: dict[str, Any] = json.loads(out)
        return result
    finally:
        _git(repo, "reset", "-q", "--hard", "HEAD~1")


def _ops(result: dict[str, Any]) -> dict[str, str]:
    return {c["name"]: c["op"] for c in result["changes"] if c["op"] != "same"}


def _codes(result: dict[str, Any]) -> list[tuple[str, str]]:
    return sorted((r["code"], r["urn"].rsplit("::", 1)[-1]) for r in result["risks"])


def test_no_change_plans_every_resource_same(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = _against_parent(repo, lambda text: text + "\n# a comment\n", capsys)
    assert _ops(result) == {} and result["risks"] == []
    assert {c["op"] for c in result["changes"]} == {"same"}


def test_a_folder_change_updates_only_the_policy_and_keeps_credentials(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = _against_parent(repo, lambda t: t.replace("folderPath: currents\n", "folderPath: events\n"), capsys)
    ops = _ops(result)
    assert ops["currents-main-policy"] == "update"
    assert "currents-main-role" not in ops  # the credentials Braze holds stay
    policy = next(c for c in result["changes"] if c["name"] == "currents-main-policy")
    changed = policy["diff"]["policy"]["statements"]["changed"]
    assert changed["BrazeCurrentsObjects"]["new"]["Resource"] == "arn:aws:s3:::acme-braze-dev/events/*"
    codes = _codes(result)
    assert ("BRAZE_FORM_CHANGED", "") in codes  # the Folder Path must be re-typed into Braze
    assert not any(code.startswith("CREDENTIAL") for code, _ in codes)


def test_an_iam_path_change_replaces_roles_with_a_credential_risk(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = _against_parent(
        repo,
        lambda t: t.replace(
            '  braze-s3:brazeAccountId: "716373062512"\n',
            '  braze-s3:brazeAccountId: "716373062512"\n  braze-s3:iamPath: /braze-v2/\n',
        ),
        capsys,
    )
    ops = _ops(result)
    assert ops["currents-main-role"] == "replace" and ops["dashboard-export-role"] == "replace"
    assert ops["currents-marketing-user"] == "update"  # IAM renames a user's path in place
    assert ops["currents-main-attachment"] == "replace"  # it names the replaced role
    role = next(c for c in result["changes"] if c["name"] == "currents-main-role")
    assert role["replaceKeys"] == ["path"] and role["diff"]["path"] == {"old": "/braze/", "new": "/braze-v2/"}
    assert ("CREDENTIAL_REPLACED", "currents-main-role") in _codes(result)
    assert ("CREDENTIAL_REPLACED", "dashboard-export-role") in _codes(result)


def test_adding_a_key_generation_creates_it_without_risk_to_the_held_key(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = _against_parent(
        repo, lambda t: t.replace('accessKeys: ["2026-11"]', 'accessKeys: ["2026-11", "2026-12"]'), capsys
    )
    assert _ops(result)["currents-marketing-key-2026-12"] == "create"
    assert not any(code in ("ACTIVE_KEY_REMOVED", "CREDENTIAL_DELETED") for code, _ in _codes(result))
    assert ("BRAZE_FORM_CHANGED", "") in _codes(result)  # the active generation moves to 2026-12


def test_swapping_the_only_key_generation_deletes_the_key_braze_holds(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = _against_parent(repo, lambda t: t.replace('accessKeys: ["2026-11"]', 'accessKeys: ["2026-12"]'), capsys)
    ops = _ops(result)
    assert ops["currents-marketing-key-2026-11"] == "delete" and ops["currents-marketing-key-2026-12"] == "create"
    assert ("ACTIVE_KEY_REMOVED", "currents-marketing-key-2026-11") in _codes(result)


def test_a_shorter_expiry_is_a_lifecycle_risk(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = _against_parent(repo, lambda t: t.replace("expirationDays: 90", "expirationDays: 1"), capsys)
    assert _ops(result)["braze-bucket-lifecycle"] == "update"
    risk = next(r for r in result["risks"] if r["code"] == "LIFECYCLE_SOONER")
    assert "expiration after 1 days (was 90 days)" in risk["message"]


def test_expiring_the_whole_bucket_touches_exports(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = _against_parent(
        repo, lambda t: t.replace("    lifecycle: {}", "    lifecycle:\n      expireAllObjectsDays: 30"), capsys
    )
    assert ("LIFECYCLE_TOUCHES_EXPORTS", "braze-bucket-lifecycle") in _codes(result)


def test_a_new_bucket_name_replaces_the_bucket(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = _against_parent(repo, lambda t: t.replace("name: acme-braze-dev", "name: acme-braze-dev2"), capsys)
    ops = _ops(result)
    assert ops["braze-bucket"] == "replace"
    assert ops["braze-bucket-public-access"] == "replace"  # its bucket input names the bucket
    assert ("BUCKET_REPLACED", "braze-bucket") in _codes(result)


def test_losing_protection_is_a_risk(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = _against_parent(
        repo, lambda t: t.replace("    lifecycle: {}", "    lifecycle: {}\n    retainOnDelete: false"), capsys
    )
    assert ("PROTECTION_LOST", "braze-bucket") in _codes(result)


def test_removing_a_connector_deletes_its_role_with_a_risk(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def drop_marketing(text: str) -> str:
        start = text.index("    - name: marketing")
        end = text.index("  braze-s3:dashboardExport:")
        return text[:start] + text[end:]

    result = _against_parent(repo, drop_marketing, capsys)
    ops = _ops(result)
    assert ops["currents-marketing-user"] == "delete" and ops["currents-marketing"] == "delete"
    assert ("CREDENTIAL_DELETED", "currents-marketing-user") in _codes(result)


def test_a_pack_verdict_that_gets_worse_is_a_risk(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The pack runs on both sides: under the production pack config an unprotected bucket blocks."""
    stack_file = repo / "Pulumi.dev.yaml"
    original = stack_file.read_text()
    git = ("-c", "user.name=t", "-c", "user.email=t@example.com")
    stack_file.write_text(original.replace("protect: false", "protect: true"))
    _git(repo, *git, "commit", "-q", "-am", "protected")
    stack_file.write_text(original)
    _git(repo, *git, "commit", "-q", "-am", "unprotected")
    production = str(repo / "policypack" / "config" / "production.json")
    try:
        capsys.readouterr()
        code = plan.main(["--stack", "dev", "--against", "HEAD~1", "--json", "--policy-config", production], root=repo)
        result = json.loads(capsys.readouterr().out)
    finally:
        _git(repo, "reset", "-q", "--hard", "HEAD~2")
    assert code == 1
    assert ("PACK_VERDICT_WORSE", "") in _codes(result)
    assert any("braze-bucket-protected" in r["message"] for r in result["risks"])


def test_a_saved_plan_is_a_baseline_too(repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert plan.main(["--stack", "dev", "--json", "--no-policy"], root=repo) == 0
    saved = tmp_path / "base.json"
    saved.write_text(capsys.readouterr().out)
    assert plan.main(["--stack", "dev", "--against", str(saved), "--json", "--no-policy"], root=repo) == 0
    result = json.loads(capsys.readouterr().out)
    assert {c["op"] for c in result["changes"]} == {"same"}


def test_the_text_and_markdown_renderings_name_risks_first(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stack_file = repo / "Pulumi.dev.yaml"
    stack_file.write_text(stack_file.read_text().replace('accessKeys: ["2026-11"]', 'accessKeys: ["2026-12"]'))
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-am", "swap")
    try:
        capsys.readouterr()
        plan.main(["--stack", "dev", "--against", "HEAD~1", "--no-policy"], root=repo)
        text = capsys.readouterr().out
        plan.main(["--stack", "dev", "--against", "HEAD~1", "--no-policy", "--markdown"], root=repo)
        markdown = capsys.readouterr().out
    finally:
        _git(repo, "reset", "-q", "--hard", "HEAD~1")
    assert text.startswith("Changes against HEAD~1") and "1 to create" in text and "1 to delete" in text
    assert text.index("[ACTIVE_KEY_REMOVED]") < text.index("Changes (+ create")
    assert "  -  aws:iam/accessKey:AccessKey  currents-marketing-key-2026-11" in text
    assert "| `ACTIVE_KEY_REMOVED` |" in markdown and "```diff" in markdown


def test_a_ref_that_does_not_exist_is_a_clear_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert plan.main(["--stack", "dev", "--against", "no-such-ref", "--no-policy"], root=repo) == plan.EXIT_CONFIG
    assert "error: --against no-such-ref" in capsys.readouterr().err


def test_a_secret_is_compared_by_a_keyed_digest_and_never_written(monkeypatch: pytest.MonkeyPatch) -> None:
    from braze_s3_tools.engine.harness import Secret

    monkeypatch.setenv("BRAZE_PLAN_DIGEST_KEY", "k1")
    first, same, other = (plan.json_value(Secret(v)) for v in ("currents-eu", "currents-eu", "currents-us"))
    assert first == same and first != other and "currents" not in json.dumps([first, other])
    monkeypatch.setenv("BRAZE_PLAN_DIGEST_KEY", "k2")
    assert plan.json_value(Secret("currents-eu")) != first  # another comparison, another key
    monkeypatch.delenv("BRAZE_PLAN_DIGEST_KEY")
    assert plan.json_value(Secret("currents-eu")) == {"secret": True}


def test_a_baseline_older_than_against_plans_anyway_and_says_it_did_not_compare(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The first pull request after `--against` lands compares with a base whose plans have no inputs:
    the job must still plan (and block on the pack), not fail on the comparison."""
    old = tmp_path / "old.json"
    old.write_text(json.dumps({"stack": "dev", "resources": [{"urn": "u", "type": "t", "name": "n"}]}))
    capsys.readouterr()
    assert plan.main(["--stack", "dev", "--against", str(old), "--no-policy", "--markdown"], root=repo) == 0
    captured = capsys.readouterr()
    assert "Not compared with" in captured.out and "predates `plan --against`" in captured.err
