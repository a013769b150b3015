import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-28';
import { AppIdentity } from '@platform/charts';
import { AGENT_NAMESPACE, ElasticsearchEndpoint } from './components';
import { FluentdSettings } from './settings';

/** Where fluentd keeps its state on the node (hostPath): tail positions and the output buffer. */
export const FLUENTD_STATE_DIR = '/var/lib/logging-agent';
/** Where the ConfigMap is mounted: the image's default config directory, replaced as a whole. */
export const FLUENTD_CONFIG_DIR = '/fluentd/etc';
/** Env vars the config reads the Elasticsearch user and password from (set from a Secret). */
export const CREDENTIAL_ENV = { username: 'ELASTICSEARCH_USERNAME', password: 'ELASTICSEARCH_PASSWORD' } as const;

export interface FluentdConfigProps {
  /** Labels of the fluentd component. */
  readonly id: AppIdentity;
  /** Where logs are sent. */
  readonly elasticsearch: ElasticsearchEndpoint;
  /** Whether Elasticsearch needs a user and password (read from CREDENTIAL_ENV). @default false */
  readonly authenticate?: boolean;
  /** Indices are `<indexPrefix>-YYYY.MM.DD`. */
  readonly indexPrefix: string;
  /** The output buffer. */
  readonly buffer: FluentdSettings['buffer'];
  /** Port of the Prometheus endpoint (also the liveness probe). */
  readonly metricsPort: number;
  /** Namespace fluentd runs in; its own container logs are not shipped. @default "logging-agent" */
  readonly namespace?: string;
}

/** fluentd sizes: the Kubernetes binary quantities the settings use, in fluentd's k/m/g notation. */
function fluentdSize(quantity: string): string {
  const units: Record<string, string> = { Ki: 'k', Mi: 'm', Gi: 'g', Ti: 't' };
  return `${quantity.slice(0, -2)}${units[quantity.slice(-2)]}`;
}

/**
 * The whole fluentd configuration, replacing the image's conf/ tree. Modelled on upstream's fluent.conf,
 * kubernetes.conf, kubernetes/containers.conf and prometheus.conf, reduced to what a containerd cluster has:
 * container logs in CRI format under /var/log/containers, enriched with pod metadata, shipped to Elasticsearch.
 */
