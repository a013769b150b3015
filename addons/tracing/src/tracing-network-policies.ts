import { Construct } from 'constructs';
import { AppIdentity, KUBE_API_PORTS, NetworkPolicy, PEERS, PLATFORM_ENDPOINTS, TrafficRule } from '@platform/charts';
import { BackendEndpoint } from './backend-endpoint';
import { COLLECTOR_METRICS_PORT } from './otel-collector-config';
import { JAEGER_METRICS_PORT, JAEGER_OTLP_GRPC_PORT, JAEGER_QUERY_PORT } from './jaeger-config';

export interface TracingNetworkPoliciesProps {
  readonly namespace: string;
  readonly collector: AppIdentity;
  readonly jaeger: AppIdentity;
  /** The collector talks to the API server (k8s_attributes processor). */
  readonly collectorUsesKubeApi: boolean;
  /** The Jaeger UI has an Ingress: let the ingress controller in. */
  readonly uiIngress: boolean;
  /** Storage backends Jaeger connects to (Elasticsearch). @default [] */
  readonly storageEndpoints?: readonly BackendEndpoint[];
  /** Labels of the policy objects. */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * Default deny in the tracing namespace, then exactly the traffic the add-on needs:
 * anyone → collector OTLP; collector → Jaeger OTLP; ingress controller → Jaeger UI; Jaeger → its storage;
 * Prometheus → both metrics ports; DNS for everyone; the API server for the collector when it enriches spans.
 */
export class TracingNetworkPolicies extends Construct {
  readonly policies: NetworkPolicy[] = [];

  constructor(scope: Construct, id: string, props: TracingNetworkPoliciesProps) {
    super(scope, id);
    const { namespace, labels } = props;
    const collectorPods = props.collector.selectorLabels;
    const jaegerPods = props.jaeger.selectorLabels;
    const otlp = PLATFORM_ENDPOINTS.otelCollector;

    this.policies.push(NetworkPolicy.defaultDeny(this, namespace, labels), NetworkPolicy.allowDns(this, namespace, labels));

    const collectorEgress: TrafficRule[] = [{ peers: [{ podLabels: jaegerPods }], ports: [{ port: JAEGER_OTLP_GRPC_PORT }] }];
    if (props.collectorUsesKubeApi) collectorEgress.push({ peers: [PEERS.kubeApi], ports: KUBE_API_PORTS });
    const collector = new NetworkPolicy(this, 'otel-collector', {
      name: 'otel-collector',
      namespace,
      podLabels: collectorPods,
      labels,
      ingress: [
        // Tenants and add-ons in any namespace send traces (pods only: not host-network processes or outside addresses).
        { peers: [PEERS.anyNamespace], ports: [{ port: otlp.grpcPort }, { port: otlp.httpPort }] },
        { peers: [PEERS.prometheus], ports: [{ port: COLLECTOR_METRICS_PORT }] },
      ],
      egress: collectorEgress,
    });
    this.policies.push(collector);

    const jaegerIngress: TrafficRule[] = [
      { peers: [{ podLabels: collectorPods }], ports: [{ port: JAEGER_OTLP_GRPC_PORT }] },
      { peers: [PEERS.prometheus], ports: [{ port: JAEGER_METRICS_PORT }] },
    ];
    if (props.uiIngress) jaegerIngress.push({ peers: [PEERS.ingressController], ports: [{ port: JAEGER_QUERY_PORT }] });
    const storage = props.storageEndpoints ?? [];
    this.policies.push(new NetworkPolicy(this, 'jaeger', {
      name: 'jaeger',
      namespace,
      podLabels: jaegerPods,
      labels,
      ingress: jaegerIngress,
      // Only the storage backend (none for memory/badger: Jaeger then talks to nobody but DNS).
      egress: storage.map((e) => ({ peers: e.peers, ports: [e.port] })),
    }));
  }
}
