"""The stack config as the Pulumi CLI reads it: declarations, required keys, types, YAML, secrets.

Each rule follows the CLI's source (cited in braze_s3_tools/engine/stack_files.py and go_yaml.py); each
test would fail if the offline path were looser or stricter than the CLI on that rule.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from braze_s3_tools.engine import go_yaml
from braze_s3_tools.engine.config_secrets import PassphraseCrypter, SecretsError
from braze_s3_tools.engine.harness import Secret, run_program, strip_markers
from braze_s3_tools.engine.stack_files import PROJECT_ROOT, StackFileError, load_stack_config, project_declarations
from braze_s3_tools.plan import command as plan
from components.config import docs as config_docs
from tests import cli_secrets

EXTERNAL_ID = cli_secrets.EXTERNAL_ID


def project_dir(tmp_path: Path, stack_yaml: str, stack: str = "t", pulumi_yaml: str | None = None) -> Path:
    (tmp_path / "Pulumi.yaml").write_text(pulumi_yaml or (PROJECT_ROOT / "Pulumi.yaml").read_text())
    (tmp_path / "__main__.py").write_text((PROJECT_ROOT / "__main__.py").read_text())
    (tmp_path / f"Pulumi.{stack}.yaml").write_text(stack_yaml)
    return tmp_path


# -- one table -------------------------------------------------------------------------------


def test_pulumi_yaml_declares_exactly_what_the_config_table_says() -> None:
    declared = yaml.safe_load((PROJECT_ROOT / "Pulumi.yaml").read_text())["config"]
    assert declared == config_docs.pulumi_yaml_declarations(), (
        "Pulumi.yaml's config block drifted from components/config/schema.py: regenerate it (make docs)"
    )


def test_docs_config_reference_is_generated_from_the_table() -> None:
    assert (PROJECT_ROOT / "docs" / "config.md").read_text() == config_docs.config_reference(), (
        "docs/config.md drifted from components/config/schema.py: run make docs"
    )


def test_every_top_level_key_is_declared_with_a_type() -> None:
    for name, declaration in config_docs.pulumi_yaml_declarations().items():
        assert "type" in declaration and declaration["description"], name
        assert declaration["type"] != "array" or "items" in declaration, name


def test_only_the_bucket_is_required_by_the_cli() -> None:
    _, declarations = project_declarations(yaml.safe_load((PROJECT_ROOT / "Pulumi.yaml").read_text()))
    required = {k for k, d in declarations.items() if d.get("default") is None and d.get("value") is None}
    assert required == {"braze-s3:bucket"}


# -- the CLI's merge: required keys, defaults, types ------------------------------------------------


def test_an_access_key_only_stack_passes_the_cli_required_key_rule(tmp_path: Path) -> None:
    """No brazeAccountId at all: the CLI must not call it missing, and the program must accept it."""
    root = project_dir(
        tmp_path,
        "config:\n  aws:region: eu-west-1\n  braze-s3:bucket:\n    name: acme-keys-only\n"
        "  braze-s3:currents:\n    - name: main\n      auth: accessKey\n      accessKeys: ['2026-11']\n",
    )
    config = load_stack_config("t", root)
    assert config.values["braze-s3:brazeAccountId"] == ""
    assert config.values["braze-s3:dashboardExport"] == "{}"
    run = run_program("t", root=root, config=config)
    assert run.error is None, run.error
    assert "dashboardExport" not in run.outputs, "the declared default {} means: no dashboard export"


def test_a_missing_required_key_is_refused_as_the_cli_words_it(tmp_path: Path) -> None:
    root = project_dir(tmp_path, "config:\n  aws:region: eu-west-1\n")
    with pytest.raises(StackFileError, match=r"Stack 't' is missing configuration value 'bucket'"):
        load_stack_config("t", root)


def test_a_declared_key_without_default_is_required_on_every_stack(tmp_path: Path) -> None:
    """The rule that broke access-key-only stacks when brazeAccountId had a type and no default."""
    pulumi_yaml = (
        "name: braze-s3\nruntime: python\nconfig:\n  brazeAccountId:\n    type: string\n  other:\n    type: string\n"
    )
    root = project_dir(tmp_path, "config:\n  braze-s3:bucket:\n    name: acme-x\n", pulumi_yaml=pulumi_yaml)
    with pytest.raises(StackFileError, match=r"missing configuration values 'brazeAccountId' and 'other'"):
        load_stack_config("t", root)


@pytest.mark.parametrize(
    ("stack_value", "type_name"),
    [
        ("braze-s3:bucket: acme-braze-dev", "object"),
        ("braze-s3:currents:\n    name: main", "array<object>"),
        ("braze-s3:currents: [main]", "array<object>"),
        ("braze-s3:tags:", "object"),
        ("braze-s3:brazeAccountId: [716373062512]", "string"),
    ],
)
def test_a_value_of_the_wrong_declared_type_is_refused(tmp_path: Path, stack_value: str, type_name: str) -> None:
    bucket = "" if stack_value.startswith("braze-s3:bucket") else "  braze-s3:bucket:\n    name: acme-x\n"
    root = project_dir(tmp_path, f"config:\n{bucket}  {stack_value}\n")
    with pytest.raises(StackFileError, match=rf"must be of type '{type_name}'"):
        load_stack_config("t", root)


def test_an_unquoted_account_id_is_a_string_to_the_cli(tmp_path: Path) -> None:
    """A top-level scalar is type-checked as the string the CLI stores, so a YAML number passes."""
    root = project_dir(
        tmp_path, "config:\n  braze-s3:brazeAccountId: 716373062512\n  braze-s3:bucket: {name: acme-x}\n"
    )
    assert load_stack_config("t", root).values["braze-s3:brazeAccountId"] == "716373062512"


@pytest.mark.parametrize(
    ("pulumi_yaml", "words"),
    [
        ("config:\n  k:\n    type: array\n", "does not specify the underlying type"),
        ("config:\n  k:\n    type: integer\n    default: x\n", "is not of the expected type 'integer'"),
        ("config:\n  k:\n    default: 1\n    value: 2\n", "cannot have both"),
        ("config:\n  aws:region:\n    type: string\n", "not namespaced by the project"),
    ],
)
def test_the_project_declarations_are_checked_like_project_validate(
    tmp_path: Path, pulumi_yaml: str, words: str
) -> None:
    root = project_dir(tmp_path, "config: {}\n", pulumi_yaml=f"name: braze-s3\nruntime: python\n{pulumi_yaml}")
    with pytest.raises(StackFileError, match=words):
        load_stack_config("t", root)


# -- YAML as go-yaml v3 reads it --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2026-11-30", "2026-11-30 00:00:00 +0000 UTC"),
        ("2026-11-30T10:20:30Z", "2026-11-30 10:20:30 +0000 UTC"),
        ("yes", "yes"),
        ("on", "on"),
        ("True", True),
        ("0o17", 15),
        ("017", 15),
        ("1_000", 1000),
        ("0x1F", 31),
        ("012345678901", 12345678901.0),  # not octal (8, 9): a float, and the leading zero is gone
        ("0123456789012", 123456789012.0),
        ("30.0", 30.0),
        ("~", None),
        ("'2026-11-30'", "2026-11-30"),
    ],
)
def test_scalars_resolve_as_go_yaml_v3_resolves_them(text: str, value: Any) -> None:
    assert go_yaml.load(f"k: {text}\n") == {"k": value}


def test_whole_floats_reach_the_program_as_go_json_writes_them() -> None:
    assert go_yaml.marshal_config_value({"days": 30.0, "b": True}) == '{"b":true,"days":30}'


# What the real CLI (v3.259.0) hands a program for each scalar, seen with `pulumi config --json` (TZ=UTC unless
# given): the offline reader got each of these wrong until tests/real/test_real_config.py compared them.
@pytest.mark.parametrize(
    ("text", "tz", "given"),
    [
        ("0.00001", "UTC", "0.00001"),  # encoding/json: fixed notation from 1e-6 to 1e21
        ("1e-7", "UTC", "1e-7"),  # exponent form, a one-digit negative exponent unpadded
        ("1.2345678901234567e20", "UTC", "123456789012345670000"),  # shortest digits, not the exact value
        ("1e21", "UTC", "1e+21"),
        ("-0.0", "UTC", "0"),
        ("2026-11-30T10:00:00+00:00", "UTC", "2026-11-30 10:00:00 +0000 UTC"),
        ("2026-11-30T10:00:00+00:00", "Europe/Paris", "2026-11-30 10:00:00 +0000 UTC"),
        ("2026-11-30T10:00:00+01:00", "Europe/Paris", "2026-11-30 10:00:00 +0100 CET"),  # the local zone's name
        ("2026-07-30T10:00:00+01:00", "Europe/Paris", "2026-07-30 10:00:00 +0100 +0100"),  # not in effect then
        ("0005-06-07", "UTC", "0005-06-07 00:00:00 +0000 UTC"),
        ("0000-01-01", "UTC", "0000-01-01 00:00:00 +0000 UTC"),  # year 0 exists for Go
        ("2026-11-30t10:20:30.1234567891+01:00", "UTC", "2026-11-30 10:20:30.123456789 +0100 +0100"),
        ("٢٠٢٦-١١-٣٠", "UTC", "٢٠٢٦-١١-٣٠"),  # not a timestamp: go-yaml's digits are ASCII
    ],
)
def test_scalars_reach_the_program_as_the_real_cli_gives_them(
    text: str, tz: str, given: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    monkeypatch.setenv("TZ", tz)
    time.tzset()
    try:
        assert go_yaml.marshal_config_value(go_yaml.load(f"k: {text}\n")["k"]) == given
    finally:
        monkeypatch.undo()
        time.tzset()


def test_mapping_keys_and_strings_in_objects_are_written_as_the_cli_writes_them() -> None:
    """Non-string keys become fmt's %v of the Go value (object.go `unmarshalObject`); strings are escaped as
    encoding/json escapes them (HTML-safe <, >, &) — as `pulumi config --json` shows them."""
    loaded = go_yaml.load("k: {name: R&D <x>, true: 1, 1.5: 2, null: 3, 1234567.0: 4, 2026-11-30: 5, 0x10: 6}\n")
    assert go_yaml.marshal_config_value(loaded["k"]) == (
        '{"1.234567e+06":4,"1.5":2,"16":6,"2026-11-30 00:00:00 +0000 UTC":5,"\\u003cnil\\u003e":3,'
        '"name":"R\\u0026D \\u003cx\\u003e","true":1}'
    )


def test_keys_collide_as_written_not_as_resolved() -> None:
    """go-yaml compares mapping keys by their text: `1.0` and `1.00` are two keys (the later wins), `1` and "1" one."""
    assert go_yaml.load("k: {1.0: a, 1.00: b}\n") == {"k": {"1": "b"}}
    with pytest.raises(go_yaml.GoYamlError, match="already defined"):
        go_yaml.load("k: {1: a, '1': b}\n")


def test_a_top_level_null_is_an_empty_string_and_no_default_applies(tmp_path: Path) -> None:
    """As the real CLI: `key:` or `key: null` at the top level is "" (a declared default does not apply: the key is
    on the stack), a string-typed key passes, an object-typed one is refused; nested nulls stay JSON nulls."""
    root = project_dir(
        tmp_path, "config:\n  braze-s3:bucket: {name: acme-x, lifecycle: null}\n  braze-s3:iamPath:\n  free: ~\n"
    )
    values = load_stack_config("t", root).values
    assert values["braze-s3:iamPath"] == "" and values["braze-s3:free"] == ""
    assert values["braze-s3:bucket"] == '{"lifecycle":null,"name":"acme-x"}'
    (root / "Pulumi.t.yaml").write_text("config:\n  braze-s3:bucket: {name: acme-x}\n  braze-s3:tags: null\n")
    with pytest.raises(StackFileError, match="configuration key 'tags' must be of type 'object'"):
        load_stack_config("t", root)


def test_a_surrogate_escape_is_refused_as_go_yaml_refuses_it() -> None:
    """go-yaml's scanner refuses \\uD800-\\uDFFF escapes (the real CLI: "found invalid Unicode character escape
    code"); PyYAML would make a lone surrogate. A non-BMP character written \\U0001F600 is fine."""
    with pytest.raises(go_yaml.GoYamlError, match="invalid Unicode character escape code"):
        go_yaml.load('k: "\\udaf5\\udf54"\n')
    assert go_yaml.load('k: "\\U0001F600"\n') == {"k": "\U0001f600"}


