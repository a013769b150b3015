#!/usr/bin/env bash
# Regenerates the typed cdk8s constructs for the GitOps engines' custom resources from the upstream CRDs in
# ../shared/reference/upstream/ (Argo CD v3.5.1 manifests/crds/*, Apache-2.0; fluxcd/source-controller v1.9.1 and
# fluxcd/kustomize-controller v1.9.4 config/crd/bases/*, Apache-2.0). `cdk8s import <file>` runs offline.
set -euo pipefail
cd "$(dirname "$0")/../.."
ref="${REFERENCE_DIR:-../shared/reference/upstream}"
out=tools/src/gitops/imports
rm -rf "$out"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# One import per API group: cdk8s writes one file per group, so CRDs of a group are imported together.
{ cat "$ref/argo-cd/crds/application-crd.yaml"; echo '---'; cat "$ref/argo-cd/crds/appproject-crd.yaml"; } > "$tmp/argoproj.yaml"
for crd in "$tmp/argoproj.yaml" "$ref/flux/source.toolkit.fluxcd.io_gitrepositories.yaml" "$ref/flux/kustomize.toolkit.fluxcd.io_kustomizations.yaml"; do
  npx cdk8s import "$crd" --language typescript --output "$out" --no-save
done
ls -l "$out"
