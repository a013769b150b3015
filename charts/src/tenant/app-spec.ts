import { z } from 'zod';
import { isDnsLabel, isDnsSubdomain } from '../names';
import { dnsLabel, dnsSubdomain } from '../platform-context';
import { RESOURCE_PRESETS, Resources, bytesQuantity, resourcesSchema } from '../resources';
import { CRON_HINT, isCronSchedule } from './cron';

/*
 * The apps of a tenant, as a discriminated union on `kind`: web services, workers, cron jobs, stateful services
 * and external dependencies. Every schema here accepts its own output (parse(parse(x)) === parse(x)): per-environment
 * overrides are merged over a parsed app and the result is parsed again.
 */

const PORT_HINT = 'must be a port between 1 and 65535';
export const portNumber = z.int({ error: PORT_HINT }).min(1, { error: PORT_HINT }).max(65535, { error: PORT_HINT });

/** Image references with a pinned version: a tag (not "latest") and/or a sha256 digest. */
export const IMAGE_HINT = 'must pin a version: "repository/name:1.2.3" or "repository/name@sha256:<64 hex digits>" (no implicit or "latest" tag)';
const IMAGE_SHAPE = /^[a-z0-9]+([._-][a-z0-9]+)*(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;
export function imageTag(image: string): string | undefined {
  const lastSegment = image.slice(image.lastIndexOf('/') + 1).split('@')[0];
  const colon = lastSegment.indexOf(':');
  return colon < 0 ? undefined : lastSegment.slice(colon + 1);
}
export function isPinnedImage(image: string): boolean {
  if (!IMAGE_SHAPE.test(image)) return false;
  const tag = imageTag(image);
  return image.includes('@sha256:') || (tag !== undefined && tag !== 'latest');
}
export const imageRef = z.string().superRefine((image, ctx) => {
  if (!isPinnedImage(image)) ctx.addIssue({ code: 'custom', message: `${IMAGE_HINT} (got ${JSON.stringify(image)})` });
});

const PRESETS = Object.keys(RESOURCE_PRESETS) as Array<keyof typeof RESOURCE_PRESETS>;
/** Requests and limits of a container: a preset name or explicit quantities. */
export const containerResourcesSchema = z.union([z.enum(PRESETS), resourcesSchema], {
  error: `must be a preset (${PRESETS.map((p) => `"${p}"`).join(', ')}) or { requests: { cpu, memory }, limits: { cpu, memory } }`,
}).transform((r): Resources => (typeof r === 'string' ? RESOURCE_PRESETS[r] : r));

const absolutePath = z.string().regex(/^(\/[^/\0]+)+$/, { error: 'must be an absolute path like "/etc/app/config.yaml"' });
const secretName = dnsSubdomain;

/** A value taken from a key of a Secret that exists in the namespace (created outside git). */
export const secretKeyRefSchema = z.strictObject({
  /** Name of the Secret. */
  secret: secretName,
  /** Key inside the Secret. */
  key: z.string().regex(/^[-._a-zA-Z0-9]+$/, { error: 'must be a Secret key: letters, digits, "-", "_" or "."' }),
  /** Start the pod even when the Secret or key is missing. @default false */
  optional: z.boolean().default(false),
});
export const envValueSchema = z.union([z.string(), secretKeyRefSchema], {
  error: 'must be a string, or { secret: "<secret name>", key: "<key>" } to read it from a Secret',
});
export type EnvValue = z.output<typeof envValueSchema>;

/** Env vars the platform sets on every container; apps may not set them. */
export const PLATFORM_ENV = ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_SERVICE_NAME', 'OTEL_RESOURCE_ATTRIBUTES'] as const;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
export const envSchema = z.record(z.string(), envValueSchema).superRefine((env, ctx) => {
  for (const name of Object.keys(env)) {
    if (!ENV_NAME.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: 'must be an environment variable name: a letter or "_", then letters, digits, "_", "-" or "."' });
    if ((PLATFORM_ENV as readonly string[]).includes(name)) ctx.addIssue({ code: 'custom', path: [name], message: 'is set by the platform (OpenTelemetry wiring); remove it' });
  }
});

