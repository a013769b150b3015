/**
 * Every image the add-ons run, pinned to a version (and a digest where upstream publishes one).
 * One table for all add-ons: an upgrade is a one-line change here, and reviewers see every version in one place.
 * No `latest`, no floating tags.
 */
export interface ImageRef {
  readonly repository: string;
  readonly tag: string;
  readonly digest?: string;
}

export const IMAGES = {
  'ingress-nginx': {
    controller: { repository: 'registry.k8s.io/ingress-nginx/controller', tag: 'v1.15.1', digest: 'sha256:594ceea76b01c592858f803f9ff4d2cb40542cae2060410b2c95f75907d659e1' },
    certgen: { repository: 'registry.k8s.io/ingress-nginx/kube-webhook-certgen', tag: 'v1.6.9', digest: 'sha256:01038e7de14b78d702d2849c3aad72fd25903c4765af63cf16aa3398f5d5f2dd' },
  },
  logging: {
    fluentd: { repository: 'docker.io/fluent/fluentd-kubernetes-daemonset', tag: 'v1.19.3-debian-elasticsearch7-1.1' },
    elasticsearch: { repository: 'docker.elastic.co/elasticsearch/elasticsearch', tag: '7.17.28' },
    kibana: { repository: 'docker.elastic.co/kibana/kibana', tag: '7.17.28' },
  },
  monitoring: {
    prometheus: { repository: 'quay.io/prometheus/prometheus', tag: 'v3.12.0' },
    alertmanager: { repository: 'quay.io/prometheus/alertmanager', tag: 'v0.33.0' },
    nodeExporter: { repository: 'quay.io/prometheus/node-exporter', tag: 'v1.11.1' },
    kubeStateMetrics: { repository: 'registry.k8s.io/kube-state-metrics/kube-state-metrics', tag: 'v2.19.0' },
    grafana: { repository: 'docker.io/grafana/grafana', tag: '13.0.2' },
  },
  tracing: {
    jaeger: { repository: 'docker.io/jaegertracing/jaeger', tag: '2.19.0' },
    otelCollector: { repository: 'ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-k8s', tag: '0.158.0' },
  },
  backups: {
    velero: { repository: 'docker.io/velero/velero', tag: 'v1.18.1' },
    pluginForAws: { repository: 'docker.io/velero/velero-plugin-for-aws', tag: 'v1.14.1' },
  },
  dashboards: {
    kubernetesDashboard: { repository: 'docker.io/kubernetesui/dashboard', tag: 'v2.7.0' },
    metricsScraper: { repository: 'docker.io/kubernetesui/metrics-scraper', tag: 'v1.0.8' },
    kubeOpsView: { repository: 'docker.io/hjacobs/kube-ops-view', tag: '20.4.0' },
    redis: { repository: 'docker.io/library/redis', tag: '7.4.6-alpine' },
    weaveScope: { repository: 'docker.io/weaveworks/scope', tag: '1.13.2' },
  },
} as const satisfies Record<string, Record<string, ImageRef>>;

/** `repository:tag[@digest]` */
export function image(ref: ImageRef): string {
  return `${ref.repository}:${ref.tag}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** The version label value of an image (tag without a leading "v"). */
export function versionOf(ref: ImageRef): string {
  return ref.tag.replace(/^v/, '');
}
