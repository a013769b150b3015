import { createHash } from 'node:crypto';
import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { AppIdentity, LABELS, PLATFORM_DOMAIN } from '../labels';
import { Placement } from '../placement';
import { PlatformContext } from '../platform-context';
import { PLATFORM_ENDPOINTS, prometheusScrapeAnnotations } from '../platform-endpoints';
import { containerResources } from '../resources';
import { restrictedContainer, restrictedPod } from '../security';
import { AppSpec, Probe, WorkloadAppSpec, imageTag } from './app-spec';
import { TenantEnvironmentSpec, TenantNamespace } from './resolve';

/** Label of a tenant's pods and namespaces that names their stack (blue/green). */
export const STACK_LABEL = `${PLATFORM_DOMAIN}/stack`;
/** Pod-template annotation that changes when an app's config files change, so a new ConfigMap rolls the pods. */
export const CONFIG_CHECKSUM_ANNOTATION = `${PLATFORM_DOMAIN}/config-checksum`;

/** Everything an app construct needs to know about where it renders. */
export interface TenantAppContext {
  readonly ctx: PlatformContext;
  readonly tenant: TenantEnvironmentSpec;
  readonly namespace: TenantNamespace;
  /** Worker-node placement, computed once per tenant. */
  readonly placement: Placement;
}

/** Props of every app construct. */
export interface TenantAppProps<T extends AppSpec> {
  /** Where the app renders. */
  readonly context: TenantAppContext;
  /** The app, resolved for the environment. */
  readonly app: T;
}

/** Labels and selector of one app, plus the tenant's labels for objects and pods. */
export class TenantAppIdentity {
  readonly id: AppIdentity;
  /** Labels of every object of the app. */
  readonly labels: Readonly<Record<string, string>>;
  /** Labels of its pods: object labels + team, cost center, stack (utilization and billing read them). */
  readonly podLabels: Readonly<Record<string, string>>;

  constructor(c: TenantAppContext, app: AppSpec) {
    const tag = 'image' in app ? imageTag(app.image) : undefined;
    this.id = new AppIdentity({
      name: app.name,
      partOf: c.tenant.name,
      environment: c.tenant.environment,
      instance: `${c.tenant.name}-${app.name}`,
      version: tag && /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(tag) ? tag : undefined,
    });
    this.labels = { ...this.id.labels, [LABELS.tenant]: c.tenant.name };
    this.podLabels = {
      ...this.labels,
      [LABELS.team]: c.tenant.team,
      [LABELS.costCenter]: c.tenant.costCenter,
      ...(c.namespace.stack ? { [STACK_LABEL]: c.namespace.stack } : {}),
    };
  }

  metadata(name: string, namespace: string): { name: string; namespace: string; labels: Record<string, string> } {
    return { name, namespace, labels: { ...this.labels } };
  }
}

function toProbe(probe: Probe, port: number | undefined): kplus.Probe {
  const options = {
    periodSeconds: Duration.seconds(probe.periodSeconds),
    timeoutSeconds: Duration.seconds(probe.timeoutSeconds),
    failureThreshold: probe.failureThreshold,
    initialDelaySeconds: Duration.seconds(probe.initialDelaySeconds),
  };
  if (probe.http !== undefined) return kplus.Probe.fromHttpGet(probe.http, { ...options, port: probe.port ?? port });
  if (probe.tcp) return kplus.Probe.fromTcpSocket({ ...options, port: probe.port ?? port });
  return kplus.Probe.fromCommand([...probe.command!], options);
}

const DEFAULT_CHECK = { periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3, initialDelaySeconds: 0 } as const;

/**
 * The readiness, liveness and startup probes of a long-running app. Defaults: a TCP check on the app's port;
 * liveness = readiness; startup = liveness with 30 allowed failures (slow starts without a long liveness delay).
 */
