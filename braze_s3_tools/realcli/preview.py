"""`make real-preview STACK=dev`: the real `pulumi preview --json` of a stack, offline, on a copy of the project.

    python -m braze_s3_tools.realcli.preview --stack dev [--no-policy] [--keep]

The project (Pulumi.yaml, Pulumi.<stack>.yaml, __main__.py, components/, braze_s3_tools/, policypack/) is copied
into a temporary directory — the CLI writes `encryptionsalt` into the stack file, and the work tree must not
change — and run there by the real CLI (`make pulumi`) with a throwaway `PULUMI_HOME` and a `file://` backend
in the same directory, no update check, no plugin download (`PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION`), the
passphrase secrets provider (`PULUMI_CONFIG_PASSPHRASE` from the environment; a throwaway one when the stack file
has no `secure:` value and none is given), the program's Python from the project's `venv/` (Pulumi.yaml's
`virtualenv: venv`, a link in the copy), the stand-in `aws` provider (`realcli.provider`, a double of AWS), and the
local policy pack with the stack's pack config (production.json for prod, default.json otherwise, as the
pull-request workflow picks it). The pack's `virtualenv: venv` is `policypack/venv` when `make policypack-venv`
made it, else one made from policypack/requirements.lock in the cache (`$BRAZE_S3_CACHE`).

stdout carries the CLI's JSON document alone; the CLI's messages go to stderr; the exit status is the CLI's.
The document has no policy violations: the CLI's `--json` preview drops policy events (pkg/backend/display/
json.go `ShowPreviewDigest`: "we don't handle policy events in JSON serialization"); `--event-log FILE` passes
the CLI's own `--event-log` (a flag only `PULUMI_DEBUG_COMMANDS=true` enables, as the Automation API sets it), whose `policyEvent` lines carry them.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from importlib.metadata import version
from pathlib import Path

from braze_s3_tools.realcli.cli import ROOT, NoCliError, find_cli

# What the program, the pack and the stand-in provider need, copied from the work tree.
PROJECT_FILES = ("Pulumi.yaml", "__main__.py", "requirements.txt")
PROJECT_DIRS = ("components", "braze_s3_tools", "policypack")
IGNORED = shutil.ignore_patterns("venv", "__pycache__", "*.pyc", ".mypy_cache", ".ruff_cache")


def cache_dir() -> Path:
    return Path(os.environ.get("BRAZE_S3_CACHE") or Path.home() / ".cache" / "braze-s3")


def pack_config_name(stack: str) -> str:
    """The pack config the pull-request workflow passes for a stack (.github/workflows/pull-request.yml)."""
    return "production.json" if stack == "prod" else "default.json"


def policypack_venv(root: Path = ROOT) -> Path:
    """policypack/venv if `make policypack-venv` made it, else a venv in the cache from the pack's lock."""
    local = root / "policypack" / "venv"
    if (local / ".installed").exists():
        return local
    lock = root / "policypack" / "requirements.lock"
    digest = hashlib.sha256(lock.read_bytes()).hexdigest()[:16]
    venv = cache_dir() / f"policypack-venv-{digest}"
    if not (venv / ".installed").exists():
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, stdout=sys.stderr)  # noqa: S603
        subprocess.run(  # noqa: S603
            [
                str(venv / "bin" / "python"),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--require-hashes",
                "--no-deps",
                "-r",
                str(lock),
            ],
            check=True,
            stdout=sys.stderr,
        )
        (venv / ".installed").touch()
    return venv


def has_secure_values(stack_file: Path) -> bool:
    return re.search(r"^\s*secure:\s", stack_file.read_text(encoding="utf-8"), re.MULTILINE) is not None


def copy_project(stack: str, dest: Path, root: Path = ROOT) -> Path:
    """A copy of the project for one stack: its files, the program's venv and the pack's venv as links."""
    project = dest / "project"
    project.mkdir(parents=True)
    for name in (*PROJECT_FILES, f"Pulumi.{stack}.yaml"):
        if (root / name).exists():
            shutil.copy2(root / name, project / name)
    for name in PROJECT_DIRS:
        shutil.copytree(root / name, project / name, ignore=IGNORED)
    (project / "venv").symlink_to(root / "venv")
    (project / "policypack" / "venv").symlink_to(policypack_venv(root))
    return project


