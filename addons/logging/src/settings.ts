import { bytes, bytesQuantity, dnsLabel, dnsSubdomain, resourcesSchema, UiAuth, uiAuthSchema } from '@platform/charts';
import { z } from 'zod';

/** A Secret that exists in the cluster but never in git: its name and the keys holding user and password. */
export const secretCredentialsSchema = z.strictObject({
  /** Secret name; created out of band in the namespace of the pod that reads it. */
  name: dnsSubdomain,
  /** Key of the user name. @default "username" */
  usernameKey: z.string().regex(/^[-._a-zA-Z0-9]+$/, { error: 'must be a Secret key ([-._a-zA-Z0-9]+)' }).default('username'),
  /** Key of the password. @default "password" */
  passwordKey: z.string().regex(/^[-._a-zA-Z0-9]+$/, { error: 'must be a Secret key ([-._a-zA-Z0-9]+)' }).default('password'),
});
export type SecretCredentials = z.output<typeof secretCredentialsSchema>;

/** JVM heap as a Kubernetes quantity; rendered as -Xms/-Xmx. */
const heapQuantity = z.string().regex(/^\d+(Mi|Gi)$/, { error: 'must be a heap size in Mi or Gi like "512Mi" or "2Gi"' });

const cidr = z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, { error: 'must be an IPv4 CIDR like "10.20.0.0/16"' });

/** Elasticsearch as a single-node StatefulSet in the `logging` namespace (small clusters, test). */
export const inClusterElasticsearchSchema = z.strictObject({
  mode: z.literal('in-cluster'),
  /** The data volume. */
  storage: z.strictObject({
    /** Size of the PersistentVolumeClaim. @default "10Gi" */
    size: bytesQuantity.default('10Gi'),
    /** Storage class of the claim; must be one of the environment's classes. @default - the environment's default class */
    storageClass: dnsLabel.optional(),
  }).prefault({}),
  /** JVM heap (-Xms = -Xmx); at most half the memory limit, the rest is Lucene's page cache. @default "512Mi" */
  heap: heapQuantity.default('512Mi'),
  /** Requests and limits of the Elasticsearch container. */
  resources: resourcesSchema.default({ requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } }),
  /** Days an index is kept before the ILM policy deletes it. @default 7 */
  retentionDays: z.int().min(1).max(3650).default(7),
}).superRefine((es, ctx) => {
  if (bytes(es.heap) * 2 > bytes(es.resources.limits.memory)) {
    ctx.addIssue({ code: 'custom', path: ['heap'], message: `must be at most half of resources.limits.memory (${es.resources.limits.memory})` });
  }
});

/** Elasticsearch run outside the cluster (prod): reached through an ExternalName Service. */
export const externalElasticsearchSchema = z.strictObject({
  mode: z.literal('external'),
  /** DNS name of the external cluster; the `elasticsearch` Service in `logging` is a CNAME to it. */
  host: dnsSubdomain.refine((h) => !/^[\d.]+$/.test(h), { error: 'must be a DNS name, not an IP address (an ExternalName Service is a CNAME)' }),
  /** Port of the HTTP API. @default 9200 */
  port: z.int().min(1).max(65535).default(9200),
  /** @default "https" */
  scheme: z.enum(['http', 'https']).default('https'),
  /**
   * The name fluentd and Kibana connect to: `service` = elasticsearch.logging.svc (the ExternalName; with https the
   * server certificate must list that name), `host` = `host` itself (TLS checks the name the certificate was issued for).
   * @default "service"
   */
  clientAddress: z.enum(['service', 'host']).default('service'),
  /** fluentd's user (index writer); the Secret lives in the `logging-agent` namespace. */
  credentialsSecret: secretCredentialsSchema,
  /** Kibana's user (kibana_system); the Secret lives in the `logging` namespace. */
  kibanaCredentialsSecret: secretCredentialsSchema,
  /** Where the external cluster's addresses are, for egress NetworkPolicies. @default ["0.0.0.0/0"] (any address, ES port only) */
  egressCidrs: z.array(cidr).min(1).default(['0.0.0.0/0']),
});

