import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AppIdentity, KUBE_API_PORTS, NetworkPolicy, PEERS } from '@platform/charts';
import { NAMESPACE, PORTS } from './names';

export interface IngressNginxNetworkPoliciesProps {
  /** The controller pods. */
  readonly controller: AppIdentity;
  /** The certgen Job pods. */
  readonly admission: AppIdentity;
  /** Labels of the policy objects. */
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * Default deny in the namespace, then exactly what the add-on needs: the edge ports from anywhere, the webhook
 * from the API server, metrics from Prometheus; egress to DNS, the API server, and the backends of every Ingress.
 */
export class IngressNginxNetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: IngressNginxNetworkPoliciesProps) {
    super(scope, id);
    const labels = props.labels;
    const controllerPods = props.controller.selectorLabels;
    NetworkPolicy.defaultDeny(this, NAMESPACE, labels);
    NetworkPolicy.allowDns(this, NAMESPACE, labels);

    new NetworkPolicy(this, 'controller-ingress', {
      name: 'controller-ingress',
      namespace: NAMESPACE,
      podLabels: controllerPods,
      labels,
      ingress: [
        // The edge: clients (NLB preserves their address), Octavia amphorae, in-cluster clients via the LB address.
        { peers: [], ports: [{ port: PORTS.http }, { port: PORTS.https }] },
        // Admission reviews. The API server is no pod; it is only known by address, and that differs per provider.
        { peers: [PEERS.kubeApi], ports: [{ port: PORTS.webhook }] },
        { peers: [PEERS.prometheus], ports: [{ port: PORTS.metrics }] },
      ],
    });

    new NetworkPolicy(this, 'controller-egress-api', {
      name: 'controller-egress-api',
      namespace: NAMESPACE,
      podLabels: controllerPods,
      labels,
      egress: [{ peers: [PEERS.kubeApi], ports: KUBE_API_PORTS }],
    });

    // The controller proxies to the pods behind every Ingress, in any namespace and on any port, so its egress
    // reaches all pods of all namespaces (an empty namespaceSelector, which PEERS cannot express). External
    // upstreams (ExternalName backends, an auth-url outside the cluster) get through only on 443/6443, which the
    // API-server rule opens to any address.
    new k8s.KubeNetworkPolicy(this, 'controller-egress-backends', {
      metadata: { name: 'controller-egress-backends', namespace: NAMESPACE, labels: { ...labels } },
      spec: {
        podSelector: { matchLabels: { ...controllerPods } },
        policyTypes: ['Egress'],
        egress: [{ to: [{ namespaceSelector: {}, podSelector: {} }] }],
      },
    });

    new NetworkPolicy(this, 'admission-jobs-egress', {
      name: 'admission-jobs-egress',
      namespace: NAMESPACE,
      podLabels: props.admission.selectorLabels,
      labels,
      egress: [{ peers: [PEERS.kubeApi], ports: KUBE_API_PORTS }],
    });
  }
}