export function appProbes(app: WorkloadAppSpec): { readiness?: kplus.Probe; liveness?: kplus.Probe; startup?: kplus.Probe } {
  if (app.kind === 'cron') return {};
  const port = app.kind === 'worker' ? app.metrics?.port : app.port;
  const readiness: Probe | undefined = app.probes.readiness ?? app.probes.liveness ?? (port ? { tcp: true, port, ...DEFAULT_CHECK } : undefined);
  const liveness = app.probes.liveness ?? readiness;
  const startup = app.probes.startup ?? (liveness ? { ...liveness, failureThreshold: 30, initialDelaySeconds: 0 } : undefined);
  return {
    readiness: readiness && toProbe(readiness, port),
    liveness: liveness && toProbe(liveness, port),
    startup: startup && toProbe(startup, port),
  };
}

function volumeName(prefix: string, text: string, taken: Set<string>): string {
  let name = `${prefix}${text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '')}`.slice(0, 63).replace(/-+$/, '');
  if (!name || taken.has(name)) name = `${prefix || 'volume-'}${taken.size}`;
  taken.add(name);
  return name;
}

/** The pod part of a workload's props (kplus Deployment/StatefulSet/CronJob share it). */
export interface AppPodProps {
  readonly select: false;
  readonly podMetadata: { labels: Record<string, string>; annotations?: Record<string, string> };
  readonly securityContext: kplus.PodSecurityContextProps;
  readonly serviceAccount: kplus.IServiceAccount;
  readonly automountServiceAccountToken: boolean;
  readonly containers: kplus.ContainerProps[];
}

/**
 * Builds what every app pod has, under `scope`: its ServiceAccount (token mounted only for apps that use the API),
 * its config files ConfigMap, the restricted container with resources, probes, env (incl. OpenTelemetry wiring),
 * Secret references, writable emptyDirs, and the pod labels/annotations. Returns the workload props.
 */