const seconds = (min: number) => z.int().min(min, { error: `must be a whole number of seconds >= ${min}` });

/** One health check. Exactly one of `http`, `tcp`, `command`. */
export const probeSchema = z.strictObject({
  /** HTTP GET on this path (2xx/3xx is healthy), e.g. "/healthz". @default - not an HTTP check */
  http: z.string().regex(/^\//, { error: 'must be a path starting with "/"' }).optional(),
  /** A TCP connect to `port`. @default - not a TCP check */
  tcp: z.literal(true, { error: 'must be true (a TCP connect to `port`)' }).optional(),
  /** A command run in the container; exit code 0 is healthy. @default - not a command check */
  command: z.array(z.string().min(1)).min(1).optional(),
  /** Port of an `http` or `tcp` check. @default the app's port (workers: the metrics port) */
  port: portNumber.optional(),
  /** Seconds between checks. @default 10 */
  periodSeconds: seconds(1).default(10),
  /** Seconds before one check times out. @default 1 */
  timeoutSeconds: seconds(1).default(1),
  /** Consecutive failures before the check fails. @default 3 */
  failureThreshold: z.int().min(1).default(3),
  /** Seconds after the container starts before the first check. @default 0 */
  initialDelaySeconds: seconds(0).default(0),
}).superRefine((probe, ctx) => {
  const kinds = (['http', 'tcp', 'command'] as const).filter((k) => probe[k] !== undefined);
  if (kinds.length !== 1) {
    ctx.addIssue({ code: 'custom', message: `must have exactly one of http: "/path", tcp: true, command: [...] (got ${kinds.length ? kinds.join(' and ') : 'none'})` });
  }
  if (probe.command && probe.port !== undefined) ctx.addIssue({ code: 'custom', path: ['port'], message: 'applies only to http and tcp checks' });
});
export type Probe = z.output<typeof probeSchema>;

export const probesSchema = z.strictObject({
  /** When the pod gets traffic. @default the liveness check if given, else a TCP check on the app's port (workers: the metrics port) */
  readiness: probeSchema.optional(),
  /** When the container is restarted. @default the readiness check */
  liveness: probeSchema.optional(),
  /** Holds off the other checks until the app has started. @default the liveness check, allowing 30 failures */
  startup: probeSchema.optional(),
});

export const autoscalingSchema = z.strictObject({
  /** Fewest replicas. @default 2 */
  minReplicas: z.int().min(1, { error: 'must be at least 1' }).default(2),
  /** Most replicas. */
  maxReplicas: z.int().min(1, { error: 'must be at least 1' }),
  /** Average CPU use, in percent of the CPU request, the autoscaler aims for. @default 70 */
  targetCpuPercent: z.int().min(1).max(1000).default(70),
}).superRefine((a, ctx) => {
  if (a.minReplicas > a.maxReplicas) {
    ctx.addIssue({ code: 'custom', path: ['minReplicas'], message: `must be <= maxReplicas (${a.maxReplicas}) (got ${a.minReplicas})` });
  }
});

export const disruptionBudgetSchema = z.union([
  z.literal(false),
  z.strictObject({
    /** Pods that a voluntary disruption (node drain, upgrade) may take down at once. @default 1 */
    maxUnavailable: z.int().min(1).default(1),
  }),
], { error: 'must be false or { maxUnavailable: <n> }' });

export const metricsSchema = z.strictObject({
  /** Port Prometheus scrapes. */
  port: portNumber,
  /** HTTP path of the metrics. @default "/metrics" */
  path: z.string().regex(/^\//, { error: 'must be a path starting with "/"' }).default('/metrics'),
});

export const INGRESS_HOST_HINT = 'must be one DNS label like "shop" (becomes shop.<environment domain>) or a full host name under the environment domain';
export const appIngressSchema = z.strictObject({
  /** One label ("shop" → shop.<env domain>) or a full host name, which must be under the environment's domain. */
  host: z.string().refine((h) => isDnsLabel(h) || isDnsSubdomain(h), { error: INGRESS_HOST_HINT }),
  /** Path prefix routed to the app. @default "/" */
  path: z.string().regex(/^(\/[A-Za-z0-9._~-]*)+$/, { error: 'must be a path prefix like "/" or "/api" (letters, digits, ".", "_", "~", "-")' }).default('/'),
});

const replicas = z.int().min(0, { error: 'must be 0 or more' });

/** Fields of every app that runs a container. */
const containerFields = {
  /** App name (DNS-1123 label): names its Deployment/StatefulSet/CronJob, Service, ServiceAccount. */
  name: dnsLabel,
  /** Container image, pinned by tag or digest. */
  image: imageRef,
  /** Entrypoint override. @default the image's entrypoint */
  command: z.array(z.string()).optional(),
  /** Arguments. @default the image's command */
  args: z.array(z.string()).optional(),
  /** Requests and limits: "small" | "medium" | "large" or explicit quantities. @default "small" */
  resources: containerResourcesSchema.prefault('small'),
  /** Env vars: plain values, or `{ secret, key }` to read a Secret key. @default {} */
  env: envSchema.default({}),
  /** Secrets whose every key becomes an env var (envFrom). @default [] */
  envFromSecrets: z.array(secretName).default([]),
  /** Secrets mounted read-only as files, one file per key, at `path`. @default [] */
  secretFiles: z.array(z.strictObject({
    /** Name of the Secret. */
    secret: secretName,
    /** Directory the keys appear in. */
    path: absolutePath,
  })).default([]),
  /** Config files (absolute path → content), rendered into the ConfigMap `<app>-files` and mounted read-only. @default {} */
  files: z.record(z.string(), z.string()).default({}),
  /** Writable directories (emptyDir); the root filesystem is read-only. @default ["/tmp"] */
  writablePaths: z.array(absolutePath).default(['/tmp']),
  /** UID (and GID) the container runs as; never 0. @default 65532 */
  runAsUser: z.int().min(1, { error: 'must be a non-root UID (>= 1): Pod Security "restricted" forbids root' }).default(65532),
  /** Mount a ServiceAccount token and allow egress to the Kubernetes API (the app gets no RBAC from this). @default false */
  kubernetesApi: z.boolean().default(false),
};

function checkContainer(app: { files: Record<string, string>; writablePaths: readonly string[] }, ctx: z.RefinementCtx): void {
  const seen = new Map<string, string>();
  for (const path of Object.keys(app.files)) {
    if (!/^(\/[^/\0]+)+$/.test(path)) {
      ctx.addIssue({ code: 'custom', path: ['files', path], message: 'must be an absolute file path like "/etc/app/config.yaml"' });
      continue;
    }
    const base = path.slice(path.lastIndexOf('/') + 1);
    if (!/^[-._a-zA-Z0-9]+$/.test(base)) {
      ctx.addIssue({ code: 'custom', path: ['files', path], message: 'file name must consist of letters, digits, "-", "_" or "."' });
    } else if (seen.has(base)) {
      ctx.addIssue({ code: 'custom', path: ['files', path], message: `has the same file name as "${seen.get(base)}"; file names must be unique per app` });
    }
    seen.set(base, path);
  }
  const dup = app.writablePaths.find((p, i) => app.writablePaths.indexOf(p) !== i);
  if (dup) ctx.addIssue({ code: 'custom', path: ['writablePaths'], message: `lists "${dup}" twice` });
}

function checkScaling(app: { replicas?: number; autoscaling?: unknown }, ctx: z.RefinementCtx): void {
  if (app.replicas !== undefined && app.autoscaling !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['replicas'], message: 'cannot be set together with autoscaling (autoscaling.minReplicas is the floor)' });
  }
}

