import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { CDK8S_ADDRESS_LABEL, ClusterBase, Tenant } from '@platform/charts';
import { SpecError, UserError } from '../errors';
import { renderWiring } from '../gitops/wiring';
import type { Model } from '../model/load';
import { Workspace } from '../workspace';
import type { CachedUnit, UnitCache } from './cache';
import { Manifest, RenderedObject, canonicalize, planFiles, stampOwnership, toYaml } from './manifest';
import { Unit, describeUnit, unitId } from './units';

/** A file a unit wrote, as the synth tracks it. */
export interface WrittenFile {
  readonly path: string;
  readonly identity: string;
  readonly bytes: number;
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
  /** Epoch milliseconds: start, end of rendering, end of validation, end of writing (for tracing). */
  readonly timing: readonly [start: number, rendered: number, validated: number, written: number];
}

/** Wall-clock milliseconds, comparable across worker threads. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

export function unitSource(ws: Workspace, model: Model, unit: Unit): string {
  switch (unit.kind) {
    case 'cluster': return ws.rel(model.environments.get(unit.env)!.file);
    case 'addon': return ws.rel(join(ws.addonsDir, unit.name, 'src', 'index.ts'));
    case 'tenant': return ws.rel(model.tenantFile(unit.name));
  }
}

/** A unit that threw while rendering: says which unit, from which file, and why. */
export class UnitRenderError extends UserError {
  constructor(readonly unit: Unit, source: string, cause: unknown) {
    super(`${describeUnit(unit)} failed to render (${source}):\n  ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'UnitRenderError';
  }
}

/** Charts of one output section each, created on first use, under `parent` (by default a new App). */
function sectionCharts(unit: Unit, parent: Construct = new App(), viaCdk8sToJson = false): { chart: (section: string) => Chart; objects: () => RenderedObject[] } {
  const charts = new Map<string, Chart>();
  return {
    chart(section) {
      let c = charts.get(section);
      if (!c) {
        c = new Chart(parent, [unit.name, section.replace(/\//g, '-')].filter(Boolean).join('-'), { disableResourceNameHashes: true });
        charts.set(section, c);
      }
      return c;
    },
    objects() {
      if (viaCdk8sToJson) {
        // cdk8s' own API, as an App holding every chart would be synthesized (the benchmark's naive path).
        return [...charts].flatMap(([section, c]) => (c.toJson() as Manifest[]).map((manifest) => ({ section, manifest })));
      }
      // What chart.toJson() does, once for all charts: cdk8s' toJson re-runs its App-wide dependency and validation
      // passes for every chart, which a unit with several sections would pay several times. Object order is not
      // needed (one file per object), so neither is cdk8s' dependency graph.
      const errors: string[] = [];
      const out: RenderedObject[] = [];
      for (const [section, c] of charts) {
        for (const node of c.node.findAll()) {
          for (const error of node.node.validate()) errors.push(`[${node.node.path}] ${error}`);
          if (node instanceof ApiObject && Chart.of(node) === c) out.push({ section, manifest: node.toJson() as Manifest });
        }
      }
      if (errors.length) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
      return out;
    },
  };
}

/** A unit whose constructs exist (in some App) but are not synthesized yet. */
interface BuiltUnit {
  readonly unit: Unit;
  readonly charts: ReturnType<typeof sectionCharts>;
  readonly wiringScope: () => Construct;
  /** Built inside an App shared with other units (the naive path): synthesize with cdk8s' own chart.toJson(). */
  readonly sharedApp: boolean;
}

/** Adds a unit's constructs under `parent` (a new App unless given). */
function buildUnit(model: Model, unit: Unit, parent?: Construct): BuiltUnit {
  const env = model.environments.get(unit.env)!;
  const charts = sectionCharts(unit, parent ?? new App(), parent !== undefined);
  const { chart } = charts;
  switch (unit.kind) {
    case 'cluster':
      new ClusterBase(chart(''), 'cluster', env.ctx);
      break;
    case 'addon':
      model.addon(unit.name).definition.render(chart(''), env.ctx, model.addonSettings(unit.env, unit.name));
      break;
    case 'tenant':
      new Tenant({ guardrails: chart('guardrails'), workloads: chart('workloads') }, env.ctx, model.tenant(unit.name).byEnvironment.get(unit.env)!);
      break;
  }
  return { unit, charts, wiringScope: () => (parent ? new Construct(parent, 'gitops') : new App()), sharedApp: parent !== undefined };
}

/** Synthesizes a built unit, then adds and synthesizes its GitOps wiring (which reads the unit's objects). */
function finishUnit(model: Model, built: BuiltUnit): RenderedObject[] {
  const { unit } = built;
  const env = model.environments.get(unit.env)!;
  const objects = built.charts.objects();
  const wiring = sectionCharts(unit, built.wiringScope(), built.sharedApp);
  renderWiring(wiring.chart, {
    unit,
    env: env.env,
    objects,
    // Only add-on units need the dependency graph (their wave); the others need the add-ons' names.
    addons: new Map(env.addonNames.map((name) => [name, unit.kind === 'addon' ? model.addon(name).definition.dependsOn ?? [] : []])),
    owners: unit.kind === 'tenant' ? model.tenant(unit.name).spec.owners : undefined,
  });
  return [...objects, ...wiring.objects()];
}

/** Builds one unit in its own cdk8s App (plus its GitOps wiring) and returns its objects by output section. */
export function renderUnit(model: Model, unit: Unit): RenderedObject[] {
  return finishUnit(model, buildUnit(model, unit));
}

/**
 * The naive path, kept for the benchmark only: every unit's charts in ONE cdk8s App, then each synthesized.
 * cdk8s resolves dependencies and validates the whole App for every chart it synthesizes, so this is quadratic in
 * the number of charts; the output is byte-identical to the one-App-per-unit path (the benchmark checks).
 */
export function synthUnitsInOneApp(ws: Workspace, model: Model, units: readonly Unit[], outRoot: string, validate = true): UnitResult[] {
  const app = new App();
  const built = units.map((unit) => buildUnit(model, unit, new Construct(app, unitId(unit).replace(/\//g, '_'))));
  return built.map((b) => {
    const start = nowMs();
    return serializeUnit(ws, model, b.unit, () => finishUnit(model, b), outRoot, undefined, start, validate);
  });
}

/** Renders a unit and writes its files under `outRoot` (a staging tree); stores the output in `cache` under `key`. */
export function synthUnit(ws: Workspace, model: Model, unit: Unit, outRoot: string, cache?: { store: UnitCache; key: string }, validate = true): UnitResult {
  return serializeUnit(ws, model, unit, () => renderUnit(model, unit), outRoot, cache, nowMs(), validate);
}

function serializeUnit(
  ws: Workspace, model: Model, unit: Unit, render: () => RenderedObject[], outRoot: string,
  cache: { store: UnitCache; key: string } | undefined, start: number, validate: boolean,
): UnitResult {
  let objects: RenderedObject[];
  try {
    objects = render();
  } catch (err) {
    // An invalid tenant or environment file already says which file and field: no need to wrap it.
    if (err instanceof SpecError) throw err;
    throw new UnitRenderError(unit, unitSource(ws, model, unit), err);
  }
  const files: Array<{ path: string; identity: string; content: string }> = [];
  const routes: IngressRoute[] = [];
  for (const planned of planFiles(unit, objects)) {
    const content = toYaml(stampOwnership(canonicalize(planned.manifest), unit));
    if (content.includes(CDK8S_ADDRESS_LABEL)) {
      throw new UnitRenderError(unit, unitSource(ws, model, unit), new Error(
        `${planned.identity} uses the construct-address label ${CDK8S_ADDRESS_LABEL}; select pods with selectByIdentity()/serviceSelects() from @platform/charts`));
    }
    files.push({ path: planned.path, identity: planned.identity, content });
    if (planned.manifest.kind === 'Ingress') routes.push(...ingressRoutes(planned.manifest));
  }
  const output: CachedUnit = { files, routes, objects: objects.length };
  const rendered = nowMs();
  // Validated before it is cached: a cache entry is always an output that passed the gate.
  if (validate) validateOutput(ws, model, output);
  const validated = nowMs();
  cache?.store.put(cache.key, output);
  return writeUnit(unit, output, outRoot, false, [start, rendered, validated]);
}

const environmentInfo = new WeakMap<Model, Map<string, { name: string; kubernetesVersion: string; domain: string }>>();

/** The validation gate on one unit's output (schema, CRDs, policy); the validator loads on first use. */
function validateOutput(ws: Workspace, model: Model, output: CachedUnit): void {
  let info = environmentInfo.get(model);
  if (!info) {
    info = new Map([...model.environments].map(([name, e]) => [name, { name, kubernetesVersion: e.env.cluster.kubernetesVersion, domain: e.env.domain }]));
    environmentInfo.set(model, info);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { validateUnitFiles } = require('../validate') as typeof import('../validate');
  validateUnitFiles({ files: output.files, environments: info, dist: basename(ws.distDir) });
}

/** Writes a unit's output (rendered or from the cache) under `outRoot`. */
export function writeUnit(unit: Unit, output: CachedUnit, outRoot: string, cached = false, times?: readonly [number, number, number]): UnitResult {
  const [start, rendered, validated] = times ?? [nowMs(), nowMs(), nowMs()];
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
    written.push({ path: file.path, identity: file.identity, bytes });
  }
  return { unit, files: written, routes: output.routes, objects: output.objects, bytes: total, cached, timing: [start, rendered, validated, nowMs()] };
}

function ingressRoutes(m: Manifest): IngressRoute[] {
  const spec = m.spec as { rules?: Array<{ host?: string; http?: { paths?: Array<{ path?: string }> } }> } | undefined;
  const ingress = `${m.metadata.namespace ?? ''}/${m.metadata.name}`;
  return (spec?.rules ?? []).flatMap((rule) => (rule.http?.paths ?? []).map((p) => ({ host: rule.host ?? '*', path: p.path ?? '/', ingress })));
}
