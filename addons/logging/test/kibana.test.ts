import { testContext } from '../../../charts/test/helpers';
import { EXTERNAL, env, find, podSpec, render } from './render';

describe('Kibana', () => {
  const objects = render();
  const deployment = find(objects, 'Deployment', 'kibana', 'logging');
  const kibana = podSpec(deployment).containers[0];
  const ingress = find(objects, 'Ingress', 'kibana', 'logging');

  test('is published on kibana.<domain> with TLS from the environment issuer', () => {
    expect(ingress.spec.rules[0].host).toBe('kibana.test.example.com');
    expect(ingress.spec.tls).toEqual([{ hosts: ['kibana.test.example.com'], secretName: 'kibana-tls' }]);
    expect(ingress.metadata.annotations['cert-manager.io/cluster-issuer']).toBe('letsencrypt');
    expect(ingress.spec.rules[0].http.paths[0].backend.service).toEqual({ name: 'kibana', port: { number: 5601 } });
  });

  test('the host follows the domain and the subdomain setting', () => {
    const other = render({ kibana: { subdomain: 'logs' } }, testContext({ domain: 'example.com' }));
    expect(find(other, 'Ingress', 'kibana').spec.rules[0].host).toBe('logs.example.com');
  });

  test('is behind nginx basic auth by default, or an external auth service', () => {
    expect(ingress.metadata.annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/auth-type': 'basic',
      'nginx.ingress.kubernetes.io/auth-secret': 'kibana-basic-auth',
    });
    const sso = render({ kibana: { auth: { type: 'external', url: 'https://sso.test.example.com/oauth2/auth', signin: 'https://sso.test.example.com/oauth2/start' } } });
    expect(find(sso, 'Ingress', 'kibana').metadata.annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/auth-url': 'https://sso.test.example.com/oauth2/auth',
      'nginx.ingress.kubernetes.io/auth-signin': 'https://sso.test.example.com/oauth2/start',
    });
  });

  test('is ready when /api/status answers, and reads the same Elasticsearch as fluentd', () => {
    expect(kibana.readinessProbe.httpGet).toMatchObject({ path: '/api/status', port: 5601 });
    expect(kibana.livenessProbe).toBeDefined();
    expect(env(kibana).ELASTICSEARCH_HOSTS).toBe('http://elasticsearch.logging.svc:9200');
    expect(env(kibana).SERVER_PUBLICBASEURL).toBe('https://kibana.test.example.com');
  });

  test('uses the same version as Elasticsearch', () => {
    const es = podSpec(find(objects, 'StatefulSet', 'elasticsearch')).containers[0];
    expect(kibana.image.split(':').pop()).toBe(es.image.split(':').pop());
  });

  test('keeps the Node.js heap at three quarters of the memory limit', () => {
    expect(env(kibana).NODE_OPTIONS).toBe('--max-old-space-size=768');
  });

  test('runs restricted with writable data and tmp directories only', () => {
    expect(kibana.securityContext).toMatchObject({ runAsUser: 1000, runAsNonRoot: true, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(kibana.volumeMounts.map((m: any) => m.mountPath).sort()).toEqual(['/tmp', '/usr/share/kibana/data']);
  });

  test('replicas come from the settings; more than one gets a PodDisruptionBudget', () => {
    expect(deployment.spec.replicas).toBe(1);
    expect(objects.filter((o) => o.kind === 'PodDisruptionBudget')).toEqual([]);
    const two = render({ kibana: { replicas: 2 } });
    expect(find(two, 'Deployment', 'kibana').spec.replicas).toBe(2);
    expect(find(two, 'PodDisruptionBudget', 'kibana').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: deployment.spec.selector.matchLabels } });
  });

  test('with an external Elasticsearch: its port and scheme, and its own user from a Secret', () => {
    const external = podSpec(find(render(EXTERNAL), 'Deployment', 'kibana')).containers[0];
    expect(env(external).ELASTICSEARCH_HOSTS).toBe('https://elasticsearch.logging.svc:443');
    expect(env(external).ELASTICSEARCH_USERNAME).toEqual({ secretKeyRef: { name: 'es-kibana', key: 'username' } });
    expect(env(external).ELASTICSEARCH_PASSWORD).toEqual({ secretKeyRef: { name: 'es-kibana', key: 'password' } });
  });
});
