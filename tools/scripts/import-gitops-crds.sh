#!/usr/bin/env bash
# Regenerates, from the upstream CRDs in ../shared/reference/upstream/ (see its SOURCES.md):
#  - tools/src/gitops/imports/: typed cdk8s constructs for the GitOps engines' custom resources (`cdk8s import`
#    runs offline);
#  - tools/src/gitops/crds/: byte copies of the four CRDs (plus a header naming source, version and license), which
#    the real-API-server tests apply before dist/<env>/argocd|flux (the engines install them in a cluster; CI
#    machines may not have ../shared).
# Argo CD v3.5.1 manifests/crds/* and fluxcd/source-controller v1.9.1, fluxcd/kustomize-controller v1.9.4
# config/crd/bases/*, all Apache-2.0. After bumping an engine (tools/src/gitops/engines.ts), refresh the reference
# files, update the versions below and run this again.
set -euo pipefail
cd "$(dirname "$0")/../.."
ref="${REFERENCE_DIR:-../shared/reference/upstream}"
out=tools/src/gitops/imports
crds=tools/src/gitops/crds

# <file under $ref> <upstream repository> <path upstream> <version> <commit> <output name>
sources=(
  "argo-cd/crds/application-crd.yaml argoproj/argo-cd manifests/crds/application-crd.yaml v3.5.1 109ca7ca7113 applications.argoproj.io.yaml"
  "argo-cd/crds/appproject-crd.yaml argoproj/argo-cd manifests/crds/appproject-crd.yaml v3.5.1 109ca7ca7113 appprojects.argoproj.io.yaml"
  "flux/source.toolkit.fluxcd.io_gitrepositories.yaml fluxcd/source-controller config/crd/bases/source.toolkit.fluxcd.io_gitrepositories.yaml v1.9.1 092bcff3c9c3 gitrepositories.source.toolkit.fluxcd.io.yaml"
  "flux/kustomize.toolkit.fluxcd.io_kustomizations.yaml fluxcd/kustomize-controller config/crd/bases/kustomize.toolkit.fluxcd.io_kustomizations.yaml v1.9.4 1324b615da01 kustomizations.kustomize.toolkit.fluxcd.io.yaml"
)
for s in "${sources[@]}"; do
  read -r file _ _ _ _ _ <<<"$s"
  [[ -f "$ref/$file" ]] || { echo "missing $ref/$file (set REFERENCE_DIR to the upstream reference directory)" >&2; exit 1; }
done

rm -rf "$out"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# One import per API group: cdk8s writes one file per group, so CRDs of a group are imported together.
{ cat "$ref/argo-cd/crds/application-crd.yaml"; echo '---'; cat "$ref/argo-cd/crds/appproject-crd.yaml"; } > "$tmp/argoproj.yaml"
for crd in "$tmp/argoproj.yaml" "$ref/flux/source.toolkit.fluxcd.io_gitrepositories.yaml" "$ref/flux/kustomize.toolkit.fluxcd.io_kustomizations.yaml"; do
  npx cdk8s import "$crd" --language typescript --output "$out" --no-save
done
ls -l "$out"

rm -rf "$crds"
mkdir -p "$crds"
for s in "${sources[@]}"; do
  read -r file repo path version commit name <<<"$s"
  {
    echo "# Source: https://github.com/$repo/blob/$version/$path (commit $commit), Apache-2.0."
    echo "# Copied unmodified (below this header) from ../shared/reference/upstream/$file by tools/scripts/import-gitops-crds.sh;"
    echo "# do not edit. Installed by the GitOps engine in a cluster; applied by the real-API-server tests (npm run test:cluster)."
    cat "$ref/$file"
  } > "$crds/$name"
done
ls -l "$crds"
