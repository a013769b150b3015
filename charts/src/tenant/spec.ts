import { z } from 'zod';
import { BYTES_PATTERN, CPU_PATTERN, bytes, cpuMillis } from '../quantity';
import { bytesQuantity, cpuQuantity } from '../resources';
import { DNS_LABEL_HINT, isDnsLabel } from '../names';
import { dnsLabel } from '../platform-context';
import {
  AppKind, AppSpec, appPorts, appSchema, containerResourcesSchema, cronScheduleSchema, envSchema, imageRef, portNumber,
} from './app-spec';

const isCpu = (q: string): boolean => CPU_PATTERN.test(q);
const isBytes = (q: string): boolean => BYTES_PATTERN.test(q);

const labelValue = z.string().max(63, { error: 'must be at most 63 characters' })
  .regex(/^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/, { error: 'must be a label value: lowercase letters, digits, "-", "_" or ".", starting and ending with a letter or digit' });

/** Namespaces a tenant can never have: Kubernetes' own. */
const RESERVED = /^(kube-.*|default)$/;
const tenantName = z.string().superRefine((name, ctx) => {
  if (!isDnsLabel(name)) ctx.addIssue({ code: 'custom', message: `must be ${DNS_LABEL_HINT} (got ${JSON.stringify(name)})` });
  else if (RESERVED.test(name)) ctx.addIssue({ code: 'custom', message: `"${name}" is reserved for Kubernetes (no "default", nothing starting with "kube-")` });
});

const quotaPair = (cpu: string, memory: string) => z.strictObject({
  /** CPU, e.g. "4" or "500m". @default "2" for requests, "4" for limits */
  cpu: cpuQuantity.default(cpu),
  /** Memory, e.g. "8Gi". @default "4Gi" for requests, "8Gi" for limits */
  memory: bytesQuantity.default(memory),
});

/** Per-namespace ResourceQuota. */
export const quotaSchema = z.strictObject({
  /** Sum of the CPU/memory requests of all pods. @default { cpu: "2", memory: "4Gi" } */
  requests: quotaPair('2', '4Gi').prefault({}),
  /** Sum of the CPU/memory limits of all pods. @default { cpu: "4", memory: "8Gi" } */
  limits: quotaPair('4', '8Gi').prefault({}),
  /** Pods (running or pending). @default 20 */
  pods: z.int().min(1).default(20),
  /** Sum of the requested sizes of all PersistentVolumeClaims. @default "20Gi" */
  storage: bytesQuantity.default('20Gi'),
  /** Number of PersistentVolumeClaims. @default 10 */
  persistentVolumeClaims: z.int().min(0).default(10),
  /** Services of type LoadBalancer (use Ingress for HTTP; each LB costs money). @default 0 */
  loadBalancers: z.int().min(0).default(0),
}).superRefine((q, ctx) => {
  // zod runs this even when a quantity failed its pattern: compare well-formed quantities only.
  if (!isCpu(q.requests.cpu) || !isCpu(q.limits.cpu) || !isBytes(q.requests.memory) || !isBytes(q.limits.memory)) return;
  if (cpuMillis(q.limits.cpu) < cpuMillis(q.requests.cpu)) ctx.addIssue({ code: 'custom', path: ['limits', 'cpu'], message: `must be >= requests.cpu (${q.requests.cpu}) (got ${JSON.stringify(q.limits.cpu)})` });
  if (bytes(q.limits.memory) < bytes(q.requests.memory)) ctx.addIssue({ code: 'custom', path: ['limits', 'memory'], message: `must be >= requests.memory (${q.requests.memory}) (got ${JSON.stringify(q.limits.memory)})` });
});
export type Quota = z.output<typeof quotaSchema>;

/** The quota fields one environment changes; each defaults to the tenant's `quota`. */
const quotaOverrideSchema = z.strictObject({
  /** Requests (cpu and/or memory). @default the tenant's quota.requests */
  requests: z.strictObject({ cpu: cpuQuantity.optional(), memory: bytesQuantity.optional() }).optional(),
  /** Limits (cpu and/or memory). @default the tenant's quota.limits */
  limits: z.strictObject({ cpu: cpuQuantity.optional(), memory: bytesQuantity.optional() }).optional(),
  /** Pods. @default the tenant's quota.pods */
  pods: z.int().min(1).optional(),
  /** Total PVC size. @default the tenant's quota.storage */
  storage: bytesQuantity.optional(),
  /** Number of PVCs. @default the tenant's quota.persistentVolumeClaims */
  persistentVolumeClaims: z.int().min(0).optional(),
  /** LoadBalancer Services. @default the tenant's quota.loadBalancers */
  loadBalancers: z.int().min(0).optional(),
});

