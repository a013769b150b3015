import { createHash } from 'node:crypto';
import { context, trace } from '@opentelemetry/api';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, rmdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { UserError } from '../errors';
import { KUSTOMIZATION_FILE, writeKustomizations } from '../gitops/kustomize';
import { fluxPaths } from '../gitops/layers';
import type { Model, ModelOptions } from '../model/load';
import { recordSpan, tracer } from '../tracing';
import { Workspace } from '../workspace';
import { UnitCache } from './cache';
import { SourceHasher } from './inputs';
import { UNIT_LABEL } from './manifest';
import { DistTransaction } from './output';
import { WORKER_THRESHOLD, defaultWorkerCount, renderInWorkers } from './pool';
import type { UnitResult } from './render';
import { DistListing, DistPart, ListingDigest, STALE_PART, SynthStamp, SynthState, UnitRecord, distPartsMatch, loadStamp, loadState, packFiles, packedHasIdentity, packedHasPath, recordFile, saveState, stateFile, unpackFiles, walkCounter, walkDistPart } from './state';
import { Unit, UnitFilter, describeUnit, parseUnitId, planUnits, unitId, unitLabel } from './units';

/** Bump when the output format changes in a way the source hashes do not capture. */
const CACHE_FORMAT = 'platformctl-unit-v1';

export interface SynthOptions extends UnitFilter {
  /** Run the validation gate on the rendered tree before it replaces dist/. @default true */
  readonly validate?: boolean;
  /** Use the unit cache and the state of the last synth (incremental and no-op synths). @default true */
  readonly cache?: boolean;
  /** Worker threads; 1 renders in this thread. @default available cores (when there are enough units) */
  readonly workers?: number;
  /** Called after each rendered unit with (done, total). */
  readonly onProgress?: (done: number, total: number) => void;
  /** Benchmark only: render every unit in ONE cdk8s App (the naive, quadratic path). @default false */
  readonly singleApp?: boolean;
}

export interface SynthReport {
  readonly environments: readonly string[];
  /** How the synth ran: nothing to do, only changed units, or a complete new tree. */
  readonly mode: 'up-to-date' | 'incremental' | 'full';
  /** Units in the plan. */
  readonly units: number;
  /** Units rendered (cache misses) and units served from the cache. */
  readonly rendered: number;
  readonly cached: number;
  /** Objects and files of the units written this time. */
  readonly objects: number;
  readonly files: number;
  readonly bytes: number;
}

interface UnitView {
  readonly unit: Unit;
  readonly files: ReadonlyArray<{ readonly path: string; readonly identity: string }>;
  readonly routes: UnitResult['routes'];
}

function clash(owner: Unit, unit: Unit, identity: string, path: string): string {
  const [, kind, namespace, name] = identity.split('/');
  return `${describeUnit(owner)} and ${describeUnit(unit)} both render ${kind} "${namespace ? `${namespace}/` : ''}${name}" (dist/${path})`;
}

function failOnConflicts(problems: readonly string[]): void {
  if (problems.length) throw new UserError(`conflicting units:\n  ${[...new Set(problems)].join('\n  ')}`);
}

/** Two units must never render the same object, the same file, or route the same host and path. */
export function checkConflicts(results: readonly UnitView[]): void {
  const byIdentity = new Map<string, Unit>();
  const byPath = new Map<string, Unit>();
  const problems: string[] = [];
  for (const { unit, files } of results) {
    for (const file of files) {
      const key = `${unit.env}:${file.identity}`;
      const owner = byIdentity.get(key) ?? byPath.get(file.path);
      if (owner && (owner.kind !== unit.kind || owner.name !== unit.name)) {
        problems.push(clash(owner, unit, file.identity, file.path));
      } else if (owner) {
        problems.push(`${describeUnit(unit)} renders ${file.identity} twice (dist/${file.path})`);
      }
      byIdentity.set(key, unit);
      byPath.set(file.path, unit);
    }
  }
  const routes = new Map<string, { unit: Unit; ingress: string }>();
  for (const { unit, routes: claimed } of results) {
    for (const route of claimed) {
      const key = `${unit.env} ${route.host}${route.path}`;
      const owner = routes.get(key);
      if (owner && (owner.unit.kind !== unit.kind || owner.unit.name !== unit.name)) {
        problems.push(`${describeUnit(owner.unit)} (Ingress ${owner.ingress}) and ${describeUnit(unit)} (Ingress ${route.ingress}) both route https://${route.host}${route.path}`);
      }
      routes.set(key, { unit, ingress: route.ingress });
    }
  }
  failOnConflicts(problems);
}

