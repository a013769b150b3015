#!/usr/bin/env bash
# Imports Velero's CustomResourceDefinitions into this add-on:
#   1. copies every Velero CRD YAML from the upstream reference into addons/backups/crds/, each with a header naming
#      its source path, tag, commit and license (the synth renders them, so they land in dist/<env>/cluster/);
#   2. generates typed cdk8s constructs for the kinds this add-on creates (BackupStorageLocation,
#      VolumeSnapshotLocation, Schedule) into addons/backups/src/imports/ with `cdk8s import` (offline: local files).
#
# Usage: addons/backups/scripts/import-crds.sh [path/to/velero/crd]
#   default source: ../shared/reference/upstream/velero/crd (relative to the repository root)
# Upgrading Velero: refresh the reference copy at the new tag, bump VELERO_TAG/VELERO_COMMIT below and
# IMAGES.backups.velero in addons/versions.ts, re-run this script, review the diff of crds/ and src/imports/.
set -euo pipefail

VELERO_TAG="v1.18.1"
VELERO_COMMIT="26ef8fa7df68"
VELERO_REPO="vmware-tanzu/velero"
LICENSE="Apache-2.0"

addon_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo_root="$(cd "${addon_dir}/../.." && pwd)"
source_dir="${1:-${repo_root}/../shared/reference/upstream/velero/crd}"
crds_dir="${addon_dir}/crds"
imports_dir="${addon_dir}/src/imports"

# Every CRD the Velero server and node-agent watch: the server refuses to start when one is missing.
crds=(
  v1/bases/velero.io_backuprepositories.yaml
  v1/bases/velero.io_backups.yaml
  v1/bases/velero.io_backupstoragelocations.yaml
  v1/bases/velero.io_deletebackuprequests.yaml
  v1/bases/velero.io_downloadrequests.yaml
  v1/bases/velero.io_podvolumebackups.yaml
  v1/bases/velero.io_podvolumerestores.yaml
  v1/bases/velero.io_restores.yaml
  v1/bases/velero.io_schedules.yaml
  v1/bases/velero.io_serverstatusrequests.yaml
  v1/bases/velero.io_volumesnapshotlocations.yaml
  v2alpha1/bases/velero.io_datadownloads.yaml
  v2alpha1/bases/velero.io_datauploads.yaml
)
# The kinds this add-on renders objects of: typed constructs are generated for these only.
typed=(
  v1/bases/velero.io_backupstoragelocations.yaml
  v1/bases/velero.io_schedules.yaml
  v1/bases/velero.io_volumesnapshotlocations.yaml
)

for rel in "${crds[@]}"; do
  if [[ ! -f "${source_dir}/${rel}" ]]; then
    echo "import-crds: ${source_dir}/${rel} not found" >&2
    exit 1
  fi
done

rm -rf "${crds_dir}"
mkdir -p "${crds_dir}"
for rel in "${crds[@]}"; do
  {
    echo "# Source: ${VELERO_REPO} config/crd/${rel} at ${VELERO_TAG} (commit ${VELERO_COMMIT})"
    echo "# License: ${LICENSE} (Copyright the Velero contributors)"
    echo "# Copied unmodified below this header by addons/backups/scripts/import-crds.sh; do not edit, re-run the script."
    cat "${source_dir}/${rel}"
  } > "${crds_dir}/$(basename "${rel}")"
done

# cdk8s import reads one spec per run; the typed kinds go in as one multi-document file so that a single
# module (velero.io.ts) holds all three classes.
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
for rel in "${typed[@]}"; do
  cat "${crds_dir}/$(basename "${rel}")"
  echo
done > "${work}/velero-typed-crds.yaml"

rm -rf "${imports_dir}"
(cd "${repo_root}" && npx --no-install cdk8s import "${work}/velero-typed-crds.yaml" --language typescript --output "${imports_dir}" --no-check-upgrade >/dev/null)

echo "import-crds: ${#crds[@]} CRDs -> ${crds_dir#"${repo_root}/"}, typed constructs -> ${imports_dir#"${repo_root}/"}"
