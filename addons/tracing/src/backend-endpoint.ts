import { Peer, PolicyPort } from '@platform/charts';

/** Where an egress rule to a backend URL may go, derived from the URL itself. */
export interface BackendEndpoint {
  readonly peers: readonly Peer[];
  readonly port: PolicyPort;
}

const IN_CLUSTER_HOST = /^[a-z0-9-]+\.([a-z0-9-]+)\.svc(\.cluster\.local)?$/;

/**
 * The peers and port an egress policy needs to reach `url`: the URL's port (443/80 by scheme when absent) to any
 * address. A backend's addresses are not known here (a managed cluster, or an in-cluster name that is only an
 * ExternalName alias of one), so only the port narrows the rule. For an in-cluster host
 * (`<service>.<namespace>.svc[.cluster.local]`) the pods of that namespace are added as a peer too, because some
 * CNIs (Cilium) never match pod addresses with an ipBlock. The policy sees the pod's port: this assumes the
 * Service maps the port to the same target port.
 */
export function backendEndpoint(url: string): BackendEndpoint {
  const parsed = new URL(url);
  const port = parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
  const inCluster = IN_CLUSTER_HOST.exec(parsed.hostname);
  const anyAddress: Peer = { cidr: '0.0.0.0/0' };
  return { peers: inCluster ? [{ namespace: inCluster[1] }, anyAddress] : [anyAddress], port: { port } };
}