def install_standin(cli: Path, env: Mapping[str, str], dest: Path, project: Path) -> str:
    """Register the stand-in as resource plugin `aws` at pulumi_aws's version in env's PULUMI_HOME."""
    aws_version = version("pulumi_aws")
    script = dest / "standin-aws" / "pulumi-resource-aws"
    script.parent.mkdir()
    python = project / "venv" / "bin" / "python"
    script.write_text(
        "#!/bin/sh\n# The stand-in aws provider (braze_s3_tools.realcli.provider): a test double of AWS.\n"
        f'PYTHONPATH="{project}" exec "{python}" -m braze_s3_tools.realcli.provider "$@"\n',
        encoding="utf-8",
    )
    script.chmod(0o755)
    subprocess.run(  # noqa: S603
        [str(cli), "plugin", "install", "resource", "aws", aws_version, "--file", str(script)],
        env=dict(env),
        check=True,
        stdout=sys.stderr,
    )
    return aws_version


def cli_env(cli: Path, dest: Path, stack_file: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PULUMI_", "AWS_"))}
    env.update(
        PULUMI_HOME=str(dest / "home"),
        PULUMI_BACKEND_URL=f"file://{dest / 'state'}",
        PULUMI_SKIP_UPDATE_CHECK="1",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION="1",
        PULUMI_DISABLE_REGISTRY_RESOLVE="1",
        PULUMI_SKIP_CONFIRMATIONS="1",
        # The CLI's own directory first: its language hosts beside it (as the release archive lays them out).
        PATH=f"{cli.parent}{os.pathsep}{env.get('PATH', '')}",
    )
    passphrase = os.environ.get("PULUMI_CONFIG_PASSPHRASE")
    if passphrase is not None:
        env["PULUMI_CONFIG_PASSPHRASE"] = passphrase
    elif "PULUMI_CONFIG_PASSPHRASE_FILE" in os.environ:
        env["PULUMI_CONFIG_PASSPHRASE_FILE"] = os.environ["PULUMI_CONFIG_PASSPHRASE_FILE"]
    elif not has_secure_values(stack_file):
        env["PULUMI_CONFIG_PASSPHRASE"] = "braze-s3-throwaway-" + os.urandom(8).hex()
    (dest / "state").mkdir(exist_ok=True)
    return env


def run_preview(stack: str, *, policy: bool = True, keep: bool = False, extra: tuple[str, ...] = ()) -> int:
    """Run the real preview; its JSON document to stdout; the CLI's status."""
    cli = find_cli()
    dest = Path(tempfile.mkdtemp(prefix=f"braze-s3-real-{stack}-"))
    try:
        project = copy_project(stack, dest)
        env = cli_env(cli, dest, project / f"Pulumi.{stack}.yaml")
        install_standin(cli, env, dest, project)
        init = subprocess.run(  # noqa: S603
            [str(cli), "stack", "init", stack, "--non-interactive"],
            cwd=project,
            env=env,
            stdout=sys.stderr,
            check=False,
        )
        if init.returncode != 0:
            return init.returncode
        command = [str(cli), "preview", "--json", "--non-interactive", "--stack", stack]
        if policy:
            pack = project / "policypack"
            command += [
                "--policy-pack",
                str(pack),
                "--policy-pack-config",
                str(pack / "config" / pack_config_name(stack)),
            ]
        if "--event-log" in extra:
            # The flag exists only with the debug commands on (preview.go), as the Automation API runs it.
            env["PULUMI_DEBUG_COMMANDS"] = "true"
        done = subprocess.run([*command, *extra], cwd=project, env=env, stdout=subprocess.PIPE, check=False)  # noqa: S603
        sys.stdout.buffer.write(done.stdout)
        sys.stdout.flush()
        return done.returncode
    finally:
        if keep:
            print(f"real-preview: kept {dest}", file=sys.stderr)
        else:
            shutil.rmtree(dest, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m braze_s3_tools.realcli.preview", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--stack", default="dev")
    parser.add_argument("--no-policy", action="store_true", help="run without the policy pack")
    parser.add_argument("--keep", action="store_true", help="keep the temporary copy, state and PULUMI_HOME")
    parser.add_argument(
        "--event-log",
        type=Path,
        help="also write the engine's events (JSON lines) there: policy violations are in no `--json` document",
    )
    args = parser.parse_args(argv)
    if not (ROOT / f"Pulumi.{args.stack}.yaml").exists():
        print(f"real-preview: no Pulumi.{args.stack}.yaml in {ROOT}", file=sys.stderr)
        return 2
    try:
        extra = ("--event-log", str(args.event_log.resolve())) if args.event_log else ()
        return run_preview(args.stack, policy=not args.no_policy, keep=args.keep, extra=extra)
    except NoCliError as err:
        print(f"real-preview: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