export const elasticsearchSchema = z.discriminatedUnion('mode', [inClusterElasticsearchSchema, externalElasticsearchSchema], {
  error: 'must be { mode: "in-cluster", ... } or { mode: "external", host, credentialsSecret, kibanaCredentialsSecret, ... }',
});
export type ElasticsearchSettings = z.output<typeof elasticsearchSchema>;
export type InClusterElasticsearchSettings = z.output<typeof inClusterElasticsearchSchema>;
export type ExternalElasticsearchSettings = z.output<typeof externalElasticsearchSchema>;

/** A fluentd time value: seconds, minutes or hours. */
const fluentdDuration = z.string().regex(/^\d+(s|m|h)$/, { error: 'must be a duration like "5s", "1m" or "1h"' });

/** Index prefixes Elasticsearch 7.17 routes to data streams through its built-in templates (logs-*-*, ...). */
const RESERVED_PREFIXES = ['logs-', 'metrics-', 'synthetics-'];

export const fluentdSchema = z.strictObject({
  /** Requests and limits of the fluentd container. */
  resources: resourcesSchema.default({ requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } }),
  /** Indices are `<indexPrefix>-YYYY.MM.DD`. @default "k8s-<environment>" */
  indexPrefix: z.string()
    .regex(/^[a-z0-9][a-z0-9-]*[a-z0-9]$/, { error: 'must be lowercase letters, digits and "-" (an Elasticsearch index name prefix)' })
    .refine((p) => !RESERVED_PREFIXES.some((r) => `${p}-`.startsWith(r)), { error: `must not start with ${RESERVED_PREFIXES.join(', ')} (Elasticsearch's built-in data stream templates)` })
    .optional(),
  /** The file buffer in front of Elasticsearch (on the node's disk, survives restarts). */
  buffer: z.strictObject({
    /** Largest chunk = largest bulk request. @default "8Mi" */
    chunkLimitSize: bytesQuantity.default('8Mi'),
    /** Disk the buffer may use per node before `overflowAction`. @default "2Gi" */
    totalLimitSize: bytesQuantity.default('2Gi'),
    /** How often chunks are flushed. @default "5s" */
    flushInterval: fluentdDuration.default('5s'),
    /** Parallel bulk requests. @default 2 */
    flushThreadCount: z.int().min(1).max(16).default(2),
    /** Cap of the exponential backoff between retries (retries never give up). @default "60s" */
    retryMaxInterval: fluentdDuration.default('60s'),
    /** What happens when the buffer is full: `block` stops tailing (logs wait on disk), the others lose logs. @default "block" */
    overflowAction: z.enum(['block', 'drop_oldest_chunk', 'throw_exception']).default('block'),
  }).prefault({}).superRefine((b, ctx) => {
    if (bytes(b.totalLimitSize) < 4 * bytes(b.chunkLimitSize)) {
      ctx.addIssue({ code: 'custom', path: ['totalLimitSize'], message: `must hold at least 4 chunks (4 x chunkLimitSize ${b.chunkLimitSize})` });
    }
  }),
});
export type FluentdSettings = z.output<typeof fluentdSchema>;

/** Who may open Kibana (shared with every add-on UI). */
export const kibanaAuthSchema = uiAuthSchema;
export type KibanaAuth = UiAuth;

export const kibanaSchema = z.strictObject({
  /** @default 1 */
  replicas: z.int().min(1).max(5).default(1),
  /** Kibana is served on `<subdomain>.<domain>`. @default "kibana" */
  subdomain: dnsLabel.default('kibana'),
  /** Requests and limits of the Kibana container. */
  resources: resourcesSchema.default({ requests: { cpu: '100m', memory: '768Mi' }, limits: { cpu: '1', memory: '1Gi' } }),
  /** Who may open Kibana: nginx basic auth or an external auth service. @default { type: "basic", secretName: "kibana-basic-auth" } */
  auth: kibanaAuthSchema.default({ type: 'basic', secretName: 'kibana-basic-auth' }),
});
export type KibanaSettings = z.output<typeof kibanaSchema>;

/** Settings of the logging add-on (environments write `addons: { logging: { ... } }`). */
export const loggingSettings = z.strictObject({
  /** Where Elasticsearch is. @default { mode: "in-cluster" } */
  elasticsearch: elasticsearchSchema.prefault({ mode: 'in-cluster' }),
  fluentd: fluentdSchema.prefault({}),
  kibana: kibanaSchema.prefault({}),
});
export type LoggingSettings = z.output<typeof loggingSettings>;