function checkProbePorts(probes: z.output<typeof probesSchema>, fallback: number | undefined, ctx: z.RefinementCtx): void {
  for (const which of ['readiness', 'liveness', 'startup'] as const) {
    const probe = probes[which];
    if (probe && !probe.command && probe.port === undefined && fallback === undefined) {
      ctx.addIssue({ code: 'custom', path: ['probes', which, 'port'], message: 'is required: this app has no port to check' });
    }
  }
}

export const webAppSchema = z.strictObject({
  /** A web service: Deployment + Service (+ Ingress, HPA, PDB). */
  kind: z.literal('web'),
  ...containerFields,
  /** Port the container listens on. */
  port: portNumber,
  /** Port of the Service (`http://<app>:<servicePort>` inside the namespace). @default 80 */
  servicePort: portNumber.default(80),
  /** Fixed number of replicas (use `autoscaling` instead to scale on CPU). @default 2 */
  replicas: replicas.optional(),
  /** HorizontalPodAutoscaler on CPU. @default - fixed `replicas` */
  autoscaling: autoscalingSchema.optional(),
  /** PodDisruptionBudget, or false for none. @default { maxUnavailable: 1 } */
  disruptionBudget: disruptionBudgetSchema.prefault({}),
  /** Health checks. @default TCP checks on `port` */
  probes: probesSchema.prefault({}),
  /** Prometheus metrics endpoint. @default - not scraped */
  metrics: metricsSchema.optional(),
  /** Public HTTPS route through the platform ingress controller. @default - no Ingress */
  ingress: appIngressSchema.optional(),
}).superRefine((app, ctx) => {
  checkContainer(app, ctx);
  checkScaling(app, ctx);
});

