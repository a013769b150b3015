#!/usr/bin/env bash
# Builds (or reuses) etcd + kube-apiserver for local API-server tests.
#
#   tools/envtest/build.sh [--version 1.28|1.37] [--force]
#
# Binaries go to ${XDG_CACHE_HOME:-$HOME/.cache}/k8s-platform/envtest/<k8s-version>/
# and are reused while the module inputs are unchanged. If $KUBEBUILDER_ASSETS
# holds both binaries they are used as they are and nothing is built.
# Status goes to stderr; the assets directory is the last (only) stdout line:
#
#   assets="$(tools/envtest/build.sh | tail -n1)"
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
version="1.28"
force=0

usage() {
  echo "usage: $0 [--version <minor, e.g. 1.28>] [--force]" >&2
  echo "available: $(cd "$here" && ls -d v1.*/ 2>/dev/null | tr -d / | sed 's/^v//' | tr '\n' ' ')" >&2
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --version) [[ $# -ge 2 ]] || { usage; exit 2; }; version="$2"; shift 2 ;;
    --version=*) version="${1#*=}"; shift ;;
    --force) force=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument: $1" >&2; usage; exit 2 ;;
  esac
done

if [[ -n "${KUBEBUILDER_ASSETS:-}" && -x "${KUBEBUILDER_ASSETS}/etcd" && -x "${KUBEBUILDER_ASSETS}/kube-apiserver" ]]; then
  echo "envtest: using KUBEBUILDER_ASSETS=${KUBEBUILDER_ASSETS} (nothing built)" >&2
  echo "${KUBEBUILDER_ASSETS}"
  exit 0
fi

version="${version#v}"
minor="$(echo "$version" | cut -d. -f1,2)"
moddir="$here/v$minor"
if [[ ! -f "$moddir/go.mod" ]]; then
  echo "envtest: no module for Kubernetes $version ($moddir/go.mod missing)" >&2
  usage
  exit 2
fi

command -v go >/dev/null || { echo "envtest: 'go' not found on PATH" >&2; exit 1; }

# Exact versions come from the module's go.mod.
k8s_version="$(awk '$1 == "k8s.io/kubernetes" && $2 ~ /^v1\./ { print $2; exit }' "$moddir/go.mod")"
etcd_version="$(awk '$1 == "go.etcd.io/etcd/server/v3" { print $2; exit }' "$moddir/go.mod")"
[[ -n "$k8s_version" && -n "$etcd_version" ]] || { echo "envtest: cannot read versions from $moddir/go.mod" >&2; exit 1; }
if [[ "$version" == *.*.* && "v$version" != "$k8s_version" ]]; then
  echo "envtest: $moddir pins $k8s_version, not v$version" >&2
  exit 2
fi

major="$(echo "${k8s_version#v}" | cut -d. -f1)"
minor_num="$(echo "${k8s_version#v}" | cut -d. -f2)"

cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/k8s-platform/envtest"
dest="$cache_root/${k8s_version#v}"

# Same settings as upstream release builds: static, no VCS stamping, version
# stamped via -X (what /version and `kubectl version` report).
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$k8s_version -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor_num -X $pkg.gitTreeState=clean"
done
# Per-version extra linker flags (see README: Go toolchain compatibility).
if [[ -f "$moddir/ldflags.extra" ]]; then
  ldflags+=" $(grep -v '^#' "$moddir/ldflags.extra" | tr '\n' ' ')"
fi

export CGO_ENABLED=0
export GOFLAGS="-mod=readonly -buildvcs=false"
export GOWORK=off

# Reuse only binaries built from exactly these inputs.
stamp="$(
  {
    go version
    echo "$ldflags"
    cat "$moddir/go.mod" "$moddir/go.sum" "$moddir"/cmd/*/main.go
  } | sha256sum | cut -d' ' -f1
)"

if [[ $force -eq 0 && -x "$dest/etcd" && -x "$dest/kube-apiserver" && -f "$dest/.stamp" && "$(cat "$dest/.stamp")" == "$stamp" ]]; then
  echo "envtest: reused kube-apiserver $k8s_version + etcd $etcd_version in $dest" >&2
  echo "$dest"
  exit 0
fi

mkdir -p "$cache_root"
tmp="$(mktemp -d "$cache_root/.build-${k8s_version#v}.XXXXXX")"
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT

start=$SECONDS
echo "envtest: building kube-apiserver $k8s_version + etcd $etcd_version (first build takes a while) ..." >&2
(
  cd "$moddir"
  go build -trimpath -ldflags "$ldflags" -o "$tmp/kube-apiserver" ./cmd/kube-apiserver
  go build -trimpath -ldflags "$ldflags" -o "$tmp/etcd" ./cmd/etcd
)
echo "$stamp" > "$tmp/.stamp"

# Swap the finished set into place (a half-built set is never visible).
rm -rf "$dest.old"
[[ -e "$dest" ]] && mv "$dest" "$dest.old"
mv "$tmp" "$dest"
rm -rf "$dest.old"
trap - EXIT

echo "envtest: built kube-apiserver $k8s_version + etcd $etcd_version in $((SECONDS - start))s into $dest" >&2
echo "$dest"
