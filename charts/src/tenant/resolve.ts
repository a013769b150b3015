import { isDnsLabel, isDnsSubdomain, isHostUnder } from '../names';
import { PlatformContext, defaultStorageClass } from '../platform-context';
import { bytes, cpuMillis } from '../quantity';
import { Resources } from '../resources';
import { AppSpec, WebAppSpec, appSchema } from './app-spec';
import { AppOverride, NetworkSpec, Quota, ResolvedTenantSpec, quotaSchema, tenantSchema } from './spec';

/** One problem with a tenant spec: the field path and what is wrong; `environment` when it only holds there. */
export interface TenantProblem {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  /** The environment the problem shows up in, when the field itself is not environment-specific. */
  readonly environment?: string;
}

/** A namespace of the tenant in one environment. */
export interface TenantNamespace {
  readonly name: string;
  /** The stack it holds. @default - the tenant has no stacks */
  readonly stack?: string;
  /** Whether its web apps get the tenant's Ingresses (the live stack, or the only namespace). */
  readonly live: boolean;
}

/**
 * The tenant as it runs in one environment: overrides applied, disabled apps dropped, Ingress hosts made absolute
 * (under the environment's domain), storage classes resolved. This is what the `Tenant` construct renders.
 */
export interface TenantEnvironmentSpec {
  readonly name: string;
  readonly team: string;
  readonly costCenter: string;
  readonly owners: ResolvedTenantSpec['owners'];
  readonly environment: string;
  readonly namespaces: readonly TenantNamespace[];
  /** Route `<stack>-<host>` to each stack too. */
  readonly previewHosts: boolean;
  readonly quota: Quota;
  readonly containerDefaults: Resources;
  readonly network: NetworkSpec;
  readonly apps: readonly AppSpec[];
}

export interface TenantResolution {
  /** Set when there are no problems. */
  readonly spec?: TenantEnvironmentSpec;
  readonly problems: readonly TenantProblem[];
}

/** Absolute host of an Ingress: one label is a name under the domain, anything with a dot is taken as written. */
export function ingressHost(host: string, domain: string): string {
  return host.includes('.') ? host : `${host}.${domain}`;
}

/** Host of a stack's preview route: the first label gets the stack as prefix ("shop.x" → "green-shop.x"). */
export function previewHost(host: string, stack: string): string {
  return `${stack}-${host}`;
}

function applyOverride(app: AppSpec, o: AppOverride): Record<string, unknown> {
  const out: Record<string, unknown> = { ...app };
  const base = app as Partial<Record<string, unknown>> & { env?: Record<string, unknown> };
  if (o.image !== undefined) out.image = o.image;
  if (o.resources !== undefined) out.resources = o.resources;
  if (o.env !== undefined) out.env = { ...base.env, ...o.env };
  if (o.schedule !== undefined) out.schedule = o.schedule;
  if (o.suspend !== undefined) out.suspend = o.suspend;
  if (o.replicas !== undefined) {
    out.replicas = o.replicas;
    if (o.autoscaling === undefined) delete out.autoscaling;
  }
  if (o.autoscaling === false) {
    delete out.autoscaling;
  } else if (o.autoscaling !== undefined) {
    out.autoscaling = { ...(base.autoscaling as object | undefined), ...o.autoscaling };
    if (o.replicas === undefined) delete out.replicas;
  }
  if (o.ingress === false) delete out.ingress;
  else if (o.ingress !== undefined) out.ingress = { ...(base.ingress as object | undefined), ...o.ingress };
  if (o.storage !== undefined) out.storage = { ...(base.storage as object), ...o.storage };
  if (o.host !== undefined) { out.host = o.host; delete out.ip; }
  if (o.ip !== undefined) { out.ip = o.ip; delete out.host; }
  if (o.cidr !== undefined) out.cidr = o.cidr;
  return out;
}

