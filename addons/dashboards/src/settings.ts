import { RESOURCE_PRESETS, UiAuth, dnsLabel, resourcesSchema, uiAuthSchema } from '@platform/charts';
import { z } from 'zod';

/** How users reach a UI: through an authenticated Ingress, or with `kubectl port-forward` (ClusterIP only). */
export const exposeSchema = z.enum(['ingress', 'port-forward']);
export type Expose = z.output<typeof exposeSchema>;

/** Who may pass the Ingress (shared with every add-on UI); needed when any UI is exposed through an Ingress. */
export const authSchema = uiAuthSchema;
export type Auth = UiAuth;

export const kubernetesDashboardSchema = z.strictObject({
  /** @default true */
  enabled: z.boolean().default(true),
  /** @default "ingress" */
  expose: exposeSchema.default('ingress'),
  /** Served on `<subdomain>.<domain>`. @default "dashboard" */
  subdomain: dnsLabel.default('dashboard'),
  /** Group (as the API server authenticates users, e.g. an OIDC groups claim) bound to the read-only viewer role. @default "platform-viewers" */
  viewerGroup: z.string().min(1).default('platform-viewers'),
  /** @default requests 100m/128Mi, limits 500m/512Mi */
  resources: resourcesSchema.default({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } }),
  /** @default RESOURCE_PRESETS.small */
  metricsScraperResources: resourcesSchema.default(RESOURCE_PRESETS.small),
});

export const kubeOpsViewSchema = z.strictObject({
  /** @default true */
  enabled: z.boolean().default(true),
  /** @default "ingress" */
  expose: exposeSchema.default('ingress'),
  /** Served on `<subdomain>.<domain>`. @default "ops" */
  subdomain: dnsLabel.default('ops'),
  /** Upstream's sizing. @default requests 50m/50Mi, limits 200m/100Mi */
  resources: resourcesSchema.default({ requests: { cpu: '50m', memory: '50Mi' }, limits: { cpu: '200m', memory: '100Mi' } }),
  /** Upstream's sizing. @default requests 50m/50Mi, limits 200m/100Mi */
  redisResources: resourcesSchema.default({ requests: { cpu: '50m', memory: '50Mi' }, limits: { cpu: '200m', memory: '100Mi' } }),
});

export const weaveScopeSchema = z.strictObject({
  /** Archived upstream (2023) and root on every node: opt-in. @default false */
  enabled: z.boolean().default(false),
  /**
   * Addresses the agents (hostNetwork: they send from their node's IP) reach the app from; narrow it to the node
   * subnets where they are known. @default ["0.0.0.0/0"]
   */
  agentSourceCidrs: z.array(z.cidrv4()).min(1).default(['0.0.0.0/0']),
  /** The container runtime's CRI socket on the nodes (containerd; dockershim is gone since Kubernetes 1.24). @default "/run/containerd/containerd.sock" */
  criSocket: z.string().regex(/^\/[^\s]*\.sock$/, { error: 'must be an absolute path to a .sock file' }).default('/run/containerd/containerd.sock'),
  /** @default upstream requests 200m/200Mi, limits 1/1Gi */
  appResources: resourcesSchema.default({ requests: { cpu: '200m', memory: '200Mi' }, limits: { cpu: '1', memory: '1Gi' } }),
  /** Per node. @default upstream requests 100m/100Mi, limits 500m/512Mi */
  agentResources: resourcesSchema.default({ requests: { cpu: '100m', memory: '100Mi' }, limits: { cpu: '500m', memory: '512Mi' } }),
  /** @default upstream requests 100m/100Mi, limits 500m/512Mi */
  clusterAgentResources: resourcesSchema.default({ requests: { cpu: '100m', memory: '100Mi' }, limits: { cpu: '500m', memory: '512Mi' } }),
});

export const settings = z.strictObject({
  /** Authentication in front of every UI exposed through an Ingress. @default - none (then no UI may be exposed) */
  auth: authSchema.optional(),
  kubernetesDashboard: kubernetesDashboardSchema.prefault({}),
  kubeOpsView: kubeOpsViewSchema.prefault({}),
  /** Never exposed through an Ingress: its UI shows every process and connection of every node. */
  weaveScope: weaveScopeSchema.prefault({}),
}).superRefine((s, ctx) => {
  for (const tool of ['kubernetesDashboard', 'kubeOpsView'] as const) {
    if (s[tool].enabled && s[tool].expose === 'ingress' && !s.auth) {
      ctx.addIssue({ code: 'custom', path: ['auth'], message: `is required: ${tool} is exposed through an Ingress (or set ${tool}.expose: "port-forward")` });
    }
  }
});
export type DashboardsSettings = z.output<typeof settings>;
