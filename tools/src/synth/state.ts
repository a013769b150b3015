import { createHash, randomUUID } from 'node:crypto';
import { Dirent, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TenantSummary } from '../model/load';
import type { IngressRoute } from './render';

/** [path relative to the dist root, object identity ('' for generated config), size in bytes] */
export type FileRecord = [path: string, identity: string, size: number];

/**
 * A unit's files, one per line: `<path>\t<identity>\t<size>`. The state holds tens of thousands of files; as one
 * string per unit it is read, written and searched without an object per file.
 */
export type PackedFiles = string;

export function packFiles(files: Iterable<FileRecord>): PackedFiles {
  const lines: string[] = [];
  for (const [path, identity, size] of files) lines.push(`${path}\t${identity}\t${size}`);
  return lines.join('\n');
}

export function unpackFiles(packed: PackedFiles): FileRecord[] {
  if (packed === '') return [];
  return packed.split('\n').map((line) => {
    const [path, identity, size] = line.split('\t');
    return [path, identity, Number(size)];
  });
}

/** Whether a unit's packed files hold this path or this identity (a substring search, no unpacking). */
export function packedHasPath(packed: PackedFiles, path: string): boolean {
  return packed.startsWith(`${path}\t`) || packed.includes(`\n${path}\t`);
}

export function packedHasIdentity(packed: PackedFiles, identity: string): boolean {
  return packed.includes(`\t${identity}\t`);
}

export interface UnitRecord {
  readonly key: string;
  readonly files: PackedFiles;
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
  readonly version: 3;
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

/**
 * One environment's files as an order-independent digest of their paths and sizes: compared without loading the
 * state, and computed by a walk of dist/ without sorting or collecting anything.
 */
export interface DistListing {
  readonly files: number;
  readonly digest: string;
}

/**
 * Accumulates a DistListing: the sum, in two 32-bit lanes, of a 64-bit hash of each (path, size). It detects
 * accidental change (a file added, removed, resized, renamed), which is all it is for; mtimes catch in-place edits.
 */
export class ListingDigest {
  private files = 0;
  private a = 0;
  private b = 0;

  /** Continues from a listing (an incremental synth adds and removes the files of the units it rewrote). */
  static from(listing: DistListing): ListingDigest {
    const digest = new ListingDigest();
    digest.files = listing.files;
    digest.a = parseInt(listing.digest.slice(0, 8), 16);
    digest.b = parseInt(listing.digest.slice(8, 16), 16);
    return digest;
  }

  add(path: string, size: number): void {
    this.mix(path, size, 1);
  }

  remove(path: string, size: number): void {
    this.mix(path, size, -1);
  }

  /** Adds the files of another listing (digests of disjoint sets of files sum up). */
  merge(listing: DistListing): void {
    const other = ListingDigest.from(listing);
    this.a = (this.a + other.a) >>> 0;
    this.b = (this.b + other.b) >>> 0;
    this.files += other.files;
  }

  addPacked(packed: PackedFiles, sign: 1 | -1 = 1): void {
    if (packed === '') return;
    for (const line of packed.split('\n')) this.mix(line.slice(0, line.indexOf('\t')), Number(line.slice(line.lastIndexOf('\t') + 1)), sign);
  }

  listing(): DistListing {
    return { files: this.files, digest: `${this.a.toString(16).padStart(8, '0')}${this.b.toString(16).padStart(8, '0')}` };
  }

