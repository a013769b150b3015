import { join } from 'node:path';
import { UserError } from '../errors';
import { KUSTOMIZATION_FILE, writeKustomizations } from '../gitops/kustomize';
import { fluxPaths } from '../gitops/layers';
import { Model, loadModel } from '../model/load';
import { validateStagedTree } from '../validate';
import { Workspace } from '../workspace';
import { UNIT_LABEL } from './manifest';
import { DistTransaction } from './output';
import { WORKER_THRESHOLD, defaultWorkerCount, renderInWorkers } from './pool';
import { UnitResult, synthUnit } from './render';
import { Unit, UnitFilter, describeUnit, planUnits, unitLabel } from './units';

export interface SynthOptions extends UnitFilter {
  /** Run the validation gate on the rendered tree before the swap. @default true */
  readonly validate?: boolean;
  /** Worker threads; 1 renders in this thread. @default available cores (when there are enough units) */
  readonly workers?: number;
  /** Called after each unit with (done, total). */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface SynthReport {
  readonly environments: readonly string[];
  readonly units: number;
  readonly objects: number;
  readonly files: number;
  readonly bytes: number;
}

/** Two units must never render the same object or the same file: that is a conflict between them. */
export function checkConflicts(results: readonly UnitResult[]): void {
  const byIdentity = new Map<string, Unit>();
  const byPath = new Map<string, Unit>();
  const problems: string[] = [];
  for (const { unit, files } of results) {
    for (const file of files) {
      const env = unit.env;
      const key = `${env}:${file.identity}`;
      const owner = byIdentity.get(key) ?? byPath.get(file.path);
      if (owner && (owner.kind !== unit.kind || owner.name !== unit.name)) {
        const [, kind, namespace, name] = file.identity.split('/');
        problems.push(`${describeUnit(owner)} and ${describeUnit(unit)} both render ${kind} "${namespace ? `${namespace}/` : ''}${name}" (dist/${file.path})`);
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
  if (problems.length) throw new UserError(`conflicting units:\n  ${[...new Set(problems)].join('\n  ')}`);
}

const OWNER = new RegExp(`^\\s+${UNIT_LABEL.replace(/[./]/g, '\\$&')}: (\\S+)$`, 'm');

/**
 * Renders the selected units of the selected environments into dist/<env>/ — all or nothing.
 * Without filters every environment is rebuilt from scratch and environments that no longer exist are removed.
 */
export async function synth(ws: Workspace, options: SynthOptions = {}, model: Model = loadModel(ws)): Promise<SynthReport> {
  const units = planUnits(model, options);
  const envs = options.envs ? [...options.envs].sort() : [...model.environments.keys()].sort();
  if (options.only && units.length === 0) {
    throw new UserError(`--only ${options.only.join(', ')}: not rendered in ${envs.join(', ')}`);
  }
  // Settings of every add-on about to render are checked here, before any work: errors name the environment file.
  for (const unit of units) if (unit.kind === 'addon') model.addonSettings(unit.env, unit.name);
  const tx = DistTransaction.begin(ws.distDir);
  try {
    const workers = options.workers ?? (units.length >= WORKER_THRESHOLD ? defaultWorkerCount() : 1);
    const progress = (done: number): void => options.onProgress?.(done, units.length);
    let results: UnitResult[];
    if (workers > 1) {
      results = await renderInWorkers({ root: ws.root, distDir: ws.distDir, staging: tx.staging }, units, workers, progress);
    } else {
      results = units.map((unit, i) => {
        const result = synthUnit(ws, model, unit, tx.staging);
        progress(i + 1);
        return result;
      });
    }
    checkConflicts(results);
    if (options.only) {
      const replaced = new Set(units.map(unitLabel));
      const written = new Set(results.flatMap((r) => r.files.map((f) => f.path)));
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
    for (const env of envs) {
      if (!model.environments.get(env)!.env.gitops.engines.includes('flux')) continue;
      writeKustomizations(join(tx.staging, env), fluxPaths(planUnits(model, { envs: [env] })));
    }
    if (options.validate ?? true) validateStagedTree({ root: tx.staging, envs });
    tx.commit(envs, !options.envs && !options.only);
    return {
      environments: envs,
      units: results.length,
      objects: results.reduce((n, r) => n + r.objects, 0),
      files: results.reduce((n, r) => n + r.files.length, 0),
      bytes: results.reduce((n, r) => n + r.bytes, 0),
    };
  } catch (err) {
    tx.abort();
    throw err;
  }
}
