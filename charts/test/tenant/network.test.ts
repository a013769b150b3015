import { LABELS, PLATFORM_ENDPOINTS } from '../../src';
import { renderTenant, tenantSpec } from './helpers';

const web = { kind: 'web', name: 'web', image: 'nginxinc/nginx-unprivileged:1.27.3', port: 8080 } as const;
const selector = (app: string) => ({ matchLabels: { [LABELS.name]: app, [LABELS.instance]: `shop-${app}` } });
const ns = (name: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': name } });

describe('network policies of a tenant namespace', () => {
  const r = renderTenant(tenantSpec({
    apps: [
      { ...web, ingress: { host: 'shop' }, metrics: { port: 9090 } },
      { kind: 'worker', name: 'sync', image: 'busybox:1.37.0', kubernetesApi: true, probes: { liveness: { command: ['true'] } } },
      { kind: 'external', name: 'db', ip: '10.1.2.3', port: 5432, clients: ['web'] },
      { kind: 'external', name: 'payments', host: 'api.payments.example.net', port: 443 },
    ],
    network: {
      allowFrom: [{ tenant: 'data', app: 'web' }, { tenant: 'data', app: 'web', port: 9090 }, { namespace: 'monitoring', app: 'web', port: 9090 }],
      allowTo: [{ tenant: 'data', ports: [6379] }, { namespace: 'search', ports: [9200], app: 'sync' }],
    },
  }));
  const policy = (name: string) => r.get('NetworkPolicy', name, 'shop').spec;

  test('deny all ingress and egress by default, then allow DNS', () => {
    expect(policy('default-deny')).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [], egress: [] });
    expect(policy('allow-dns').egress[0].to).toEqual([{ namespaceSelector: ns('kube-system'), podSelector: { matchLabels: PLATFORM_ENDPOINTS.dns.podLabels } }]);
  });

  test('pods of the namespace talk to each other', () => {
    expect(policy('allow-same-namespace')).toEqual({
      podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ podSelector: {} }] }], egress: [{ to: [{ podSelector: {} }] }],
    });
  });

  test('the ingress controller reaches web apps with a route, on the container port', () => {
    expect(policy('allow-ingress-controller-web')).toEqual({
      podSelector: selector('web'), policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: ns('ingress-nginx'), podSelector: { matchLabels: PLATFORM_ENDPOINTS.ingressController.podLabels } }], ports: [{ port: 8080, protocol: 'TCP' }] }],
    });
    expect(renderTenant(tenantSpec()).all('NetworkPolicy').map((p) => p.metadata.name)).not.toContain('allow-ingress-controller-web');
  });

  test('Prometheus scrapes metrics ports', () => {
    expect(policy('allow-prometheus-web').ingress).toEqual([
      { from: [{ namespaceSelector: ns('monitoring'), podSelector: { matchLabels: PLATFORM_ENDPOINTS.prometheus.podLabels } }], ports: [{ port: 9090, protocol: 'TCP' }] },
    ]);
  });

  test('every pod sends telemetry to the OpenTelemetry Collector (4317/4318)', () => {
    expect(policy('allow-otel-collector')).toMatchObject({ podSelector: {}, policyTypes: ['Egress'] });
    expect(policy('allow-otel-collector').egress[0].ports).toEqual([{ port: 4317, protocol: 'TCP' }, { port: 4318, protocol: 'TCP' }]);
  });

  test('the Kubernetes API only for apps that ask', () => {
    expect(policy('allow-kube-api-sync')).toMatchObject({ podSelector: selector('sync'), egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443, protocol: 'TCP' }, { port: 6443, protocol: 'TCP' }] }] });
    expect(r.all('NetworkPolicy').map((p) => p.metadata.name)).not.toContain('allow-kube-api-web');
  });

  test('egress to external dependencies: to the IP for an IP, by port for a DNS name, only from their clients', () => {
    expect(policy('allow-web-to-external-db')).toEqual({ podSelector: selector('web'), policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.1.2.3/32' } }], ports: [{ port: 5432, protocol: 'TCP' }] }] });
    expect(policy('allow-external-payments')).toEqual({ podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443, protocol: 'TCP' }] }] });
  });

  test('declared exceptions: other tenants (every namespace with their tenant label) and named namespaces', () => {
    expect(policy('allow-web-from-tenant-data')).toEqual({
      podSelector: selector('web'), policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { [LABELS.tenant]: 'data' } } }], ports: [{ port: 8080, protocol: 'TCP' }, { port: 9090, protocol: 'TCP' }] }],
    });
    expect(policy('allow-web-from-namespace-monitoring').ingress).toEqual([{ from: [{ namespaceSelector: ns('monitoring') }], ports: [{ port: 9090, protocol: 'TCP' }] }]);
    expect(policy('allow-to-tenant-data')).toEqual({
      podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { [LABELS.tenant]: 'data' } } }], ports: [{ port: 6379, protocol: 'TCP' }] }],
    });
    expect(policy('allow-sync-to-namespace-search')).toMatchObject({ podSelector: selector('sync'), egress: [{ to: [{ namespaceSelector: ns('search') }], ports: [{ port: 9200, protocol: 'TCP' }] }] });
  });

  test('nothing else', () => {
    expect(r.all('NetworkPolicy').map((p) => p.metadata.name).sort()).toEqual([
      'allow-dns', 'allow-external-payments', 'allow-ingress-controller-web', 'allow-kube-api-sync', 'allow-otel-collector', 'allow-prometheus-web',
      'allow-same-namespace', 'allow-sync-to-namespace-search', 'allow-to-tenant-data', 'allow-web-from-namespace-monitoring', 'allow-web-from-tenant-data',
      'allow-web-to-external-db', 'default-deny',
    ]);
  });
});
