import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import {
  AppIdentity, Placement, PlatformContext, Resources, bytes, containerResources, defaultStorageClass,
  prometheusScrapeAnnotations, restrictedContainer, restrictedPod, selectByIdentity, serviceSelects,
} from '@platform/charts';
import { Construct } from 'constructs';
import { IMAGES, image, versionOf } from '../../versions';
import { alertRules } from './alert-rules';
import { configYaml } from './config-files';
import { MONITORING } from './endpoints';
import { prometheusConfig } from './prometheus-config';
import { UiExposure, UiIngress } from './ui-ingress';
import {
  addVolumeClaimTemplate, clientIpAffinity, governingService, podDisruptionBudget, spreadOverNodes,
} from './workload-extras';

/** UID/GID of `nobody`, the user the Prometheus image runs as. */
const PROMETHEUS_UID = 65534;
const CONFIG_DIR = '/etc/prometheus/config';
const RULES_DIR = '/etc/prometheus/rules';
const DATA_DIR = '/prometheus';
/** Share of the volume the TSDB may fill before size-based retention deletes the oldest blocks. */
const RETENTION_SIZE_SHARE = 0.85;

export interface PrometheusProps {
  /** Namespace of the server (its pods carry PLATFORM_ENDPOINTS.prometheus.podLabels there). */
  readonly namespace: string;
  /** Independent replicas, each scraping everything into its own volume. @default 1 */
  readonly replicas?: number;
  /** How long samples are kept, e.g. "15d". */
  readonly retention: string;
  /** Volume size per replica, e.g. "50Gi". */
  readonly storageSize: string;
  /** Storage class of the volumes. @default - the environment's default storage class */
  readonly storageClass?: string;
  /** Scrape and rule evaluation interval. @default "30s" */
  readonly scrapeInterval?: string;
  readonly resources: Resources;
  /** Publish the UI through an authenticated Ingress. @default - ClusterIP only (kubectl port-forward) */
  readonly ui?: UiExposure;
}

/** Size-based retention in Prometheus' units (powers of two): a share of the volume, so the disk never fills. */
export function retentionSize(storageSize: string): string {
  return `${Math.floor((bytes(storageSize) * RETENTION_SIZE_SHARE) / 2 ** 20)}MB`;
}

/**
 * The Prometheus server, without an operator: a StatefulSet with one volume per replica, configured by a
 * ConfigMap it re-reads by itself (`--config.auto-reload`, no reloader sidecar, no restarts on config changes),
 * discovering targets through the API server with a read-only ClusterRole.
 */
export class Prometheus extends Construct {
  readonly identity: AppIdentity;
  readonly serviceAccount: kplus.ServiceAccount;
  readonly clusterRole: k8s.KubeClusterRole;
  readonly clusterRoleBinding: k8s.KubeClusterRoleBinding;
  readonly config: kplus.ConfigMap;
  readonly rules: kplus.ConfigMap;
  readonly statefulSet: kplus.StatefulSet;
  /** ClusterIP Service Grafana queries (`prometheus.<namespace>.svc:9090`). */
  readonly service: kplus.Service;
  /** Governing Service of the StatefulSet (stable pod DNS names). */
  readonly headlessService: kplus.Service;
  readonly podDisruptionBudget?: k8s.KubePodDisruptionBudget;
  readonly ingress?: UiIngress;