/** Above this many new paths and objects, indexing every file beats searching the records for each. */
const MAX_LOOKUPS = 16;

/**
 * checkConflicts for an incremental synth. The units that stay were conflict-free at the last synth (it checked),
 * so they can only clash with what a re-rendered unit renders anew: a path or an object it did not render last
 * time. Those few are looked up in the staying units' packed records instead of indexing every file again.
 */
export function checkIncrementalConflicts(
  changed: readonly UnitView[], staying: ReadonlyArray<{ readonly unit: Unit; readonly record: UnitRecord }>,
  previous: Readonly<Record<string, UnitRecord>>,
): void {
  const routesOnly = staying.map(({ unit, record }) => ({ unit, files: [], routes: record.routes }));
  checkConflicts([...changed, ...routesOnly]); // among the changed units, and every route (a few per unit)
  const fresh: Array<{ unit: Unit; path?: string; identity?: string; file: string; object: string }> = [];
  for (const { unit, files } of changed) {
    const before = unpackFiles(previous[unitId(unit)]?.files ?? '');
    const paths = new Set(before.map((f) => f[0]));
    const identities = new Set(before.map((f) => f[1]));
    for (const f of files) {
      const path = paths.has(f.path) ? undefined : f.path;
      const identity = identities.has(f.identity) ? undefined : f.identity;
      if (path || identity) fresh.push({ unit, path, identity, file: f.path, object: f.identity });
    }
  }
  if (fresh.length > MAX_LOOKUPS) {
    checkConflicts([...changed, ...staying.map(({ unit, record }) => fromRecord(unit, record))]);
    return;
  }
  const problems: string[] = [];
  for (const f of fresh) {
    for (const { unit, record } of staying) {
      if (unit.env !== f.unit.env) continue;
      if ((f.path && packedHasPath(record.files, f.path)) || (f.identity && packedHasIdentity(record.files, f.identity))) {
        problems.push(clash(f.unit, unit, f.object, f.file)); // in checkConflicts' order: changed units come first
      }
    }
  }
  failOnConflicts(problems);
}

/*
 * The model (environments, cdk8s), rendering and validation are loaded only when there is work to do: a no-op synth
 * starts, hashes its inputs, checks dist/ and exits without loading cdk8s at all.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const lazy = {
  model: () => require('../model/load') as typeof import('../model/load'),
  render: () => require('./render') as typeof import('./render'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

const OWNER = new RegExp(`^\\s+${UNIT_LABEL.replace(/[./]/g, '\\$&')}: (\\S+)$`, 'm');
const REPO_ROOT = resolve(__dirname, '../../..');

/** Every source the output can depend on, hashed: equal means nothing that matters changed. */
function inputsHash(ws: Workspace, hasher: SourceHasher): string {
  const roots = [
    join(ws.root, 'environments'), join(ws.root, 'apps'), join(ws.root, 'addons'),
    join(REPO_ROOT, 'charts', 'src'), join(REPO_ROOT, 'environments', 'src'), join(REPO_ROOT, 'addons'),
    join(REPO_ROOT, 'tools', 'src'), join(REPO_ROOT, 'tools', 'bin'),
  ];
  const files = [...new Set(roots)].flatMap((r) => hasher.folderFiles(r))
    .filter((f) => !/\.test\.ts$|\/test\/|README\.md$/.test(f));
  return createHash('sha256').update(hasher.hashFiles([...files, join(REPO_ROOT, 'package-lock.json')])).update(CACHE_FORMAT).digest('hex');
}

