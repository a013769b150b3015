import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import {
  AppIdentity, Placement, PlatformContext, PlatformIngress, Resources, containerResources,
  prometheusScrapeAnnotations, restrictedContainer, restrictedPod, selectByIdentity, serviceSelects,
} from '@platform/charts';
import { Construct } from 'constructs';
import { IMAGES, image, versionOf } from '../../versions';
import { checksum, configYaml } from './config-files';
import { PROMETHEUS_DATASOURCE, dashboardJson, platformDashboards } from './dashboards';
import { MONITORING } from './endpoints';
import { podDisruptionBudget, spreadOverNodes } from './workload-extras';

/** UID/GID of the `grafana` user of the image. */
const GRAFANA_UID = 472;
const DATA_DIR = '/var/lib/grafana';
const PROVISIONING_DIR = '/etc/grafana/provisioning';
/** Parent of one directory per dashboard ConfigMap; the file provider reads it recursively. */
const DASHBOARDS_DIR = '/grafana-dashboards';

export interface GrafanaProps {
  readonly namespace: string;
  /** @default 1 */
  readonly replicas?: number;
  /** The UI is served on `<subdomain>.<ctx.domain>`. */
  readonly subdomain: string;
  /** Secret (not in git) holding the admin account. */
  readonly adminSecret: { readonly name: string; readonly userKey: string; readonly passwordKey: string };
  /** Prometheus' scrape interval: the datasource's minimum step, so rate() windows never cover a single sample. */
  readonly scrapeInterval: string;
  readonly resources: Resources;
}

type Ini = Record<string, Record<string, string | number | boolean>>;

/** grafana.ini from sections of key/values. */
function iniText(ini: Ini): string {
  const sections = Object.entries(ini).map(([section, values]) =>
    [`[${section}]`, ...Object.entries(values).map(([key, value]) => `${key} = ${value}`)].join('\n'));
  return `# Grafana configuration, rendered by platformctl from addons/monitoring.\n${sections.join('\n\n')}\n`;
}

/**
 * Grafana with everything provisioned from git: the Prometheus datasource, a file provider and one ConfigMap per
 * dashboard. Nothing is edited in the UI (no sign-up, dashboards read-only), so each replica's SQLite database on
 * an emptyDir holds only sessions. Admin credentials come from an existing Secret; the UI is behind an Ingress.
 */
export class Grafana extends Construct {
  readonly identity: AppIdentity;
  readonly serviceAccount: kplus.ServiceAccount;
  readonly config: kplus.ConfigMap;
  readonly datasources: kplus.ConfigMap;
  readonly dashboardProvider: kplus.ConfigMap;
  readonly dashboards: readonly kplus.ConfigMap[];
  readonly deployment: kplus.Deployment;
  readonly service: kplus.Service;
  readonly ingress: PlatformIngress;
  readonly podDisruptionBudget?: k8s.KubePodDisruptionBudget;