/** What one environment changes for one app; each field replaces the app's (objects are merged one level deep). */
export const appOverrideSchema = z.strictObject({
  /** Run the app in this environment. @default true */
  enabled: z.boolean().optional(),
  /** Image (e.g. a newer tag in test). @default the app's */
  image: imageRef.optional(),
  /** Fixed replicas (turns autoscaling off unless `autoscaling` is given too). web, worker, stateful. @default the app's */
  replicas: z.int().min(0, { error: 'must be 0 or more' }).optional(),
  /** Autoscaling bounds, merged over the app's, or false to turn it off. web, worker. @default the app's */
  autoscaling: z.union([z.literal(false), z.strictObject({
    minReplicas: z.int().min(1, { error: 'must be at least 1' }).optional(),
    maxReplicas: z.int().min(1, { error: 'must be at least 1' }).optional(),
    targetCpuPercent: z.int().min(1).max(1000).optional(),
  })], { error: 'must be false or { minReplicas?, maxReplicas?, targetCpuPercent? }' }).optional(),
  /** Requests and limits. @default the app's */
  resources: containerResourcesSchema.optional(),
  /** Env vars, merged over the app's. @default the app's */
  env: envSchema.optional(),
  /** Ingress host/path, merged over the app's, or false for none. web. @default the app's */
  ingress: z.union([z.literal(false), z.strictObject({ host: z.string().optional(), path: z.string().optional() })], { error: 'must be false or { host?, path? }' }).optional(),
  /** Schedule. cron. @default the app's */
  schedule: cronScheduleSchema.optional(),
  /** Pause the schedule. cron. @default the app's */
  suspend: z.boolean().optional(),
  /** Volume size/class, merged over the app's. stateful. @default the app's */
  storage: z.strictObject({ size: bytesQuantity.optional(), storageClass: dnsLabel.optional() }).optional(),
  /** Host of the dependency (replaces `ip`). external. @default the app's */
  host: z.string().optional(),
  /** IP of the dependency (replaces `host`). external. @default the app's */
  ip: z.string().optional(),
  /** Egress CIDR. external. @default the app's */
  cidr: z.string().optional(),
});
export type AppOverride = z.output<typeof appOverrideSchema>;

/** Which override fields apply to which kind of app. */
export const OVERRIDABLE: Readonly<Record<AppKind, readonly (keyof AppOverride)[]>> = {
  web: ['enabled', 'image', 'replicas', 'autoscaling', 'resources', 'env', 'ingress'],
  worker: ['enabled', 'image', 'replicas', 'autoscaling', 'resources', 'env'],
  cron: ['enabled', 'image', 'resources', 'env', 'schedule', 'suspend'],
  stateful: ['enabled', 'image', 'replicas', 'resources', 'env', 'storage'],
  external: ['enabled', 'host', 'ip', 'cidr'],
};

/** What one environment changes for the whole tenant. */
export const environmentOverridesSchema = z.strictObject({
  /** Quota fields for this environment, merged over the tenant's `quota`. @default - the tenant's quota */
  quota: quotaOverrideSchema.optional(),
  /** LimitRange defaults for this environment. @default - the tenant's containerDefaults */
  containerDefaults: containerResourcesSchema.optional(),
  /** The stack Ingresses route to in this environment (blue/green switch). @default stacks.live */
  liveStack: dnsLabel.optional(),
  /** Per-app changes, by app name. @default {} */
  apps: z.record(z.string(), appOverrideSchema).default({}),
});
export type EnvironmentOverrides = z.output<typeof environmentOverridesSchema>;

const peerFields = {
  /** Another tenant (all of its namespaces, matched by the platform's tenant label). @default - give tenant or namespace */
  tenant: dnsLabel.optional(),
  /** A namespace by name (e.g. a platform namespace). @default - give tenant or namespace */
  namespace: dnsLabel.optional(),
};