/** Hash of a tenant's inputs: its file, its folder, and everything it imports. */
function tenantInputs(hasher: SourceHasher, file: string): string {
  return hasher.moduleHash(file, hasher.folderFiles(dirname(file)));
}

/** Hash of an add-on's inputs: its folder and everything its entry imports. */
function addonInputs(ws: Workspace, hasher: SourceHasher, name: string): string {
  const dir = join(ws.addonsDir, name);
  return hasher.moduleHash(join(dir, 'src', 'index.ts'), hasher.folderFiles(dir));
}

/**
 * Cache key of each unit: its own inputs, the environment file (with its imports), the synth's code, the lockfile.
 * An add-on's key also covers the other add-ons of its environment (their dependsOn decides its sync wave);
 * nothing is loaded to compute a key.
 */
function unitKeys(ws: Workspace, model: Model, hasher: SourceHasher, units: readonly Unit[]): Map<string, string> {
  const base = hasher.hashFiles([...hasher.closure(join(__dirname, 'render.ts')), join(REPO_ROOT, 'package-lock.json')]);
  const envHash = new Map<string, string>();
  const addonsOfEnv = new Map<string, string>();
  const keys = new Map<string, string>();
  for (const unit of units) {
    const env = model.environments.get(unit.env)!;
    if (!envHash.has(unit.env)) envHash.set(unit.env, hasher.moduleHash(env.file));
    let own = '';
    if (unit.kind === 'addon') {
      let all = addonsOfEnv.get(unit.env);
      if (all === undefined) {
        all = env.addonNames.map((a) => addonInputs(ws, hasher, a)).join(',');
        addonsOfEnv.set(unit.env, all);
      }
      own = `${addonInputs(ws, hasher, unit.name)}/${all}`;
    } else if (unit.kind === 'tenant') {
      own = tenantInputs(hasher, model.tenantFile(unit.name));
    }
    keys.set(unitId(unit), createHash('sha256').update(`${CACHE_FORMAT}\n${base}\n${envHash.get(unit.env)}\n${unitId(unit)}\n${own}`).digest('hex'));
  }
  return keys;
}

function toRecord(result: UnitResult, key: string): UnitRecord {
  return {
    key,
    files: packFiles(result.files.map((f) => [f.path, f.identity, f.bytes])),
    routes: result.routes,
    objects: result.objects,
    bytes: result.bytes,
  };
}

function fromRecord(unit: Unit, record: UnitRecord): UnitView {
  return { unit, files: unpackFiles(record.files).map(([path, identity]) => ({ path, identity })), routes: record.routes };
}

/**
 * Walks dist/ on a worker thread, started first thing: the work is shared through a counter, so this thread can
 * join in when it has nothing better to do (a no-op synth) or leave it all to the worker (an incremental synth,
 * where the main thread loads and renders meanwhile). Any failure counts as "dist/ is not as recorded".
 */
class DistCheck {
  readonly counter = walkCounter();
  readonly part: Promise<DistPart>;

  constructor(distDir: string, stamp: SynthStamp) {
    const worker = new Worker(join(__dirname, 'dist-check-entry.js'), { workerData: { distDir, stamp } });
    this.part = new Promise<DistPart>((settle) => {
      worker.once('message', settle);
      worker.once('error', () => settle(STALE_PART));
      worker.once('exit', () => settle(STALE_PART));
    }).finally(() => void worker.terminate());
    worker.postMessage({ envs: stamp.envs, counter: this.counter });
  }
}

/** The background check of dist/ in its own span. */
function timedCheck(matches: Promise<boolean>): Promise<boolean> {
  const span = tracer.startSpan('check-dist');
  return matches.finally(() => span.end());
}

/** Runs a synchronous phase in its own span. */
function timed<T>(name: string, fn: () => T): T {
  const span = tracer.startSpan(name);
  try {
    return fn();
  } finally {
    span.end();
  }
}

/**
 * Spans of work that already happened (possibly on worker threads): environment → unit → render/write, with the
 * unit's objects, bytes and whether it came from the cache.
 */
