import { createHash, randomUUID } from 'node:crypto';
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
 * with its size. If dist/ still matches it, a synth only has to redo units whose key changed; if all inputs are
 * unchanged too, there is nothing to do at all.
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

/** One environment's files as a digest of their sorted paths and sizes: compared without loading the state. */
export interface DistListing {
  readonly files: number;
  readonly digest: string;
}

/**
 * The small half of the state, read first: enough to decide "nothing to do" without parsing the records of
 * every file (megabytes with thousands of tenants). `generation` ties it to the state file written with it.
 */
export interface SynthStamp {
  readonly version: 1;
  readonly generation: string;
  readonly inputs: string;
  readonly writtenAt: number;
  readonly envs: readonly string[];
  /** Units in the state. */
  readonly units: number;
  readonly listings: Readonly<Record<string, DistListing>>;
}

export function stateFile(workDir: string, distDir: string): string {
  return join(workDir, 'state', `${createHash('sha256').update(distDir).digest('hex').slice(0, 16)}.json`);
}

function stampFile(stateFile: string): string {
  return stateFile.replace(/\.json$/, '.stamp.json');
}

function readJson<T>(file: string): T | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

function writeJson(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(value));
  renameSync(tmp, file);
}

export function loadStamp(stateFile: string): SynthStamp | undefined {
  const stamp = readJson<SynthStamp>(stampFile(stateFile));
  return stamp?.version === 1 ? stamp : undefined;
}

/** The state, if it is the one its stamp describes (a crash between the two writes leaves no state). */
export function loadState(stateFile: string, stamp: SynthStamp | undefined = loadStamp(stateFile)): SynthState | undefined {
  if (!stamp) return undefined;
  const state = readJson<SynthState & { generation?: string }>(stateFile);
  return state?.version === 2 && state.generation === stamp.generation ? state : undefined;
}

/** Writes the state and its stamp; the state first, so a stamp never describes a state that is not there. */
export function saveState(stateFile: string, state: SynthState): void {
  const generation = randomUUID();
  writeJson(stateFile, { ...state, generation });
  writeJson(stampFile(stateFile), stampOf(state, generation));
}

/** Updates only the stamp's inputs hash (the records are unchanged). */
export function saveInputs(stateFile: string, stamp: SynthStamp, inputs: string): void {
  writeJson(stampFile(stateFile), { ...stamp, inputs });
}

function stampOf(state: SynthState, generation: string): SynthStamp {
  const byEnv = new Map<string, Array<[string, number]>>(state.envs.map((env) => [env, []]));
  const add = (f: FileRecord): void => { byEnv.get(f[0].slice(0, f[0].indexOf('/')))?.push([f[0], f[2]]); };
  for (const unit of Object.values(state.units)) unit.files.forEach(add);
  state.generated.forEach(add);
  const listings: Record<string, DistListing> = {};
  for (const [env, files] of byEnv) {
    files.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    listings[env] = listingOf(files);
  }
  return { version: 1, generation, inputs: state.inputs, writtenAt: state.writtenAt, envs: state.envs, units: Object.keys(state.units).length, listings };
}

function listingOf(files: ReadonlyArray<readonly [string, number]>): DistListing {
  return { files: files.length, digest: createHash('sha256').update(files.map(([path, size]) => `${path}\0${size}\n`).join('')).digest('hex') };
}

/** A file as recorded: its size now. */
export function recordFile(distDir: string, path: string, identity: string): FileRecord {
  return [path, identity, statSync(join(distDir, path)).size];
}

/**
 * True when dist/<env> for each given environment holds exactly the recorded files, unmodified (same size, not
 * modified after the synth wrote them: a hand edit or a git checkout gives a newer mtime) and nothing else.
 * One readdir per directory and one stat per file; no file is read.
 */
export function distMatches(distDir: string, stamp: SynthStamp, envs: readonly string[]): boolean {
  for (const env of envs) {
    const expected = stamp.listings[env];
    if (!expected || !existsSync(join(distDir, env))) return false;
    const files: Array<[string, number]> = [];
    // Paths are joined by hand: path.join's normalization is measurable over tens of thousands of files.
    const root = `${distDir}/`;
    const walk = (rel: string): boolean => {
      for (const entry of readdirSync(root + rel, { withFileTypes: true })) {
        const path = `${rel}/${entry.name}`;
        if (entry.isDirectory()) {
          if (!walk(path)) return false;
          continue;
        }
        const s = statSync(root + path);
        if (s.mtimeMs > stamp.writtenAt) return false;
        files.push([path, s.size]);
      }
      return true;
    };
    if (!walk(env) || files.length !== expected.files) return false;
    files.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    if (listingOf(files).digest !== expected.digest) return false;
  }
  return true;
}
