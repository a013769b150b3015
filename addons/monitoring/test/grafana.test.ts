import { PLATFORM_ENDPOINTS } from '@platform/charts';
import { PROMETHEUS_DATASOURCE } from '../src/dashboards';
import { configFile, container, find, render, yamlFile } from './render';

const objects = render();
const grafana = find(objects, 'Deployment', 'grafana');

describe('Grafana', () => {
  test('takes the admin account from the existing Secret named in the settings', () => {
    const env = (objs = objects) => container(find(objs, 'Deployment', 'grafana')).env;
    expect(env()).toEqual(expect.arrayContaining([
      { name: 'GF_SECURITY_ADMIN_USER', valueFrom: { secretKeyRef: { name: 'grafana-admin', key: 'admin-user' } } },
      { name: 'GF_SECURITY_ADMIN_PASSWORD', valueFrom: { secretKeyRef: { name: 'grafana-admin', key: 'admin-password' } } },
    ]));
    const custom = render({ grafana: { adminSecret: { name: 'grafana-credentials', passwordKey: 'password' } } });
    expect(env(custom)).toContainEqual({ name: 'GF_SECURITY_ADMIN_PASSWORD', valueFrom: { secretKeyRef: { name: 'grafana-credentials', key: 'password' } } });
  });

  test('is served on grafana.<domain> by the nginx ingress class with a cert-manager certificate', () => {
    const ingress = find(objects, 'Ingress', 'grafana');
    expect(ingress.spec.ingressClassName).toBe(PLATFORM_ENDPOINTS.ingressController.ingressClass);
    expect(ingress.spec.rules[0].host).toBe('grafana.test.example.com');
    expect(ingress.spec.tls).toEqual([{ hosts: ['grafana.test.example.com'], secretName: 'grafana-tls' }]);
    expect(ingress.metadata.annotations['cert-manager.io/cluster-issuer']).toBe('letsencrypt');
    expect(ingress.spec.rules[0].http.paths[0].backend).toEqual({ service: { name: 'grafana', port: { number: 3000 } } });
    expect(find(render({ grafana: { subdomain: 'metrics' } }), 'Ingress', 'grafana').spec.rules[0].host).toBe('metrics.test.example.com');
  });

  test('provisions the Prometheus datasource every dashboard refers to', () => {
    const [datasource] = yamlFile(objects, 'grafana-datasources', 'datasources.yaml').datasources;
    expect(datasource).toEqual(expect.objectContaining({
      uid: PROMETHEUS_DATASOURCE.uid, type: 'prometheus', url: 'http://prometheus.monitoring.svc:9090', isDefault: true, editable: false,
    }));
    expect(datasource.jsonData.timeInterval).toBe('30s');
  });

  test('never calls home nor downloads plugins (no egress to the internet)', () => {
    const ini = configFile(objects, 'grafana-config', 'grafana.ini');
    for (const line of ['reporting_enabled = false', 'check_for_updates = false', 'check_for_plugin_updates = false', 'preinstall_disabled = true', 'allow_sign_up = false']) {
      expect(ini).toContain(line);
    }
    expect(ini).toContain('root_url = https://grafana.test.example.com/');
  });

  test('restarts when its configuration or datasource changes', () => {
    const checksum = (input: object) => find(render(input), 'Deployment', 'grafana').spec.template.metadata.annotations['checksum/config'];
    expect(checksum({})).toMatch(/^[0-9a-f]{16}$/);
    expect(checksum({ prometheus: { scrapeInterval: '15s' } })).not.toEqual(checksum({}));
  });

  test('with several replicas the Ingress pins a browser to one of them', () => {
    expect(find(objects, 'Ingress', 'grafana').metadata.annotations['nginx.ingress.kubernetes.io/affinity']).toBeUndefined();
    const two = render({ grafana: { replicas: 2 } });
    expect(find(two, 'Ingress', 'grafana').metadata.annotations['nginx.ingress.kubernetes.io/affinity']).toBe('cookie');
    expect(find(two, 'PodDisruptionBudget', 'grafana').spec.maxUnavailable).toBe(1);
  });

  test('keeps its state in writable emptyDirs under a read-only root filesystem', () => {
    expect(container(grafana).securityContext.readOnlyRootFilesystem).toBe(true);
    expect(container(grafana).volumeMounts).toEqual(expect.arrayContaining([
      { name: 'data', mountPath: '/var/lib/grafana' },
      { name: 'tmp', mountPath: '/tmp' },
    ]));
  });
});