export const workerAppSchema = z.strictObject({
  /** A background worker: Deployment without Service or Ingress (+ HPA, PDB). */
  kind: z.literal('worker'),
  ...containerFields,
  /** Fixed number of replicas (use `autoscaling` instead to scale on CPU). @default 1 */
  replicas: replicas.optional(),
  /** HorizontalPodAutoscaler on CPU. @default - fixed `replicas` */
  autoscaling: autoscalingSchema.optional(),
  /** PodDisruptionBudget, or false for none. @default { maxUnavailable: 1 } */
  disruptionBudget: disruptionBudgetSchema.prefault({}),
  /** Health checks; required unless `metrics` is set. @default TCP checks on the metrics port */
  probes: probesSchema.prefault({}),
  /** Prometheus metrics endpoint. @default - not scraped */
  metrics: metricsSchema.optional(),
}).superRefine((app, ctx) => {
  checkContainer(app, ctx);
  checkScaling(app, ctx);
  if (!app.probes.readiness && !app.probes.liveness && !app.metrics) {
    ctx.addIssue({ code: 'custom', path: ['probes'], message: 'a worker has no port to check by default: give probes.liveness (e.g. { command: ["/bin/health"] }) or metrics.port' });
  }
  checkProbePorts(app.probes, app.metrics?.port, ctx);
});

export const CONCURRENCY_POLICIES = ['Forbid', 'Allow', 'Replace'] as const;
export const cronScheduleSchema = z.string().refine(isCronSchedule, { error: `must be ${CRON_HINT}` });

export const cronAppSchema = z.strictObject({
  /** A scheduled job: CronJob. */
  kind: z.literal('cron'),
  ...containerFields,
  /** When it runs, in cron syntax (e.g. "0 2 * * *"), in `timeZone`. */
  schedule: cronScheduleSchema,
  /** IANA time zone of the schedule, e.g. "Europe/Berlin". @default "Etc/UTC" */
  timeZone: z.string().regex(/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/, { error: 'must be an IANA time zone like "Europe/Berlin" or "Etc/UTC"' }).default('Etc/UTC'),
  /** What happens when a run is due while the previous one still runs. @default "Forbid" */
  concurrencyPolicy: z.enum(CONCURRENCY_POLICIES).default('Forbid'),
  /** Finished successful Jobs kept for inspection. @default 3 */
  successfulJobsHistoryLimit: z.int().min(0).default(3),
  /** Failed Jobs kept for inspection. @default 1 */
  failedJobsHistoryLimit: z.int().min(0).default(1),
  /** Retries of a failed run. @default 2 */
  backoffLimit: z.int().min(0).default(2),
  /** Seconds a run may take before it is stopped. @default - no limit */
  activeDeadlineSeconds: seconds(1).optional(),
  /** Seconds after the scheduled time a missed run may still start. @default 300 */
  startingDeadlineSeconds: seconds(10).default(300),
  /** Pause scheduling (running Jobs continue). @default false */
  suspend: z.boolean().default(false),
}).superRefine((app, ctx) => checkContainer(app, ctx));

