import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** One YAML file of a rendered tree. */
export interface TreeFile {
  readonly abs: string;
  /** How reports name it. */
  readonly display: string;
  /** Environment directory it lives in. */
  readonly env: string;
}

export interface TreeLayout {
  /** Environment directories to validate: name → absolute path. */
  readonly envDirs: ReadonlyMap<string, string>;
}

/** Sub-directories every rendered environment has (README "What dist/<env>/ contains"). */
const ENV_LAYERS = ['cluster', 'addons', 'tenants', 'argocd', 'flux', 'bootstrap'];

/**
 * What a directory given to `validate --dir` is: one environment (`dist/test`, named by the directory, or any
 * directory holding cluster/, addons/, tenants/...), a part of one (`dist/test/tenants/shop`), or a dist root
 * whose sub-directories are environments.
 */
export function layoutOf(dir: string, knownEnvs: ReadonlySet<string>): TreeLayout {
  const subdirs = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
  const looksLikeEnv = subdirs.some((d) => ENV_LAYERS.includes(d));
  const hasEnvChildren = subdirs.some((d) => knownEnvs.has(d));
  if (!hasEnvChildren && (knownEnvs.has(basename(dir)) || looksLikeEnv)) {
    return { envDirs: new Map([[basename(dir), dir]]) };
  }
  if (!hasEnvChildren) {
    // A directory inside an environment (dist/test/tenants/shop): checked as that environment's, on its own.
    for (let child = dir, d = dirname(dir); d !== child; child = d, d = dirname(d)) {
      if (knownEnvs.has(basename(d)) && ENV_LAYERS.includes(basename(child))) return { envDirs: new Map([[basename(d), dir]]) };
    }
  }
  return { envDirs: new Map(subdirs.map((d) => [d, join(dir, d)])) };
}

/** Every *.yaml / *.yml file under each environment directory, sorted (deterministic reports). */
export function listTreeFiles(layout: TreeLayout, display: (abs: string) => string): TreeFile[] {
  const out: TreeFile[] = [];
  for (const [env, dir] of layout.envDirs) {
    if (!existsSync(dir)) continue;
    const walk = (d: string): void => {
      const entries = readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        const full = join(d, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.yaml') || entry.name.endsWith('.yml')) out.push({ abs: full, display: display(full), env });
        else if (entry.isSymbolicLink() && statSync(full).isDirectory()) walk(full);
      }
    };
    walk(dir);
  }
  return out;
}