  constructor(scope: Construct, id: string, ctx: PlatformContext, props: GrafanaProps) {
    super(scope, id);
    const replicas = props.replicas ?? 1;
    const { namespace } = props;
    const { port } = MONITORING.grafana;
    const host = `${props.subdomain}.${ctx.domain}`;
    const ref = IMAGES.monitoring.grafana;
    this.identity = new AppIdentity({ name: 'grafana', component: 'ui', partOf: 'monitoring', environment: ctx.environment, version: versionOf(ref) });
    const labels = this.identity.labels;

    this.serviceAccount = new kplus.ServiceAccount(this, 'service-account', {
      metadata: { name: 'grafana', namespace, labels },
      automountToken: false,
    });

    const ini = iniText({
      server: { root_url: `https://${host}/`, domain: host },
      paths: { data: DATA_DIR, provisioning: PROVISIONING_DIR },
      security: { cookie_secure: true, disable_gravatar: true, allow_embedding: false },
      users: { allow_sign_up: false, allow_org_create: false },
      'auth.anonymous': { enabled: false },
      // No phoning home and no plugin downloads at start: the network policy allows no egress to the internet.
      analytics: { reporting_enabled: false, check_for_updates: false, check_for_plugin_updates: false, feedback_links_enabled: false },
      news: { news_feed_enabled: false },
      plugins: { preinstall_disabled: true, public_key_retrieval_disabled: true },
      snapshots: { external_enabled: false },
      log: { mode: 'console' },
      date_formats: { default_timezone: 'UTC' },
    });
    this.config = new kplus.ConfigMap(this, 'config', {
      metadata: { name: 'grafana-config', namespace, labels },
      data: { 'grafana.ini': ini },
    });

    const datasourcesText = configYaml({
      apiVersion: 1,
      datasources: [{
        name: 'Prometheus',
        uid: PROMETHEUS_DATASOURCE.uid,
        type: PROMETHEUS_DATASOURCE.type,
        access: 'proxy',
        url: `http://${MONITORING.prometheus.service}.${MONITORING.namespace}.svc:${MONITORING.prometheus.port}`,
        isDefault: true,
        editable: false,
        jsonData: { timeInterval: props.scrapeInterval, httpMethod: 'POST' },
      }],
    }, 'Grafana datasources, rendered by platformctl from addons/monitoring.');
    this.datasources = new kplus.ConfigMap(this, 'datasources', {
      metadata: { name: 'grafana-datasources', namespace, labels },
      data: { 'datasources.yaml': datasourcesText },
    });

    const providerText = configYaml({
      apiVersion: 1,
      providers: [{
        name: 'platform',
        orgId: 1,
        folder: 'Platform',
        type: 'file',
        // Dashboards change through git only.
        disableDeletion: true,
        allowUiUpdates: false,
        updateIntervalSeconds: 30,
        options: { path: DASHBOARDS_DIR, foldersFromFilesStructure: false },
      }],
    }, 'Grafana dashboard provider, rendered by platformctl from addons/monitoring.');
    this.dashboardProvider = new kplus.ConfigMap(this, 'dashboard-provider', {
      metadata: { name: 'grafana-dashboard-provider', namespace, labels },
      data: { 'dashboards.yaml': providerText },
    });

    const provisioned = platformDashboards();
    this.dashboards = provisioned.map(({ name, dashboard }) => new kplus.ConfigMap(this, `dashboard-${name}`, {
      metadata: { name: `grafana-dashboard-${name}`, namespace, labels },
      data: { [`${dashboard.uid}.json`]: dashboardJson(dashboard) },
    }));

    const adminSecret = kplus.Secret.fromSecretName(this, 'admin-secret', props.adminSecret.name);
    const configMount = (path: string, volumeId: string, configMap: kplus.ConfigMap, name: string) =>
      ({ path, volume: kplus.Volume.fromConfigMap(this, volumeId, configMap, { name }), readOnly: true });

    this.deployment = new kplus.Deployment(this, 'deployment', {
      metadata: { name: 'grafana', namespace, labels },
      replicas,
      select: false,
      podMetadata: {
        labels,
        annotations: {
          ...prometheusScrapeAnnotations(port),
          // Read once at start; dashboards are re-read by the provider every 30s and need no restart.
          'checksum/config': checksum(ini, datasourcesText, providerText),
        },
      },
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: false,
      securityContext: restrictedPod(GRAFANA_UID),
      containers: [{
        name: 'grafana',
        image: image(ref),
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        ports: [{ name: 'http', number: port }],
        envVariables: {
          GF_SECURITY_ADMIN_USER: kplus.EnvValue.fromSecretValue({ secret: adminSecret, key: props.adminSecret.userKey }),
          GF_SECURITY_ADMIN_PASSWORD: kplus.EnvValue.fromSecretValue({ secret: adminSecret, key: props.adminSecret.passwordKey }),
        },
        securityContext: restrictedContainer(),
        resources: containerResources(props.resources),
        // Database migrations run before the HTTP server starts.
        startup: kplus.Probe.fromHttpGet('/api/health', { port, periodSeconds: Duration.seconds(5), failureThreshold: 60 }),
        readiness: kplus.Probe.fromHttpGet('/api/health', { port, periodSeconds: Duration.seconds(10), timeoutSeconds: Duration.seconds(3), failureThreshold: 3 }),
        liveness: kplus.Probe.fromHttpGet('/api/health', { port, periodSeconds: Duration.seconds(10), timeoutSeconds: Duration.seconds(3), failureThreshold: 6 }),
        volumeMounts: [
          configMount('/etc/grafana', 'config-volume', this.config, 'config'),
          configMount(`${PROVISIONING_DIR}/datasources`, 'datasources-volume', this.datasources, 'datasources'),
          configMount(`${PROVISIONING_DIR}/dashboards`, 'dashboard-provider-volume', this.dashboardProvider, 'dashboard-provider'),
          ...provisioned.map(({ name }, i) => configMount(`${DASHBOARDS_DIR}/${name}`, `dashboard-${name}-volume`, this.dashboards[i], `dashboard-${name}`)),
          { path: DATA_DIR, volume: kplus.Volume.fromEmptyDir(this, 'data-volume', 'data') },
          { path: '/tmp', volume: kplus.Volume.fromEmptyDir(this, 'tmp-volume', 'tmp') },
        ],
      }],
    });
    selectByIdentity(this.deployment, this.identity);
    Placement.core(ctx).applyTo(this.deployment);

    this.service = new kplus.Service(this, 'service', {
      metadata: { name: MONITORING.grafana.service, namespace, labels },
      ports: [{ name: 'http', port, targetPort: port }],
    });
    serviceSelects(this.service, this.identity);

    this.ingress = new PlatformIngress(this, 'ingress', ctx, {
      name: 'grafana',
      namespace,
      host,
      serviceName: MONITORING.grafana.service,
      servicePort: port,
      labels,
      // Each replica has its own session store: keep a browser on the replica it logged in to.
      annotations: replicas > 1
        ? { 'nginx.ingress.kubernetes.io/affinity': 'cookie', 'nginx.ingress.kubernetes.io/session-cookie-name': 'grafana-replica' }
        : {},
    });

    if (replicas > 1) {
      spreadOverNodes(this, this.deployment, this.identity);
      this.podDisruptionBudget = podDisruptionBudget(this, namespace, this.identity);
    }
  }
}
