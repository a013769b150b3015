import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  AppIdentity, KUBE_API_PORTS, NetworkPolicy, PEERS, PlatformContext, Resources, containerResources, restrictedContainer, restrictedPod,
} from '@platform/charts';
import { IMAGES, image, versionOf } from '../../versions';
import { UiIngress } from './access';
import { ADDON } from './names';
import { METRICS_SCRAPER_CLUSTER_RULES, VIEWER_RULES, dashboardRoleRules } from './rbac';
import { Auth, Expose } from './settings';
import { clusterIpService, clusterRoleWithBinding, coreDeployment, serviceAccount } from './workload';

/** The image's user and group (upstream's runAsUser/runAsGroup). */
export const DASHBOARD_UID = 1001;
export const DASHBOARD_GID = 2001;

export const DASHBOARD_NAMES = {
  dashboard: 'kubernetes-dashboard',
  metricsScraper: 'dashboard-metrics-scraper',
  /** The ClusterRole (and binding) users of the dashboard get. */
  viewer: 'kubernetes-dashboard-viewer',
  /** Secrets and ConfigMap the dashboard expects by these names in its --namespace. */
  keyHolder: 'kubernetes-dashboard-key-holder',
  csrf: 'kubernetes-dashboard-csrf',
  settings: 'kubernetes-dashboard-settings',
} as const;

const PORT = 8443;
const SCRAPER_PORT = 8000;

export interface KubernetesDashboardProps {
  readonly namespace: string;
  /** Group bound to the read-only viewer ClusterRole. */
  readonly viewerGroup: string;
  /** How users reach the UI. */
  readonly expose: Expose;
  /** With expose "ingress": served on `<subdomain>.<domain>`. */
  readonly subdomain: string;
  /** With expose "ingress": authentication in front of the dashboard's own token login. */
  readonly auth?: Auth;
  readonly resources: Resources;
  readonly metricsScraperResources: Resources;
}

/**
 * kubernetes-dashboard v2.7.0 (upstream aio/deploy/recommended.yaml) with token login only, and a read-only
 * viewer ClusterRole for its users instead of the usual cluster-admin binding. The dashboard acts with the
 * user's token; its own ServiceAccount only keeps its key-holder, CSRF and settings objects.
 */
export class KubernetesDashboard extends Construct {
  readonly identity: AppIdentity;
  readonly metricsScraperIdentity: AppIdentity;
  readonly deployment: kplus.Deployment;
  readonly metricsScraper: kplus.Deployment;
  readonly viewerRole: k8s.KubeClusterRole;

