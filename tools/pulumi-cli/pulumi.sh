#!/usr/bin/env bash
# Print, as the last line, the absolute path of the Pulumi CLI this project uses (`make pulumi`):
#  - a `pulumi` on PATH whose `pulumi version` is at least the floor below (the user's own CLI);
#  - else the pinned build from build.sh, built into the cache first when it is not there.
# With neither a CLI nor Go, it exits non-zero naming what to install.
#
# The floor is the README's: Pulumi.yaml declares object-typed config keys, which the CLI reads from
# 3.187.0 on (older ones refuse the project file). The version the project is tested with is the one
# go.mod pins (`make pulumi` builds it when the floor is not met).
set -euo pipefail

floor="3.187.0"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if found="$(command -v pulumi 2>/dev/null)"; then
	found="$(realpath -s "$found")"
	have="$("$found" version 2>/dev/null | tail -n 1 || true)"
	have="${have#v}"
	if [ -n "$have" ] && [ "$(printf '%s\n%s\n' "$floor" "${have%%[-+]*}" | sort -V | head -n 1)" = "$floor" ]; then
		echo "$found"
		exit 0
	fi
	echo "pulumi-cli: $found is v${have:-?}, older than $floor: using the pinned build" >&2
fi

bin="$("$here/build.sh" | tail -n 1)"
echo "$bin/pulumi"
