import { AppIdentity, KUBE_API_PORTS, NetworkPolicy, PEERS, Peer, PolicyPort, TrafficRule } from '@platform/charts';
import { Construct } from 'constructs';
import { MONITORING } from './endpoints';

export interface MonitoringNetworkPoliciesProps {
  readonly prometheus: AppIdentity;
  readonly alertmanager: AppIdentity;
  readonly grafana: AppIdentity;
  readonly kubeStateMetrics: AppIdentity;
  readonly nodeExporter: AppIdentity;
  /** Alertmanager replicas gossip with each other only when there are several. */
  readonly alertmanagerReplicas: number;
  /** Prometheus and Alertmanager UIs are published through the ingress controller. */
  readonly uisExposed: boolean;
  /** TCP ports of the notification receivers (Slack, PagerDuty, webhooks: 443; SMTP: the smarthost port). */
  readonly receiverPorts: readonly number[];
}

/** Node addresses differ per provider and change with autoscaling: kubelets and node-exporter are reached by port. */
const ANY_ADDRESS: Peer = { cidr: '0.0.0.0/0' };

const tcp = (...ports: number[]): PolicyPort[] => ports.map((port) => ({ port }));
const pods = (id: AppIdentity): Peer => ({ podLabels: id.selectorLabels });

/**
 * Default deny in both namespaces, then exactly the traffic the stack needs:
 * - Prometheus: in from Grafana and Prometheus (queries, self-scrape), and from the ingress controller when its UI
 *   is published; out to the API server (service discovery,
 *   apiserver metrics), kubelets (:10250) and node-exporter (:9100) on node addresses, and to pods of every
 *   namespace (annotated scrape targets: the port is each workload's choice, the target's own policy decides).
 * - Alertmanager: in from Prometheus (and the ingress controller when its UI is published); gossip between
 *   replicas; out to the receivers.
 * - Grafana: in from the ingress controller and Prometheus (metrics); out to Prometheus only.
 * - kube-state-metrics: in from Prometheus; out to the API server.
 * - node-exporter runs in the host network namespace, where NetworkPolicies do not apply; its policy documents
 *   the intended access (and holds should a CNI enforce it). Exposure is limited by binding to the node address.
 */
export class MonitoringNetworkPolicies extends Construct {
  readonly policies: readonly NetworkPolicy[];

  constructor(scope: Construct, id: string, props: MonitoringNetworkPoliciesProps) {
    super(scope, id);
    const ns = MONITORING.namespace;
    const nodeNs = MONITORING.nodeExporterNamespace;
    const { prometheus: prom, alertmanager: am, grafana, kubeStateMetrics: ksm } = MONITORING;
    const policy = (name: string, target: AppIdentity, namespace: string, rules: { ingress?: TrafficRule[]; egress?: TrafficRule[] }) =>
      new NetworkPolicy(this, name, { name, namespace, podLabels: target.selectorLabels, labels: target.labels, ...rules });

    const gossip: TrafficRule[] = props.alertmanagerReplicas > 1
      ? [{ peers: [pods(props.alertmanager)], ports: [{ port: am.clusterPort }, { port: am.clusterPort, protocol: 'UDP' }] }]
      : [];

    const fromIngressController = (port: number): TrafficRule[] => (props.uisExposed ? [{ peers: [PEERS.ingressController], ports: tcp(port) }] : []);

    const prometheusPolicy = policy('prometheus', props.prometheus, ns, {
      ingress: [
        { peers: [pods(props.grafana)], ports: tcp(prom.port) },
        { peers: [PEERS.prometheus], ports: tcp(prom.port) },
        ...fromIngressController(prom.port),
      ],
      egress: [
        { peers: [PEERS.kubeApi], ports: KUBE_API_PORTS },
        { peers: [ANY_ADDRESS], ports: tcp(MONITORING.kubeletPort, MONITORING.nodeExporter.port) },
        { peers: [pods(props.alertmanager)], ports: tcp(am.port) },
        { peers: [pods(props.kubeStateMetrics)], ports: tcp(ksm.port, ksm.telemetryPort) },
        { peers: [pods(props.grafana)], ports: tcp(grafana.port) },
        { peers: [pods(props.prometheus)], ports: tcp(prom.port) },
        // Annotated pods in any namespace, on whatever port their prometheus.io/port annotation names.
        { peers: [PEERS.anyNamespace], ports: [{ protocol: 'TCP' }] },
      ],
    });

    this.policies = [
      NetworkPolicy.defaultDeny(this, ns),
      NetworkPolicy.allowDns(this, ns),
      prometheusPolicy,
      policy('alertmanager', props.alertmanager, ns, {
        ingress: [{ peers: [PEERS.prometheus], ports: tcp(am.port) }, ...fromIngressController(am.port), ...gossip],
        egress: [
          ...gossip,
          ...(props.receiverPorts.length ? [{ peers: [ANY_ADDRESS], ports: tcp(...props.receiverPorts) }] : []),
        ],
      }),
      policy('grafana', props.grafana, ns, {
        ingress: [
          { peers: [PEERS.ingressController], ports: tcp(grafana.port) },
          { peers: [PEERS.prometheus], ports: tcp(grafana.port) },
        ],
        egress: [{ peers: [pods(props.prometheus)], ports: tcp(prom.port) }],
      }),
      policy('kube-state-metrics', props.kubeStateMetrics, ns, {
        ingress: [{ peers: [PEERS.prometheus], ports: tcp(ksm.port, ksm.telemetryPort) }],
        egress: [{ peers: [PEERS.kubeApi], ports: KUBE_API_PORTS }],
      }),
      NetworkPolicy.defaultDeny(this, nodeNs),
      policy('node-exporter', props.nodeExporter, nodeNs, {
        ingress: [{ peers: [PEERS.prometheus], ports: tcp(MONITORING.nodeExporter.port) }],
      }),
    ];
  }
}