function traceUnits(envs: readonly string[], results: readonly UnitResult[]): void {
  for (const env of envs) {
    const mine = results.filter((r) => r.unit.env === env);
    if (!mine.length) continue;
    const envSpan = tracer.startSpan('environment', { startTime: Math.min(...mine.map((r) => r.timing[0])), attributes: { env, units: mine.length } });
    context.with(trace.setSpan(context.active(), envSpan), () => {
      for (const r of mine) {
        const unitSpan = tracer.startSpan('unit', {
          startTime: r.timing[0],
          attributes: { env, unit: `${r.unit.kind}/${r.unit.name}`, objects: r.objects, bytes: r.bytes, cache: r.cached ? 'hit' : 'miss' },
        });
        context.with(trace.setSpan(context.active(), unitSpan), () => {
          if (!r.cached) {
            recordSpan('render', r.timing[0], r.timing[1], {});
            recordSpan('validate', r.timing[1], r.timing[2], { objects: r.objects });
          }
          recordSpan('write', r.timing[2], r.timing[3], { files: r.files.length });
        });
        unitSpan.end(r.timing[3]);
      }
    });
    envSpan.end(Math.max(...mine.map((r) => r.timing[3])));
  }
}

/** Removes now-empty directories from `dir` up to (not including) `stop`. */
function pruneEmptyDirs(dir: string, stop: string): void {
  while (dir.startsWith(stop) && dir !== stop && existsSync(dir) && readdirSync(dir).length === 0) {
    rmdirSync(dir);
    dir = dirname(dir);
  }
}

/**
 * Renders the selected units of the selected environments into dist/<env>/ — all or nothing.
 *
 * - Up to date: every source and the lockfile hash as at the last synth, and dist/ holds exactly what that synth
 *   wrote: nothing to do.
 * - Incremental: dist/ is as the last synth left it; only units whose cache key changed are written (from the unit
 *   cache or rendered), validated, then moved into place; their stale files are deleted.
 * - Full: a complete tree is built in a staging directory (cached units copied, others rendered) and swapped in
 *   with rename(2); environments and files nobody renders any more disappear.
 * On any error before the final step, dist/ is untouched.
 */
