import prod from '../../../environments/prod';
import test_ from '../../../environments/test';
import { MonitoringSettingsInput, settings } from '../src';

const parse = (input: unknown) => settings.parse(input as MonitoringSettingsInput);

describe('settings', () => {
  test('an empty block gets every default', () => {
    const s = parse({});
    expect(s.prometheus).toEqual(expect.objectContaining({ replicas: 1, retention: '15d', storage: { size: '50Gi' }, scrapeInterval: '30s' }));
    expect(s.alertmanager).toEqual(expect.objectContaining({ replicas: 1, receivers: [], routes: [] }));
    expect(s.grafana).toEqual(expect.objectContaining({ replicas: 1, subdomain: 'grafana', adminSecret: { name: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' } }));
    expect(s.ui).toEqual({ expose: 'port-forward' });
    for (const component of [s.prometheus, s.alertmanager, s.grafana, s.kubeStateMetrics, s.nodeExporter]) {
      expect(Object.keys(component.resources)).toEqual(['requests', 'limits']);
    }
  });

  test('unknown keys and malformed values are rejected with what is allowed', () => {
    const issues = (input: unknown) => {
      const result = settings.safeParse(input);
      return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(issues({ prometheus: { retention: '30 days' } })).toEqual(['prometheus.retention: must be a duration with one unit, like "30s", "12h" or "15d"']);
    expect(issues({ prometheus: { storage: { size: '100GB' } } })[0]).toMatch(/^prometheus\.storage\.size: must be a quantity with a binary suffix/);
    expect(issues({ prometheus: { replicas: 0 } })[0]).toMatch(/^prometheus\.replicas: /);
    expect(issues({ promethues: {} })[0]).toMatch(/Unrecognized key/);
  });

  test('prod keeps 30 days on 100Gi with two Prometheus and two Alertmanager replicas, paging on critical alerts', () => {
    const s = parse(prod.addons?.monitoring);
    expect(s.prometheus).toEqual(expect.objectContaining({ replicas: 2, retention: '30d', storage: { size: '100Gi' } }));
    expect(s.alertmanager.replicas).toBe(2);
    expect(s.alertmanager.routes[0]).toEqual(expect.objectContaining({ matchers: ['severity="critical"'], receiver: 'platform-pagerduty' }));
  });

  test('test is smaller: one replica, 7 days on 20Gi', () => {
    const s = parse(test_.addons?.monitoring);
    expect(s.prometheus).toEqual(expect.objectContaining({ replicas: 1, retention: '7d', storage: { size: '20Gi' } }));
    expect(s.alertmanager.replicas).toBe(1);
  });
});
