import { tenantSchema, resolveTenant } from '../../src';
import { testContext } from '../helpers';
import { problems, prodContext, renderTenant, tenantSpec } from './helpers';

const web = { kind: 'web', name: 'web', image: 'nginxinc/nginx-unprivileged:1.27.3', port: 8080 } as const;

describe('per-environment overrides', () => {
  const spec = tenantSpec({
    environments: {
      test: { apps: { web: { replicas: 1 } } },
      prod: { quota: { pods: 30 }, apps: { web: { replicas: 4, image: 'nginxinc/nginx-unprivileged:1.27.4' } } },
    },
  });

  test('one readable file runs 1 replica in test and 4 in prod', () => {
    expect(renderTenant(spec, testContext()).get('Deployment', 'web').spec.replicas).toBe(1);
    const prod = renderTenant(spec, prodContext());
    expect(prod.get('Deployment', 'web').spec.replicas).toBe(4);
    expect(prod.get('Deployment', 'web').spec.template.spec.containers[0].image).toBe('nginxinc/nginx-unprivileged:1.27.4');
    expect(prod.get('ResourceQuota', 'tenant-quota').spec.hard.pods).toBe('30');
  });

  test('autoscaling in one environment replaces fixed replicas there', () => {
    const s = tenantSpec({ apps: [{ ...web, replicas: 1 }], environments: { test: {}, prod: { apps: { web: { autoscaling: { maxReplicas: 6 } } } } } });
    expect(renderTenant(s, testContext()).all('HorizontalPodAutoscaler')).toEqual([]);
    const prod = renderTenant(s, prodContext());
    expect(prod.get('HorizontalPodAutoscaler', 'web').spec).toMatchObject({ minReplicas: 2, maxReplicas: 6 });
    expect(prod.get('Deployment', 'web').spec.replicas).toBeUndefined();
  });

  test('autoscaling bounds merge over the app\'s; false turns autoscaling off', () => {
    const s = tenantSpec({
      apps: [{ ...web, autoscaling: { minReplicas: 2, maxReplicas: 4, targetCpuPercent: 60 } }],
      environments: { test: { apps: { web: { autoscaling: false, replicas: 1 } } }, prod: { apps: { web: { autoscaling: { maxReplicas: 10 } } } } },
    });
    expect(renderTenant(s, prodContext()).get('HorizontalPodAutoscaler', 'web').spec).toMatchObject({ minReplicas: 2, maxReplicas: 10 });
    expect(renderTenant(s, testContext()).get('Deployment', 'web').spec.replicas).toBe(1);
  });

  test('an app disabled in an environment is not rendered there, nor its exceptions', () => {
    const s = tenantSpec({
      apps: [web, { ...web, name: 'admin' }],
      environments: { test: {}, prod: { apps: { admin: { enabled: false } } } },
      network: { allowFrom: [{ namespace: 'monitoring', app: 'admin' }] },
    });
    const prod = renderTenant(s, prodContext());
    expect(prod.all('Deployment').map((d) => d.metadata.name)).toEqual(['web']);
    expect(prod.all('NetworkPolicy').map((p) => p.metadata.name)).not.toContain('allow-admin-from-namespace-monitoring');
    expect(renderTenant(s, testContext()).get('NetworkPolicy', 'allow-admin-from-namespace-monitoring')).toBeDefined();
  });

  test('env vars merge over the app\'s', () => {
    const s = tenantSpec({ apps: [{ ...web, env: { LEVEL: 'info', MODE: 'a' } }], environments: { test: { apps: { web: { env: { LEVEL: 'debug' } } } } } });
    const env = renderTenant(s).get('Deployment', 'web').spec.template.spec.containers[0].env;
    expect(env.slice(0, 2)).toEqual([{ name: 'LEVEL', value: 'debug' }, { name: 'MODE', value: 'a' }]);
  });

  test('a problem caused by an override points at the override', () => {
    const s = tenantSpec({ apps: [{ ...web, autoscaling: { minReplicas: 2, maxReplicas: 4 } }], environments: { test: { apps: { web: { autoscaling: { maxReplicas: 1 } } } } } });
    expect(problems(s)).toEqual(['environments.test.apps.web.autoscaling.minReplicas: must be <= maxReplicas (1) (got 2)']);
  });
});

