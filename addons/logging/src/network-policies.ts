import { Construct } from 'constructs';
import { KUBE_API_PORTS, NetworkPolicy, PEERS, Peer, TrafficRule } from '@platform/charts';
import { AGENT_NAMESPACE, LOGGING_NAMESPACE, LoggingIdentities, PORTS } from './components';

/** Where the Elasticsearch the clients talk to actually is, as far as the network is concerned. */
export type ElasticsearchNetwork =
  | { readonly mode: 'in-cluster' }
  /** Outside the cluster: egress to its port on these address ranges (the ExternalName resolves to them). */
  | { readonly mode: 'external'; readonly port: number; readonly cidrs: readonly string[] };

export interface LoggingNetworkPoliciesProps {
  readonly ids: LoggingIdentities;
  readonly elasticsearch: ElasticsearchNetwork;
}

/**
 * Default deny in both namespaces, DNS for every pod, and exactly these flows:
 * fluentd → API server (pod metadata) and → Elasticsearch; Kibana → Elasticsearch; retention job → Elasticsearch;
 * ingress controller → Kibana; Prometheus → fluentd metrics. The in-cluster Elasticsearch accepts only fluentd,
 * Kibana and the retention job.
 */
export class LoggingNetworkPolicies extends Construct {
  readonly policies: NetworkPolicy[] = [];

  constructor(scope: Construct, id: string, props: LoggingNetworkPoliciesProps) {
    super(scope, id);
    const { ids } = props;
    const labels = ids.addon.labels;
    const inCluster = props.elasticsearch.mode === 'in-cluster';

    const fluentd: Peer = { namespace: AGENT_NAMESPACE, podLabels: ids.fluentd.selectorLabels };
    const kibana: Peer = { namespace: LOGGING_NAMESPACE, podLabels: ids.kibana.selectorLabels };
    const retention: Peer = { namespace: LOGGING_NAMESPACE, podLabels: ids.elasticsearchRetention.selectorLabels };
    const toElasticsearch: TrafficRule = props.elasticsearch.mode === 'in-cluster'
      ? { peers: [{ namespace: LOGGING_NAMESPACE, podLabels: ids.elasticsearch.selectorLabels }], ports: [{ port: PORTS.elasticsearchHttp }] }
      : { peers: props.elasticsearch.cidrs.map((cidr) => ({ cidr })), ports: [{ port: props.elasticsearch.port }] };

    for (const namespace of [LOGGING_NAMESPACE, AGENT_NAMESPACE]) {
      this.policies.push(NetworkPolicy.defaultDeny(this, namespace, labels), NetworkPolicy.allowDns(this, namespace, labels));
    }

    this.policies.push(new NetworkPolicy(this, 'fluentd', {
      name: 'fluentd',
      namespace: AGENT_NAMESPACE,
      podLabels: ids.fluentd.selectorLabels,
      labels: ids.fluentd.labels,
      ingress: [{ peers: [PEERS.prometheus], ports: [{ port: PORTS.fluentdMetrics }] }],
      egress: [{ peers: [PEERS.kubeApi], ports: KUBE_API_PORTS }, toElasticsearch],
    }));

    this.policies.push(new NetworkPolicy(this, 'kibana', {
      name: 'kibana',
      namespace: LOGGING_NAMESPACE,
      podLabels: ids.kibana.selectorLabels,
      labels: ids.kibana.labels,
      ingress: [{ peers: [PEERS.ingressController], ports: [{ port: PORTS.kibana }] }],
      egress: [toElasticsearch],
    }));

    if (inCluster) {
      this.policies.push(new NetworkPolicy(this, 'elasticsearch', {
        name: 'elasticsearch',
        namespace: LOGGING_NAMESPACE,
        podLabels: ids.elasticsearch.selectorLabels,
        labels: ids.elasticsearch.labels,
        // Elasticsearch exposes no Prometheus metrics of its own, so Prometheus is not let in.
        ingress: [{ peers: [fluentd, kibana, retention], ports: [{ port: PORTS.elasticsearchHttp }] }],
      }));
      this.policies.push(new NetworkPolicy(this, 'elasticsearch-retention', {
        name: 'elasticsearch-retention',
        namespace: LOGGING_NAMESPACE,
        podLabels: ids.elasticsearchRetention.selectorLabels,
        labels: ids.elasticsearchRetention.labels,
        egress: [toElasticsearch],
      }));
    }
  }
}
