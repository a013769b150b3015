import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';

export const KUSTOMIZATION_FILE = 'kustomization.yaml';

/**
 * Writes `<dir>/kustomization.yaml` listing the directory's manifests, for each directory Flux syncs: Flux builds
 * each path with kustomize, and `kubectl kustomize <path>` works on every one of them (a test checks it). Argo CD
 * detects the same file and builds those directories the same way.
 */
export function writeKustomizations(envRoot: string, dirs: readonly string[]): void {
  for (const dir of dirs) {
    const abs = join(envRoot, dir);
    mkdirSync(abs, { recursive: true });
    const resources = readdirSync(abs, { withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.yaml') && e.name !== KUSTOMIZATION_FILE)
      .map((e) => e.name)
      .sort();
    const file = join(abs, KUSTOMIZATION_FILE);
    // Never write through a hard link into the live tree: replace the file instead.
    if (existsSync(file)) rmSync(file);
    writeFileSync(file, yaml.dump({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources }, { lineWidth: -1 }));
  }
}