export const networkSchema = z.strictObject({
  /** Extra ingress: who else may call one of this tenant's apps, on which port. @default [] */
  allowFrom: z.array(z.strictObject({
    ...peerFields,
    /** The app being called. */
    app: dnsLabel,
    /** Its port. @default the app's port */
    port: portNumber.optional(),
  })).default([]),
  /** Extra egress: other tenants'/namespaces' ports this tenant's apps call (they must allow it too). @default [] */
  allowTo: z.array(z.strictObject({
    ...peerFields,
    /** Destination ports (pod ports, not Service ports). */
    ports: z.array(portNumber).min(1, { error: 'must list at least one port' }),
    /** The calling app. @default every app of the tenant */
    app: dnsLabel.optional(),
  })).default([]),
});

export const stacksSchema = z.strictObject({
  /** Stack names; each becomes a namespace `<tenant>-<stack>` running every app with its own Services. */
  names: z.array(dnsLabel).min(2, { error: 'must list at least two stacks (e.g. ["blue", "green"])' }),
  /** The stack the Ingresses route to (switch per environment with `environments.<env>.liveStack`). */
  live: dnsLabel,
  /** Also route `<stack>-<host>` to each stack, to try the idle one before switching. @default true */
  previewHosts: z.boolean().default(true),
});

