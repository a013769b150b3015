import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import yaml from 'js-yaml';
import { KUSTOMIZATION_FILE } from '../gitops/kustomize';
import type { Manifest } from '../synth/manifest';
import { listFiles } from '../synth/output';

export interface DistObject {
  /** Path relative to dist/<env>/, e.g. "addons/monitoring/deployment-grafana.yaml". */
  readonly file: string;
  /** Directory relative to dist/<env>/. */
  readonly dir: string;
  readonly manifest: Manifest;
}

/** Every object of dist/<env>/ (kustomization.yaml files excluded), parsed. */
export function loadEnvTree(distDir: string, env: string): DistObject[] {
  const root = join(distDir, env);
  return listFiles(root)
    .filter((f) => f.endsWith('.yaml') && !f.endsWith(KUSTOMIZATION_FILE))
    .map((file) => ({ file, dir: dirname(file), manifest: yaml.load(readFileSync(join(root, file), 'utf8')) as Manifest }));
}
