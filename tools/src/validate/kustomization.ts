import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** kustomize's config files: not cluster objects, read by Flux (kustomize build) to know what to apply. */
export function isKustomizationFile(path: string): boolean {
  const name = basename(path);
  return name === 'kustomization.yaml' || name === 'kustomization.yml';
}

export const KUSTOMIZE_API_VERSION = 'kustomize.config.k8s.io/v1beta1';

export interface KustomizationProblem {
  readonly path: string;
  readonly message: string;
}

/** Minimal check: the right apiVersion/kind, and every local entry of `resources` exists next to the file. */
export function checkKustomization(abs: string, doc: unknown, exists: (path: string) => boolean = existsSync): KustomizationProblem[] {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return [{ path: '', message: 'must be a Kustomization object' }];
  const k = doc as Record<string, unknown>;
  const problems: KustomizationProblem[] = [];
  if (k.apiVersion !== KUSTOMIZE_API_VERSION) {
    problems.push({ path: 'apiVersion', message: `must be "${KUSTOMIZE_API_VERSION}" (got ${JSON.stringify(k.apiVersion) ?? 'nothing'})` });
  }
  if (k.kind !== 'Kustomization') problems.push({ path: 'kind', message: `must be "Kustomization" (got ${JSON.stringify(k.kind) ?? 'nothing'})` });
  if (k.resources === undefined) return problems;
  if (!Array.isArray(k.resources)) return [...problems, { path: 'resources', message: 'must be a list of files or directories' }];
  k.resources.forEach((entry, i) => {
    if (typeof entry !== 'string' || entry === '') {
      problems.push({ path: `resources[${i}]`, message: 'must be a relative path' });
    } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || entry.startsWith('git@')) {
      // Remote bases are fetched by kustomize at build time; nothing to check offline.
    } else if (!exists(join(dirname(abs), entry))) {
      problems.push({ path: `resources[${i}]`, message: `"${entry}" does not exist next to this file` });
    }
  });
  return problems;
}
