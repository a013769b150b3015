import { PEERS } from '@platform/charts';
import { MonitoringSettingsInput, settings } from '../src';
import { container, find, render } from './render';

const SSO = { type: 'external', url: 'https://auth.test.example.com/oauth2/auth', signin: 'https://auth.test.example.com/oauth2/start?rd=https://$host$escaped_request_uri' } as const;
const exposed = render({ ui: { expose: 'ingress', auth: SSO } });

describe('Prometheus and Alertmanager UIs', () => {
  test('are ClusterIP-only by default: only Grafana, which has its own login, gets an Ingress', () => {
    expect(render().filter((o) => o.kind === 'Ingress').map((o) => o.metadata.name)).toEqual(['grafana']);
  });

  test.each([
    ['prometheus', 'prometheus.test.example.com', 9090],
    ['alertmanager', 'alertmanager.test.example.com', 9093],
  ])('%s can be published on its own host behind the SSO', (name, host, port) => {
    const ingress = find(exposed, 'Ingress', name);
    expect(ingress.spec.rules[0].host).toBe(host);
    expect(ingress.spec.rules[0].http.paths[0].backend).toEqual({ service: { name, port: { number: port } } });
    expect(ingress.metadata.annotations).toEqual(expect.objectContaining({
      'nginx.ingress.kubernetes.io/auth-url': SSO.url,
      'nginx.ingress.kubernetes.io/auth-signin': SSO.signin,
    }));
    // Links in alerts and notifications point at the published URL.
    expect(container(find(exposed, 'StatefulSet', name)).args).toContain(`--web.external-url=https://${host}/`);
    expect(find(exposed, 'NetworkPolicy', name).spec.ingress).toContainEqual({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': PEERS.ingressController.namespace } }, podSelector: { matchLabels: PEERS.ingressController.podLabels } }],
      ports: [{ port, protocol: 'TCP' }],
    });
  });

  test('are never published without authentication', () => {
    const result = settings.safeParse({ ui: { expose: 'ingress' } } as MonitoringSettingsInput);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['ui.auth']);
  });
});
