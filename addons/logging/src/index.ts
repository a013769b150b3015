import { defineAddon } from '@platform/charts';
import { AGENT_NAMESPACE, ElasticsearchEndpoint, LoggingIdentities, PORTS } from './components';
import { Elasticsearch } from './elasticsearch';
import { ExternalElasticsearch } from './elasticsearch-external';
import { ElasticsearchRetention } from './elasticsearch-retention';
import { Fluentd } from './fluentd';
import { FluentdConfig } from './fluentd-config';
import { Kibana } from './kibana';
import { LoggingNamespaces } from './namespaces';
import { ElasticsearchNetwork, LoggingNetworkPolicies } from './network-policies';
import { SecretCredentials, loggingSettings } from './settings';

export const settings = loggingSettings;

export default defineAddon({
  name: 'logging',
  description: 'fluentd DaemonSet shipping container logs to Elasticsearch, Kibana',
  settings,
  // Kibana's Ingress goes through ingress-nginx's admission webhook (failurePolicy Fail).
  dependsOn: ['ingress-nginx'],
  render(scope, ctx, s) {
    const ids = new LoggingIdentities(ctx.environment);
    const indexPrefix = s.fluentd.indexPrefix ?? `k8s-${ctx.environment}`;
    new LoggingNamespaces(scope, 'namespaces', { id: ids.addon });

    let endpoint: ElasticsearchEndpoint;
    let network: ElasticsearchNetwork;
    let fluentdCredentials: SecretCredentials | undefined;
    let kibanaCredentials: SecretCredentials | undefined;
    const es = s.elasticsearch;
    if (es.mode === 'in-cluster') {
      endpoint = new Elasticsearch(scope, 'elasticsearch', ctx, {
        id: ids.elasticsearch,
        storageSize: es.storage.size,
        storageClass: es.storage.storageClass,
        heap: es.heap,
        resources: es.resources,
      }).endpoint;
      new ElasticsearchRetention(scope, 'elasticsearch-retention', ctx, {
        id: ids.elasticsearchRetention, elasticsearch: endpoint, indexPrefix, retentionDays: es.retentionDays,
      });
      network = { mode: 'in-cluster' };
    } else {
      endpoint = new ExternalElasticsearch(scope, 'elasticsearch', {
        id: ids.elasticsearch, host: es.host, port: es.port, scheme: es.scheme, clientAddress: es.clientAddress,
      }).endpoint;
      network = { mode: 'external', port: es.port, cidrs: es.egressCidrs };
      fluentdCredentials = es.credentialsSecret;
      kibanaCredentials = es.kibanaCredentialsSecret;
    }

    const config = new FluentdConfig(scope, 'fluentd-config', {
      id: ids.fluentd,
      elasticsearch: endpoint,
      authenticate: fluentdCredentials !== undefined,
      indexPrefix,
      buffer: s.fluentd.buffer,
      metricsPort: PORTS.fluentdMetrics,
      namespace: AGENT_NAMESPACE,
    });
    new Fluentd(scope, 'fluentd', { id: ids.fluentd, config, resources: s.fluentd.resources, credentials: fluentdCredentials });

    new Kibana(scope, 'kibana', ctx, {
      id: ids.kibana,
      elasticsearch: endpoint,
      credentials: kibanaCredentials,
      replicas: s.kibana.replicas,
      subdomain: s.kibana.subdomain,
      resources: s.kibana.resources,
      auth: s.kibana.auth,
    });

    new LoggingNetworkPolicies(scope, 'network-policies', { ids, elasticsearch: network });
  },
});
