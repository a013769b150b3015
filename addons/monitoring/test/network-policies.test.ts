import { PEERS } from '@platform/charts';
import { Manifest, find, render } from './render';

const objects = render();
const policy = (name: string, namespace = 'monitoring') => find(objects, 'NetworkPolicy', name, namespace).spec;
const ports = (rule: any) => (rule.ports ?? []).map((p: any) => `${p.port ?? '*'}/${p.protocol}`);
const podsOf = (name: string) => ({ podSelector: { matchLabels: expect.objectContaining({ 'app.kubernetes.io/name': name }) } });
const platformPeer = (peer: { namespace: string; podLabels: Record<string, string> }) => ({
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': peer.namespace } },
  podSelector: { matchLabels: peer.podLabels },
});

describe('network policies', () => {
  test.each(['monitoring', 'monitoring-node-exporter'])('%s denies all traffic by default', (namespace) => {
    expect(policy('default-deny', namespace)).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [], egress: [] });
  });

  test('Prometheus reaches the API server, kubelets and node-exporter on node addresses, and annotated pods anywhere', () => {
    const { egress } = policy('prometheus');
    expect(egress).toContainEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443, protocol: 'TCP' }, { port: 6443, protocol: 'TCP' }] });
    expect(egress).toContainEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 10250, protocol: 'TCP' }, { port: 9100, protocol: 'TCP' }] });
    expect(egress).toContainEqual({ to: [{ namespaceSelector: {} }], ports: [{ protocol: 'TCP' }] });
    const toPods = (name: string) => egress.find((r: any) => r.to.some((p: any) => p.podSelector?.matchLabels?.['app.kubernetes.io/name'] === name));
    expect(ports(toPods('alertmanager'))).toEqual(['9093/TCP']);
    expect(ports(toPods('kube-state-metrics'))).toEqual(['8080/TCP', '8081/TCP']);
    expect(ports(toPods('grafana'))).toEqual(['3000/TCP']);
  });

  test('Prometheus answers Grafana and other Prometheus pods only', () => {
    const { ingress } = policy('prometheus');
    expect(ingress).toEqual([
      { from: [podsOf('grafana')], ports: [{ port: 9090, protocol: 'TCP' }] },
      { from: [platformPeer(PEERS.prometheus)], ports: [{ port: 9090, protocol: 'TCP' }] },
    ]);
  });

  test('Grafana is reached by the ingress controller and scraped by Prometheus; it only talks to Prometheus', () => {
    const grafana = policy('grafana');
    expect(grafana.ingress).toEqual([
      { from: [platformPeer(PEERS.ingressController)], ports: [{ port: 3000, protocol: 'TCP' }] },
      { from: [platformPeer(PEERS.prometheus)], ports: [{ port: 3000, protocol: 'TCP' }] },
    ]);
    expect(grafana.egress).toEqual([{ to: [podsOf('prometheus')], ports: [{ port: 9090, protocol: 'TCP' }] }]);
  });

  test('Alertmanager takes alerts from Prometheus', () => {
    expect(policy('alertmanager').ingress).toEqual([{ from: [platformPeer(PEERS.prometheus)], ports: [{ port: 9093, protocol: 'TCP' }] }]);
  });

  test('kube-state-metrics is scraped by Prometheus and reads the API server', () => {
    const ksm = policy('kube-state-metrics');
    expect(ksm.ingress).toEqual([{ from: [platformPeer(PEERS.prometheus)], ports: [{ port: 8080, protocol: 'TCP' }, { port: 8081, protocol: 'TCP' }] }]);
    expect(ksm.egress).toEqual([{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443, protocol: 'TCP' }, { port: 6443, protocol: 'TCP' }] }]);
  });

  test('node-exporter is scraped by Prometheus', () => {
    expect(policy('node-exporter', 'monitoring-node-exporter').ingress).toEqual([{ from: [platformPeer(PEERS.prometheus)], ports: [{ port: 9100, protocol: 'TCP' }] }]);
  });

  test('every pod of the monitoring namespace may resolve names', () => {
    expect(policy('allow-dns').egress[0].ports).toEqual([{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }]);
  });

  test('every policy selects pods that exist', () => {
    const podLabels = objects.filter((o: Manifest) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind))
      .map((w) => ({ namespace: w.metadata.namespace, labels: w.spec.template.metadata.labels as Record<string, string> }));
    for (const np of objects.filter((o) => o.kind === 'NetworkPolicy')) {
      const selector = (np.spec.podSelector.matchLabels ?? {}) as Record<string, string>;
      const selected = podLabels.filter((p) => p.namespace === np.metadata.namespace && Object.entries(selector).every(([k, v]) => p.labels[k] === v));
      expect({ policy: np.metadata.name, selects: selected.length > 0 }).toEqual({ policy: np.metadata.name, selects: true });
    }
  });
});
