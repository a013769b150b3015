import { StorageSettings } from './settings';

/** Jaeger UI / query HTTP port. */
export const JAEGER_QUERY_PORT = 16686;
/** Jaeger's OTLP/gRPC receiver (the collector forwards here). */
export const JAEGER_OTLP_GRPC_PORT = 4317;
/** healthcheckv2 extension (probes on /status). */
export const JAEGER_HEALTH_PORT = 13133;
/** Jaeger's own metrics. */
export const JAEGER_METRICS_PORT = 8888;

/** Where the badger volume is mounted. */
export const BADGER_MOUNT_PATH = '/badger';
/** Environment variables the Elasticsearch credentials are read from (set from a Secret, never in the config). */
export const ES_USERNAME_ENV = 'ES_USERNAME';
export const ES_PASSWORD_ENV = 'ES_PASSWORD';

const STORE = 'primary';

function backend(storage: StorageSettings): Record<string, unknown> {
  switch (storage.type) {
    case 'memory':
      return { memory: { max_traces: storage.maxTraces } };
    case 'badger':
      return {
        badger: {
          ephemeral: false,
          directories: { keys: `${BADGER_MOUNT_PATH}/keys`, values: `${BADGER_MOUNT_PATH}/values` },
          ttl: { spans: storage.retention },
        },
      };
    case 'elasticsearch':
      return {
        elasticsearch: {
          server_urls: [...storage.serverUrls],
          indices: { index_prefix: storage.indexPrefix },
          max_span_age: storage.retention,
          // Only references: the collector's config loader expands ${env:...} from the container's environment.
          ...(storage.credentialsSecret
            ? { auth: { basic: { username: `\${env:${ES_USERNAME_ENV}}`, password: `\${env:${ES_PASSWORD_ENV}}` } } }
            : {}),
        },
      };
  }
}

/**
 * Jaeger v2's configuration (an OpenTelemetry Collector config): OTLP/gRPC in, batch, into the jaeger_storage
 * backend chosen by the settings; jaeger_query serves the UI from the same store; healthcheckv2 answers probes.
 */
export function jaegerConfig(storage: StorageSettings): Record<string, unknown> {
  return {
    extensions: {
      jaeger_storage: { backends: { [STORE]: backend(storage) } },
      jaeger_query: {
        storage: { traces: STORE },
        http: { endpoint: `0.0.0.0:${JAEGER_QUERY_PORT}` },
      },
      healthcheckv2: { use_v2: true, http: { endpoint: `0.0.0.0:${JAEGER_HEALTH_PORT}` } },
    },
    receivers: {
      otlp: { protocols: { grpc: { endpoint: `0.0.0.0:${JAEGER_OTLP_GRPC_PORT}` } } },
    },
    processors: { batch: {} },
    exporters: { jaeger_storage_exporter: { trace_storage: STORE } },
    service: {
      extensions: ['jaeger_storage', 'jaeger_query', 'healthcheckv2'],
      pipelines: {
        traces: { receivers: ['otlp'], processors: ['batch'], exporters: ['jaeger_storage_exporter'] },
      },
      telemetry: {
        resource: { 'service.name': 'jaeger' },
        metrics: {
          level: 'detailed',
          readers: [{ pull: { exporter: { prometheus: { host: '0.0.0.0', port: JAEGER_METRICS_PORT } } } }],
        },
      },
    },
  };
}
