"""The hash-locked installs: the venv is exactly the lock, every lock satisfies its ranges, the locks agree."""

from __future__ import annotations

import os
import re
import sysconfig
from importlib.metadata import distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from braze_s3_tools.devtools.locks import DEV, LOCKS, Lock, canonical, compile_command, pins

# What a venv holds that no lock names: the installer itself.
INSTALLER = {"pip"}


def _locked_requirements(lock: Lock) -> list[Requirement]:
    """Each pinned requirement of a lock with its environment marker (the lines before the hashes)."""
    text = lock.lock_path.read_text(encoding="utf-8").replace("\\\n", " ")
    found = []
    for line in text.splitlines():
        head = line.split("--hash", 1)[0].strip()
        if head and not head.startswith(("#", "-")):
            found.append(Requirement(head))
    return found


def _source_requirements(path: Path) -> list[Requirement]:
    found: list[Requirement] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line.startswith("-r "):
            found += _source_requirements(path.parent / line[3:].strip())
        elif line:
            found.append(Requirement(line))
    return found


def _installed() -> dict[str, str]:
    # The venv's own site-packages: setuptools puts its vendored copies on sys.path once imported.
    site = sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})
    return {canonical(d.metadata["Name"]): d.version for d in distributions(path=site)}


def test_the_venv_holds_exactly_what_it_was_installed_from() -> None:
    """`make install`'s venv is exactly the dev lock; `make test-lowest`'s holds every floor it was constrained to
    (the Makefile names that constraints file in BRAZE_S3_LOWEST_CONSTRAINTS)."""
    installed = _installed()
    lowest = os.environ.get("BRAZE_S3_LOWEST_CONSTRAINTS")
    if lowest:
        floors = dict(line.split("==", 1) for line in Path(lowest).read_text(encoding="utf-8").split())
        differ = sorted(
            f"{n} {installed.get(canonical(n))} (floor {v})"
            for n, v in floors.items()
            if canonical(n) not in installed or Version(installed[canonical(n)]) != Version(v)
        )
        assert not differ, f"the lowest-versions venv is not at its floors: {differ}"
        return
    wanted = {
        canonical(r.name): str(next(iter(r.specifier)).version)
        for r in _locked_requirements(DEV)
        if r.marker is None or r.marker.evaluate()
    }
    extra = sorted(set(installed) - set(wanted) - INSTALLER)
    missing = sorted(set(wanted) - set(installed))
    differ = sorted(
        f"{name} {installed[name]} (lock {wanted[name]})"
        for name in set(wanted) & set(installed)
        if installed[name] != wanted[name]
    )
    assert not (extra or missing or differ), (
        f"venv ≠ {DEV.lock}: extra {extra}, missing {missing}, other versions {differ}: run `make install` (or `make lock` if a range changed)"
    )


@pytest.mark.parametrize("lock", LOCKS, ids=lambda lock: lock.lock)
def test_each_lock_satisfies_its_ranges_and_hashes_every_pin(lock: Lock) -> None:
    locked = pins(lock.lock_path)
    for requirement in _source_requirements(lock.source_path):
        version = locked.get(canonical(requirement.name))
        assert version is not None, f"{lock.lock} lacks {requirement.name} of {lock.source}: run `make lock`"
        assert Version(version) in requirement.specifier, (
            f"{lock.lock} pins {requirement.name}=={version}, outside {lock.source}'s {requirement.specifier}: run `make lock`"
        )
    pinned_lines = re.findall(
        r"^[A-Za-z0-9][^\n]*==[^\n]*\\\n((?:\s+--hash=sha256:[0-9a-f]{64}[ \\]*\n?)+)",
        lock.lock_path.read_text(encoding="utf-8"),
        re.M,
    )
    assert len(pinned_lines) == len(_locked_requirements(lock)), f"{lock.lock}: every pin must carry its hashes"


def test_the_locks_agree_on_every_shared_package() -> None:
    dev = pins(DEV.lock_path)
    for lock in LOCKS[1:]:
        disagree = {
            name: (version, dev.get(name)) for name, version in pins(lock.lock_path).items() if dev.get(name) != version
        }
        assert not disagree, f"{lock.lock} and {DEV.lock} disagree (version, dev version): {disagree}: run `make lock`"


def test_the_known_bad_emulator_release_is_excluded() -> None:
    moto = next(r for r in _source_requirements(DEV.source_path) if r.name == "moto")
    assert Version("5.2.6") not in moto.specifier, (
        "moto 5.2.6 denies correct listings (s3:ListObjectsV2): keep it excluded"
    )


def test_make_lock_resolves_the_others_under_the_dev_lock() -> None:
    assert "-c" not in compile_command("uv", DEV)
    for lock in LOCKS[1:]:
        command = compile_command("uv", lock)
        assert command[command.index("-c") + 1] == DEV.lock
        assert {"--universal", "--generate-hashes"} <= set(command)
