import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-28';
import { AppIdentity } from '@platform/charts';
import { ELASTICSEARCH_HOST, ELASTICSEARCH_SERVICE, ElasticsearchEndpoint, LOGGING_NAMESPACE } from './components';

export interface ExternalElasticsearchProps {
  /** Labels of the Elasticsearch component. */
  readonly id: AppIdentity;
  /** DNS name of the Elasticsearch cluster outside Kubernetes, e.g. "logs.es.prod.example.com". */
  readonly host: string;
  /** Port of its HTTP API. */
  readonly port: number;
  readonly scheme: 'http' | 'https';
  /** Whether clients connect to the Service name (`service`) or to `host` directly (`host`). @default "service" */
  readonly clientAddress?: 'service' | 'host';
  /** @default "logging" */
  readonly namespace?: string;
}

/**
 * Elasticsearch that lives outside the cluster, behind the same name clients use for the in-cluster one:
 * Service `elasticsearch` in `logging` of type ExternalName, a DNS CNAME to the external host. The port is the
 * external cluster's own (an ExternalName Service does not remap ports). With https, TLS verifies the name the
 * client dialled: either the certificate lists the Service name too, or clients dial `host` (clientAddress "host").
 */
export class ExternalElasticsearch extends Construct {
  readonly service: kplus.Service;
  readonly endpoint: ElasticsearchEndpoint;

  constructor(scope: Construct, id: string, props: ExternalElasticsearchProps) {
    super(scope, id);
    if (/^[\d.]+$/.test(props.host) || props.host.includes(':')) {
      throw new Error(`external Elasticsearch host "${props.host}" must be a DNS name: an ExternalName Service is a CNAME, not an IP`);
    }
    this.service = new kplus.Service(this, 'service', {
      metadata: { name: ELASTICSEARCH_SERVICE, namespace: props.namespace ?? LOGGING_NAMESPACE, labels: props.id.labels },
      type: kplus.ServiceType.EXTERNAL_NAME,
      externalName: props.host,
    });
    const clientHost = (props.clientAddress ?? 'service') === 'service' ? ELASTICSEARCH_HOST : props.host;
    this.endpoint = { host: clientHost, port: props.port, scheme: props.scheme };
  }
}
