import { bytesQuantity, dnsLabel, dnsSubdomain, resourcesSchema, UiAuth, uiAuthSchema } from '@platform/charts';
import { z } from 'zod';

/** A Prometheus/Alertmanager duration with one unit: "30s", "12h", "15d", "2w", "1y". */
export const duration = z.string().regex(/^[1-9]\d*(ms|s|m|h|d|w|y)$/, { error: 'must be a duration with one unit, like "30s", "12h" or "15d"' });

/** A key of a Secret that exists in the monitoring namespace but never in git (created by the platform team). */
export const secretKeyRef = z.strictObject({
  /** Name of the Secret in the `monitoring` namespace (also the name of the volume it is mounted from). */
  name: dnsLabel,
  /** Key inside the Secret whose value is the credential. */
  key: z.string().regex(/^[-._a-zA-Z0-9]+$/, { error: 'must be a Secret key (letters, digits, "-", "_", ".")' }),
});
export type SecretKeyRef = z.output<typeof secretKeyRef>;

/** Receiver that drops alerts (Watchdog, and everything when no default receiver is set). */
export const NULL_RECEIVER = 'null';

/** Receiver names are used in routes and as file-system-safe identifiers. */
const receiverName = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: 'must be lowercase letters, digits and "-" (e.g. "platform-slack")' })
  .refine((n) => n !== NULL_RECEIVER, { error: `"${NULL_RECEIVER}" is reserved for the receiver that drops alerts` });

const common = {
  name: receiverName,
  /** Also notify when the alert resolves. @default true */
  sendResolved: z.boolean().default(true),
};

/** Slack incoming webhook. The webhook URL is a credential: it is read from a Secret, mounted as a file. */
const slackReceiver = z.strictObject({
  type: z.literal('slack'),
  ...common,
  /** Channel to post to, e.g. "#platform-alerts". */
  channel: z.string().regex(/^#[-_a-z0-9]+$/, { error: 'must be a channel like "#platform-alerts"' }),
  /** Secret key holding the incoming-webhook URL. */
  apiUrlSecret: secretKeyRef,
});

/** Generic webhook (JSON POST). The URL often embeds a token, so it always comes from a Secret. */
const webhookReceiver = z.strictObject({
  type: z.literal('webhook'),
  ...common,
  /** Secret key holding the full URL. */
  urlSecret: secretKeyRef,
  /** TCP port of the URL; the network policy allows Alertmanager egress to it. @default 443 */
  port: z.int().min(1).max(65535).default(443),
});

/** PagerDuty Events API v2. */
const pagerdutyReceiver = z.strictObject({
  type: z.literal('pagerduty'),
  ...common,
  /** Secret key holding the integration (routing) key. */
  routingKeySecret: secretKeyRef,
});

/** E-mail through an SMTP smarthost. */
const emailReceiver = z.strictObject({
  type: z.literal('email'),
  ...common,
  /** Recipient address(es), comma-separated as Alertmanager expects. */
  to: z.string().min(3),
  /** Sender address. */
  from: z.email(),
  /** SMTP server as "host:port" (the port is allowed in the network policy). */
  smarthost: z.string().regex(/^[a-z0-9.-]+:\d{1,5}$/, { error: 'must be "host:port", e.g. "smtp.example.com:587"' }),
  /** SMTP user name. @default - no authentication */
  authUsername: z.string().min(1).optional(),
  /** Secret key holding the SMTP password. @default - no authentication */
  authPasswordSecret: secretKeyRef.optional(),
});

export const receiverSchema = z.discriminatedUnion('type', [slackReceiver, webhookReceiver, pagerdutyReceiver, emailReceiver], {
  error: 'must be a receiver with type "slack", "webhook", "pagerduty" or "email"',
});
export type Receiver = z.output<typeof receiverSchema>;

/** One Alertmanager matcher: `label="value"`, `label!="value"`, `label=~"regex"` or `label!~"regex"`. */
const matcher = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*(=|!=|=~|!~)"[^"]*"$/, { error: 'must be a matcher like severity="critical" or namespace=~"team-.*"' });

export const routeSchema = z.strictObject({
  /** All must match, e.g. ['severity="critical"']. */
  matchers: z.array(matcher).min(1),
  /** Name of a receiver from `receivers`. */
  receiver: receiverName,
  /** Keep evaluating the following routes after this one matched (notify several receivers). @default false */
  continue: z.boolean().default(false),
  /** How often a still-firing alert is re-sent on this route. @default - the root route's 4h */
  repeatInterval: duration.optional(),
});
export type Route = z.output<typeof routeSchema>;

const prometheusSettings = z.strictObject({
  /** Identical, independent Prometheus servers (each scrapes everything into its own volume). @default 1 */
  replicas: z.int().min(1).max(3).default(1),
  /** How long samples are kept. @default "15d" */
  retention: duration.default('15d'),
  storage: z.strictObject({
    /** Size of each replica's volume; size-based retention keeps the TSDB at 85% of it. @default "50Gi" */
    size: bytesQuantity.default('50Gi'),
    /** Storage class of the volumes. @default - the environment's default storage class */
    storageClass: dnsLabel.optional(),
  }).prefault({}),
  /** Scrape and rule evaluation interval. @default "30s" */
  scrapeInterval: duration.default('30s'),
  /** @default 500m/2Gi requests, 2/4Gi limits */
  resources: resourcesSchema.default({ requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '2', memory: '4Gi' } }),
}).prefault({});

