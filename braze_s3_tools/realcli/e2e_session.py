"""One `make e2e` session: moto, a throwaway copy of the project and the real CLI wired to it.

The chain's steps (`e2e.py`) drive the CLI through `Session`; it starts moto with IAM enforced, a deployer
principal, the stand-in `aws` provider installed in a throwaway PULUMI_HOME, and stops what it started.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from braze_s3_tools.emulator.server import MotoServer
from braze_s3_tools.realcli import e2e_emulator as emulator
from braze_s3_tools.realcli.aws_backend import ENDPOINT_ENV
from braze_s3_tools.realcli.cli import ROOT
from braze_s3_tools.realcli.preview import cli_env, copy_project, install_standin, pack_config_name


@dataclass
class Session:
    """moto, a copy of the project and the real CLI wired to it; a context manager that stops what it started."""

    stack: str
    cli: Path
    keep: bool = False
    policy_config: str | None = None  # a file name in policypack/config (default: the stack's, as CI picks it)
    moto: MotoServer | None = None
    dest: Path = field(default_factory=Path)
    project: Path = field(default_factory=Path)
    env: dict[str, str] = field(default_factory=dict)
    deployer: dict[str, str] = field(default_factory=dict)
    region: str = "us-east-1"
    log: list[str] = field(default_factory=list)

    def __enter__(self) -> Session:
        self.moto = MotoServer()
        try:
            self.dest = Path(tempfile.mkdtemp(prefix=f"braze-s3-e2e-{self.stack}-"))
            self.project = copy_project(self.stack, self.dest, ROOT)
            self.env = cli_env(self.cli, self.dest, self.project / f"Pulumi.{self.stack}.yaml")
            install_standin(self.cli, self.env, self.dest, self.project)
            self.region = _stack_region(self.project / f"Pulumi.{self.stack}.yaml")
            self.deployer = emulator.deployer(self.url, self.region)
            self.moto.enforce_iam()
            self.env.update(self.deployer)
            self.env.update({ENDPOINT_ENV: self.url, "AWS_REGION": self.region, "AWS_EC2_METADATA_DISABLED": "true"})
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        if self.moto is not None:
            self.moto.stop()
        if self.keep:
            print(f"e2e: kept {self.dest}", file=sys.stderr)
        elif self.dest != Path():
            shutil.rmtree(self.dest, ignore_errors=True)

    @property
    def url(self) -> str:
        assert self.moto is not None
        return self.moto.url

    def pulumi(self, *args: str, stdin: str | None = None, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        """Run the CLI in the copy; its output is kept for the log (the CLI masks secrets: never --show-secrets here)."""
        done = subprocess.run(  # noqa: S603
            [str(self.cli), *args, "--non-interactive"],
            cwd=self.project,
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            check=False,
            timeout=timeout,
        )
        if "--show-secrets" not in args:
            self.log.append(f"$ pulumi {' '.join(args)}  (exit {done.returncode})\n{done.stdout}{done.stderr}")
        return done

    def pack_args(self) -> list[str]:
        pack = self.project / "policypack"
        config = self.policy_config or pack_config_name(self.stack)
        return ["--policy-pack", str(pack), "--policy-pack-config", str(pack / "config" / config)]

    def init(self) -> subprocess.CompletedProcess[str]:
        return self.pulumi("stack", "init", self.stack)

    def up(self, *extra: str) -> subprocess.CompletedProcess[str]:
        return self.pulumi("up", "--yes", "--stack", self.stack, *self.pack_args(), *extra)

    def outputs(self) -> dict[str, Any]:
        """The stack outputs with their secrets, in memory only."""
        done = self.pulumi("stack", "output", "--json", "--show-secrets", "--stack", self.stack)
        if done.returncode != 0:
            raise RuntimeError(f"pulumi stack output failed (exit {done.returncode}): {done.stderr.strip()}")
        outputs: dict[str, Any] = json.loads(done.stdout)
        return outputs

    def export(self) -> dict[str, Any]:
        done = self.pulumi("stack", "export", "--show-secrets", "--stack", self.stack)
        if done.returncode != 0:
            raise RuntimeError(f"pulumi stack export failed (exit {done.returncode}): {done.stderr.strip()}")
        exported: dict[str, Any] = json.loads(done.stdout)
        return exported

    def verify(self, outputs: dict[str, Any]) -> subprocess.CompletedProcess[str]:
        """`python -m braze_s3_tools.verify --outputs -` fed the outputs, as the deployer, against moto."""
        return subprocess.run(  # noqa: S603
            [
                str(ROOT / "venv" / "bin" / "python"),
                "-m",
                "braze_s3_tools.verify",
                "--outputs",
                "-",
                "--endpoint-url",
                self.url,
                "--propagation-timeout",
                "10",
            ],
            cwd=ROOT,
            env={**_clean_env(), **self.deployer, "AWS_REGION": self.region, "AWS_EC2_METADATA_DISABLED": "true"},
            input=json.dumps(outputs),
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PULUMI_", "BRAZE_S3_STANDIN"))}


def _stack_region(stack_file: Path) -> str:
    match = re.search(r"^\s*aws:region:\s*['\"]?([a-z0-9-]+)", stack_file.read_text(encoding="utf-8"), re.M)
    return match.group(1) if match else "us-east-1"
