import { bytesQuantity, dnsLabel, dnsSubdomain, resourcesSchema, uiAuthSchema as sharedUiAuthSchema } from '@platform/charts';
import { z } from 'zod';

/** A Go duration the way Jaeger reads it, in whole hours/minutes/seconds: "72h", "90m", "1h30m". */
export const DURATION_PATTERN = /^(?=\d)(\d+h)?(\d+m)?(\d+s)?$/;
export const duration = z.string().regex(DURATION_PATTERN, { error: 'must be a duration like "72h", "90m" or "1h30m"' });

const serverUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL like "https://elasticsearch.logging.svc:9200"' });

/** Traces kept in the Jaeger process' memory: lost on restart; for small test clusters. */
export const memoryStorageSchema = z.strictObject({
  type: z.literal('memory'),
  /** Traces kept before the oldest are evicted. @default 50000 */
  maxTraces: z.int().min(1000, { error: 'must be at least 1000' }).default(50000),
});

/** Badger (embedded key-value store) on a PersistentVolumeClaim: survives restarts, one Jaeger replica only. */
export const badgerStorageSchema = z.strictObject({
  type: z.literal('badger'),
  /** How long spans are kept (badger's TTL). @default "72h" */
  retention: duration.default('72h'),
  /** Size of the claim. @default "10Gi" */
  size: bytesQuantity.default('10Gi'),
  /** Storage class of the claim. @default - the environment's default storage class */
  storageClass: dnsLabel.optional(),
});

/** An Elasticsearch cluster outside this add-on (e.g. the logging add-on's, or a managed one). */
export const elasticsearchStorageSchema = z.strictObject({
  type: z.literal('elasticsearch'),
  /** Elasticsearch URLs; an in-cluster host "<service>.<namespace>.svc" narrows the egress policy to that namespace. */
  serverUrls: z.array(serverUrl).min(1, { error: 'must list at least one Elasticsearch URL' }),
  /** Index prefix, so several Jaegers (or environments) can share one cluster. @default "jaeger" */
  indexPrefix: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, { error: 'must be a lowercase Elasticsearch index prefix like "jaeger" or "prod-jaeger"' }).default('jaeger'),
  /**
   * How far back the UI searches (Jaeger's max_span_age). Jaeger never deletes indices: deleting them after this
   * age is Elasticsearch's job (ILM policy) — see README. @default "168h"
   */
  retention: duration.default('168h'),
  /** Secret (in namespace tracing, created outside git) with the basic-auth user. @default - no authentication */
  credentialsSecret: z.strictObject({
    name: dnsSubdomain,
    /** @default "username" */
    usernameKey: z.string().min(1).default('username'),
    /** @default "password" */
    passwordKey: z.string().min(1).default('password'),
  }).optional(),
});

export const storageSchema = z.discriminatedUnion('type', [memoryStorageSchema, badgerStorageSchema, elasticsearchStorageSchema], {
  error: 'must be one of: { type: "memory", ... }, { type: "badger", ... }, { type: "elasticsearch", serverUrls: [...], ... }',
});
export type StorageSettings = z.output<typeof storageSchema>;

/** Who may open the Jaeger UI through the Ingress (shared with every add-on UI); the UI has no login of its own. */
export const uiAuthSchema = sharedUiAuthSchema;

export const uiIngressSchema = z.strictObject({
  /** The UI is served on `<subdomain>.<environment domain>`. @default "jaeger" */
  subdomain: dnsLabel.default('jaeger'),
  /** Required: an Ingress to tenants' traces is never rendered without authentication in front of it. */
  auth: uiAuthSchema,
});

export const settings = z.strictObject({
  collector: z.strictObject({
    /** OpenTelemetry Collector replicas behind the tenants' OTLP endpoint. @default 2 */
    replicas: z.int().min(1).default(2),
    /** @default { requests: 200m / 256Mi, limits: 1 / 1Gi } */
    resources: resourcesSchema.default({ requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } }),
    /**
     * Add k8s.namespace.name / k8s.pod.name / k8s.deployment.name to every span, looked up from the sender's pod IP
     * (needs read access to pods, namespaces and replicasets cluster-wide). @default true
     */
    kubernetesAttributes: z.boolean().default(true),
  }).prefault({}),
  jaeger: z.strictObject({
    /** Jaeger replicas; more than 1 only with elasticsearch storage. @default 1 */
    replicas: z.int().min(1).default(1),
    /** @default { requests: 250m / 512Mi, limits: 1 / 1Gi } */
    resources: resourcesSchema.default({ requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } }),
  }).prefault({}),
  /** Where Jaeger keeps traces. @default { type: "memory" } */
  storage: storageSchema.prefault({ type: 'memory' }),
  /** The Jaeger UI on an Ingress, or `false` for ClusterIP only (kubectl port-forward). @default false */
  ui: z.union([z.literal(false), uiIngressSchema]).default(false),
}).superRefine((s, ctx) => {
  if (s.jaeger.replicas > 1 && s.storage.type !== 'elasticsearch') {
    ctx.addIssue({
      code: 'custom',
      path: ['jaeger', 'replicas'],
      message: `must be 1 with ${s.storage.type} storage (each replica would keep its own traces); use elasticsearch storage to run more`,
    });
  }
});

export type TracingSettings = z.output<typeof settings>;
export type TracingSettingsInput = z.input<typeof settings>;
