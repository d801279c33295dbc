"""A throwaway workspace for the real Pulumi CLI in tests: its own PULUMI_HOME, a `file://` backend, a passphrase.

    ws = Workspace.create(tmp_path, passphrase="...")        # the CLI from `make pulumi`, the stand-in installed
    ws.pulumi("stack", "init", "t", cwd=project)              # CompletedProcess; check=False to read a refusal

Nothing of the work tree is written: the state, the plugin cache and the stack files live under the directory
given. The environment is the one `realcli.preview` gives the CLI (no update check, no plugin download, no
registry), with this workspace's passphrase; `PULUMI_*` and `AWS_*` variables of the caller are dropped.

The `aws` resource plugin installed is the stand-in (`realcli.provider`, a test double of AWS) wrapped in a spy:
`python -m braze_s3_tools.realcli.workspace spy-provider` serves the stand-in unchanged and appends one JSON line
per Create, Update and Delete call (`{"call", "urn", "preview"}`) to the file `BRAZE_S3_STANDIN_LOG` names (the
engine starts plugins with its own environment). That is what a test reads to know whether the engine ever asked
the provider to create a resource.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from braze_s3_tools.realcli.cli import ROOT, find_cli

SPY_LOG_ENV = "BRAZE_S3_STANDIN_LOG"


@dataclass
class Workspace:
    cli: Path
    home: Path  # the directory holding PULUMI_HOME, the backend's state and the plugin script
    env: dict[str, str]
    passphrase: str

    @classmethod
    def create(cls, home: Path, passphrase: str, *, spy_log: Path | None = None) -> Workspace:
        """A workspace under ``home`` with the stand-in `aws` plugin installed (spied on into ``spy_log``)."""
        cli = find_cli()
        home.mkdir(parents=True, exist_ok=True)
        (home / "state").mkdir(exist_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PULUMI_", "AWS_", "BRAZE_S3_STANDIN"))}
        env.update(
            PULUMI_HOME=str(home / "pulumi-home"),
            PULUMI_BACKEND_URL=f"file://{home / 'state'}",
            PULUMI_SKIP_UPDATE_CHECK="1",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION="1",
            PULUMI_DISABLE_REGISTRY_RESOLVE="1",
            PULUMI_SKIP_CONFIRMATIONS="1",
            PULUMI_CONFIG_PASSPHRASE=passphrase,
            PATH=f"{cli.parent}{os.pathsep}{env.get('PATH', '')}",
        )
        if spy_log is not None:
            env[SPY_LOG_ENV] = str(spy_log)
        workspace = cls(cli, home, env, passphrase)
        workspace.install_standin()
        return workspace

    def install_standin(self) -> None:
        """The spied stand-in, registered as resource plugin `aws` at the installed pulumi_aws's version."""
        script = self.home / "standin-aws" / "pulumi-resource-aws"
        script.parent.mkdir(exist_ok=True)
        python = ROOT / "venv" / "bin" / "python"
        script.write_text(
            "#!/bin/sh\n# The stand-in aws provider (braze_s3_tools.realcli.provider, a test double of AWS), spied on.\n"
            f'PYTHONPATH="{ROOT}" exec "{python}" -m braze_s3_tools.realcli.workspace spy-provider "$@"\n',
            encoding="utf-8",
        )
        script.chmod(0o755)
        self.pulumi("plugin", "install", "resource", "aws", version("pulumi_aws"), "--file", str(script))

    def pulumi(
        self, *args: str, cwd: Path | None = None, check: bool = True, timeout: float = 600
    ) -> subprocess.CompletedProcess[str]:
        """Run the CLI; with ``check`` a failure raises with its stdout and stderr."""
        done = subprocess.run(  # noqa: S603
            [str(self.cli), *args],
            cwd=cwd or self.home,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
            timeout=timeout,
        )
        if check and done.returncode != 0:
            raise RuntimeError(
                f"pulumi {' '.join(args)} exited {done.returncode}\n--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
            )
        return done

    def spy_calls(self) -> list[dict[str, Any]]:
        """The Create/Update/Delete calls the stand-in received, in order (empty when none or no spy)."""
        log = self.env.get(SPY_LOG_ENV)
        if not log or not Path(log).exists():
            return []
        return [json.loads(line) for line in Path(log).read_text(encoding="utf-8").splitlines() if line]


def _spy_provider() -> int:
    """Serve the stand-in with each Create/Update/Delete logged to $BRAZE_S3_STANDIN_LOG (see the module doc)."""
    from braze_s3_tools.realcli import provider  # noqa: PLC0415 - only the plugin process needs it

    log = os.environ.get(SPY_LOG_ENV)

    def record(call: str, request: Any) -> None:
        if log:
            with open(log, "a", encoding="utf-8") as out:
                preview = bool(getattr(request, "preview", False))
                out.write(json.dumps({"call": call, "urn": request.urn, "preview": preview}) + "\n")

    class Spy(provider.StandInAws):
        def Create(self, request: Any, context: Any) -> Any:  # noqa: N802 - the gRPC method's name
            record("Create", request)
            return super().Create(request, context)

        def Update(self, request: Any, context: Any) -> Any:  # noqa: N802
            record("Update", request)
            return super().Update(request, context)

        def Delete(self, request: Any, context: Any) -> Any:  # noqa: N802
            record("Delete", request)
            return super().Delete(request, context)

    # The stand-in's own main serves it: the spy replaces the class it instantiates, nothing else.
    provider.StandInAws = Spy  # type: ignore[misc]
    return provider.main(sys.argv[2:])


if __name__ == "__main__":
    if sys.argv[1:2] == ["spy-provider"]:
        sys.exit(_spy_provider())
    print("usage: python -m braze_s3_tools.realcli.workspace spy-provider <engine address>", file=sys.stderr)
    sys.exit(2)
