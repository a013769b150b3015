import { basename, dirname, join } from 'node:path';
import { AddonDefinition, PlatformContext, ResolvedTenantSpec, tenantSchema } from '@platform/charts';
import { Environment, environmentSchema, platformContext } from '@platform/environments';
import { FieldProblem, SpecError, UserError, zodProblems } from '../errors';
import { Workspace } from '../workspace';

export interface LoadedEnvironment {
  readonly file: string;
  readonly env: Environment;
  readonly ctx: PlatformContext;
  /** Validated settings of each add-on enabled here, by add-on name (sorted). */
  readonly addons: ReadonlyMap<string, unknown>;
}

export interface LoadedAddon {
  readonly name: string;
  readonly dir: string;
  readonly definition: AddonDefinition;
}

export interface LoadedTenant {
  readonly name: string;
  readonly file: string;
  readonly spec: ResolvedTenantSpec;
}

function requireDefault(ws: Workspace, file: string, what: string): unknown {
  let mod: { default?: unknown };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(file);
  } catch (err) {
    throw new SpecError(ws.rel(file), [{ path: '', message: `could not be loaded: ${(err as Error).message.split('\n')[0]}` }], what);
  }
  if (mod.default === undefined) {
    throw new SpecError(ws.rel(file), [{ path: '', message: `must have a default export (export default define…({ ... }))` }], what);
  }
  return mod.default;
}

export function loadAddons(ws: Workspace): Map<string, LoadedAddon> {
  const addons = new Map<string, LoadedAddon>();
  for (const dir of ws.addonDirs()) {
    const name = basename(dir);
    const file = join(dir, 'src', 'index.ts');
    const definition = requireDefault(ws, file, 'add-on') as AddonDefinition;
    if (definition.name !== name) {
      throw new SpecError(ws.rel(file), [{ path: 'name', message: `must equal the folder name "${name}" (got "${definition.name}")` }], 'add-on');
    }
    addons.set(name, { name, dir, definition });
  }
  for (const addon of addons.values()) {
    for (const dep of addon.definition.dependsOn ?? []) {
      if (!addons.has(dep)) {
        throw new SpecError(ws.rel(join(addon.dir, 'src', 'index.ts')), [{ path: 'dependsOn', message: `unknown add-on "${dep}"; available: ${[...addons.keys()].join(', ')}` }], 'add-on');
      }
    }
  }
  return addons;
}

export function loadEnvironment(ws: Workspace, file: string, addons: ReadonlyMap<string, LoadedAddon>): LoadedEnvironment {
  const rel = ws.rel(file);
  const raw = requireDefault(ws, file, 'environment');
  const parsed = environmentSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw new SpecError(rel, zodProblems(parsed.error), 'environment');
  const env = parsed.data;
  const problems: FieldProblem[] = [];
  const expected = basename(file, '.ts');
  if (env.name !== expected) problems.push({ path: 'name', message: `must equal the file name "${expected}" (got "${env.name}")` });

  const settings = new Map<string, unknown>();
  for (const key of Object.keys(env.addons).sort()) {
    const addon = addons.get(key);
    if (!addon) {
      problems.push({ path: `addons.${key}`, message: `unknown add-on; available: ${[...addons.keys()].join(', ') || '(none)'}` });
      continue;
    }
    const result = addon.definition.settings.safeParse(env.addons[key] ?? {}, { reportInput: true });
    if (result.success) settings.set(key, result.data);
    else problems.push(...zodProblems(result.error, ['addons', key]));
  }
  for (const [key] of settings) {
    for (const dep of addons.get(key)!.definition.dependsOn ?? []) {
      if (!settings.has(dep)) problems.push({ path: `addons.${key}`, message: `needs add-on "${dep}" enabled in this environment too` });
    }
  }
  if (problems.length) throw new SpecError(rel, problems, 'environment');
  return { file, env, ctx: platformContext(env), addons: settings };
}

export function loadTenant(ws: Workspace, file: string, environments: ReadonlyMap<string, LoadedEnvironment>): LoadedTenant {
  const rel = ws.rel(file);
  const raw = requireDefault(ws, file, 'tenant');
  const parsed = tenantSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw new SpecError(rel, zodProblems(parsed.error), 'tenant');
  const spec = parsed.data;
  const problems: FieldProblem[] = [];
  const folder = basename(dirname(file));
  if (spec.name !== folder) problems.push({ path: 'name', message: `must equal the folder name "${folder}" (got "${spec.name}")` });
  spec.environments.forEach((name, i) => {
    const env = environments.get(name);
    if (!env) {
      problems.push({ path: `environments[${i}]`, message: `unknown environment "${name}"; available: ${[...environments.keys()].join(', ')}` });
    } else if (env.env.tenants !== 'all' && !env.env.tenants.includes(spec.name)) {
      problems.push({ path: `environments[${i}]`, message: `environment "${name}" does not admit this tenant (its "tenants" list in ${ws.rel(env.file)} does not name "${spec.name}")` });
    }
  });
  if (problems.length) throw new SpecError(rel, problems, 'tenant');
  return { name: spec.name, file, spec };
}

/** Everything the synth renders from: add-ons, environments, tenants — loaded and validated. */
export interface Model {
  readonly addons: ReadonlyMap<string, LoadedAddon>;
  readonly environments: ReadonlyMap<string, LoadedEnvironment>;
  readonly tenants: ReadonlyMap<string, LoadedTenant>;
}

export function loadModel(ws: Workspace): Model {
  const addons = loadAddons(ws);
  const environments = new Map<string, LoadedEnvironment>();
  for (const file of ws.environmentFiles()) {
    const loaded = loadEnvironment(ws, file, addons);
    environments.set(loaded.env.name, loaded);
  }
  if (environments.size === 0) throw new UserError(`no environments found in ${ws.rel(ws.environmentsDir)}/ (expected files like prod.ts)`);
  const tenants = new Map<string, LoadedTenant>();
  for (const file of ws.tenantFiles()) {
    const loaded = loadTenant(ws, file, environments);
    tenants.set(loaded.name, loaded);
  }
  for (const env of environments.values()) {
    if (env.env.tenants === 'all') continue;
    env.env.tenants.forEach((name, i) => {
      if (!tenants.has(name)) {
        throw new SpecError(ws.rel(env.file), [{ path: `tenants[${i}]`, message: `unknown tenant "${name}"; tenants are the folders of apps/ with a tenant.ts` }], 'environment');
      }
    });
  }
  return { addons, environments, tenants };
}
