import { PLATFORM_ENDPOINTS } from '@platform/charts';

/** Port of the collector's own metrics (Prometheus exposition). */
export const COLLECTOR_METRICS_PORT = 8888;
/** Port of the health_check extension (liveness/readiness). */
export const COLLECTOR_HEALTH_PORT = 13133;

export interface OtelCollectorConfigProps {
  /** `host:port` of the Jaeger OTLP/gRPC receiver the collector forwards traces to. */
  readonly jaegerEndpoint: string;
  /** Add the k8s_attributes processor (pod/namespace/deployment of the sender). */
  readonly kubernetesAttributes: boolean;
}

/**
 * The collector's configuration, as data. Traces only: OTLP in (gRPC 4317, HTTP 4318), memory_limiter first (refuse
 * before running out of memory), then k8s_attributes, then batch, out over OTLP/gRPC to Jaeger.
 * Listeners bind 0.0.0.0 so `kubectl port-forward` works; NetworkPolicies decide who may connect.
 */
export function otelCollectorConfig(props: OtelCollectorConfigProps): Record<string, unknown> {
  const { grpcPort, httpPort } = PLATFORM_ENDPOINTS.otelCollector;
  const processors: Record<string, unknown> = {
    memory_limiter: { check_interval: '5s', limit_percentage: 80, spike_limit_percentage: 25 },
    batch: {},
  };
  if (props.kubernetesAttributes) {
    processors.k8s_attributes = {
      auth_type: 'serviceAccount',
      passthrough: false,
      // Only the connection's source IP: a resource attribute sent by a tenant could claim another tenant's pod.
      pod_association: [{ sources: [{ from: 'connection' }] }],
      extract: {
        metadata: ['k8s.namespace.name', 'k8s.pod.name', 'k8s.pod.uid', 'k8s.deployment.name', 'k8s.node.name'],
      },
    };
  }
  return {
    extensions: {
      health_check: { endpoint: `0.0.0.0:${COLLECTOR_HEALTH_PORT}` },
    },
    receivers: {
      otlp: {
        protocols: {
          grpc: { endpoint: `0.0.0.0:${grpcPort}` },
          http: { endpoint: `0.0.0.0:${httpPort}` },
        },
      },
    },
    processors,
    exporters: {
      'otlp_grpc/jaeger': {
        endpoint: props.jaegerEndpoint,
        // In-cluster hop to Jaeger without TLS (no mesh/CA in the platform yet); NetworkPolicies restrict who talks.
        tls: { insecure: true },
      },
    },
    service: {
      extensions: ['health_check'],
      pipelines: {
        traces: {
          receivers: ['otlp'],
          processors: ['memory_limiter', ...(props.kubernetesAttributes ? ['k8s_attributes'] : []), 'batch'],
          exporters: ['otlp_grpc/jaeger'],
        },
      },
      telemetry: {
        metrics: {
          readers: [{ pull: { exporter: { prometheus: { host: '0.0.0.0', port: COLLECTOR_METRICS_PORT } } } }],
        },
      },
    },
  };
}
