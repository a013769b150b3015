import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { App, Chart } from 'cdk8s';
import { CDK8S_ADDRESS_LABEL, ClusterBase, Tenant } from '@platform/charts';
import { UserError } from '../errors';
import { renderWiring } from '../gitops/wiring';
import type { Model } from '../model/load';
import { Workspace } from '../workspace';
import type { CachedUnit, UnitCache } from './cache';
import { Manifest, RenderedObject, planFiles, stampOwnership, toYaml } from './manifest';
import { Unit, describeUnit } from './units';

/** A file a unit wrote, as the synth tracks it. */
export interface WrittenFile {
  readonly path: string;
  readonly identity: string;
  readonly bytes: number;
  /** mtime right after writing: the state records it to detect hand edits later. */
  readonly mtimeMs: number;
}

/** An Ingress rule a unit claims: host + path must be unique across the environment. */
export interface IngressRoute {
  readonly host: string;
  readonly path: string;
  /** The Ingress that claims it, "namespace/name". */
  readonly ingress: string;
}

export interface UnitResult {
  readonly unit: Unit;
  readonly files: readonly WrittenFile[];
  readonly routes: readonly IngressRoute[];
  readonly objects: number;
  readonly bytes: number;
  /** Served from the unit cache instead of rendered. */
  readonly cached?: boolean;
  /** Epoch milliseconds: start, end of rendering (= start of writing), end of writing (for tracing). */
  readonly timing: readonly [start: number, rendered: number, written: number];
}

/** Wall-clock milliseconds, comparable across worker threads. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

export function unitSource(ws: Workspace, model: Model, unit: Unit): string {
  switch (unit.kind) {
    case 'cluster': return ws.rel(model.environments.get(unit.env)!.file);
    case 'addon': return ws.rel(join(ws.addonsDir, unit.name, 'src', 'index.ts'));
    case 'tenant': return ws.rel(model.tenants.get(unit.name)!.file);
  }
}

/** A unit that threw while rendering: says which unit, from which file, and why. */
export class UnitRenderError extends UserError {
  constructor(readonly unit: Unit, source: string, cause: unknown) {
    super(`${describeUnit(unit)} failed to render (${source}):\n  ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'UnitRenderError';
  }
}

/** Charts of one App, one per output section, created on first use. */
function sectionCharts(unit: Unit): { chart: (section: string) => Chart; objects: () => RenderedObject[] } {
  const app = new App();
  const charts = new Map<string, Chart>();
  return {
    chart(section) {
      let c = charts.get(section);
      if (!c) {
        c = new Chart(app, [unit.name, section.replace(/\//g, '-')].filter(Boolean).join('-'), { disableResourceNameHashes: true });
        charts.set(section, c);
      }
      return c;
    },
    objects() {
      const out: RenderedObject[] = [];
      for (const [section, c] of charts) {
        for (const manifest of c.toJson() as Manifest[]) out.push({ section, manifest });
      }
      return out;
    },
  };
}

/** Builds one unit in its own cdk8s App (plus its GitOps wiring) and returns its objects by output section. */
export function renderUnit(model: Model, unit: Unit): RenderedObject[] {
  const env = model.environments.get(unit.env)!;
  const { chart, objects: unitObjects } = sectionCharts(unit);
  switch (unit.kind) {
    case 'cluster':
      new ClusterBase(chart(''), 'cluster', env.ctx);
      break;
    case 'addon':
      model.addon(unit.name).definition.render(chart(''), env.ctx, model.addonSettings(unit.env, unit.name));
      break;
    case 'tenant':
      new Tenant({ guardrails: chart('guardrails'), workloads: chart('workloads') }, env.ctx, model.tenants.get(unit.name)!.byEnvironment.get(unit.env)!);
      break;
  }
  const objects = unitObjects();
  const wiring = sectionCharts(unit);
  renderWiring(wiring.chart, {
    unit,
    env: env.env,
    objects,
    addons: new Map(env.addonNames.map((name) => [name, model.addon(name).definition.dependsOn ?? []])),
    owners: unit.kind === 'tenant' ? model.tenants.get(unit.name)!.spec.owners : undefined,
  });
  return [...objects, ...wiring.objects()];
}

/** Renders a unit and writes its files under `outRoot` (a staging tree); stores the output in `cache` under `key`. */
export function synthUnit(ws: Workspace, model: Model, unit: Unit, outRoot: string, cache?: { store: UnitCache; key: string }): UnitResult {
  const start = nowMs();
  let objects: RenderedObject[];
  try {
    objects = renderUnit(model, unit);
  } catch (err) {
    throw new UnitRenderError(unit, unitSource(ws, model, unit), err);
  }
  const files: Array<{ path: string; identity: string; content: string }> = [];
  const routes: IngressRoute[] = [];
  for (const planned of planFiles(unit, objects)) {
    const content = toYaml(stampOwnership(planned.manifest, unit));
    if (content.includes(CDK8S_ADDRESS_LABEL)) {
      throw new UnitRenderError(unit, unitSource(ws, model, unit), new Error(
        `${planned.identity} uses the construct-address label ${CDK8S_ADDRESS_LABEL}; select pods with selectByIdentity()/serviceSelects() from @platform/charts`));
    }
    files.push({ path: planned.path, identity: planned.identity, content });
    if (planned.manifest.kind === 'Ingress') routes.push(...ingressRoutes(planned.manifest));
  }
  const output: CachedUnit = { files, routes, objects: objects.length };
  cache?.store.put(cache.key, output);
  return writeUnit(unit, output, outRoot, false, start);
}

/** Writes a unit's output (rendered or from the cache) under `outRoot`. */
export function writeUnit(unit: Unit, output: CachedUnit, outRoot: string, cached = false, start = nowMs()): UnitResult {
  const rendered = nowMs();
  const written: WrittenFile[] = [];
  let total = 0;
  const dirs = new Set<string>();
  for (const file of output.files) {
    const target = join(outRoot, file.path);
    const dir = dirname(target);
    if (!dirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      dirs.add(dir);
    }
    writeFileSync(target, file.content);
    const bytes = Buffer.byteLength(file.content);
    total += bytes;
    written.push({ path: file.path, identity: file.identity, bytes, mtimeMs: statSync(target).mtimeMs });
  }
  return { unit, files: written, routes: output.routes, objects: output.objects, bytes: total, cached, timing: [start, rendered, nowMs()] };
}

function ingressRoutes(m: Manifest): IngressRoute[] {
  const spec = m.spec as { rules?: Array<{ host?: string; http?: { paths?: Array<{ path?: string }> } }> } | undefined;
  const ingress = `${m.metadata.namespace ?? ''}/${m.metadata.name}`;
  return (spec?.rules ?? []).flatMap((rule) => (rule.http?.paths ?? []).map((p) => ({ host: rule.host ?? '*', path: p.path ?? '/', ingress })));
}
