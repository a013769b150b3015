import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { AppIdentity, LABELS } from '../labels';
import { KUBE_API_PORTS, NetworkPolicy, PEERS, Peer, PolicyPort } from '../network-policies';
import { PLATFORM_ENDPOINTS } from '../platform-endpoints';
import { AppSpec, appPorts } from './app-spec';
import { TenantEnvironmentSpec, TenantNamespace } from './resolve';

/** Props of a tenant namespace's network policies. */
export interface TenantNetworkPoliciesProps {
  /** The tenant, resolved for the environment. */
  readonly tenant: TenantEnvironmentSpec;
  /** The namespace. */
  readonly namespace: TenantNamespace;
  /** Labels of every policy. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Selector labels of an app's pods (the same AppIdentity the app constructs use). */
function selectorOf(tenant: TenantEnvironmentSpec, app: string): Readonly<Record<string, string>> {
  return new AppIdentity({ name: app, partOf: tenant.name, environment: tenant.environment, instance: `${tenant.name}-${app}` }).selectorLabels;
}

/** Egress CIDR of an external dependency: the declared one, its IP, or any address (port-limited) for a DNS name. */
export function externalCidr(app: Extract<AppSpec, { kind: 'external' }>): string {
  return app.cidr ?? (app.ip !== undefined ? `${app.ip}/32` : '0.0.0.0/0');
}

/**
 * The NetworkPolicies of one tenant namespace: default deny (ingress and egress), DNS, traffic between the pods of
 * this namespace (one stack never talks to another), OTLP to the OpenTelemetry Collector, the ingress controller to
 * web apps with a route here, Prometheus to metrics ports, the Kubernetes API for apps that ask, egress to external
 * dependencies (ExternalName targets are reached by the address DNS returns, so their rule is by port, narrowed by
 * `cidr` when given), and the declared exceptions (`network.allowFrom` / `network.allowTo`).
 */
export class TenantNetworkPolicies extends Construct {
  readonly policies: Array<NetworkPolicy | k8s.KubeNetworkPolicy> = [];

