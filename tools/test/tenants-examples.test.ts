import { Model, loadModel } from '../src/model/load';
import { renderUnit } from '../src/synth/render';
import { REPO_ROOT } from '../src/testing/fixture-workspace';
import { Workspace } from '../src/workspace';

/** The example tenants in apps/ load and render in the real environments (in-process, no dist/ involved). */
describe('shipped example tenants', () => {
  let model: Model;
  beforeAll(() => { model = loadModel(new Workspace(REPO_ROOT)); });

  function render(tenant: string, env: string): any[] {
    return renderUnit(model, { env, kind: 'tenant', name: tenant }).map((o) => o.manifest).filter((m) => !['argoproj.io', 'kustomize.toolkit.fluxcd.io'].some((g) => m.apiVersion.startsWith(g)));
  }
  const find = (objects: any[], kind: string, name: string, namespace?: string): any => objects.find((o) => o.kind === kind && o.metadata.name === name && (!namespace || o.metadata.namespace === namespace));

  test('every example runs in test and prod and renders no Secret', () => {
    for (const name of ['webshop', 'data-team', 'bluegreen']) {
      expect([...model.tenant(name).spec.environments].sort()).toEqual(['prod', 'test']);
      for (const env of ['test', 'prod']) expect(render(name, env).filter((o) => o.kind === 'Secret')).toEqual([]);
    }
  });

  test('webshop: frontend on shop.<domain>, the API under /api with an HPA, PostgreSQL outside the cluster', () => {
    const prod = render('webshop', 'prod');
    expect(find(prod, 'Ingress', 'frontend').spec.rules[0]).toMatchObject({ host: 'shop.example.com', http: { paths: [{ path: '/' }] } });
    expect(find(prod, 'Ingress', 'api').spec.rules[0]).toMatchObject({ host: 'shop.example.com', http: { paths: [{ path: '/api' }] } });
    expect(find(prod, 'HorizontalPodAutoscaler', 'api').spec).toMatchObject({ minReplicas: 3, maxReplicas: 10 });
    expect(find(prod, 'Service', 'postgres').spec).toEqual({ type: 'ExternalName', externalName: 'webshop-db.prod.db.example.net' });
    expect(find(prod, 'Deployment', 'api').spec.template.spec.containers[0].env).toContainEqual({ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'webshop-db', key: 'password' } } });
    expect(find(prod, 'Deployment', 'worker')).toBeDefined();
    const test = render('webshop', 'test');
    expect(find(test, 'Ingress', 'frontend').spec.rules[0].host).toBe('shop.test.example.com');
    expect(find(test, 'Deployment', 'frontend').spec.replicas).toBe(1);
    expect(find(test, 'Service', 'postgres').spec.externalName).toBe('webshop-db.test.db.example.net');
  });

  test('data-team: a nightly and an hourly CronJob, Redis on a persistent volume; it may call the webshop API', () => {
    const prod = render('data-team', 'prod');
    expect(find(prod, 'CronJob', 'nightly-export').spec).toMatchObject({ schedule: '30 2 * * *', timeZone: 'Europe/Berlin' });
    expect(find(prod, 'CronJob', 'hourly-aggregation').spec.schedule).toBe('0 * * * *');
    expect(find(prod, 'StatefulSet', 'redis').spec.volumeClaimTemplates[0].spec).toMatchObject({ storageClassName: 'gp3-retain', resources: { requests: { storage: '20Gi' } } });
    expect(find(render('data-team', 'test'), 'StatefulSet', 'redis').spec.volumeClaimTemplates[0].spec.storageClassName).toBe('standard');
    expect(find(prod, 'NetworkPolicy', 'allow-nightly-export-to-tenant-webshop')).toBeDefined();
    expect(find(render('webshop', 'prod'), 'NetworkPolicy', 'allow-api-from-tenant-data-team')).toBeDefined();
  });

  test('bluegreen: two stacks with their own web and redis; the Ingress follows the live stack per environment', () => {
    const test = render('bluegreen', 'test');
    for (const ns of ['bluegreen-blue', 'bluegreen-green']) {
      expect(find(test, 'Deployment', 'web', ns)).toBeDefined();
      expect(find(test, 'Service', 'redis', ns)).toBeDefined();
    }
    expect(find(test, 'Ingress', 'web').metadata.namespace).toBe('bluegreen-green');
    expect(find(render('bluegreen', 'prod'), 'Ingress', 'web').metadata.namespace).toBe('bluegreen-blue');
  });
});