  constructor(scope: Construct, id: string, ctx: PlatformContext, props: PrometheusProps) {
    super(scope, id);
    const replicas = props.replicas ?? 1;
    const storageClass = props.storageClass ?? defaultStorageClass(ctx);
    const known = ctx.storageClasses.map((sc) => sc.name);
    if (!known.includes(storageClass)) {
      throw new Error(`prometheus.storage.storageClass "${storageClass}" is not a storage class of environment ${ctx.environment}; available: ${known.join(', ')}`);
    }
    const { namespace } = props;
    const { port } = MONITORING.prometheus;
    const ref = IMAGES.monitoring.prometheus;
    this.identity = new AppIdentity({ name: 'prometheus', component: 'server', partOf: 'monitoring', environment: ctx.environment, version: versionOf(ref) });
    const labels = this.identity.labels;

    this.serviceAccount = new kplus.ServiceAccount(this, 'service-account', {
      metadata: { name: 'prometheus', namespace, labels },
      automountToken: false,
    });

    // kube-prometheus' prometheus-k8s ClusterRole (nodes/metrics, /metrics) plus what its per-namespace Roles
    // grant (services, endpoints, pods), cluster-wide because the scrape jobs discover across all namespaces.
    // `nodes` list/watch is the node role of kubernetes_sd. Read-only, no secrets.
    this.clusterRole = new k8s.KubeClusterRole(this, 'cluster-role', {
      metadata: { name: 'prometheus', labels },
      rules: [
        { apiGroups: [''], resources: ['nodes', 'services', 'endpoints', 'pods'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['nodes/metrics'], verbs: ['get'] },
        { nonResourceUrLs: ['/metrics', '/metrics/slis'], verbs: ['get'] },
      ],
    });
    this.clusterRoleBinding = new k8s.KubeClusterRoleBinding(this, 'cluster-role-binding', {
      metadata: { name: 'prometheus', labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'prometheus' },
      subjects: [{ kind: 'ServiceAccount', name: 'prometheus', namespace }],
    });

    this.config = new kplus.ConfigMap(this, 'config', {
      metadata: { name: 'prometheus-config', namespace, labels },
      data: {
        'prometheus.yml': configYaml(prometheusConfig({
          clusterName: ctx.cluster.name,
          scrapeInterval: props.scrapeInterval ?? '30s',
          retention: props.retention,
          retentionSize: retentionSize(props.storageSize),
          ruleFiles: `${RULES_DIR}/*.yml`,
        }), 'Prometheus configuration, rendered by platformctl from addons/monitoring. Reloaded automatically.'),
      },
    });
    this.rules = new kplus.ConfigMap(this, 'rules', {
      metadata: { name: 'prometheus-rules', namespace, labels },
      data: { 'alerts.yml': configYaml(alertRules(), 'Alerting rules, rendered by platformctl from addons/monitoring (src/alert-rules.ts).') },
    });

    this.headlessService = new kplus.Service(this, 'headless-service', {
      metadata: { name: MONITORING.prometheus.headlessService, namespace, labels },
      clusterIP: 'None',
      ports: [{ name: 'http', port, targetPort: port }],
    });

    this.statefulSet = new kplus.StatefulSet(this, 'statefulset', {
      metadata: { name: 'prometheus', namespace, labels },
      replicas,
      service: this.headlessService,
      // Replicas are independent: start and stop them together, not one after the other.
      podManagementPolicy: kplus.PodManagementPolicy.PARALLEL,
      select: false,
      podMetadata: { labels, annotations: prometheusScrapeAnnotations(port) },
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: true,
      securityContext: restrictedPod(PROMETHEUS_UID),
      // Time to finish a running compaction and close the TSDB cleanly (the operator's value).
      terminationGracePeriod: Duration.seconds(600),
      containers: [{
        name: 'prometheus',
        image: image(ref),
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        args: [
          `--config.file=${CONFIG_DIR}/prometheus.yml`,
          // Re-reads prometheus.yml and the rule files when their content changes (ConfigMap updates): no
          // reloader sidecar, no restart. Retention lives in the config file (the CLI flags are deprecated in 3.x).
          '--config.auto-reload',
          '--config.auto-reload-interval=30s',
          `--storage.tsdb.path=${DATA_DIR}`,
          `--web.listen-address=:${port}`,
          // Links in alerts (generatorURL) point where users can open them.
          ...(props.ui ? [`--web.external-url=${UiIngress.url(ctx, props.ui.subdomain)}`, '--web.route-prefix=/'] : []),
        ],
        ports: [{ name: 'http', number: port }],
        securityContext: restrictedContainer(),
        resources: containerResources(props.resources),
        // WAL replay after a restart can take minutes on a big head block: the startup probe waits up to 15m.
        startup: kplus.Probe.fromHttpGet('/-/ready', { port, periodSeconds: Duration.seconds(15), timeoutSeconds: Duration.seconds(3), failureThreshold: 60 }),
        readiness: kplus.Probe.fromHttpGet('/-/ready', { port, periodSeconds: Duration.seconds(5), timeoutSeconds: Duration.seconds(3), failureThreshold: 3 }),
        liveness: kplus.Probe.fromHttpGet('/-/healthy', { port, periodSeconds: Duration.seconds(10), timeoutSeconds: Duration.seconds(3), failureThreshold: 6 }),
        volumeMounts: [
          { path: CONFIG_DIR, volume: kplus.Volume.fromConfigMap(this, 'config-volume', this.config, { name: 'config' }), readOnly: true },
          { path: RULES_DIR, volume: kplus.Volume.fromConfigMap(this, 'rules-volume', this.rules, { name: 'rules' }), readOnly: true },
        ],
      }],
    });
    addVolumeClaimTemplate(this.statefulSet, { name: 'data', size: props.storageSize, storageClassName: storageClass, mountPath: DATA_DIR, labels: this.identity.selectorLabels });
    selectByIdentity(this.statefulSet, this.identity);
    governingService(this.headlessService, this.identity);
    Placement.core(ctx).applyTo(this.statefulSet);

    this.service = new kplus.Service(this, 'service', {
      metadata: { name: MONITORING.prometheus.service, namespace, labels },
      ports: [{ name: 'http', port, targetPort: port }],
    });
    serviceSelects(this.service, this.identity);
    clientIpAffinity(this.service);

    if (props.ui) {
      this.ingress = new UiIngress(this, 'ui', ctx, { ...props.ui, name: MONITORING.prometheus.service, namespace, servicePort: port, labels });
    }
    if (replicas > 1) {
      spreadOverNodes(this, this.statefulSet, this.identity);
      this.podDisruptionBudget = podDisruptionBudget(this, namespace, this.identity);
    }
  }
}