  constructor(scope: Construct, id: string, props: TenantNetworkPoliciesProps) {
    super(scope, id);
    const { tenant } = props;
    const namespace = props.namespace.name;
    const labels = props.labels;
    const add = (name: string, rules: Omit<ConstructorParameters<typeof NetworkPolicy>[2], 'name' | 'namespace' | 'labels'>): void => {
      this.policies.push(new NetworkPolicy(this, name, { name, namespace, labels, ...rules }));
    };

    this.policies.push(NetworkPolicy.defaultDeny(this, namespace, labels), NetworkPolicy.allowDns(this, namespace, labels));
    add('allow-same-namespace', { podLabels: {}, ingress: [{ peers: [{}], ports: [] }], egress: [{ peers: [{}], ports: [] }] });
    add('allow-otel-collector', {
      podLabels: {},
      egress: [{ peers: [PEERS.otelCollector], ports: [{ port: PLATFORM_ENDPOINTS.otelCollector.grpcPort }, { port: PLATFORM_ENDPOINTS.otelCollector.httpPort }] }],
    });

    const routed = props.namespace.live || (props.namespace.stack !== undefined && tenant.previewHosts);
    const everyApp: Readonly<Record<string, string>> = {};
    for (const app of tenant.apps) {
      const pods = selectorOf(tenant, app.name);
      if (app.kind === 'web' && app.ingress && routed) {
        add(`allow-ingress-controller-${app.name}`, { podLabels: pods, ingress: [{ peers: [PEERS.ingressController], ports: [{ port: app.port }] }] });
      }
      if (app.kind !== 'external' && app.kind !== 'cron' && app.metrics) {
        add(`allow-prometheus-${app.name}`, { podLabels: pods, ingress: [{ peers: [PEERS.prometheus], ports: [{ port: app.metrics.port }] }] });
      }
      if (app.kind !== 'external' && app.kubernetesApi) {
        add(`allow-kube-api-${app.name}`, { podLabels: pods, egress: [{ peers: [PEERS.kubeApi], ports: KUBE_API_PORTS }] });
      }
      if (app.kind === 'external') {
        const egress = [{ peers: [{ cidr: externalCidr(app) }], ports: [{ port: app.port }] }];
        if (app.clients === undefined) add(`allow-external-${app.name}`, { podLabels: everyApp, egress });
        else for (const client of app.clients) add(`allow-${client}-to-external-${app.name}`, { podLabels: selectorOf(tenant, client), egress });
      }
    }

    // Exceptions: grouped by (app, peer) so that one policy lists every port of that pair.
    const groups = new Map<string, { name: string; app?: string; peer: { tenant?: string; namespace?: string }; ports: Set<number>; direction: 'ingress' | 'egress' }>();
    const group = (key: string, init: () => { name: string; app?: string; peer: { tenant?: string; namespace?: string }; direction: 'ingress' | 'egress' }) => {
      let g = groups.get(key);
      if (!g) { g = { ...init(), ports: new Set() }; groups.set(key, g); }
      return g;
    };
    const peerName = (p: { tenant?: string; namespace?: string }) => (p.tenant !== undefined ? `tenant-${p.tenant}` : `namespace-${p.namespace}`);
    const apps = new Map(tenant.apps.map((a) => [a.name, a]));
    for (const rule of tenant.network.allowFrom) {
      const g = group(`from|${rule.app}|${peerName(rule)}`, () => ({ name: `allow-${rule.app}-from-${peerName(rule)}`, app: rule.app, peer: rule, direction: 'ingress' }));
      g.ports.add(rule.port ?? appPorts(apps.get(rule.app)!)[0]);
    }
    for (const rule of tenant.network.allowTo) {
      const g = group(`to|${rule.app ?? ''}|${peerName(rule)}`, () => ({ name: `allow-${rule.app ? `${rule.app}-` : ''}to-${peerName(rule)}`, app: rule.app, peer: rule, direction: 'egress' }));
      for (const port of rule.ports) g.ports.add(port);
    }
    for (const g of groups.values()) {
      const podLabels = g.app ? selectorOf(tenant, g.app) : everyApp;
      const ports: PolicyPort[] = [...g.ports].sort((a, b) => a - b).map((port) => ({ port }));
      if (g.peer.namespace !== undefined) {
        const rule = [{ peers: [{ namespace: g.peer.namespace } satisfies Peer], ports }];
        add(g.name, g.direction === 'ingress' ? { podLabels, ingress: rule } : { podLabels, egress: rule });
      } else {
        this.policies.push(tenantPeerPolicy(this, g.name, { namespace, labels, podLabels, tenant: g.peer.tenant!, direction: g.direction, ports }));
      }
    }
  }
}

/**
 * A policy whose peer is every namespace of another tenant (by the platform's tenant label on the namespace, which
 * tenants cannot change: namespaces are cluster-scoped). The shared NetworkPolicy construct selects namespaces by
 * name only, so this one is the L1 object.
 */
function tenantPeerPolicy(scope: Construct, name: string, p: {
  namespace: string; labels?: Readonly<Record<string, string>>; podLabels: Readonly<Record<string, string>>;
  tenant: string; direction: 'ingress' | 'egress'; ports: readonly PolicyPort[];
}): k8s.KubeNetworkPolicy {
  const peer: k8s.NetworkPolicyPeer = { namespaceSelector: { matchLabels: { [LABELS.tenant]: p.tenant } } };
  const ports = p.ports.map((port) => ({ port: port.port === undefined ? undefined : k8s.IntOrString.fromNumber(port.port), protocol: port.protocol ?? 'TCP' }));
  return new k8s.KubeNetworkPolicy(scope, name, {
    metadata: { name, namespace: p.namespace, labels: p.labels ? { ...p.labels } : undefined },
    spec: {
      podSelector: { matchLabels: Object.keys(p.podLabels).length ? { ...p.podLabels } : undefined },
      policyTypes: [p.direction === 'ingress' ? 'Ingress' : 'Egress'],
      ...(p.direction === 'ingress' ? { ingress: [{ from: [peer], ports }] } : { egress: [{ to: [peer], ports }] }),
    },
  });
}
