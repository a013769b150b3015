import * as kplus from 'cdk8s-plus-28';
import { PlatformIngress, policyException, policyExceptionKey, uiAuthAnnotations, uiAuthSchema } from '../src';
import { synth, testChart, testContext } from './helpers';

describe('PlatformIngress', () => {
  test('class nginx, TLS for the host with a cert-manager issued secret', () => {
    const chart = testChart();
    new PlatformIngress(chart, 'i', testContext(), { name: 'grafana', namespace: 'monitoring', host: 'grafana.test.example.com', serviceName: 'grafana', servicePort: 3000 });
    const ingress = synth(chart)[0];
    expect(ingress.metadata.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'letsencrypt' });
    expect(ingress.spec.ingressClassName).toBe('nginx');
    expect(ingress.spec.tls).toEqual([{ hosts: ['grafana.test.example.com'], secretName: 'grafana-tls' }]);
    expect(ingress.spec.rules[0].http.paths[0].backend).toEqual({ service: { name: 'grafana', port: { number: 3000 } } });
  });

  test('a host outside the environment domain is refused', () => {
    expect(() => new PlatformIngress(testChart(), 'i', testContext(), { name: 'x', namespace: 'y', host: 'grafana.evil.com', serviceName: 's', servicePort: 1 }))
      .toThrow('host "grafana.evil.com" is not under the environment\'s domain "test.example.com"');
  });
});

describe('policyException', () => {
  test('annotates the object with the rule id and the reason', () => {
    const chart = testChart();
    const ds = new kplus.DaemonSet(chart, 'ds', { containers: [{ image: 'node-exporter:1.0.0' }] });
    policyException(ds, 'host-access', 'reads host metrics from /proc and /sys');
    expect(synth(chart)[0].metadata.annotations).toEqual({ [policyExceptionKey('host-access')]: 'reads host metrics from /proc and /sys' });
  });

  test('secrets in git have no exception', () => {
    const chart = testChart();
    const ds = new kplus.DaemonSet(chart, 'ds', { containers: [{ image: 'x:1' }] });
    expect(() => policyException(ds, 'no-secret-data', 'because I want to')).toThrow('no-secret-data has no exceptions');
  });
});

describe('uiAuthAnnotations', () => {
  test('external SSO: auth-url and auth-signin; basic: an htpasswd Secret and the realm', () => {
    expect(uiAuthAnnotations({ type: 'external', url: 'https://auth.example.com/oauth2/auth', signin: 'https://auth.example.com/oauth2/start' }, 'x')).toEqual({
      'nginx.ingress.kubernetes.io/auth-url': 'https://auth.example.com/oauth2/auth',
      'nginx.ingress.kubernetes.io/auth-signin': 'https://auth.example.com/oauth2/start',
    });
    expect(uiAuthAnnotations({ type: 'basic', secretName: 'kibana-basic-auth' }, 'Kibana')).toEqual({
      'nginx.ingress.kubernetes.io/auth-type': 'basic',
      'nginx.ingress.kubernetes.io/auth-secret': 'kibana-basic-auth',
      'nginx.ingress.kubernetes.io/auth-realm': 'Kibana',
    });
  });

  test('the settings schema says what is allowed', () => {
    const result = uiAuthSchema.safeParse({ type: 'oidc' });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0].message).toBe('must be { type: "external", url, signin } or { type: "basic", secretName }');
  });
});