def test_the_first_wrongly_typed_key_in_sorted_order_is_named(tmp_path: Path) -> None:
    """`validateStackConfigValues` checks the declared keys sorted by name and stops at the first failure."""
    root = project_dir(
        tmp_path,
        "config:\n  braze-s3:tags: [1]\n  braze-s3:brazeAccountId: [2]\n  braze-s3:bucket: {name: acme-x}\n",
    )
    with pytest.raises(StackFileError, match="configuration key 'brazeAccountId' must be of type 'string'"):
        load_stack_config("t", root)


def test_a_duplicate_key_is_refused(tmp_path: Path) -> None:
    root = project_dir(tmp_path, "config:\n  braze-s3:bucket: {name: a-b-c}\n  braze-s3:bucket: {name: d-e-f}\n")
    with pytest.raises(StackFileError, match="already defined"):
        load_stack_config("t", root)


@pytest.mark.parametrize(
    ("stack_yaml", "key", "words"),
    [
        (
            "  braze-s3:currents:\n    - name: main\n      auth: accessKey\n      accessKeys: [2026-11-30]\n",
            "braze-s3:currents[0].accessKeys[0]",
            "quote the value",
        ),
        (
            "  braze-s3:currents:\n    - name: main\n      externalIds: [x1y2z3]\n      lifecycle: {expirationDays: '３０'}\n",
            "braze-s3:currents[0].lifecycle.expirationDays",
            "whole number",
        ),
        ("  braze-s3:bucket: {name: acme-x, protect: yes}\n", "braze-s3:bucket.protect", "true or false"),
    ],
)
def test_surprising_scalars_are_config_errors_naming_the_key_never_tracebacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], stack_yaml: str, key: str, words: str
) -> None:
    text = "config:\n  braze-s3:brazeAccountId: '716373062512'\n"
    text += stack_yaml if "bucket" in stack_yaml else "  braze-s3:bucket: {name: acme-x}\n" + stack_yaml
    root = project_dir(tmp_path, text)
    assert plan.main(["--stack", "t", "--no-policy"], root=root) == plan.EXIT_CONFIG
    err = capsys.readouterr().err
    line = next((line for line in err.splitlines() if f"{key}:" in line), "")
    assert words in line, err
    assert "Traceback" not in err