  constructor(scope: Construct, id: string, ctx: PlatformContext, props: KubernetesDashboardProps) {
    super(scope, id);
    const namespace = props.namespace;
    this.identity = new AppIdentity({
      name: DASHBOARD_NAMES.dashboard, component: 'dashboard', partOf: ADDON, environment: ctx.environment,
      version: versionOf(IMAGES.dashboards.kubernetesDashboard),
    });
    this.metricsScraperIdentity = new AppIdentity({
      name: DASHBOARD_NAMES.metricsScraper, component: 'metrics-scraper', partOf: ADDON, environment: ctx.environment,
      version: versionOf(IMAGES.dashboards.metricsScraper),
    });
    const labels = this.identity.labels;

    // Upstream ships these as empty objects; the dashboard fills them in at start (it may update, not create them).
    // Rendered without data or stringData: the key material is generated in the cluster and never in git.
    for (const name of [DASHBOARD_NAMES.keyHolder, DASHBOARD_NAMES.csrf]) {
      new k8s.KubeSecret(this, `secret-${name}`, { metadata: { name, namespace, labels: { ...labels } }, type: 'Opaque' });
    }
    new k8s.KubeConfigMap(this, 'settings', { metadata: { name: DASHBOARD_NAMES.settings, namespace, labels: { ...labels } } });

    const dashboardAccount = serviceAccount(this, 'service-account', DASHBOARD_NAMES.dashboard, namespace, labels);
    new k8s.KubeRole(this, 'role', {
      metadata: { name: DASHBOARD_NAMES.dashboard, namespace, labels: { ...labels } },
      rules: dashboardRoleRules(DASHBOARD_NAMES),
    });
    new k8s.KubeRoleBinding(this, 'role-binding', {
      metadata: { name: DASHBOARD_NAMES.dashboard, namespace, labels: { ...labels } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: DASHBOARD_NAMES.dashboard },
      subjects: [{ kind: 'ServiceAccount', name: DASHBOARD_NAMES.dashboard, namespace }],
    });

    this.viewerRole = clusterRoleWithBinding(this, 'viewer', {
      name: DASHBOARD_NAMES.viewer,
      labels,
      rules: VIEWER_RULES,
      subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: props.viewerGroup }],
    });

    const scraperUrl = `http://${DASHBOARD_NAMES.metricsScraper}.${namespace}.svc.cluster.local:${SCRAPER_PORT}`;
    const httpsProbe = (initialDelay: number): kplus.Probe => kplus.Probe.fromHttpGet('/', {
      port: PORT, scheme: kplus.ConnectionScheme.HTTPS, initialDelaySeconds: Duration.seconds(initialDelay), timeoutSeconds: Duration.seconds(30),
    });
    this.deployment = coreDeployment(this, 'deployment', ctx, {
      name: DASHBOARD_NAMES.dashboard,
      namespace,
      identity: this.identity,
      serviceAccount: dashboardAccount,
      securityContext: restrictedPod(DASHBOARD_UID, { group: DASHBOARD_GID, fsGroup: DASHBOARD_GID }),
      containers: [{
        name: 'kubernetes-dashboard',
        image: image(IMAGES.dashboards.kubernetesDashboard),
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        args: [
          // A self-signed serving certificate made at start; the Ingress talks HTTPS to it.
          '--auto-generate-certificates',
          `--namespace=${namespace}`,
          '--authentication-mode=token',
          '--enable-skip-login=false',
          '--enable-insecure-login=false',
          // Straight to the scraper's Service instead of the API server's service proxy.
          `--sidecar-host=${scraperUrl}`,
        ],
        ports: [{ name: 'https', number: PORT, protocol: kplus.Protocol.TCP }],
        liveness: httpsProbe(30),
        readiness: httpsProbe(5),
        resources: containerResources(props.resources),
        securityContext: restrictedContainer({ user: DASHBOARD_UID, group: DASHBOARD_GID }),
        volumeMounts: [
          // Instead of upstream's empty Secret kubernetes-dashboard-certs: the generated certificate needs no Secret.
          { path: '/certs', volume: kplus.Volume.fromEmptyDir(this, 'certs', 'certs') },
          { path: '/tmp', volume: kplus.Volume.fromEmptyDir(this, 'tmp', 'tmp-volume') },
        ],
      }],
    });
    const service = clusterIpService(this, 'service', {
      name: DASHBOARD_NAMES.dashboard, namespace, identity: this.identity, port: 443, targetPort: PORT, portName: 'https',
    });

    const scraperAccount = serviceAccount(this, 'scraper-service-account', DASHBOARD_NAMES.metricsScraper, namespace, this.metricsScraperIdentity.labels);
    clusterRoleWithBinding(this, 'scraper', {
      name: DASHBOARD_NAMES.metricsScraper,
      labels: this.metricsScraperIdentity.labels,
      rules: METRICS_SCRAPER_CLUSTER_RULES,
      subjects: [{ kind: 'ServiceAccount', name: DASHBOARD_NAMES.metricsScraper, namespace }],
    });
    const httpProbe = (initialDelay: number): kplus.Probe => kplus.Probe.fromHttpGet('/', {
      port: SCRAPER_PORT, initialDelaySeconds: Duration.seconds(initialDelay), timeoutSeconds: Duration.seconds(30),
    });
    this.metricsScraper = coreDeployment(this, 'scraper-deployment', ctx, {
      name: DASHBOARD_NAMES.metricsScraper,
      namespace,
      identity: this.metricsScraperIdentity,
      serviceAccount: scraperAccount,
      securityContext: restrictedPod(DASHBOARD_UID, { group: DASHBOARD_GID, fsGroup: DASHBOARD_GID }),
      containers: [{
        name: 'dashboard-metrics-scraper',
        image: image(IMAGES.dashboards.metricsScraper),
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        ports: [{ name: 'http', number: SCRAPER_PORT, protocol: kplus.Protocol.TCP }],
        liveness: httpProbe(30),
        readiness: httpProbe(5),
        resources: containerResources(props.metricsScraperResources),
        securityContext: restrictedContainer({ user: DASHBOARD_UID, group: DASHBOARD_GID }),
        // Its SQLite database of the last minutes of metrics.
        volumeMounts: [{ path: '/tmp', volume: kplus.Volume.fromEmptyDir(this, 'scraper-tmp', 'tmp-volume') }],
      }],
    });
    clusterIpService(this, 'scraper-service', {
      name: DASHBOARD_NAMES.metricsScraper, namespace, identity: this.metricsScraperIdentity, port: SCRAPER_PORT, targetPort: SCRAPER_PORT,
    });

    const exposed = props.expose === 'ingress';
    if (exposed) {
      new UiIngress(this, 'ingress', ctx, {
        name: DASHBOARD_NAMES.dashboard,
        namespace,
        subdomain: props.subdomain,
        serviceName: service.name,
        servicePort: 443,
        labels,
        auth: props.auth,
        annotations: { 'nginx.ingress.kubernetes.io/backend-protocol': 'HTTPS' },
      });
    }

    new NetworkPolicy(this, 'dashboard-policy', {
      name: DASHBOARD_NAMES.dashboard,
      namespace,
      podLabels: this.identity.selectorLabels,
      labels,
      ingress: exposed ? [{ peers: [PEERS.ingressController], ports: [{ port: PORT }] }] : undefined,
      egress: [
        { peers: [PEERS.kubeApi], ports: KUBE_API_PORTS },
        { peers: [{ podLabels: this.metricsScraperIdentity.selectorLabels }], ports: [{ port: SCRAPER_PORT }] },
      ],
    });
    new NetworkPolicy(this, 'scraper-policy', {
      name: DASHBOARD_NAMES.metricsScraper,
      namespace,
      podLabels: this.metricsScraperIdentity.selectorLabels,
      labels: this.metricsScraperIdentity.labels,
      ingress: [{ peers: [{ podLabels: this.identity.selectorLabels }], ports: [{ port: SCRAPER_PORT }] }],
      egress: [{ peers: [PEERS.kubeApi], ports: KUBE_API_PORTS }],
    });
  }
}
