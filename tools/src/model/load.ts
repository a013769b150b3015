import { basename, dirname, join } from 'node:path';
import { AddonDefinition, PlatformContext, ResolvedTenantSpec, TenantEnvironmentSpec, resolveTenant, tenantSchema } from '@platform/charts';
import { Environment, environmentSchema, platformContext } from '@platform/environments';
import { FieldProblem, SpecError, UserError, formatPath, zodProblems } from '../errors';
import { Workspace } from '../workspace';

export interface LoadedEnvironment {
  readonly file: string;
  readonly env: Environment;
  readonly ctx: PlatformContext;
  /** Add-ons enabled here (keys of `addons`), sorted. Their settings are validated by `Model.addonSettings`. */
  readonly addonNames: readonly string[];
}

export interface LoadedAddon {
  readonly name: string;
  readonly dir: string;
  readonly definition: AddonDefinition;
}

export interface LoadedTenant {
  readonly name: string;
  readonly file: string;
  /** The validated spec, not specific to an environment (`spec.environments` lists where it runs). */
  readonly spec: ResolvedTenantSpec;
  /** The tenant as it runs in each of its environments (overrides applied, environment checks passed). */
  readonly byEnvironment: ReadonlyMap<string, TenantEnvironmentSpec>;
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

export function loadAddon(ws: Workspace, dir: string): LoadedAddon {
  const name = basename(dir);
  const file = join(dir, 'src', 'index.ts');
  const definition = requireDefault(ws, file, 'add-on') as AddonDefinition;
  if (definition.name !== name) {
    throw new SpecError(ws.rel(file), [{ path: 'name', message: `must equal the folder name "${name}" (got "${definition.name}")` }], 'add-on');
  }
  return { name, dir, definition };
}

export function loadEnvironment(ws: Workspace, file: string, addonNames: readonly string[]): LoadedEnvironment {
  const rel = ws.rel(file);
  const raw = requireDefault(ws, file, 'environment');
  const parsed = environmentSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw new SpecError(rel, zodProblems(parsed.error), 'environment');
  const env = parsed.data;
  const problems: FieldProblem[] = [];
  const expected = basename(file, '.ts');
  if (env.name !== expected) problems.push({ path: 'name', message: `must equal the file name "${expected}" (got "${env.name}")` });
  const enabled = Object.keys(env.addons).sort();
  for (const key of enabled) {
    if (!addonNames.includes(key)) {
      problems.push({ path: `addons.${key}`, message: `unknown add-on; available: ${addonNames.join(', ') || '(none)'}` });
    }
  }
  if (problems.length) throw new SpecError(rel, problems, 'environment');
  return { file, env, ctx: platformContext(env), addonNames: enabled };
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
  // Environments are written as a list (["test", "prod"]) or as a map of overrides ({ test: {}, prod: {...} }).
  const listed = Array.isArray((raw as { environments?: unknown }).environments);
  const byEnvironment = new Map<string, TenantEnvironmentSpec>();
  spec.environments.forEach((name, i) => {
    const path = listed ? `environments[${i}]` : formatPath(['environments', name]);
    const env = environments.get(name);
    if (!env) {
      problems.push({ path, message: `unknown environment "${name}"; available: ${[...environments.keys()].join(', ')}` });
    } else if (env.env.tenants !== 'all' && !env.env.tenants.includes(spec.name)) {
      problems.push({ path, message: `environment "${name}" does not admit this tenant (its "tenants" list in ${ws.rel(env.file)} does not name "${spec.name}")` });
    } else {
      // Checks that need the environment (Ingress domain, storage classes, quota fit) run once per environment.
      const resolution = resolveTenant(spec, env.ctx);
      for (const p of resolution.problems) {
        problems.push({ path: `${formatPath(p.path)}${p.environment ? ` (in ${p.environment})` : ''}`, message: p.message });
      }
      if (resolution.spec) byEnvironment.set(name, resolution.spec);
    }
  });
  if (problems.length) throw new SpecError(rel, problems, 'tenant');
  return { name: spec.name, file, spec, byEnvironment };
}

/** What the last synth learned about a tenant file: enough to plan without loading it while the file is unchanged. */
export interface TenantSummary {
  /** Hash of the tenant file, its folder and its imports (see SourceHasher). */
  readonly hash: string;
  readonly environments: readonly string[];
}

export interface ModelOptions {
  /** Summaries of tenant files from the last synth, by tenant name. */
  readonly knownTenants?: Readonly<Record<string, TenantSummary>>;
  /** The current hash of a tenant file's inputs (a summary is used only while it matches). */
  readonly tenantHash?: (file: string) => string;
}

/**
 * Everything the synth renders from. Environments are loaded and validated up front (every plan needs them);
 * tenants and add-ons are loaded when first needed, so rendering one unit does not load the others, and a tenant
 * whose inputs did not change since the last synth is planned from its summary without being loaded at all.
 */
export class Model {
  readonly environments: ReadonlyMap<string, LoadedEnvironment>;
  /** Tenant folder names (apps/<name>/tenant.ts), sorted. */
  readonly tenantNames: readonly string[];
  /** Add-on folder names (addons/<name>/src/index.ts), sorted. */
  readonly addonNames: readonly string[];
  private readonly tenantFiles: ReadonlyMap<string, string>;
  private readonly tenants = new Map<string, LoadedTenant>();
  private readonly addonDirs: ReadonlyMap<string, string>;
  private readonly addons = new Map<string, LoadedAddon>();
  private readonly settings = new Map<string, unknown>();

