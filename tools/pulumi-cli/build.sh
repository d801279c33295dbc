#!/usr/bin/env bash
# Build the pinned Pulumi CLI and its Python and Node.js language hosts from their Go modules, with the
# official release flags, into a cache outside the work tree; print the bin directory as the last line.
#
#   ${BRAZE_S3_CACHE:-$HOME/.cache/braze-s3}/pulumi-v<version>/bin/
#     pulumi, pulumi-language-python, pulumi-language-nodejs     (go build, version stamped)
#     pulumi-language-python-exec, pulumi-resource-pulumi-python, pulumi-resource-pulumi-nodejs
#                                                                (non-Go files of the sdk/v3 module)
#     .stamp                                                     (reused when it matches go.sum)
#
# The version is the one go.mod requires of github.com/pulumi/pulumi/pkg/v3 (sdk/v3 at the same tag); the
# hosts are pinned by go.mod/go.sum at the pseudo-version of the commit of the pkg/v<version> tag.
#
# The language hosts: the Go module proxy reached from here refuses their modules (403 "This module version
# is not available." for the version list and for exact pseudo-versions), so on a machine whose Go module
# cache does not already hold them this build stops and says so: use a Pulumi CLI release on PATH (it ships
# the hosts; `pulumi.sh` takes it when it meets the floor), or a GOPROXY that serves those modules. go.sum
# pins their h1: hashes, so whatever serves them, only the pinned tree is accepted.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
say() { echo "pulumi-cli: $*" >&2; }

if ! command -v go >/dev/null 2>&1; then
	if [ -x /usr/local/go/bin/go ]; then
		PATH="$PATH:/usr/local/go/bin"
	else
		say "no Go toolchain: install Go >= 1.26 (https://go.dev/doc/install), or a Pulumi CLI (https://www.pulumi.com/docs/install/)"
		exit 1
	fi
fi

version="$(awk '$1 == "github.com/pulumi/pulumi/pkg/v3" { sub(/^v/, "", $2); print $2 }' "$here/go.mod")"
if [ -z "$version" ]; then
	say "go.mod requires no github.com/pulumi/pulumi/pkg/v3"
	exit 1
fi
cache="${BRAZE_S3_CACHE:-$HOME/.cache/braze-s3}"
dest="$cache/pulumi-v$version"
bin="$dest/bin"
stamp_want="pulumi v$version $(sha256sum "$here/go.mod" "$here/go.sum" | sha256sum | cut -c1-16) $(go env GOOS)/$(go env GOARCH)"
if [ -f "$bin/.stamp" ] && [ "$(cat "$bin/.stamp")" = "$stamp_want" ] && [ -x "$bin/pulumi" ]; then
	echo "$bin"
	exit 0
fi

# The hosts' module path, pseudo-version and subdirectory, as go.mod pins them.
hosts=()
while read -r path ver; do
	hosts+=("$path $ver")
done < <(awk '$1 ~ /^github.com\/pulumi\/pulumi\/sdk\/(python|nodejs)\/cmd\/pulumi-language-/ && $2 ~ /^v/ { print $1, $2 }' "$here/go.mod")

if [ "${#hosts[@]}" -gt 0 ] && ! (cd "$here" && go mod download "${hosts[@]%% *}" >/dev/null 2>&1); then
	say "the Go module proxy ($(go env GOPROXY)) does not serve the Pulumi language hosts ${hosts[*]%% *}"
	say "at the versions go.mod pins (it refuses every version of them), and the Go module cache does not hold them."
	say "Install a Pulumi CLI release >= 3.187.0 (it ships the language hosts; https://www.pulumi.com/docs/install/) and put"
	say "it on PATH — make pulumi then uses it — or set GOPROXY to a proxy that serves those modules."
	exit 1
fi

say "building Pulumi v$version (CLI, Python and Node.js hosts) into $bin; a cold build takes minutes"
mkdir -p "$bin"
rm -f "$bin/.stamp"
packages=(github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
for entry in "${hosts[@]}"; do
	packages+=("${entry%% *}")
done
(
	cd "$here"
	CGO_ENABLED=0 go build -trimpath -tags osusergo,grpcnotrace \
		-ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version" \
		-o "$bin/" "${packages[@]}"
)
# The hosts' non-Go files, from the sdk/v3 module (the release archive ships them beside the binaries).
sdkdir="$(cd "$here" && go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)"
for f in python/cmd/pulumi-language-python-exec python/dist/pulumi-resource-pulumi-python \
	nodejs/dist/pulumi-resource-pulumi-nodejs; do
	install -m 0755 "$sdkdir/$f" "$bin/"
done
echo "$stamp_want" >"$bin/.stamp"
echo "$bin"
