import { EXTERNAL, find, render } from './render';

const FLUENTD = { 'app.kubernetes.io/name': 'fluentd', 'app.kubernetes.io/instance': 'fluentd', 'app.kubernetes.io/component': 'agent' };
const KIBANA = { 'app.kubernetes.io/name': 'kibana', 'app.kubernetes.io/instance': 'kibana', 'app.kubernetes.io/component': 'ui' };
const ES = { 'app.kubernetes.io/name': 'elasticsearch', 'app.kubernetes.io/instance': 'elasticsearch', 'app.kubernetes.io/component': 'storage' };
const ns = (name: string): any => ({ matchLabels: { 'kubernetes.io/metadata.name': name } });

describe('network policies', () => {
  const objects = render();
  const policy = (name: string, namespace: string): any => find(objects, 'NetworkPolicy', name, namespace).spec;

  test('deny everything by default in both namespaces, and allow DNS', () => {
    for (const namespace of ['logging', 'logging-agent']) {
      expect(policy('default-deny', namespace)).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [], egress: [] });
      expect(policy('allow-dns', namespace).egress[0].ports).toEqual([{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }]);
    }
  });

  test('Elasticsearch accepts only fluentd, Kibana and its retention job, on 9200', () => {
    const es = policy('elasticsearch', 'logging');
    expect(es.podSelector.matchLabels).toEqual(ES);
    expect(es.policyTypes).toEqual(['Ingress']);
    expect(es.ingress).toHaveLength(1);
    expect(es.ingress[0].ports).toEqual([{ port: 9200, protocol: 'TCP' }]);
    expect(es.ingress[0].from.map((p: any) => [p.namespaceSelector.matchLabels['kubernetes.io/metadata.name'], p.podSelector.matchLabels['app.kubernetes.io/name']]))
      .toEqual([['logging-agent', 'fluentd'], ['logging', 'kibana'], ['logging', 'elasticsearch-retention']]);
  });

  test('fluentd may reach the API server and Elasticsearch, and be scraped by Prometheus on 24231', () => {
    const fluentd = policy('fluentd', 'logging-agent');
    expect(fluentd.podSelector.matchLabels).toEqual(FLUENTD);
    expect(fluentd.egress).toEqual([
      { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443, protocol: 'TCP' }, { port: 6443, protocol: 'TCP' }] },
      { to: [{ namespaceSelector: ns('logging'), podSelector: { matchLabels: ES } }], ports: [{ port: 9200, protocol: 'TCP' }] },
    ]);
    expect(fluentd.ingress).toEqual([{
      from: [{ namespaceSelector: ns('monitoring'), podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/component': 'server' } } }],
      ports: [{ port: 24231, protocol: 'TCP' }],
    }]);
  });

  test('Kibana is reachable from the ingress controller only, and reaches Elasticsearch only', () => {
    const kibana = policy('kibana', 'logging');
    expect(kibana.podSelector.matchLabels).toEqual(KIBANA);
    expect(kibana.ingress).toEqual([{
      from: [{ namespaceSelector: ns('ingress-nginx'), podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' } } }],
      ports: [{ port: 5601, protocol: 'TCP' }],
    }]);
    expect(kibana.egress).toEqual([{ to: [{ namespaceSelector: ns('logging'), podSelector: { matchLabels: ES } }], ports: [{ port: 9200, protocol: 'TCP' }] }]);
  });

  test('with an external Elasticsearch, fluentd and Kibana may reach its port on the configured address ranges only', () => {
    const external = render(EXTERNAL);
    const toEs = { to: [{ ipBlock: { cidr: '10.20.0.0/16' } }], ports: [{ port: 443, protocol: 'TCP' }] };
    expect(find(external, 'NetworkPolicy', 'fluentd').spec.egress[1]).toEqual(toEs);
    expect(find(external, 'NetworkPolicy', 'kibana').spec.egress).toEqual([toEs]);
    expect(external.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.name.startsWith('elasticsearch'))).toEqual([]);
  });
});