  private mix(path: string, size: number, sign: 1 | -1): void {
    // Two multiply-xorshift lanes over the characters (the cyrb53 construction), seeded with the size.
    let h1 = 0xdeadbeef ^ size;
    let h2 = 0x41c6ce57 ^ size;
    for (let i = 0; i < path.length; i++) {
      const c = path.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    this.a = (this.a + sign * (h1 >>> 0)) >>> 0;
    this.b = (this.b + sign * (h2 >>> 0)) >>> 0;
    this.files += sign;
  }
}

/**
 * The small half of the state, read first: enough to decide "nothing to do" without parsing the records of
 * every file (megabytes with thousands of tenants). `generation` ties it to the state file written with it.
 */
export interface SynthStamp {
  readonly version: 2;
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
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined; // missing or unreadable: as if there were none
  }
}

function writeAtomically(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

export function loadStamp(stateFile: string): SynthStamp | undefined {
  const stamp = readJson<SynthStamp>(stampFile(stateFile));
  return stamp?.version === 2 ? stamp : undefined;
}

/*
 * The state file: one line of JSON (everything but the units' packed files, which it replaces by their lengths),
 * then the packed files of every unit, concatenated in the order of the JSON: parsing is one small JSON.parse and
 * a slice per unit, with no escaping of the bulk.
 */
type StoredUnit = Omit<UnitRecord, 'files'> & { readonly length: number };
type StoredState = Omit<SynthState, 'units'> & { readonly generation: string; readonly units: Record<string, StoredUnit> };

/** The state, if it is the one its stamp describes (a crash between the two writes leaves no state). */
export function loadState(stateFile: string, stamp: SynthStamp | undefined = loadStamp(stateFile)): SynthState | undefined {
  if (!stamp) return undefined;
  let text: string;
  try {
    text = readFileSync(stateFile, 'utf8');
  } catch {
    return undefined;
  }
  const headerEnd = text.indexOf('\n');
  let stored: StoredState;
  try {
    stored = JSON.parse(headerEnd < 0 ? text : text.slice(0, headerEnd)) as StoredState;
  } catch {
    return undefined;
  }
  if (stored.version !== 3 || stored.generation !== stamp.generation) return undefined;
  const units: Record<string, UnitRecord> = {};
  let offset = headerEnd + 1;
  for (const [id, { length, ...rest }] of Object.entries(stored.units)) {
    units[id] = { ...rest, files: text.slice(offset, offset + length) };
    offset += length;
  }
  if (offset !== text.length) return undefined; // truncated or extended: not what was written
  const { generation: _generation, ...state } = stored;
  return { ...state, units };
}

/**
 * Writes the state and its stamp; the state first, so a stamp never describes a state that is not there. The
 * listings are computed from the state unless given (an incremental synth updates the previous ones).
 */
export function saveState(stateFile: string, state: SynthState, listings: Readonly<Record<string, DistListing>> = listingsOf(state)): void {
  const generation = randomUUID();
  const units: Record<string, StoredUnit> = {};
  const bodies: string[] = [];
  for (const [id, { files, ...rest }] of Object.entries(state.units)) {
    units[id] = { ...rest, length: files.length };
    bodies.push(files);
  }
  const stored: StoredState = { ...state, generation, units };
  writeAtomically(stateFile, `${JSON.stringify(stored)}\n${bodies.join('')}`);
  const stamp: SynthStamp = { version: 2, generation, inputs: state.inputs, writtenAt: state.writtenAt, envs: state.envs, units: Object.keys(state.units).length, listings };
  writeAtomically(stampFile(stateFile), JSON.stringify(stamp));
}

function listingsOf(state: SynthState): Record<string, DistListing> {
  // Unit ids and file paths both start with the environment.
  const digests = new Map(state.envs.map((env) => [env, new ListingDigest()]));
  const envOf = (idOrPath: string): string => idOrPath.slice(0, idOrPath.indexOf('/'));
  for (const [id, unit] of Object.entries(state.units)) digests.get(envOf(id))?.addPacked(unit.files);
  for (const [path, , size] of state.generated) digests.get(envOf(path))?.add(path, size);
  const listings: Record<string, DistListing> = {};
  for (const [env, digest] of digests) listings[env] = digest.listing();
  return listings;
}

/** A file as recorded: its size now. */
export function recordFile(distDir: string, path: string, identity: string): FileRecord {
  return [path, identity, statSync(join(distDir, path)).size];
}

/** What one thread saw of dist/: whether every file it stat'ed predates the synth, and per environment a digest. */
export interface DistPart {
  readonly fresh: boolean;
  /** The work items both threads listed: equal, or dist/ changed under the check. */
  readonly items: string;
  readonly listings: Readonly<Record<string, DistListing>>;
}

/** A part that saw a difference, or could not look: dist/ is not as recorded. */
export const STALE_PART: DistPart = { fresh: false, items: '', listings: {} };

/** Shared by the threads walking dist/: [next item to take, 1 once any thread found a difference]. */
export type WalkCounter = Int32Array;

export function walkCounter(): WalkCounter {
  return new Int32Array(new SharedArrayBuffer(8));
}

/**
 * The pieces of dist/<env> the threads share out: each add-on and each tenant folder on its own, every other
 * top-level entry whole; sorted, so every thread lists the same items. Undefined if an environment is missing.
 */
function distItems(root: string, envs: readonly string[]): string[] | undefined {
  const items: string[] = [];
  // Directories end in '/': the walk lists them without a stat.
  const add = (path: string, entry: Dirent): number => items.push(entry.isDirectory() ? `${path}/` : path);
  for (const env of envs) {
    let entries: Dirent[];
    try {
      entries = readdirSync(root + env, { withFileTypes: true });
    } catch {
      return undefined;
    }
    for (const entry of entries) {
      const path = `${env}/${entry.name}`;
      if (entry.isDirectory() && (entry.name === 'tenants' || entry.name === 'addons')) {
        for (const child of readdirSync(root + path, { withFileTypes: true })) add(`${path}/${child.name}`, child);
      } else {
        add(path, entry);
      }
    }
  }
  return items.sort();
}

/**
 * Walks the items of dist/ this thread takes from `counter` (other threads take the rest): one readdir per
 * directory and one stat per file, no file read. A file modified after the synth wrote it (a hand edit, a git
 * checkout) stops every thread.
 */
export function walkDistPart(distDir: string, stamp: SynthStamp, envs: readonly string[], counter: WalkCounter): DistPart {
  // Paths are joined by hand: path.join's normalization is measurable over tens of thousands of files.
  const root = `${distDir}/`;
  const items = distItems(root, envs);
  const digests = new Map(envs.map((env) => [env, new ListingDigest()]));
  const stale = (): DistPart => {
    Atomics.store(counter, 1, 1);
    return STALE_PART;
  };
  if (!items) return stale();
  const file = (path: string, digest: ListingDigest): boolean => {
    const s = statSync(root + path);
    if (s.mtimeMs > stamp.writtenAt) return false;
    digest.add(path, s.size);
    return true;
  };
  const dir = (path: string, digest: ListingDigest): boolean => {
    for (const entry of readdirSync(root + path, { withFileTypes: true })) {
      const child = `${path}/${entry.name}`;
      if (!(entry.isDirectory() ? dir(child, digest) : file(child, digest))) return false;
    }
    return true;
  };
  try {
    for (let i = Atomics.add(counter, 0, 1); i < items.length; i = Atomics.add(counter, 0, 1)) {
      if (Atomics.load(counter, 1) === 1) return stale();
      const item = items[i];
      const digest = digests.get(item.slice(0, item.indexOf('/')))!;
      if (!(item.endsWith('/') ? dir(item.slice(0, -1), digest) : file(item, digest))) return stale();
    }
  } catch {
    return stale(); // something vanished while walking: dist/ is changing under us
  }
  return { fresh: true, items: items.join('\n'), listings: Object.fromEntries([...digests].map(([env, d]) => [env, d.listing()])) };
}

/** True when the parts, together, saw exactly the recorded files of each environment, none modified since. */
export function distPartsMatch(stamp: SynthStamp, envs: readonly string[], parts: readonly DistPart[]): boolean {
  if (!parts.every((p) => p.fresh && p.items === parts[0].items)) return false;
  return envs.every((env) => {
    const expected = stamp.listings[env];
    if (!expected) return false;
    const total = new ListingDigest();
    for (const part of parts) total.merge(part.listings[env]);
    const found = total.listing();
    return found.files === expected.files && found.digest === expected.digest;
  });
}

/**
 * True when dist/<env> for each given environment holds exactly the recorded files, unmodified (same size, not
 * modified after the synth wrote them: a hand edit or a git checkout gives a newer mtime) and nothing else.
 */
export function distMatches(distDir: string, stamp: SynthStamp, envs: readonly string[]): boolean {
  return distPartsMatch(stamp, envs, [walkDistPart(distDir, stamp, envs, walkCounter())]);
}