export const tenantSchema = z.strictObject({
  /** Tenant name (DNS-1123 label); equals the folder under apps/ and names its namespace(s). */
  name: tenantName,
  /** Team label on every namespace and pod (utilization reports). */
  team: labelValue,
  /** Cost-center label on every namespace and pod (billing). */
  costCenter: labelValue,
  /** Identity-provider groups that administer / view the tenant's namespaces. */
  owners: z.strictObject({
    /** Operate the apps: logs, exec, port-forward, restarts, scaling, Secrets, Jobs. */
    admins: z.array(z.string().min(1)).min(1, { error: 'must name at least one admin group' }),
    /** Read everything but Secrets. @default [] */
    viewers: z.array(z.string().min(1)).default([]),
  }),
  /** Where the tenant runs: a list of environment names, or `{ <env>: { ...overrides } }`. */
  environments: z.union([z.array(z.string()), z.record(z.string(), environmentOverridesSchema)], {
    error: 'must be a list of environment names, e.g. ["test", "prod"], or { test: {}, prod: { ...overrides } }',
  }),
  /** ResourceQuota of each namespace. @default see the fields */
  quota: quotaSchema.prefault({}),
  /** LimitRange defaults for containers that declare no resources (e.g. `kubectl run`). @default "small" */
  containerDefaults: containerResourcesSchema.prefault('small'),
  /** Side-by-side copies of every app (blue/green). @default - one namespace named after the tenant */
  stacks: stacksSchema.optional(),
  /** Network exceptions beyond the defaults (own namespace, DNS, ingress controller, Prometheus, OTel). @default {} */
  network: networkSchema.prefault({}),
  /** The apps. @default [] */
  apps: z.array(appSchema).default([]),
// Cross-references (app names, stacks, overrides) are checked once every field is valid on its own.
}).superRefine((spec, ctx) => {
  const apps = new Map<string, AppSpec>();
  spec.apps.forEach((app, i) => {
    if (apps.has(app.name)) ctx.addIssue({ code: 'custom', path: ['apps', i, 'name'], message: `"${app.name}" is used by another app; app names are unique per tenant` });
    apps.set(app.name, app);
  });
  const appList = [...apps.keys()].join(', ') || '(none)';
  const mustBeApp = (name: string, path: PropertyKey[], what: string, ok: (app: AppSpec) => string | undefined): AppSpec | undefined => {
    const app = apps.get(name);
    if (!app) {
      ctx.addIssue({ code: 'custom', path, message: `unknown app "${name}"; ${what}: ${appList}` });
      return undefined;
    }
    const problem = ok(app);
    if (problem) ctx.addIssue({ code: 'custom', path, message: problem });
    return problem ? undefined : app;
  };
  const runsContainer = (app: AppSpec) => (app.kind === 'external' ? `"${app.name}" is an external dependency, not an app that runs here` : undefined);

  spec.apps.forEach((app, i) => {
    if (app.kind === 'external') {
      app.clients?.forEach((client, j) => mustBeApp(client, ['apps', i, 'clients', j], 'apps', runsContainer));
    }
  });

  spec.network.allowFrom.forEach((rule, i) => {
    if ((rule.tenant === undefined) === (rule.namespace === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['network', 'allowFrom', i], message: 'give exactly one of tenant or namespace' });
    }
    const app = mustBeApp(rule.app, ['network', 'allowFrom', i, 'app'], 'apps', (a) => {
      if (a.kind === 'external') return runsContainer(a);
      return appPorts(a).length ? undefined : `"${a.name}" is a ${a.kind} app with no port; only apps with a port (or metrics port) accept traffic`;
    });
    if (app) {
      const ports = appPorts(app);
      const port = rule.port ?? ports[0];
      if (!ports.includes(port)) {
        ctx.addIssue({ code: 'custom', path: ['network', 'allowFrom', i, 'port'], message: `"${app.name}" listens on ${ports.join(', ')} (got ${port})` });
      }
    }
  });
  spec.network.allowTo.forEach((rule, i) => {
    if ((rule.tenant === undefined) === (rule.namespace === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['network', 'allowTo', i], message: 'give exactly one of tenant or namespace' });
    }
    if (rule.app !== undefined) mustBeApp(rule.app, ['network', 'allowTo', i, 'app'], 'apps', runsContainer);
  });

  const stacks = spec.stacks;
  if (stacks) {
    stacks.names.forEach((stack, i) => {
      if (stacks.names.indexOf(stack) !== i) ctx.addIssue({ code: 'custom', path: ['stacks', 'names', i], message: `"${stack}" is listed twice` });
      if (`${spec.name}-${stack}`.length > 63) ctx.addIssue({ code: 'custom', path: ['stacks', 'names', i], message: `namespace "${spec.name}-${stack}" would be longer than 63 characters` });
    });
    if (!stacks.names.includes(stacks.live)) ctx.addIssue({ code: 'custom', path: ['stacks', 'live'], message: `must be one of the stacks: ${stacks.names.join(', ')} (got "${stacks.live}")` });
  }

  const envs = spec.environments;
  if (Array.isArray(envs)) {
    if (envs.length === 0) ctx.addIssue({ code: 'custom', path: ['environments'], message: 'must list at least one environment' });
    envs.forEach((env, i) => {
      if (envs.indexOf(env) !== i) ctx.addIssue({ code: 'custom', path: ['environments', i], message: `"${env}" is listed twice` });
    });
    return;
  }
  if (Object.keys(envs).length === 0) ctx.addIssue({ code: 'custom', path: ['environments'], message: 'must name at least one environment, e.g. { test: {} }' });
  for (const [env, overrides] of Object.entries(envs)) {
    if (overrides.liveStack !== undefined && !stacks?.names.includes(overrides.liveStack)) {
      ctx.addIssue({ code: 'custom', path: ['environments', env, 'liveStack'], message: stacks ? `must be one of the stacks: ${stacks.names.join(', ')} (got "${overrides.liveStack}")` : 'applies only to tenants with stacks' });
    }
    for (const [name, override] of Object.entries(overrides.apps)) {
      const app = mustBeApp(name, ['environments', env, 'apps', name], 'apps', () => undefined);
      if (!app) continue;
      for (const field of Object.keys(override) as (keyof AppOverride)[]) {
        if (!OVERRIDABLE[app.kind].includes(field)) {
          ctx.addIssue({ code: 'custom', path: ['environments', env, 'apps', name, field], message: `does not apply to ${app.kind} apps; a ${app.kind} app can override: ${OVERRIDABLE[app.kind].join(', ')}` });
        }
      }
    }
  }
}, { when: (payload) => payload.issues.length === 0 }).transform(({ environments, ...spec }) => ({
  ...spec,
  /** Environment names, in the order written. */
  environments: Array.isArray(environments) ? [...environments] : Object.keys(environments),
  /** Per-environment changes (empty for environments listed without overrides). */
  overrides: (Array.isArray(environments) ? {} : environments) as Readonly<Record<string, EnvironmentOverrides>>,
}));

/** What `apps/<tenant>/tenant.ts` writes (defaults may be omitted). */
export type TenantSpec = z.input<typeof tenantSchema>;
/** A validated tenant, defaults applied, not yet specific to an environment (see `resolveTenant`). */
export type ResolvedTenantSpec = z.output<typeof tenantSchema>;
export type NetworkSpec = ResolvedTenantSpec['network'];
export type StacksSpec = z.output<typeof stacksSchema>;

/**
 * What `apps/<tenant>/tenant.ts` default-exports: `export default defineTenant({ ... })`. Only a typing aid; the
 * synth validates the spec and reports every problem with its field path.
 */
export function defineTenant(spec: TenantSpec): TenantSpec {
  return spec;
}
