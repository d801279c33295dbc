"""Stopping the child processes the tooling starts (the policy pack, moto): exactly those, always."""

from __future__ import annotations

import subprocess

STOP_TIMEOUT_S = 10


def stop(process: subprocess.Popen[bytes] | subprocess.Popen[str]) -> None:
    """Terminate ``process`` if it still runs, kill it if it does not exit in time, and reap it."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