describe('checks that need the environment', () => {
  test('an Ingress host outside the environment domain names the field and the environment', () => {
    const s = tenantSpec({ apps: [{ ...web, ingress: { host: 'shop.example.org' } }] });
    expect(problems(s)).toEqual([
      'apps[0].ingress.host (in test): "shop.example.org" is not under the environment\'s domain "test.example.com"; give one label like "shop" (→ shop.test.example.com) or a host name ending in ".test.example.com"',
    ]);
  });

  test('one label is relative to the environment domain; a full name is taken as written', () => {
    const s = tenantSpec({ apps: [{ ...web, ingress: { host: 'shop' } }, { ...web, name: 'www', ingress: { host: 'www.test.example.com' } }] });
    const r = renderTenant(s);
    expect(r.get('Ingress', 'web').spec.rules[0].host).toBe('shop.test.example.com');
    expect(r.get('Ingress', 'www').spec.rules[0].host).toBe('www.test.example.com');
    expect(renderTenant({ ...s, environments: ['prod'], apps: [s.apps![0]] }, prodContext()).get('Ingress', 'web').spec.rules[0].host).toBe('shop.example.com');
  });

  test('a host that is valid in one environment only is reported for that environment, at the override', () => {
    const s = tenantSpec({ apps: [{ ...web, ingress: { host: 'shop' } }], environments: { test: {}, prod: { apps: { web: { ingress: { host: 'shop.test.example.org' } } } } } });
    expect(problems(s, testContext())).toEqual([]);
    expect(problems(s, prodContext())[0]).toMatch(/^environments\.prod\.apps\.web\.ingress\.host: "shop\.test\.example\.org" is not under the environment's domain "example\.com"/);
  });

  test('two apps of a tenant routing the same host and path', () => {
    const s = tenantSpec({ apps: [{ ...web, ingress: { host: 'shop' } }, { ...web, name: 'other', ingress: { host: 'shop.test.example.com' } }] });
    expect(problems(s)).toEqual(['apps[1].ingress (in test): routes https://shop.test.example.com/ like app "web"; give each app its own host or path']);
  });

  test('a stateful service on a storage class the environment does not have', () => {
    const db = { kind: 'stateful', name: 'db', image: 'redis:7.4.1-alpine', port: 6379, storage: { size: '1Gi', storageClass: 'fast' } } as const;
    expect(problems(tenantSpec({ apps: [db] }))).toEqual(['apps[0].storage.storageClass (in test): unknown storage class "fast" in environment test; available: standard']);
    const s = tenantSpec({ apps: [{ ...db, storage: { size: '1Gi' } }], environments: { test: {}, prod: { apps: { db: { storage: { storageClass: 'gp3-retain' } } } } } });
    expect(renderTenant(s).get('StatefulSet', 'db').spec.volumeClaimTemplates[0].spec.storageClassName).toBe('standard');
    expect(renderTenant(s, prodContext()).get('StatefulSet', 'db').spec.volumeClaimTemplates[0].spec.storageClassName).toBe('gp3-retain');
    expect(problems(s, testContext())).toEqual([]);
  });

  test('a quota too small for the apps at their largest scale', () => {
    expect(problems(tenantSpec({ apps: [{ ...web, autoscaling: { maxReplicas: 24 } }] }))).toEqual([
      'quota.limits.cpu (in test): is 4 but the apps need 6 at their largest scale, rolling-update surge included (web: 30 × 200m); raise the quota or lower replicas/resources',
      'quota.pods (in test): is 20 but the apps need 30 at their largest scale, rolling-update surge included (web: 30); raise the quota or lower replicas/resources',
    ]);
    const db = { kind: 'stateful', name: 'db', image: 'redis:7.4.1-alpine', port: 6379, replicas: 3, storage: { size: '10Gi' } } as const;
    expect(problems(tenantSpec({ apps: [db], environments: { test: { quota: { storage: '25Gi' } } } }))).toEqual([
      'environments.test.quota.storage: is 25Gi but the apps need 30Gi at their largest scale, rolling-update surge included (db: 3 × 10Gi); raise the quota or lower replicas/resources',
    ]);
  });

  test('the live stack can differ per environment', () => {
    const s = tenantSpec({ stacks: { names: ['blue', 'green'], live: 'blue' }, environments: { test: { liveStack: 'green' }, prod: {} } });
    const parsed = tenantSchema.parse(s);
    expect(resolveTenant(parsed, testContext()).spec!.namespaces).toEqual([
      { name: 'shop-blue', stack: 'blue', live: false },
      { name: 'shop-green', stack: 'green', live: true },
    ]);
    expect(resolveTenant(parsed, prodContext()).spec!.namespaces.find((n) => n.live)!.name).toBe('shop-blue');
  });
});