export function appPod(scope: Construct, c: TenantAppContext, app: WorkloadAppSpec, identity: TenantAppIdentity): AppPodProps {
  const namespace = c.namespace.name;
  const serviceAccount = new kplus.ServiceAccount(scope, 'service-account', {
    metadata: identity.metadata(app.name, namespace),
    automountToken: app.kubernetesApi,
  });

  const secrets = new Map<string, kplus.ISecret>();
  const secret = (name: string): kplus.ISecret => {
    let s = secrets.get(name);
    if (!s) {
      s = kplus.Secret.fromSecretName(scope, `secret-${name}`, name);
      secrets.set(name, s);
    }
    return s;
  };

  const envVariables: Record<string, kplus.EnvValue> = {};
  for (const [name, value] of Object.entries(app.env)) {
    envVariables[name] = typeof value === 'string'
      ? kplus.EnvValue.fromValue(value)
      : kplus.EnvValue.fromSecretValue({ secret: secret(value.secret), key: value.key }, { optional: value.optional || undefined });
  }
  const tag = imageTag(app.image);
  envVariables.OTEL_SERVICE_NAME = kplus.EnvValue.fromValue(app.name);
  envVariables.OTEL_EXPORTER_OTLP_ENDPOINT = kplus.EnvValue.fromValue(PLATFORM_ENDPOINTS.otelCollector.endpoint);
  envVariables.OTEL_RESOURCE_ATTRIBUTES = kplus.EnvValue.fromValue([
    `service.namespace=${c.tenant.name}`,
    ...(tag ? [`service.version=${tag}`] : []),
    `deployment.environment.name=${c.tenant.environment}`,
    `k8s.namespace.name=${namespace}`,
  ].join(','));

  const taken = new Set<string>();
  const volumeMounts: kplus.VolumeMount[] = app.writablePaths.map((path, i) => ({
    path,
    volume: kplus.Volume.fromEmptyDir(scope, `writable-${i}`, volumeName('', path, taken)),
  }));
  const annotations: Record<string, string> = {};
  const files = Object.entries(app.files);
  if (files.length) {
    const data = Object.fromEntries(files.map(([path, content]) => [path.slice(path.lastIndexOf('/') + 1), content]));
    const configMap = new kplus.ConfigMap(scope, 'files', { metadata: identity.metadata(`${app.name}-files`, namespace), data });
    const volume = kplus.Volume.fromConfigMap(scope, 'files-volume', configMap, { name: volumeName('', 'files', taken) });
    for (const [path] of files) volumeMounts.push({ path, volume, subPath: path.slice(path.lastIndexOf('/') + 1), readOnly: true });
    annotations[CONFIG_CHECKSUM_ANNOTATION] = createHash('sha256').update(JSON.stringify(data)).digest('hex').slice(0, 16);
  }
  app.secretFiles.forEach(({ secret: name, path }, i) => {
    const volume = kplus.Volume.fromSecret(scope, `secret-volume-${i}`, secret(name), { name: volumeName('secret-', name, taken) });
    volumeMounts.push({ path, volume, readOnly: true });
  });

  const metricsPort = app.kind === 'cron' ? undefined : app.metrics?.port;
  if (app.kind !== 'cron' && app.metrics) Object.assign(annotations, prometheusScrapeAnnotations(app.metrics.port, app.metrics.path));
  const ports: kplus.ContainerPort[] = [];
  if (app.kind === 'web') ports.push({ number: app.port, name: 'http' });
  if (app.kind === 'stateful') ports.push({ number: app.port, name: 'tcp' });
  if (metricsPort !== undefined && !ports.some((p) => p.number === metricsPort)) ports.push({ number: metricsPort, name: 'metrics' });

  return {
    select: false,
    podMetadata: { labels: { ...identity.podLabels }, annotations: Object.keys(annotations).length ? annotations : undefined },
    securityContext: restrictedPod(app.runAsUser),
    serviceAccount,
    automountServiceAccountToken: app.kubernetesApi,
    containers: [{
      name: app.name,
      image: app.image,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      command: app.command ? [...app.command] : undefined,
      args: app.args ? [...app.args] : undefined,
      ports,
      envVariables,
      envFrom: app.envFromSecrets.map((name) => kplus.Env.fromSecret(secret(name))),
      volumeMounts,
      resources: containerResources(app.resources),
      securityContext: restrictedContainer(),
      ...appProbes(app),
    }],
  };
}

/** A PodDisruptionBudget for an app (policy/v1; cdk8s-plus has no construct for it). */
export function appDisruptionBudget(scope: Construct, c: TenantAppContext, app: { name: string; disruptionBudget: false | { maxUnavailable: number } }, identity: TenantAppIdentity): k8s.KubePodDisruptionBudget | undefined {
  if (app.disruptionBudget === false) return undefined;
  return new k8s.KubePodDisruptionBudget(scope, 'disruption-budget', {
    metadata: identity.metadata(app.name, c.namespace.name),
    spec: {
      maxUnavailable: k8s.IntOrString.fromNumber(app.disruptionBudget.maxUnavailable),
      selector: { matchLabels: { ...identity.id.selectorLabels } },
    },
  });
}

/** A CPU HorizontalPodAutoscaler for a Deployment. */
export function appAutoscaler(scope: Construct, c: TenantAppContext, app: { name: string; autoscaling?: { minReplicas: number; maxReplicas: number; targetCpuPercent: number } }, identity: TenantAppIdentity, target: kplus.Deployment): kplus.HorizontalPodAutoscaler | undefined {
  if (!app.autoscaling) return undefined;
  return new kplus.HorizontalPodAutoscaler(scope, 'autoscaler', {
    metadata: identity.metadata(app.name, c.namespace.name),
    target,
    minReplicas: app.autoscaling.minReplicas,
    maxReplicas: app.autoscaling.maxReplicas,
    metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(app.autoscaling.targetCpuPercent))],
  });
}
