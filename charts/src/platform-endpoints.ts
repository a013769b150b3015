import { LABELS } from './labels';

/**
 * Well-known in-cluster endpoints of the platform. Add-ons create them with exactly these namespaces,
 * names and pod labels; tenants' network policies and env vars point at them. One definition, no string plumbing.
 */
export const PLATFORM_ENDPOINTS = {
  /** The ingress-nginx controller pods (ingress traffic into tenants comes from them). */
  ingressController: {
    namespace: 'ingress-nginx',
    podLabels: { [LABELS.name]: 'ingress-nginx', [LABELS.component]: 'controller' },
    ingressClass: 'nginx',
  },
  /** The Prometheus server pods (they scrape tenant pods). */
  prometheus: {
    namespace: 'monitoring',
    podLabels: { [LABELS.name]: 'prometheus', [LABELS.component]: 'server' },
  },
  /** The OpenTelemetry Collector that tenants send traces to over OTLP. */
  otelCollector: {
    namespace: 'tracing',
    service: 'otel-collector',
    podLabels: { [LABELS.name]: 'otel-collector', [LABELS.component]: 'collector' },
    grpcPort: 4317,
    httpPort: 4318,
    /** Value of OTEL_EXPORTER_OTLP_ENDPOINT for workloads (OTLP/gRPC). */
    endpoint: 'http://otel-collector.tracing.svc.cluster.local:4317',
  },
  /** Cluster DNS (CoreDNS keeps the historical kube-dns labels on every distribution we run). */
  dns: {
    namespace: 'kube-system',
    podLabels: { 'k8s-app': 'kube-dns' },
    port: 53,
  },
} as const;

/** Annotations Prometheus' `kubernetes-pods` job reads (see addons/monitoring). */
export function prometheusScrapeAnnotations(port: number, path = '/metrics'): Record<string, string> {
  return {
    'prometheus.io/scrape': 'true',
    'prometheus.io/port': String(port),
    'prometheus.io/path': path,
  };
}
