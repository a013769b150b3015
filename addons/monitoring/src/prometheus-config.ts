import { MONITORING, SERVICE_ACCOUNT_DIR } from './endpoints';

/**
 * prometheus.yml, as data. Everything is discovered with `kubernetes_sd_configs`; no operator, no CRDs.
 * Field names are Prometheus' own (snake_case) so the object reads like the upstream documentation.
 */

export interface RelabelConfig {
  readonly source_labels?: readonly string[];
  readonly separator?: string;
  readonly regex?: string;
  readonly target_label?: string;
  readonly replacement?: string;
  readonly action?: 'replace' | 'keep' | 'drop' | 'labelmap' | 'labeldrop' | 'labelkeep';
}

export interface ScrapeConfig {
  readonly job_name: string;
  readonly [field: string]: unknown;
}

export interface PrometheusConfigProps {
  /** `cluster` external label on every series and alert (tells clusters apart in Alertmanager). */
  readonly clusterName: string;
  /** How often targets are scraped and rules evaluated. */
  readonly scrapeInterval: string;
  /** How long samples are kept. */
  readonly retention: string;
  /** Upper bound of the TSDB on disk, e.g. "43520MB" (Prometheus units, powers of two). */
  readonly retentionSize: string;
  /** Glob of the rule files. */
  readonly ruleFiles: string;
}

/** Talks to the API server (or a kubelet) as Prometheus' service account. */
const IN_CLUSTER_AUTH = {
  scheme: 'https',
  authorization: { credentials_file: `${SERVICE_ACCOUNT_DIR}/token` },
  tls_config: { ca_file: `${SERVICE_ACCOUNT_DIR}/ca.crt` },
} as const;

/**
 * Kubelets serve self-signed certificates on most distributions (EKS included), which the cluster CA does not
 * sign; the bearer token still authenticates Prometheus to the kubelet. Same trade-off as kube-prometheus.
 */
const KUBELET_AUTH = {
  scheme: 'https',
  authorization: { credentials_file: `${SERVICE_ACCOUNT_DIR}/token` },
  tls_config: { ca_file: `${SERVICE_ACCOUNT_DIR}/ca.crt`, insecure_skip_verify: true },
} as const;

/** Only pods that are running and not init containers are worth scraping. */
const DROP_FINISHED_PODS: readonly RelabelConfig[] = [
  { source_labels: ['__meta_kubernetes_pod_phase'], regex: 'Pending|Succeeded|Failed|Completed', action: 'drop' },
  { source_labels: ['__meta_kubernetes_pod_container_init'], regex: 'true', action: 'drop' },
];