const alertmanagerSettings = z.strictObject({
  /** Replicas form one gossip cluster that de-duplicates notifications and shares silences. @default 1 */
  replicas: z.int().min(1).max(5).default(1),
  /** Where notifications go; credentials are Secret references. @default [] */
  receivers: z.array(receiverSchema).default([]),
  /** Receiver of every alert no route matches. @default - such alerts are dropped */
  defaultReceiver: receiverName.optional(),
  /** Routes, evaluated in order, e.g. `{ matchers: ['severity="critical"'], receiver: 'pagerduty' }`. @default [] */
  routes: z.array(routeSchema).default([]),
  /** @default 20m/64Mi requests, 200m/128Mi limits */
  resources: resourcesSchema.default({ requests: { cpu: '20m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } }),
}).prefault({}).superRefine((am, ctx) => {
  const names = new Set<string>();
  am.receivers.forEach((r, i) => {
    if (names.has(r.name)) ctx.addIssue({ code: 'custom', path: ['receivers', i, 'name'], message: `duplicate receiver name "${r.name}"` });
    names.add(r.name);
  });
  const known = [...names].map((n) => `"${n}"`).join(', ') || '(none: add one to receivers)';
  if (am.defaultReceiver && !names.has(am.defaultReceiver)) {
    ctx.addIssue({ code: 'custom', path: ['defaultReceiver'], message: `unknown receiver "${am.defaultReceiver}"; receivers: ${known}` });
  }
  am.routes.forEach((route, i) => {
    if (!names.has(route.receiver)) ctx.addIssue({ code: 'custom', path: ['routes', i, 'receiver'], message: `unknown receiver "${route.receiver}"; receivers: ${known}` });
  });
});

const grafanaSettings = z.strictObject({
  /**
   * Grafana replicas. Each keeps its own SQLite database (everything is provisioned, so they show the same
   * dashboards); with more than one, the Ingress pins a browser to one replica so logins stick. @default 1
   */
  replicas: z.int().min(1).max(3).default(1),
  /** The UI is served on `<subdomain>.<environment domain>`. @default "grafana" */
  subdomain: dnsLabel.default('grafana'),
  /** Secret (created outside git, in `monitoring`) with the admin account. */
  adminSecret: z.strictObject({
    /** @default "grafana-admin" */
    name: dnsSubdomain.default('grafana-admin'),
    /** @default "admin-user" */
    userKey: z.string().min(1).default('admin-user'),
    /** @default "admin-password" */
    passwordKey: z.string().min(1).default('admin-password'),
  }).prefault({}),
  /** @default 100m/192Mi requests, 500m/512Mi limits */
  resources: resourcesSchema.default({ requests: { cpu: '100m', memory: '192Mi' }, limits: { cpu: '500m', memory: '512Mi' } }),
}).prefault({});

const kubeStateMetricsSettings = z.strictObject({
  /** Memory grows with the number of objects in the cluster. @default 50m/128Mi requests, 200m/256Mi limits */
  resources: resourcesSchema.default({ requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } }),
}).prefault({});

const nodeExporterSettings = z.strictObject({
  /** Runs on every node: keep it small. @default 20m/48Mi requests, 250m/128Mi limits */
  resources: resourcesSchema.default({ requests: { cpu: '20m', memory: '48Mi' }, limits: { cpu: '250m', memory: '128Mi' } }),
}).prefault({});

/** Who may pass an Ingress in front of a UI without its own login (shared with every add-on UI). */
export const authSchema = uiAuthSchema;
export type Auth = UiAuth;

/**
 * How operators reach the Prometheus and Alertmanager UIs, which have no login of their own (and Alertmanager's
 * lets anyone create silences): `kubectl port-forward` to their ClusterIP Services, or Ingresses that only let
 * authenticated users through.
 */
const uiSettings = z.discriminatedUnion('expose', [
  z.strictObject({ expose: z.literal('port-forward') }),
  z.strictObject({
    expose: z.literal('ingress'),
    /** Required: these UIs are never exposed without authentication in front of them. */
    auth: authSchema,
    /** Prometheus on `<prometheusSubdomain>.<domain>`. @default "prometheus" */
    prometheusSubdomain: dnsLabel.default('prometheus'),
    /** Alertmanager on `<alertmanagerSubdomain>.<domain>`. @default "alertmanager" */
    alertmanagerSubdomain: dnsLabel.default('alertmanager'),
  }),
], { error: 'must be { expose: "port-forward" } or { expose: "ingress", auth: { ... } }' }).default({ expose: 'port-forward' });
export type UiSettings = z.output<typeof uiSettings>;

/** Settings of the monitoring add-on (`addons: { monitoring: { ... } }` in an environment). */
export const settings = z.strictObject({
  /** Prometheus and Alertmanager UIs. @default { expose: "port-forward" } */
  ui: uiSettings,
  prometheus: prometheusSettings,
  alertmanager: alertmanagerSettings,
  grafana: grafanaSettings,
  kubeStateMetrics: kubeStateMetricsSettings,
  nodeExporter: nodeExporterSettings,
});
export type MonitoringSettings = z.output<typeof settings>;
export type MonitoringSettingsInput = z.input<typeof settings>;