export async function synth(ws: Workspace, options: SynthOptions = {}, loadModelFn: (o: ModelOptions) => Model = (o) => lazy.model().loadModel(ws, o)): Promise<SynthReport> {
  const useCache = options.cache ?? true;
  const filtered = Boolean(options.envs || options.only);
  const hasher = new SourceHasher(ws.root);
  const statePath = stateFile(ws.workDir, ws.distDir);
  const stamp = useCache ? loadStamp(statePath) : undefined;
  // Does dist/ hold exactly what the last synth wrote? Walking tens of thousands of files is the whole cost of a
  // no-op synth: a worker starts walking while this thread hashes the inputs.
  const check = stamp ? new DistCheck(ws.distDir, stamp) : undefined;
  const inputs = timed('inputs', () => inputsHash(ws, hasher));

  let distCheck: Promise<boolean> = Promise.resolve(false);
  if (stamp && check) {
    if (!filtered && stamp.inputs === inputs) {
      // Nothing changed in the sources: this thread joins the walk, and the answer decides everything.
      const span = tracer.startSpan('check-dist');
      const mine = walkDistPart(ws.distDir, stamp, stamp.envs, check.counter);
      const upToDate = distPartsMatch(stamp, stamp.envs, [mine, await check.part]);
      span.end();
      if (upToDate) return { environments: stamp.envs, mode: 'up-to-date', units: stamp.units, rendered: 0, cached: 0, objects: 0, files: 0, bytes: 0 };
    } else {
      // Incremental work needs dist/ to be exactly as the last synth left it: the worker walks it all meanwhile.
      distCheck = timedCheck(check.part.then((part) => distPartsMatch(stamp, stamp.envs, [part])));
    }
  }
  const state = stamp ? timed('load-state', () => loadState(statePath, stamp)) : undefined;
  const model = timed('load-model', () => loadModelFn({ knownTenants: state?.tenants, tenantHash: (file) => tenantInputs(hasher, file) }));
  const units = timed('plan', () => planUnits(model, options));
  const envs = options.envs ? [...options.envs].sort() : [...model.environments.keys()].sort();
  if (options.only && units.length === 0) {
    throw new UserError(`--only ${options.only.join(', ')}: not rendered in ${envs.join(', ')}`);
  }
  const keys = timed('keys', () => unitKeys(ws, model, hasher, units));
  const cache = new UnitCache(join(ws.workDir, 'cache'));
  const validate = options.validate ?? true;
  const sameEnvs = state !== undefined && (filtered ? envs.every((e) => state.envs.includes(e)) : state.envs.join() === envs.join());
  const mayBeIncremental = useCache && state !== undefined && sameEnvs;
  // Units whose key changed are written whether the synth turns out incremental or full.
  const changed = mayBeIncremental ? units.filter((u) => state.units[unitId(u)]?.key !== keys.get(unitId(u))) : units;
  const planned = new Set(units.map(unitId));
  const inScope = (id: string): boolean => envs.includes(id.slice(0, id.indexOf('/')));
  // Settings of every add-on about to render are checked before any work: errors name the environment file.
  const checkSettings = (list: readonly Unit[]): void => { for (const unit of list) if (unit.kind === 'addon') model.addonSettings(unit.env, unit.name); };
  checkSettings(changed);

  let tx: DistTransaction | undefined;
  const results = new Map<string, UnitResult>();
  /** Writes units into the staging tree: cache hits are copied; misses rendered (on worker threads when many). */
  const writeUnits = async (todo: readonly Unit[]): Promise<number> => {
    tx ??= DistTransaction.begin(ws.distDir);
    const staging = tx.staging;
    const misses: Unit[] = [];
    for (const unit of todo) {
      if (results.has(unitId(unit))) continue;
      const hit = useCache ? cache.get(keys.get(unitId(unit))!) : undefined;
      if (hit) results.set(unitId(unit), lazy.render().writeUnit(unit, hit, staging, true));
      else misses.push(unit);
    }
    const progress = (done: number): void => options.onProgress?.(done, misses.length);
    const workers = options.workers ?? (misses.length >= WORKER_THRESHOLD ? defaultWorkerCount() : 1);
    const rendered = options.singleApp
      ? lazy.render().synthUnitsInOneApp(ws, model, misses, staging, validate)
      : workers > 1
      ? await renderInWorkers({ root: ws.root, distDir: ws.distDir, staging, cacheDir: useCache ? cache.dir : undefined, validate },
        misses.map((unit) => ({ unit, key: keys.get(unitId(unit))! })), workers, progress)
      : misses.map((unit, i) => {
        const result = lazy.render().synthUnit(ws, model, unit, staging, useCache ? { store: cache, key: keys.get(unitId(unit))! } : undefined, validate);
        progress(i + 1);
        return result;
      });
    for (const r of rendered) results.set(unitId(r.unit), r);
    return rendered.length;
  };

  let rendered = 0;
  let incremental = false;
  try {
    // A few changed units are written while the check of dist/ (on its worker) finishes; many are written after,
    // when the worker threads that render them have both cores.
    if (mayBeIncremental && changed.length > 0 && changed.length < WORKER_THRESHOLD) rendered += await writeUnits(changed);
    incremental = mayBeIncremental && await distCheck;
  } catch (err) {
    tx?.abort();
    throw err;
  }
  // Units that left the plan (a removed tenant or add-on) in the environments being synthesized.
  const removed = incremental && !options.only ? Object.keys(state!.units).filter((id) => inScope(id) && !planned.has(id)) : [];
  if (!incremental) checkSettings(units);

  if (incremental && changed.length === 0 && removed.length === 0) {
    if (!filtered) saveState(statePath, { ...state!, inputs, tenants: model.tenantSummaries() }, stamp!.listings);
    return { environments: envs, mode: 'up-to-date', units: units.length, rendered: 0, cached: 0, objects: 0, files: 0, bytes: 0 };
  }

  tx ??= DistTransaction.begin(ws.distDir);
  try {
    if (!incremental) rendered += await writeUnits(units);

    // Conflicts are checked against the whole environment: what was just written plus what stays.
    if (incremental) {
      const gone = new Set(removed);
      const staying: Array<{ unit: Unit; record: UnitRecord }> = [];
      for (const [id, record] of Object.entries(state!.units)) {
        if (inScope(id) && !results.has(id) && !gone.has(id)) staying.push({ unit: parseUnitId(id), record });
      }
      timed('conflicts', () => checkIncrementalConflicts([...results.values()], staying, state!.units));
    } else {
      timed('conflicts', () => checkConflicts([...results.values()]));
    }

    if (!incremental && options.only) {
      // No trustworthy state: keep the other units' files as they are in dist/ (found by their unit label).
      const replaced = new Set(units.map(unitLabel));
      const written = new Set([...results.values()].flatMap((r) => r.files.map((f) => f.path)));
      for (const env of envs) {
        tx.carryOver(env, (rel, content) => {
          if (rel.endsWith(`/${KUSTOMIZATION_FILE}`)) return false; // regenerated below
          const owner = OWNER.exec(content())?.[1];
          if (owner && replaced.has(owner)) return false;
          if (written.has(`${env}/${rel}`)) {
            throw new UserError(`conflict: dist/${env}/${rel} belongs to ${owner ?? 'another unit'} and is rendered by ${[...replaced].join(', ')} too`);
          }
          return true;
        });
      }
    }
    // Flux directories follow every unit of the environment (with --only, more than were planned).
    const unitsOf = (env: string): Unit[] => (options.only ? planUnits(model, { envs: [env] }) : units.filter((u) => u.env === env));
    const fluxDirs = new Map(envs.map((env) => [env, model.environments.get(env)!.env.gitops.engines.includes('flux') ? fluxPaths(unitsOf(env)) : []]));
    if (!incremental) {
      for (const env of envs) writeKustomizations(join(tx.staging, env), fluxDirs.get(env)!);
    }
    traceUnits(envs, [...results.values()]);
    // Validation ran per unit, as each was rendered (cache hits were validated when they were rendered).

    let next: SynthState | undefined;
    let listings: Record<string, DistListing> | undefined; // undefined: computed from the state
    const commitSpan = tracer.startSpan('commit', { attributes: { mode: incremental ? 'incremental' : 'full' } });
    if (incremental) {
      ({ state: next, listings } = applyIncremental(ws, tx.staging, state!, stamp!.listings, results, keys, removed, fluxDirs));
      tx.abort(); // staging is empty now; drop it and release the lock
    } else {
      tx.commit(envs, !filtered);
      if (!filtered) {
        const unitsRecord: Record<string, UnitRecord> = {};
        for (const [id, r] of results) unitsRecord[id] = toRecord(r, keys.get(id)!);
        const generated = envs.flatMap((env) => fluxDirs.get(env)!.map((d) => recordFile(ws.distDir, `${env}/${d}/${KUSTOMIZATION_FILE}`, '')));
        next = { version: 3, inputs, writtenAt: 0, envs, units: unitsRecord, generated, tenants: {} };
      }
    }
    commitSpan.end();
    if (next) {
      const final = next;
      // Taken after the last write (the swap or the incremental moves): every file the synth wrote is older.
      const writtenAt = Date.now() + 1;
      while (Date.now() < writtenAt) { /* the next millisecond: mtimes are at ms resolution or finer */ }
      timed('save-state', () => saveState(statePath, { ...final, inputs: filtered ? '' : inputs, writtenAt, tenants: model.tenantSummaries() }, listings));
      if (useCache) timed('prune-cache', () => cache.prune(new Set(Object.values(final.units).map((u) => u.key))));
    } else {
      rmSync(statePath, { force: true }); // a partial synth without state: the next one starts from scratch
    }
    const written = [...results.values()];
    return {
      environments: envs,
      mode: incremental ? 'incremental' : 'full',
      units: units.length,
      rendered,
      cached: written.length - rendered,
      objects: written.reduce((n, r) => n + r.objects, 0),
      files: written.reduce((n, r) => n + r.files.length, 0),
      bytes: written.reduce((n, r) => n + r.bytes, 0),
    };
  } catch (err) {
    tx.abort();
    throw err;
  }
}