export function renderFluentdConfig(props: FluentdConfigProps): string {
  const es = props.elasticsearch;
  const b = props.buffer;
  const namespace = props.namespace ?? AGENT_NAMESPACE;
  const credentials = props.authenticate
    ? [`    user "#{ENV['${CREDENTIAL_ENV.username}']}"`, `    password "#{ENV['${CREDENTIAL_ENV.password}']}"`]
    : [];
  return [
    '# Rendered by platformctl from addons/logging/src/fluentd-config.ts. Do not edit in the cluster.',
    '',
    '<system>',
    '  log_level info',
    '</system>',
    '',
    "# fluentd's own log events are not routed into the pipeline (they would loop back into it).",
    '<label @FLUENT_LOG>',
    '  <match fluent.**>',
    '    @type null',
    '    @id ignore_fluent_logs',
    '  </match>',
    '</label>',
    '',
    '# Prometheus metrics (scraped through the pod annotations; also the liveness probe).',
    '<source>',
    '  @type prometheus',
    '  @id in_prometheus',
    '  bind 0.0.0.0',
    `  port ${props.metricsPort}`,
    '  metrics_path /metrics',
    '</source>',
    '<source>',
    '  @type prometheus_output_monitor',
    '  @id in_prometheus_output_monitor',
    '</source>',
    '',
    '# Container logs: CRI format ("<time> <stream> <P|F> <message>") written by containerd.',
    "# fluentd's own container is skipped, so a failing output cannot feed on its own warnings.",
    '<source>',
    '  @type tail',
    '  @id in_tail_container_logs',
    '  @label @CONCAT',
    '  path /var/log/containers/*.log',
    `  exclude_path ["/var/log/containers/*_${namespace}_fluentd-*.log"]`,
    `  pos_file ${FLUENTD_STATE_DIR}/containers.log.pos`,
    '  tag kubernetes.*',
    '  read_from_head true',
    '  follow_inodes true',
    '  refresh_interval 10s',
    '  <parse>',
    '    @type cri',
    '  </parse>',
    '</source>',
    '',
    '# containerd splits lines longer than 16 KiB into P(artial) records ending with an F(ull) one: join them.',
    '<label @CONCAT>',
    '  <filter kubernetes.**>',
    '    @type concat',
    '    @id filter_concat_cri_partials',
    '    key message',
    '    use_partial_cri_logtag true',
    '    partial_cri_logtag_key logtag',
    '    # the plugin deletes this key from every record; logtag is dropped anyway, so "stream" survives',
    '    partial_cri_stream_key logtag',
    '    stream_identity_key stream',
    '    separator ""',
    '    flush_interval 5',
    '    timeout_label @KUBERNETES',
    '  </filter>',
    '  <match kubernetes.**>',
    '    @type relabel',
    '    @label @KUBERNETES',
    '  </match>',
    '</label>',
    '',
    '<label @KUBERNETES>',
    '  # Pod, namespace, labels and container image from the API server (watch limited to this node: K8S_NODE_NAME).',
    '  <filter kubernetes.**>',
    '    @type kubernetes_metadata',
    '    @id filter_kubernetes_metadata',
    '    skip_master_url true',
    '  </filter>',
    '',
    '  # Label keys like "app" and "app.kubernetes.io/name" would clash as Elasticsearch object paths.',
    '  <filter kubernetes.**>',
    '    @type dedot',
    '    @id filter_dedot',
    '    de_dot true',
    '    de_dot_separator _',
    '    de_dot_nested true',
    '  </filter>',
    '',
    '  <match kubernetes.**>',
    '    @type elasticsearch',
    '    @id out_elasticsearch',
    `    host ${es.host}`,
    `    port ${es.port}`,
    `    scheme ${es.scheme}`,
    ...(es.scheme === 'https' ? ['    ssl_verify true', '    ssl_version TLSv1_2'] : []),
    ...credentials,
    '    # do not ask Elasticsearch for its version at startup: fluentd starts (and buffers) while it is down',
    '    verify_es_version_at_startup false',
    '    default_elasticsearch_version 7',
    '    suppress_type_name true',
    '    logstash_format true',
    `    logstash_prefix ${props.indexPrefix}`,
    '    logstash_dateformat %Y.%m.%d',
    '    include_tag_key true',
    '    reconnect_on_error true',
    "    # no sniffing: the nodes' own addresses would bypass the Service and fail the TLS name check",
    '    reload_on_failure false',
    '    reload_connections false',
    '    request_timeout 30s',
    '    log_es_400_reason true',
    '    <buffer>',
    '      @type file',
    `      path ${FLUENTD_STATE_DIR}/buffer/elasticsearch`,
    '      flush_mode interval',
    `      flush_interval ${b.flushInterval}`,
    `      flush_thread_count ${b.flushThreadCount}`,
    `      chunk_limit_size ${fluentdSize(b.chunkLimitSize)}`,
    `      total_limit_size ${fluentdSize(b.totalLimitSize)}`,
    `      overflow_action ${b.overflowAction}`,
    '      retry_type exponential_backoff',
    '      retry_wait 1s',
    '      retry_exponential_backoff_base 2',
    `      retry_max_interval ${b.retryMaxInterval}`,
    '      retry_forever true',
    '    </buffer>',
    '  </match>',
    '</label>',
    '',
  ].join('\n');
}

/** The ConfigMap holding fluent.conf, mounted over the image's /fluentd/etc. */
export class FluentdConfig extends Construct {
  readonly configMap: kplus.ConfigMap;
  /** The rendered fluent.conf. */
  readonly text: string;
  /** sha256 of the config; on the pod template, so a config change rolls the DaemonSet. */
  readonly hash: string;

  constructor(scope: Construct, id: string, props: FluentdConfigProps) {
    super(scope, id);
    this.text = renderFluentdConfig(props);
    this.hash = createHash('sha256').update(this.text).digest('hex');
    this.configMap = new kplus.ConfigMap(this, 'Resource', {
      metadata: { name: 'fluentd-config', namespace: props.namespace ?? AGENT_NAMESPACE, labels: props.id.labels },
      data: { 'fluent.conf': this.text },
    });
  }
}
