import { Construct } from 'constructs';
import { AppIdentity, KUBE_API_PORTS, NetworkPolicy, PEERS, PolicyPort } from '@platform/charts';
import { VELERO_METRICS_PORT } from './velero-server';

export interface BackupsNetworkPoliciesProps {
  readonly namespace: string;
  readonly server: AppIdentity;
  readonly nodeAgent: AppIdentity;
  /** Ports of the object storage (and snapshot) APIs Velero calls, e.g. 443. */
  readonly objectStoragePorts: readonly PolicyPort[];
  readonly labels?: Readonly<Record<string, string>>;
}

/** The ports an object-store URL is served on (443 for AWS S3 and https endpoints). */
export function objectStoragePort(url: string | undefined): PolicyPort {
  if (!url) return { port: 443 };
  const parsed = new URL(url);
  return { port: parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80 };
}

/**
 * Default deny in the velero namespace, then: DNS; the API server and the object storage (any address: S3 and
 * cloud APIs have no fixed addresses) for every pod of the namespace; Prometheus to both metrics ports. Egress
 * selects every pod because Velero also runs pods it creates itself (data-mover / pod-volume pods, repository
 * maintenance Jobs) with Velero's labels, not ours; the namespace runs nothing else.
 */
export class BackupsNetworkPolicies extends Construct {
  readonly policies: NetworkPolicy[] = [];

  constructor(scope: Construct, id: string, props: BackupsNetworkPoliciesProps) {
    super(scope, id);
    const { namespace, labels } = props;
    const unique = [...new Map(props.objectStoragePorts.map((p) => [p.port, p])).values()];
    this.policies.push(
      NetworkPolicy.defaultDeny(this, namespace, labels),
      NetworkPolicy.allowDns(this, namespace, labels),
      new NetworkPolicy(this, 'egress', {
        name: 'velero-egress',
        namespace,
        podLabels: {},
        labels,
        egress: [
          { peers: [PEERS.kubeApi], ports: KUBE_API_PORTS },
          { peers: [{ cidr: '0.0.0.0/0' }], ports: unique },
        ],
      }),
      new NetworkPolicy(this, 'server-metrics', {
        name: 'velero-server-metrics',
        namespace,
        podLabels: props.server.selectorLabels,
        labels,
        ingress: [{ peers: [PEERS.prometheus], ports: [{ port: VELERO_METRICS_PORT }] }],
      }),
      new NetworkPolicy(this, 'node-agent-metrics', {
        name: 'node-agent-metrics',
        namespace,
        podLabels: props.nodeAgent.selectorLabels,
        labels,
        ingress: [{ peers: [PEERS.prometheus], ports: [{ port: VELERO_METRICS_PORT }] }],
      }),
    );
  }
}