/**
 * Moves the changed units' files from staging into dist/, deletes the files they no longer render (and everything
 * of removed units), rewrites the kustomization.yaml of every Flux directory that changed, and returns the new state.
 */
function applyIncremental(
  ws: Workspace, staging: string, state: SynthState, listings: Readonly<Record<string, DistListing>>, results: ReadonlyMap<string, UnitResult>,
  keys: ReadonlyMap<string, string>, removed: readonly string[], fluxDirs: ReadonlyMap<string, readonly string[]>,
): { state: SynthState; listings: Record<string, DistListing> } {
  const units: Record<string, UnitRecord> = { ...state.units };
  // The listings of dist/ follow the files moved in and deleted, without going over every file again.
  const digests = new Map(Object.entries(listings).map(([env, listing]) => [env, ListingDigest.from(listing)]));
  const digestOf = (idOrPath: string): ListingDigest => digests.get(idOrPath.slice(0, idOrPath.indexOf('/')))!;
  const touchedDirs = new Set<string>();
  const deleted: string[] = [];
  for (const [id, result] of results) {
    const fresh = new Set(result.files.map((f) => f.path));
    for (const file of result.files) {
      const target = join(ws.distDir, file.path);
      mkdirSync(dirname(target), { recursive: true });
      renameSync(join(staging, file.path), target);
      touchedDirs.add(dirname(file.path));
    }
    for (const [path] of unpackFiles(units[id]?.files ?? '')) {
      if (!fresh.has(path)) deleted.push(path);
    }
    digestOf(id).addPacked(units[id]?.files ?? '', -1);
    units[id] = toRecord(result, keys.get(id)!);
    digestOf(id).addPacked(units[id].files);
  }
  for (const id of removed) {
    for (const [path] of unpackFiles(units[id].files)) deleted.push(path);
    digestOf(id).addPacked(units[id].files, -1);
    delete units[id];
  }
  for (const path of deleted) {
    rmSync(join(ws.distDir, path), { force: true });
    touchedDirs.add(dirname(path));
  }
  // kustomization.yaml: rewrite where the file list changed, drop it where the directory is no longer synced.
  const generated = new Map(state.generated.map((g) => [g[0], g]));
  for (const [env, dirs] of fluxDirs) {
    const wanted = new Set(dirs.map((d) => `${env}/${d}`));
    const rewrite = dirs.filter((d) => touchedDirs.has(`${env}/${d}`) || !generated.has(`${env}/${d}/${KUSTOMIZATION_FILE}`));
    writeKustomizations(join(ws.distDir, env), rewrite);
    for (const d of rewrite) {
      const path = `${env}/${d}/${KUSTOMIZATION_FILE}`;
      const before = generated.get(path);
      if (before) digestOf(path).remove(before[0], before[2]);
      const now = recordFile(ws.distDir, path, '');
      digestOf(path).add(now[0], now[2]);
      generated.set(path, now);
    }
    for (const [path, , size] of [...generated.values()]) {
      if (path.startsWith(`${env}/`) && !wanted.has(dirname(path))) {
        rmSync(join(ws.distDir, path), { force: true });
        digestOf(path).remove(path, size);
        generated.delete(path);
        touchedDirs.add(dirname(path));
      }
    }
  }
  for (const dir of touchedDirs) pruneEmptyDirs(join(ws.distDir, dir), ws.distDir);
  const next: SynthState = { version: 3, inputs: state.inputs, writtenAt: state.writtenAt, envs: state.envs, units, generated: [...generated.values()], tenants: state.tenants };
  return { state: next, listings: Object.fromEntries([...digests].map(([env, digest]) => [env, digest.listing()])) };
}