/** namespace / pod / node labels on every target discovered through a pod or an endpoint that is a pod. */
const POD_LABELS: readonly RelabelConfig[] = [
  { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
  { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
  { source_labels: ['__meta_kubernetes_pod_node_name'], target_label: 'node' },
];

/**
 * The `prometheus.io/*` annotation convention (charts' prometheusScrapeAnnotations()): opt in with
 * `scrape: "true"`, override the path with `path`, the port with `port` and the scheme with `scheme`.
 */
function annotationRelabels(kind: 'pod' | 'service'): RelabelConfig[] {
  const annotation = (name: string) => `__meta_kubernetes_${kind}_annotation_prometheus_io_${name}`;
  const rules: RelabelConfig[] = [
    { source_labels: [annotation('scrape')], regex: 'true', action: 'keep' },
    { source_labels: [annotation('scheme')], regex: '(https?)', target_label: '__scheme__' },
    { source_labels: [annotation('path')], regex: '(.+)', target_label: '__metrics_path__' },
  ];
  if (kind === 'pod') {
    // Built from the pod IP (not __address__, which has no port when a container declares none), one rule per
    // address family so IPv6 addresses get their brackets.
    rules.push(
      { source_labels: [annotation('port'), '__meta_kubernetes_pod_ip'], regex: '(\\d+);(\\d+\\.\\d+\\.\\d+\\.\\d+)', replacement: '$2:$1', target_label: '__address__' },
      { source_labels: [annotation('port'), '__meta_kubernetes_pod_ip'], regex: '(\\d+);([0-9a-fA-F:]+)', replacement: '[$2]:$1', target_label: '__address__' },
    );
  } else {
    // Endpoint addresses always carry a port: swap it for the annotated one (works for "[v6]:port" too).
    rules.push({ source_labels: ['__address__', annotation('port')], regex: '(.+?)(?::\\d+)?;(\\d+)', replacement: '$1:$2', target_label: '__address__' });
  }
  return rules;
}

/** Keeps the endpoints of one Service port, by namespace/service/port name. */
function keepServicePort(namespace: string, service: string, port: string): RelabelConfig {
  return {
    source_labels: ['__meta_kubernetes_namespace', '__meta_kubernetes_service_name', '__meta_kubernetes_endpoint_port_name'],
    regex: `${namespace};${service};${port}`,
    action: 'keep',
  };
}

export function scrapeConfigs(): ScrapeConfig[] {
  const ksm = MONITORING.kubeStateMetrics;
  return [
    {
      job_name: 'kubernetes-apiservers',
      kubernetes_sd_configs: [{ role: 'endpoints', namespaces: { names: ['default'] } }],
      ...IN_CLUSTER_AUTH,
      relabel_configs: [keepServicePort('default', 'kubernetes', 'https')],
    },
    {
      // Kubelets scraped directly on :10250 (not through the API server proxy, which would put every kubelet
      // scrape on the API server); RBAC: nodes/metrics.
      job_name: 'kubelet',
      kubernetes_sd_configs: [{ role: 'node' }],
      ...KUBELET_AUTH,
      honor_labels: true,
      relabel_configs: [{ source_labels: ['__meta_kubernetes_node_name'], target_label: 'node' }],
    },
    {
      job_name: 'cadvisor',
      kubernetes_sd_configs: [{ role: 'node' }],
      ...KUBELET_AUTH,
      metrics_path: '/metrics/cadvisor',
      honor_labels: true,
      // cAdvisor stamps samples with its own collection time; honouring it makes series look stale (as upstream).
      honor_timestamps: false,
      relabel_configs: [{ source_labels: ['__meta_kubernetes_node_name'], target_label: 'node' }],
      metric_relabel_configs: [
        // High-cardinality series nobody graphs (the same drops as kube-prometheus).
        { source_labels: ['__name__'], regex: 'container_(network_tcp_usage_total|network_udp_usage_total|tasks_state|cpu_load_average_10s)', action: 'drop' },
        { source_labels: ['__name__', 'pod', 'namespace'], regex: '(container_spec_.*|container_file_descriptors|container_sockets|container_threads_max|container_threads|container_start_time_seconds|container_last_seen);;', action: 'drop' },
      ],
    },
    {
      // honor_labels keeps the namespace/pod labels kube-state-metrics reports about *other* objects; the
      // target gets no namespace/pod labels of its own for the same reason.
      job_name: 'kube-state-metrics',
      kubernetes_sd_configs: [{ role: 'endpoints', namespaces: { names: [MONITORING.namespace] } }],
      honor_labels: true,
      relabel_configs: [keepServicePort(MONITORING.namespace, ksm.service, 'http-metrics')],
    },
    {
      job_name: 'node-exporter',
      kubernetes_sd_configs: [{ role: 'endpoints', namespaces: { names: [MONITORING.nodeExporterNamespace] } }],
      relabel_configs: [
        keepServicePort(MONITORING.nodeExporterNamespace, MONITORING.nodeExporter.service, 'metrics'),
        // instance = node name, so node-exporter series join kube-state-metrics' `node` label.
        { source_labels: ['__meta_kubernetes_pod_node_name'], target_label: 'instance' },
      ],
    },
    {
      job_name: 'kubernetes-service-endpoints',
      kubernetes_sd_configs: [{ role: 'endpoints' }],
      relabel_configs: [
        ...annotationRelabels('service'),
        ...DROP_FINISHED_PODS,
        ...POD_LABELS,
        { source_labels: ['__meta_kubernetes_service_name'], target_label: 'service' },
      ],
    },
    {
      job_name: 'kubernetes-pods',
      kubernetes_sd_configs: [{ role: 'pod' }],
      relabel_configs: [
        ...annotationRelabels('pod'),
        ...DROP_FINISHED_PODS,
        ...POD_LABELS,
      ],
    },
  ];
}

/** The whole prometheus.yml. */
export function prometheusConfig(props: PrometheusConfigProps): Record<string, unknown> {
  return {
    global: {
      scrape_interval: props.scrapeInterval,
      evaluation_interval: props.scrapeInterval,
      external_labels: { cluster: props.clusterName },
    },
    storage: {
      tsdb: { retention: { time: props.retention, size: props.retentionSize } },
    },
    rule_files: [props.ruleFiles],
    alerting: {
      // Every Alertmanager pod gets every alert (they de-duplicate among themselves); never a load-balanced VIP.
      alertmanagers: [{
        kubernetes_sd_configs: [{ role: 'endpoints', namespaces: { names: [MONITORING.namespace] } }],
        relabel_configs: [keepServicePort(MONITORING.namespace, MONITORING.alertmanager.service, 'http')],
      }],
    },
    scrape_configs: scrapeConfigs(),
  };
}
