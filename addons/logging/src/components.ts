import { AppIdentity } from '@platform/charts';
import { IMAGES, versionOf } from '../../versions';

/** The add-on's name: the part-of label of everything it renders. */
export const ADDON = 'logging';

/** Elasticsearch, Kibana and the `elasticsearch` Service: Pod Security Standards `restricted`. */
export const LOGGING_NAMESPACE = 'logging';
/** fluentd alone: Pod Security Standards `privileged`, because it mounts the node's /var/log (hostPath). */
export const AGENT_NAMESPACE = 'logging-agent';

export const PORTS = {
  elasticsearchHttp: 9200,
  elasticsearchTransport: 9300,
  kibana: 5601,
  fluentdMetrics: 24231,
} as const;

/** The Service every client talks to, whether Elasticsearch runs in the cluster or outside it. */
export const ELASTICSEARCH_SERVICE = 'elasticsearch';
/** Its DNS name as clients write it. */
export const ELASTICSEARCH_HOST = `${ELASTICSEARCH_SERVICE}.${LOGGING_NAMESPACE}.svc`;

/** How clients reach Elasticsearch: always ELASTICSEARCH_HOST, on the port and scheme of the backend. */
export interface ElasticsearchEndpoint {
  readonly host: string;
  readonly port: number;
  readonly scheme: 'http' | 'https';
}

/** Labels of every component of the add-on, computed once per environment. */
export class LoggingIdentities {
  /** Add-on level objects (namespaces, network policies). */
  readonly addon: AppIdentity;
  readonly fluentd: AppIdentity;
  readonly elasticsearch: AppIdentity;
  readonly elasticsearchRetention: AppIdentity;
  readonly kibana: AppIdentity;

  constructor(environment: string) {
    const images = IMAGES.logging;
    this.addon = new AppIdentity({ name: ADDON, partOf: ADDON, environment });
    this.fluentd = new AppIdentity({ name: 'fluentd', component: 'agent', partOf: ADDON, environment, version: versionOf(images.fluentd) });
    this.elasticsearch = new AppIdentity({ name: 'elasticsearch', component: 'storage', partOf: ADDON, environment, version: versionOf(images.elasticsearch) });
    this.elasticsearchRetention = new AppIdentity({ name: 'elasticsearch-retention', component: 'retention', partOf: ADDON, environment, version: versionOf(images.elasticsearch) });
    this.kibana = new AppIdentity({ name: 'kibana', component: 'ui', partOf: ADDON, environment, version: versionOf(images.kibana) });
  }
}
