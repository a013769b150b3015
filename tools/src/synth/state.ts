import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TenantSummary } from '../model/load';
import type { IngressRoute } from './render';

/** [path relative to the dist root, object identity ('' for generated config), size in bytes] */
export type FileRecord = [path: string, identity: string, size: number];

export interface UnitRecord {
  readonly key: string;
  readonly files: readonly FileRecord[];
  readonly routes: readonly IngressRoute[];
  readonly objects: number;
  readonly bytes: number;
}

/**
 * What the last synth left in one dist directory, kept outside git (.synth/): the unit keys, and every file
 * with its size and mtime. If dist/ still matches it, a synth only has to redo units whose key changed; if all
 * inputs are unchanged too, there is nothing to do at all.
 */
export interface SynthState {
  readonly version: 2;
  /** Hash of every source file and the lockfile: equal means "nothing changed since". */
  readonly inputs: string;
  /**
   * When the synth finished writing (epoch ms). Every file it wrote is older; a hand edit or a git checkout
   * afterwards gives a file a newer mtime. (One timestamp instead of one stat per written file.)
   */
  readonly writtenAt: number;
  /** Environments rendered, sorted. */
  readonly envs: readonly string[];
  /** Unit id ("prod/tenant/webshop") → record. */
  readonly units: Readonly<Record<string, UnitRecord>>;
  /** Files the synth generates outside units (kustomization.yaml). */
  readonly generated: readonly FileRecord[];
  /** What each tenant file declared, so unchanged tenants are planned without loading them. */
  readonly tenants: Readonly<Record<string, TenantSummary>>;
}

export function stateFile(workDir: string, distDir: string): string {
  return join(workDir, 'state', `${createHash('sha256').update(distDir).digest('hex').slice(0, 16)}.json`);
}

export function loadState(file: string): SynthState | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as SynthState;
    return state.version === 2 ? state : undefined;
  } catch {
    return undefined;
  }
}

export function saveState(file: string, state: SynthState): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, file);
}

/** A file as recorded: its size now. */
export function recordFile(distDir: string, path: string, identity: string): FileRecord {
  return [path, identity, statSync(join(distDir, path)).size];
}

/**
 * True when dist/<env> for the given environments holds exactly the recorded files, unmodified (same size, not
 * modified after the synth wrote them: a hand edit or a git checkout gives a newer mtime) and nothing else.
 */
export function distMatches(distDir: string, state: SynthState, envs: readonly string[]): boolean {
  const expected = new Map<string, FileRecord>();
  const inEnvs = (p: string): boolean => envs.includes(p.slice(0, p.indexOf('/')));
  for (const unit of Object.values(state.units)) for (const f of unit.files) if (inEnvs(f[0])) expected.set(f[0], f);
  for (const f of state.generated) if (inEnvs(f[0])) expected.set(f[0], f);
  let seen = 0;
  const walk = (dir: string, rel: string): boolean => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!walk(join(dir, entry.name), path)) return false;
        continue;
      }
      const record = expected.get(path);
      if (!record) return false;
      const s = statSync(join(dir, entry.name));
      if (s.size !== record[2] || s.mtimeMs > state.writtenAt) return false;
      seen++;
    }
    return true;
  };
  for (const env of envs) {
    if (!existsSync(join(distDir, env))) return false;
    if (!walk(join(distDir, env), env)) return false;
  }
  return seen === expected.size;
}
