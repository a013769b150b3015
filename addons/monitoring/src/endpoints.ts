import { PLATFORM_ENDPOINTS } from '@platform/charts';

/**
 * Names and ports of the add-on's components, defined once: the scrape config, the Grafana datasource and the
 * network policies all point at these, so a rename cannot leave one of them behind.
 */
export const MONITORING = {
  /** Everything but node-exporter; tenants' network policies allow scraping from Prometheus pods in it. */
  namespace: PLATFORM_ENDPOINTS.prometheus.namespace,
  /**
   * node-exporter needs host access (PSS `privileged`); it gets a namespace of its own so `monitoring` stays
   * `restricted`.
   */
  nodeExporterNamespace: 'monitoring-node-exporter',
  prometheus: { service: 'prometheus', headlessService: 'prometheus-headless', port: 9090 },
  alertmanager: { service: 'alertmanager', clusterService: 'alertmanager-cluster', port: 9093, clusterPort: 9094 },
  grafana: { service: 'grafana', port: 3000 },
  kubeStateMetrics: { service: 'kube-state-metrics', port: 8080, telemetryPort: 8081 },
  nodeExporter: { service: 'node-exporter', port: 9100 },
  /** The kubelet's authenticated HTTPS port (metrics and cAdvisor). */
  kubeletPort: 10250,
} as const;

/** Where the service account token and CA are mounted in every pod that talks to the API server or kubelets. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