export const statefulAppSchema = z.strictObject({
  /** A stateful service: StatefulSet + headless Service + one PersistentVolumeClaim per replica. */
  kind: z.literal('stateful'),
  ...containerFields,
  /** Port the container listens on (the headless Service exposes it under the app's name). */
  port: portNumber,
  /** Replicas (each with its own volume). @default 1 */
  replicas: replicas.default(1),
  /** The volume of each replica. */
  storage: z.strictObject({
    /** Size of each replica's volume. */
    size: bytesQuantity,
    /** Where it is mounted. @default "/data" */
    path: absolutePath.default('/data'),
    /** Storage class; must exist in the environment. @default the environment's default class */
    storageClass: dnsLabel.optional(),
  }),
  /** PodDisruptionBudget, or false for none. @default { maxUnavailable: 1 } */
  disruptionBudget: disruptionBudgetSchema.prefault({}),
  /** Health checks. @default TCP checks on `port` */
  probes: probesSchema.prefault({}),
  /** Prometheus metrics endpoint. @default - not scraped */
  metrics: metricsSchema.optional(),
}).superRefine((app, ctx) => {
  checkContainer(app, ctx);
  if (app.writablePaths.includes(app.storage.path)) {
    ctx.addIssue({ code: 'custom', path: ['storage', 'path'], message: `is also in writablePaths; the volume is writable already` });
  }
});

export const externalAppSchema = z.strictObject({
  /** A dependency outside the cluster, reachable in the namespace under `name` (ExternalName or selector-less Service). */
  kind: z.literal('external'),
  /** Service name the apps use, e.g. "postgres" → postgres:<port>. */
  name: dnsLabel,
  /** DNS name of the dependency (→ Service of type ExternalName). @default - give `host` or `ip` */
  host: dnsSubdomain.optional(),
  /** IPv4 address of the dependency (→ Service without selector + Endpoints). @default - give `host` or `ip` */
  ip: z.ipv4({ error: 'must be an IPv4 address like "10.20.30.40"' }).optional(),
  /** TCP port of the dependency. */
  port: portNumber,
  /** Where egress to it is allowed. @default "<ip>/32" for `ip`; "0.0.0.0/0" (this port only) for `host`, whose address is not known when rendering */
  cidr: z.cidrv4({ error: 'must be an IPv4 CIDR like "10.20.0.0/16"' }).optional(),
  /** Apps allowed to reach it. @default every app of the tenant */
  clients: z.array(dnsLabel).optional(),
}).superRefine((app, ctx) => {
  if ((app.host === undefined) === (app.ip === undefined)) {
    ctx.addIssue({ code: 'custom', message: 'give exactly one of host (a DNS name) or ip (an IPv4 address)' });
  }
});

export const appSchema = z.discriminatedUnion('kind', [webAppSchema, workerAppSchema, cronAppSchema, statefulAppSchema, externalAppSchema]);

export type AppSpec = z.output<typeof appSchema>;
export type AppSpecInput = z.input<typeof appSchema>;
export type AppKind = AppSpec['kind'];
export type WebAppSpec = z.output<typeof webAppSchema>;
export type WorkerAppSpec = z.output<typeof workerAppSchema>;
export type CronAppSpec = z.output<typeof cronAppSchema>;
export type StatefulAppSpec = z.output<typeof statefulAppSchema>;
export type ExternalAppSpec = z.output<typeof externalAppSchema>;
/** Apps that run a container. */
export type WorkloadAppSpec = WebAppSpec | WorkerAppSpec | CronAppSpec | StatefulAppSpec;

/** Ports an app accepts traffic on (for network exceptions): its port and its metrics port. */
export function appPorts(app: AppSpec): number[] {
  switch (app.kind) {
    case 'web':
    case 'stateful':
      return [...new Set([app.port, ...(app.metrics ? [app.metrics.port] : [])])];
    case 'worker':
      return app.metrics ? [app.metrics.port] : [];
    default:
      return [];
  }
}
