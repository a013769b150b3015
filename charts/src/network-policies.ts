import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { PLATFORM_ENDPOINTS } from './platform-endpoints';

/** Who traffic comes from or goes to. */
export interface Peer {
  /** Namespace name (matched on its kubernetes.io/metadata.name label). @default - the policy's own namespace */
  readonly namespace?: string;
  /** Pod labels; omitted means every pod of the namespace. */
  readonly podLabels?: Readonly<Record<string, string>>;
  /** A CIDR instead of pods (e.g. the API server, an external database). */
  readonly cidr?: string;
  /**
   * Every namespace (`namespaceSelector: {}`), optionally narrowed by `podLabels`: pods anywhere in the cluster, but
   * not host-network processes or addresses outside the pod network (which omitting the peer would also allow).
   */
  readonly allNamespaces?: true;
}

export interface PolicyPort {
  /** Port number. @default every port of the protocol */
  readonly port?: number;
  /** @default "TCP" */
  readonly protocol?: 'TCP' | 'UDP';
}

export interface TrafficRule {
  readonly peers: readonly Peer[];
  /** Ports the rule allows; empty means all ports. */
  readonly ports: readonly PolicyPort[];
}

export interface NetworkPolicyProps {
  readonly name: string;
  readonly namespace: string;
  /** Pods the policy applies to; `{}` means every pod of the namespace. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** Allowed incoming traffic. @default - the policy says nothing about ingress */
  readonly ingress?: readonly TrafficRule[];
  /** Allowed outgoing traffic. @default - the policy says nothing about egress */
  readonly egress?: readonly TrafficRule[];
  readonly labels?: Readonly<Record<string, string>>;
}

/** Well-known peers of the platform, from PLATFORM_ENDPOINTS. */
export const PEERS = {
  ingressController: { namespace: PLATFORM_ENDPOINTS.ingressController.namespace, podLabels: PLATFORM_ENDPOINTS.ingressController.podLabels },
  prometheus: { namespace: PLATFORM_ENDPOINTS.prometheus.namespace, podLabels: PLATFORM_ENDPOINTS.prometheus.podLabels },
  otelCollector: { namespace: PLATFORM_ENDPOINTS.otelCollector.namespace, podLabels: PLATFORM_ENDPOINTS.otelCollector.podLabels },
  dns: { namespace: PLATFORM_ENDPOINTS.dns.namespace, podLabels: PLATFORM_ENDPOINTS.dns.podLabels },
  /**
   * The Kubernetes API server. It is not a pod, and its address differs per provider, so egress to it is allowed by
   * port (443/6443) to any address; the ports below keep that narrow.
   */
  kubeApi: { cidr: '0.0.0.0/0' },
  /** Pods in any namespace (e.g. everything that sends traces, or that Prometheus scrapes). */
  anyNamespace: { allNamespaces: true },
} as const satisfies Record<string, Peer>;

export const KUBE_API_PORTS: readonly PolicyPort[] = [{ port: 443 }, { port: 6443 }];

function peer(p: Peer): k8s.NetworkPolicyPeer {
  if (p.cidr) return { ipBlock: { cidr: p.cidr } };
  if (p.allNamespaces) return { namespaceSelector: {}, podSelector: p.podLabels ? { matchLabels: { ...p.podLabels } } : undefined };
  return {
    namespaceSelector: p.namespace ? { matchLabels: { 'kubernetes.io/metadata.name': p.namespace } } : undefined,
    podSelector: p.namespace && !p.podLabels ? undefined : { matchLabels: p.podLabels ? { ...p.podLabels } : undefined },
  };
}

function ports(list: readonly PolicyPort[]): k8s.NetworkPolicyPort[] | undefined {
  return list.length ? list.map((p) => ({ port: p.port === undefined ? undefined : k8s.IntOrString.fromNumber(p.port), protocol: p.protocol ?? 'TCP' })) : undefined;
}

/**
 * A NetworkPolicy with an explicit name, built from peers and ports. The L1 object is used on purpose: the
 * policies cross namespaces by label, which reads more plainly than cdk8s-plus' peer constructs.
 */
export class NetworkPolicy extends Construct {
  readonly apiObject: k8s.KubeNetworkPolicy;

  /** Denies all ingress and egress of every pod in the namespace; other policies then allow what is needed. */
  static defaultDeny(scope: Construct, namespace: string, labels?: Readonly<Record<string, string>>): NetworkPolicy {
    return new NetworkPolicy(scope, `${namespace}-default-deny`, { name: 'default-deny', namespace, podLabels: {}, ingress: [], egress: [], labels });
  }

  /** Lets every pod of the namespace resolve names through cluster DNS. */
  static allowDns(scope: Construct, namespace: string, labels?: Readonly<Record<string, string>>): NetworkPolicy {
    return new NetworkPolicy(scope, `${namespace}-allow-dns`, {
      name: 'allow-dns',
      namespace,
      podLabels: {},
      egress: [{ peers: [PEERS.dns], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] }],
      labels,
    });
  }

  constructor(scope: Construct, id: string, props: NetworkPolicyProps) {
    super(scope, id);
    const policyTypes: string[] = [];
    if (props.ingress) policyTypes.push('Ingress');
    if (props.egress) policyTypes.push('Egress');
    if (policyTypes.length === 0) throw new Error(`NetworkPolicy ${props.namespace}/${props.name}: give ingress and/or egress rules (an empty list denies all)`);
    this.apiObject = new k8s.KubeNetworkPolicy(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels ? { ...props.labels } : undefined },
      spec: {
        podSelector: { matchLabels: Object.keys(props.podLabels).length ? { ...props.podLabels } : undefined },
        policyTypes,
        ingress: props.ingress?.map((r) => ({ from: r.peers.length ? r.peers.map(peer) : undefined, ports: ports(r.ports) })),
        egress: props.egress?.map((r) => ({ to: r.peers.length ? r.peers.map(peer) : undefined, ports: ports(r.ports) })),
      },
    });
  }
}
