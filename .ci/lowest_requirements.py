"""Print a constraints file that pins every direct requirement to the lowest version it allows.

    python .ci/lowest_requirements.py requirements-dev.txt > constraints.txt

Follows `-r` includes. A requirement without a `>=`/`==`/`~=` floor is an error: every
dependency of this project declares the oldest version it is tested with. A package named in
several files is pinned to the highest of its floors: the lowest version all of them allow.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

FLOOR = re.compile(r"^([A-Za-z0-9_.\-]+)(\[[^\]]*\])?\s*.*?(?:>=|==|~=)\s*([0-9][^,;\s]*)")


def floors(path: Path, seen: set[Path]) -> list[str]:
    if path in seen:
        return []
    seen.add(path)
    pins: list[str] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("-r "):
            pins += floors((path.parent / line[3:].strip()).resolve(), seen)
            continue
        match = FLOOR.match(line)
        if not match:
            sys.exit(f"{path}: {line!r} has no lower bound")
        pins.append(f"{match.group(1)}=={match.group(3)}")
    return pins


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version))


def lowest(pins: list[str]) -> list[str]:
    """One pin per package (names compared as pip does), at its highest floor."""
    chosen: dict[str, tuple[str, str]] = {}
    for pin in pins:
        name, version = pin.split("==", 1)
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key not in chosen or _version_key(version) > _version_key(chosen[key][1]):
            chosen[key] = (name, version)
    return [f"{name}=={version}" for name, version in chosen.values()]


if __name__ == "__main__":
    seen: set[Path] = set()
    pins = [pin for arg in sys.argv[1:] for pin in floors(Path(arg).resolve(), seen)]
    print("\n".join(lowest(pins)))