def test_a_stack_file_that_does_not_parse_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project_dir(tmp_path, "config:\n  braze-s3:bucket: {name: [\n")
    assert plan.main(["--stack", "t", "--no-policy"], root=root) == plan.EXIT_CONFIG
    err = capsys.readouterr().err
    assert "Pulumi.t.yaml: not valid YAML" in err and "Traceback" not in err


# -- secure values ------------------------------------------------------------------------------------


def test_the_passphrase_provider_opens_the_clis_own_state() -> None:
    """The `encryptionsalt` the real CLI wrote (tests/data/cli-secrets, see tests/cli_secrets.py)."""
    PassphraseCrypter.from_state(cli_secrets.PASSPHRASE, cli_secrets.salt("secret-stack"))
    with pytest.raises(SecretsError, match="incorrect passphrase"):
        PassphraseCrypter.from_state("not-the-passphrase", cli_secrets.salt("secret-stack"))


def secret_stack(bad: bool = False) -> str:
    """Top-level and nested secure values, as the real `pulumi config set --secret [--path]` wrote them."""
    return cli_secrets.text_of("secret-stack-bad" if bad else "secret-stack")


def test_secure_values_are_decrypted_with_the_passphrase_and_stay_secret(tmp_path: Path) -> None:
    text = secret_stack()
    root = project_dir(tmp_path, text)
    config = load_stack_config("t", root, environ={"PULUMI_CONFIG_PASSPHRASE": cli_secrets.PASSPHRASE})
    assert config.secret_keys == ["braze-s3:brazeAccountId", "braze-s3:currents"]
    assert config.undecrypted == []
    assert json.loads(config.values["braze-s3:currents"])[0]["externalIds"] == [EXTERNAL_ID]
    run = run_program("t", root=root, config=config)
    assert run.error is None, run.error
    role = run.get("aws:iam/role:Role", "currents-main-role")
    assert isinstance(role.inputs["assumeRolePolicy"], Secret), "a trust document embedding a secret is secret"
    main = run.outputs["currents"]["main"]
    assert isinstance(main["externalIds"], Secret) and isinstance(main["brazeAccountId"], Secret)
    shown = json.dumps(strip_markers(run.outputs)) + json.dumps([strip_markers(r.inputs) for r in run.resources])
    assert EXTERNAL_ID not in shown and "716373062512" not in shown