  static load(ws: Workspace, options: ModelOptions = {}): Model {
    return new Model(ws, options);
  }

  private constructor(private readonly ws: Workspace, private readonly options: ModelOptions) {
    this.addonDirs = new Map(ws.addonDirs().map((dir) => [basename(dir), dir]));
    this.addonNames = [...this.addonDirs.keys()];
    const environments = new Map<string, LoadedEnvironment>();
    for (const file of ws.environmentFiles()) {
      const loaded = loadEnvironment(ws, file, this.addonNames);
      environments.set(loaded.env.name, loaded);
    }
    if (environments.size === 0) throw new UserError(`no environments found in ${ws.rel(ws.environmentsDir)}/ (expected files like prod.ts)`);
    this.environments = environments;
    this.tenantFiles = new Map(ws.tenantFiles().map((file) => [basename(dirname(file)), file]));
    this.tenantNames = [...this.tenantFiles.keys()];
    for (const env of environments.values()) {
      if (env.env.tenants === 'all') continue;
      env.env.tenants.forEach((name, i) => {
        if (!this.tenantFiles.has(name)) {
          throw new SpecError(ws.rel(env.file), [{ path: `tenants[${i}]`, message: `unknown tenant "${name}"; tenants are the folders of apps/ with a tenant.ts` }], 'environment');
        }
      });
    }
  }

  hasTenant(name: string): boolean {
    return this.tenantFiles.has(name);
  }

  tenantFile(name: string): string {
    const file = this.tenantFiles.get(name);
    if (!file) throw new UserError(`unknown tenant "${name}"; tenants: ${this.tenantNames.join(', ') || '(none)'}`);
    return file;
  }

  /** Loads (once) and validates a tenant for every environment it runs in. */
  tenant(name: string): LoadedTenant {
    let tenant = this.tenants.get(name);
    if (!tenant) {
      tenant = loadTenant(this.ws, this.tenantFile(name), this.environments);
      this.tenants.set(name, tenant);
    }
    return tenant;
  }

  /**
   * The environments a tenant runs in: from its summary while its inputs are unchanged and the environments still
   * exist and admit it; otherwise by loading it (which reports any problem with its file and field).
   */
  tenantEnvironments(name: string): readonly string[] {
    const loaded = this.tenants.get(name);
    if (loaded) return loaded.spec.environments;
    const known = this.options.knownTenants?.[name];
    if (known && this.options.tenantHash?.(this.tenantFile(name)) === known.hash && known.environments.every((e) => {
      const env = this.environments.get(e);
      return env && (env.env.tenants === 'all' || env.env.tenants.includes(name));
    })) {
      return known.environments;
    }
    // Plan from what the file declares; the full validation runs when the tenant is rendered (often on a worker).
    const declared = this.declaredEnvironments(name);
    return declared ?? this.tenant(name).spec.environments;
  }

  /** A tenant file's `environments` as written, if it is a plausible list of environments that admit the tenant. */
  private declaredEnvironments(name: string): readonly string[] | undefined {
    let raw: unknown;
    try {
      raw = (requireDefault(this.ws, this.tenantFile(name), 'tenant') as { environments?: unknown }).environments;
    } catch {
      return undefined;
    }
    const list = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? Object.keys(raw) : undefined;
    if (!list?.length || !list.every((e): e is string => typeof e === 'string')) return undefined;
    const admitted = list.every((e) => {
      const env = this.environments.get(e);
      return env && (env.env.tenants === 'all' || env.env.tenants.includes(name));
    });
    return admitted ? list : undefined;
  }

  /** Summaries of every tenant, for the next synth. */
  tenantSummaries(): Record<string, TenantSummary> {
    const hash = this.options.tenantHash;
    if (!hash) return {};
    return Object.fromEntries(this.tenantNames.map((name) => [name, { hash: hash(this.tenantFile(name)), environments: [...this.tenantEnvironments(name)] }]));
  }

  hasAddon(name: string): boolean {
    return this.addonDirs.has(name);
  }

  addon(name: string): LoadedAddon {
    let addon = this.addons.get(name);
    if (!addon) {
      const dir = this.addonDirs.get(name);
      if (!dir) throw new UserError(`unknown add-on "${name}"; available: ${this.addonNames.join(', ')}`);
      addon = loadAddon(this.ws, dir);
      this.addons.set(name, addon);
    }
    return addon;
  }

  /** The validated settings of an add-on in an environment; errors name the environment file and field. */
  addonSettings(envName: string, name: string): unknown {
    const key = `${envName}/${name}`;
    if (this.settings.has(key)) return this.settings.get(key);
    const env = this.environments.get(envName)!;
    const definition = this.addon(name).definition;
    const problems: FieldProblem[] = [];
    const result = definition.settings.safeParse(env.env.addons[name] ?? {}, { reportInput: true });
    if (!result.success) problems.push(...zodProblems(result.error, ['addons', name]));
    for (const dep of definition.dependsOn ?? []) {
      if (!env.addonNames.includes(dep)) problems.push({ path: `addons.${name}`, message: `needs add-on "${dep}" enabled in this environment too` });
    }
    if (problems.length) throw new SpecError(this.ws.rel(env.file), problems, 'environment');
    this.settings.set(key, result.data);
    return result.data;
  }
}

/** Loads and validates the environments; tenants and add-ons load on first use. */
export function loadModel(ws: Workspace, options: ModelOptions = {}): Model {
  return Model.load(ws, options);
}
