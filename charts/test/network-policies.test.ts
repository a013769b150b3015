import { NetworkPolicy, PEERS } from '../src';
import { synth, testChart } from './helpers';

describe('NetworkPolicy', () => {
  test('default deny selects every pod and allows nothing in either direction', () => {
    const chart = testChart();
    NetworkPolicy.defaultDeny(chart, 'shop');
    expect(synth(chart)[0]).toMatchObject({
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny', namespace: 'shop' },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [], egress: [] },
    });
  });

  test('DNS egress goes to kube-dns pods in kube-system on 53/UDP and 53/TCP only', () => {
    const chart = testChart();
    NetworkPolicy.allowDns(chart, 'shop');
    const spec = synth(chart)[0].spec;
    expect(spec.policyTypes).toEqual(['Egress']);
    expect(spec.egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
    }]);
  });

  test('peers: a namespace alone, pods in the same namespace, a CIDR', () => {
    const chart = testChart();
    new NetworkPolicy(chart, 'p', {
      name: 'p', namespace: 'ns', podLabels: { app: 'x' },
      ingress: [{ peers: [PEERS.prometheus, { namespace: 'other' }, { podLabels: { app: 'y' } }], ports: [{ port: 9090 }] }],
      egress: [{ peers: [PEERS.kubeApi], ports: [{ port: 443 }] }],
    });
    const spec = synth(chart)[0].spec;
    expect(spec.ingress[0].from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/component': 'server' } } },
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'other' } } },
      { podSelector: { matchLabels: { app: 'y' } } },
    ]);
    expect(spec.egress[0].to).toEqual([{ ipBlock: { cidr: '0.0.0.0/0' } }]);
  });
});

describe('NetworkPolicy peers and ports', () => {
  test('any namespace is an empty namespaceSelector (pods only), and a port-less rule allows every port of the protocol', () => {
    const chart = testChart();
    new NetworkPolicy(chart, 'p', {
      name: 'p', namespace: 'ns', podLabels: {},
      egress: [{ peers: [PEERS.anyNamespace, { allNamespaces: true, podLabels: { app: 'x' } }], ports: [{ protocol: 'TCP' }] }],
    });
    expect(synth(chart)[0].spec.egress).toEqual([{
      to: [{ namespaceSelector: {} }, { namespaceSelector: {}, podSelector: { matchLabels: { app: 'x' } } }],
      ports: [{ protocol: 'TCP' }],
    }]);
  });
});