def test_a_bad_secret_value_is_reported_as_secret(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project_dir(tmp_path, secret_stack(bad=True))
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", cli_secrets.PASSPHRASE)
    assert plan.main(["--stack", "t", "--no-policy"], root=root) == plan.EXIT_CONFIG
    err = capsys.readouterr().err
    assert "braze-s3:currents[0].externalIds[0]: [secret] is not an external id" in err
    assert "hunter2" not in err


def test_without_the_passphrase_the_plan_uses_stand_ins_and_never_shows_ciphertext(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = secret_stack()
    root = project_dir(tmp_path, text)
    monkeypatch.delenv("PULUMI_CONFIG_PASSPHRASE", raising=False)
    monkeypatch.delenv("PULUMI_CONFIG_PASSPHRASE_FILE", raising=False)
    assert plan.main(["--stack", "t", "--no-policy", "--json"], root=root) == plan.EXIT_OK
    captured = capsys.readouterr()
    json.loads(captured.out)  # stdout is JSON alone
    assert "2 encrypted value(s) not decrypted" in captured.err and "PULUMI_CONFIG_PASSPHRASE" in captured.err
    for ciphertext in (part.split("secure: ")[1] for part in text.splitlines() if "secure: " in part):
        assert ciphertext not in captured.out + captured.err


def test_a_wrong_passphrase_is_a_config_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project_dir(tmp_path, secret_stack())
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", "wrong")
    assert plan.main(["--stack", "t", "--no-policy"], root=root) == plan.EXIT_CONFIG
    assert "incorrect passphrase" in capsys.readouterr().err