function formatCpu(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

function formatBytes(n: number): string {
  for (const [unit, size] of [['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', 2 ** 20]] as const) {
    if (n % size === 0 || n >= size * 10) return `${Math.ceil(n / size)}${unit}`;
  }
  return `${Math.ceil(n / 2 ** 10)}Ki`;
}

/** Pods an app may run at once at its largest scale, including the Deployment rolling-update surge (25%). */
export function maxPods(app: AppSpec): number {
  switch (app.kind) {
    case 'web':
    case 'worker': {
      const replicas = app.autoscaling?.maxReplicas ?? app.replicas ?? (app.kind === 'web' ? 2 : 1);
      return replicas + Math.ceil(replicas / 4);
    }
    case 'stateful': return app.replicas;
    case 'cron': return 1;
    default: return 0;
  }
}

interface Demand {
  readonly path: readonly string[];
  readonly need: number;
  readonly have: number;
  readonly format: (n: number) => string;
  readonly parts: string[];
}

/** What the apps need from the quota at their largest scale; problems where the quota is smaller. */
function quotaFit(apps: readonly AppSpec[], quota: Quota): Array<{ path: readonly string[]; message: string }> {
  const demands: Demand[] = [
    { path: ['requests', 'cpu'], need: 0, have: cpuMillis(quota.requests.cpu), format: formatCpu, parts: [] },
    { path: ['requests', 'memory'], need: 0, have: bytes(quota.requests.memory), format: formatBytes, parts: [] },
    { path: ['limits', 'cpu'], need: 0, have: cpuMillis(quota.limits.cpu), format: formatCpu, parts: [] },
    { path: ['limits', 'memory'], need: 0, have: bytes(quota.limits.memory), format: formatBytes, parts: [] },
    { path: ['pods'], need: 0, have: quota.pods, format: String, parts: [] },
    { path: ['storage'], need: 0, have: bytes(quota.storage), format: formatBytes, parts: [] },
    { path: ['persistentVolumeClaims'], need: 0, have: quota.persistentVolumeClaims, format: String, parts: [] },
  ];
  const add = (d: Demand, app: string, count: number, each: number, shown?: string): void => {
    if (count === 0) return;
    (d as { need: number }).need += count * each;
    d.parts.push(shown === undefined ? `${app}: ${count}` : `${app}: ${count} × ${shown}`);
  };
  for (const app of apps) {
    if (app.kind === 'external') continue;
    const pods = maxPods(app);
    const r = app.resources;
    add(demands[0], app.name, pods, cpuMillis(r.requests.cpu), r.requests.cpu);
    add(demands[1], app.name, pods, bytes(r.requests.memory), r.requests.memory);
    add(demands[2], app.name, pods, cpuMillis(r.limits.cpu), r.limits.cpu);
    add(demands[3], app.name, pods, bytes(r.limits.memory), r.limits.memory);
    add(demands[4], app.name, pods, 1);
    if (app.kind === 'stateful') {
      add(demands[5], app.name, app.replicas, bytes(app.storage.size), app.storage.size);
      add(demands[6], app.name, app.replicas, 1);
    }
  }
  return demands.filter((d) => d.need > d.have).map((d) => ({
    path: d.path,
    message: `is ${d.format(d.have)} but the apps need ${d.format(d.need)} at their largest scale, rolling-update surge included (${d.parts.join(', ')}); raise the quota or lower replicas/resources`,
  }));
}

/**
 * The tenant as it runs in `ctx`'s environment, with every environment-dependent check: overrides merged and
 * re-validated, Ingress hosts under the environment's domain and unique, storage classes that exist, a quota that
 * fits the apps. Problems on overridden fields point at `environments.<env>....`; others name the environment.
 */
export function resolveTenant(spec: ResolvedTenantSpec, ctx: PlatformContext): TenantResolution {
  const env = ctx.environment;
  const overrides = spec.overrides[env] ?? { apps: {} };
  const problems: TenantProblem[] = [];
  /** Where a problem on `field` of something that `override` may have changed is reported. */
  const report = (basePath: PropertyKey[], overridePath: PropertyKey[], override: object | undefined, path: readonly PropertyKey[], message: string): void => {
    if (override && path.length > 0 && Object.prototype.hasOwnProperty.call(override, path[0])) {
      problems.push({ path: [...overridePath, ...path], message });
    } else {
      problems.push({ path: [...basePath, ...path], message, environment: env });
    }
  };

  const apps: AppSpec[] = [];
  const indexOf = new Map<string, number>();
  spec.apps.forEach((app, i) => {
    const o = overrides.apps[app.name];
    if (o?.enabled === false) return;
    let resolved = app;
    if (o) {
      const parsed = appSchema.safeParse(applyOverride(app, o));
      if (!parsed.success) {
        for (const issue of parsed.error.issues) report(['apps', i], ['environments', env, 'apps', app.name], o, issue.path, issue.message);
        return;
      }
      resolved = parsed.data;
    }
    indexOf.set(app.name, i);
    apps.push(resolved);
  });

  let quota = spec.quota;
  if (overrides.quota) {
    const o = overrides.quota;
    const parsed = quotaSchema.safeParse({ ...quota, ...o, requests: { ...quota.requests, ...o.requests }, limits: { ...quota.limits, ...o.limits } });
    if (parsed.success) quota = parsed.data;
    else for (const issue of parsed.error.issues) report(['quota'], ['environments', env, 'quota'], o, issue.path, issue.message);
  }

  // Environment-dependent checks, on the resolved apps.
  const routes = new Map<string, string>();
  const finalApps = apps.map((app): AppSpec => {
    const i = indexOf.get(app.name)!;
    const o = overrides.apps[app.name];
    const where = (path: PropertyKey[], message: string): void => report(['apps', i], ['environments', env, 'apps', app.name], o, path, message);
    if (app.kind === 'web' && app.ingress) {
      const host = ingressHost(app.ingress.host, ctx.domain);
      if (!isHostUnder(host, ctx.domain)) {
        where(['ingress', 'host'], `"${app.ingress.host}" is not under the environment's domain "${ctx.domain}"; give one label like "shop" (→ shop.${ctx.domain}) or a host name ending in ".${ctx.domain}"`);
        return app;
      }
      if (!isDnsSubdomain(host)) where(['ingress', 'host'], `"${host}" is not a valid host name (at most 253 characters)`);
      if (spec.stacks?.previewHosts) {
        const longest = spec.stacks.names.reduce((a, b) => (a.length >= b.length ? a : b));
        const label = previewHost(host, longest).split('.')[0];
        if (!isDnsLabel(label)) where(['ingress', 'host'], `preview host label "${label}" would be longer than 63 characters; shorten the host or set stacks.previewHosts: false`);
      }
      const route = `${host}${app.ingress.path}`;
      const other = routes.get(route);
      if (other) where(['ingress'], `routes https://${route} like app "${other}"; give each app its own host or path`);
      routes.set(route, app.name);
      return { ...app, ingress: { ...app.ingress, host } } satisfies WebAppSpec;
    }
    if (app.kind === 'stateful') {
      const storageClass = app.storage.storageClass ?? defaultStorageClass(ctx);
      if (!ctx.storageClasses.some((sc) => sc.name === storageClass)) {
        where(['storage', 'storageClass'], `unknown storage class "${storageClass}" in environment ${env}; available: ${ctx.storageClasses.map((sc) => sc.name).join(', ')}`);
      }
      return { ...app, storage: { ...app.storage, storageClass } };
    }
    return app;
  });

  for (const { path, message } of quotaFit(finalApps, quota)) report(['quota'], ['environments', env, 'quota'], overrides.quota, path, message);
  if (problems.length) return { problems };

  const enabled = new Set(finalApps.map((a) => a.name));
  const network: NetworkSpec = {
    allowFrom: spec.network.allowFrom.filter((r) => enabled.has(r.app)),
    allowTo: spec.network.allowTo.filter((r) => r.app === undefined || enabled.has(r.app)),
  };
  const live = overrides.liveStack ?? spec.stacks?.live;
  const namespaces: TenantNamespace[] = spec.stacks
    ? spec.stacks.names.map((stack) => ({ name: `${spec.name}-${stack}`, stack, live: stack === live }))
    : [{ name: spec.name, live: true }];
  return {
    problems,
    spec: {
      name: spec.name,
      team: spec.team,
      costCenter: spec.costCenter,
      owners: spec.owners,
      environment: env,
      namespaces,
      previewHosts: spec.stacks?.previewHosts ?? false,
      quota,
      containerDefaults: overrides.containerDefaults ?? spec.containerDefaults,
      network,
      apps: finalApps.map((app) => (app.kind === 'external' && app.clients ? { ...app, clients: app.clients.filter((c) => enabled.has(c)) } : app)),
    },
  };
}

/** Formats a problem path like the CLI does: `apps[1].ingress.host`, `environments.prod.apps["my-api"].replicas`. */
export function formatProblemPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    const name = String(key);
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) return `${out}[${JSON.stringify(name)}]`;
    return out ? `${out}.${name}` : name;
  }, '');
}

/**
 * Validates a tenant spec and resolves it for one environment; throws one error listing every problem.
 * For tests and tools; the synth reports the same problems with the tenant's file name.
 */
export function tenantForEnvironment(input: unknown, ctx: PlatformContext): TenantEnvironmentSpec {
  const parsed = tenantSchema.safeParse(input);
  const resolution = parsed.success ? resolveTenant(parsed.data, ctx) : undefined;
  const problems: readonly TenantProblem[] = resolution?.problems
    ?? parsed.error!.issues.map((issue) => ({ path: issue.path, message: issue.message }));
  if (!resolution?.spec) {
    throw new Error(`invalid tenant:\n${problems.map((p) => `  ${formatProblemPath(p.path)}${p.environment ? ` (in ${p.environment})` : ''}: ${p.message}`).join('\n')}`);
  }
  return resolution.spec;
}
