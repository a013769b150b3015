import { z } from 'zod';
import { DNS_LABEL_HINT, DNS_SUBDOMAIN_HINT, isDnsLabel, isDnsSubdomain } from './names';

/**
 * The vocabulary shared by environments (which declare it) and constructs (which read it).
 * The schemas double as runtime validation of environment files: every message says what is allowed.
 */

export const dnsLabel = z.string().refine(isDnsLabel, { error: `must be ${DNS_LABEL_HINT}` });
export const dnsSubdomain = z.string().refine(isDnsSubdomain, { error: `must be ${DNS_SUBDOMAIN_HINT}` });

export const providerSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('eks'),
    /** AWS region of the cluster, e.g. eu-west-1. */
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: 'must be an AWS region like "eu-west-1"' }),
    /** AWS account id (12 digits). */
    accountId: z.string().regex(/^\d{12}$/, { error: 'must be a 12-digit AWS account id' }),
  }),
  z.strictObject({
    type: z.literal('openstack'),
    /** OpenStack region name, e.g. RegionOne. */
    region: z.string().min(1),
    /** Keystone URL used by cloud integrations. */
    authUrl: z.url({ error: 'must be an https URL like "https://keystone.example.com:5000/v3"' }),
  }),
  z.strictObject({ type: z.literal('generic') }),
], { error: 'must be one of: { type: "eks", ... }, { type: "openstack", ... }, { type: "generic" }' });
export type Provider = z.output<typeof providerSchema>;

export const clusterSchema = z.strictObject({
  /** Cluster name as the cloud knows it. */
  name: dnsLabel,
  provider: providerSchema,
  /** Kubernetes minor version the cluster runs, e.g. "1.28". */
  kubernetesVersion: z.string().regex(/^1\.\d{2}$/, { error: 'must be a Kubernetes minor version like "1.28"' }),
  /** API server URL, used by live previews (`platformctl preview`). */
  apiServerUrl: z.url({ protocol: /^https$/, error: 'must be an https URL like "https://api.prod.example.com:6443"' }),
});
export type Cluster = z.output<typeof clusterSchema>;

export const NODE_ROLES = ['core', 'worker'] as const;
export type NodeRole = (typeof NODE_ROLES)[number];

export const taintSchema = z.strictObject({
  key: z.string().min(1),
  value: z.string().optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
});
export type Taint = z.output<typeof taintSchema>;

export const nodePoolSchema = z.strictObject({
  name: dnsLabel,
  /** `core` runs the platform add-ons, `worker` runs tenant apps; nodes carry the label `node-type: <role>`. */
  role: z.enum(NODE_ROLES),
  /** Instance/flavor type, for capacity planning and autoscaler config. */
  instanceType: z.string().min(1),
  minSize: z.int().min(0),
  maxSize: z.int().min(1),
  /** Taints the pool's nodes carry; workloads placed there tolerate them. @default [] */
  taints: z.array(taintSchema).default([]),
}).refine((pool) => pool.maxSize >= pool.minSize, { error: 'maxSize must be >= minSize', path: ['maxSize'] });
export type NodePool = z.output<typeof nodePoolSchema>;

export const storageClassSchema = z.strictObject({
  name: dnsLabel,
  /** CSI provisioner, e.g. ebs.csi.aws.com or cinder.csi.openstack.org. */
  provisioner: z.string().min(1),
  /** Provisioner parameters, e.g. { type: "gp3" }. @default {} */
  parameters: z.record(z.string(), z.string()).default({}),
  /** @default "Delete" */
  reclaimPolicy: z.enum(['Delete', 'Retain']).default('Delete'),
  /** @default "WaitForFirstConsumer" */
  volumeBindingMode: z.enum(['WaitForFirstConsumer', 'Immediate']).default('WaitForFirstConsumer'),
  /** @default true */
  allowVolumeExpansion: z.boolean().default(true),
  /** The class used when a claim names none; exactly one class is the default. @default false */
  default: z.boolean().default(false),
});
export type StorageClass = z.output<typeof storageClassSchema>;

export const ingressSchema = z.strictObject({
  /** cert-manager ClusterIssuer that issues the TLS certificate of every Ingress (the Secret never lives in git). */
  clusterIssuer: dnsLabel,
});

/** What every construct may know about the environment it renders for. */
export interface PlatformContext {
  /** Environment name, e.g. "prod". */
  readonly environment: string;
  /** Base DNS domain; every Ingress host lives under it. */
  readonly domain: string;
  readonly cluster: Cluster;
  readonly nodePools: readonly NodePool[];
  readonly storageClasses: readonly StorageClass[];
  readonly ingress: z.output<typeof ingressSchema>;
}

/** The storage class claims use when they name none. */
export function defaultStorageClass(ctx: PlatformContext): string {
  const found = ctx.storageClasses.find((sc) => sc.default);
  if (!found) throw new Error(`environment ${ctx.environment} has no default storage class`);
  return found.name;
}

export { DNS_LABEL_HINT, DNS_SUBDOMAIN_HINT };
