import { diffDist, renderJson, renderMarkdown, renderText } from '../../src/diff';
import { colorsFor } from '../../src/diff/format';
import { DiffRepo, deployment, object } from './fixture';

const plain = colorsFor({ isTTY: false }, {});

/** Base: one environment with a cluster base, the monitoring add-on and the shop tenant. */
function baseRepo(): DiffRepo {
  const repo = new DiffRepo();
  repo.put('prod/cluster/storageclass-gp3.yaml', object('prod', 'cluster', 'storage.k8s.io/v1', 'StorageClass', 'gp3', undefined, { provisioner: 'ebs.csi.aws.com' }));
  repo.put('prod/cluster/namespace-monitoring.yaml', object('prod', 'addon.monitoring', 'v1', 'Namespace', 'monitoring', undefined));
  repo.put('prod/cluster/namespace-shop.yaml', object('prod', 'tenant.shop', 'v1', 'Namespace', 'shop', undefined));
  repo.put('prod/addons/monitoring/deployment-grafana.yaml', object('prod', 'addon.monitoring', 'apps/v1', 'Deployment', 'grafana', 'monitoring', { spec: { replicas: 1 } }));
  repo.put('prod/addons/monitoring/configmap-grafana.yaml', object('prod', 'addon.monitoring', 'v1', 'ConfigMap', 'grafana', 'monitoring', { data: { 'grafana.ini': '[server]\nroot_url = https://grafana.example.com\n' } }));
  repo.put('prod/tenants/shop/workloads/deployment-web.yaml', deployment('prod', 'shop', 'web', 2));
  repo.put('prod/tenants/shop/workloads/service-web.yaml', object('prod', 'tenant.shop', 'v1', 'Service', 'web', 'shop', { spec: { ports: [{ port: 80 }] } }));
  repo.commit('base');
  return repo;
}

describe('platformctl diff', () => {
  let repo: DiffRepo;
  beforeEach(() => { repo = baseRepo(); });
  afterEach(() => repo.dispose());

  test('a replica change is one changed object with its field path', async () => {
    repo.put('prod/tenants/shop/workloads/deployment-web.yaml', deployment('prod', 'shop', 'web', 3));
    const report = await diffDist(repo.workspace, { base: 'main' });
    expect(report.totals).toEqual({ added: 0, changed: 1, removed: 0 });
    expect(report.objects).toHaveLength(1);
    const [web] = report.objects;
    expect(web).toMatchObject({ status: 'changed', env: 'prod', kind: 'Deployment', namespace: 'shop', name: 'web', component: { kind: 'tenant', name: 'shop' } });
    expect(web.changes).toEqual([{ path: 'spec.replicas', op: 'changed', before: 2, after: 3 }]);
    expect(renderText(report, plain)).toContain('spec.replicas: 2 → 3');
    const markdown = renderMarkdown(report);
    expect(markdown).toContain('- `spec.replicas`: `2` → `3`');
    expect(markdown).toContain('| prod | tenant shop | · | 1 | · |');
  });

  test('a moved file with identical content is no change', async () => {
    repo.move('dist/prod/tenants/shop/workloads/service-web.yaml', 'dist/prod/tenants/shop/guardrails/service-web.yaml');
    repo.move('dist/prod/cluster/storageclass-gp3.yaml', 'dist/prod/cluster/renamed.yaml');
    const report = await diffDist(repo.workspace, { base: 'main' });
    expect(report.objects).toEqual([]);
    expect(renderText(report, plain)).toMatch(/^No changes to the rendered objects/);
    expect(renderMarkdown(report)).toMatch(/^### Rendered changes: none/);
  });

  test('the same object written differently (key order, flow style) is no change', async () => {
    repo.write('dist/prod/cluster/storageclass-gp3.yaml', [
      'kind: StorageClass',
      'provisioner: ebs.csi.aws.com',
      'apiVersion: storage.k8s.io/v1',
      'metadata: {name: gp3, labels: {platform.example.com/unit: cluster, platform.example.com/environment: prod, app.kubernetes.io/managed-by: platformctl}}',
      '',
    ].join('\n'));
    expect((await diffDist(repo.workspace, { base: 'main' })).objects).toEqual([]);
  });

  test('an apiVersion bump is a change of that object, not a remove and an add', async () => {
    repo.put('prod/addons/monitoring/deployment-grafana.yaml', object('prod', 'addon.monitoring', 'apps/v1beta2', 'Deployment', 'grafana', 'monitoring', { spec: { replicas: 1 } }));
    const report = await diffDist(repo.workspace, { base: 'main' });
    expect(report.objects).toHaveLength(1);
    expect(report.objects[0]).toMatchObject({ status: 'changed', apiVersion: 'apps/v1beta2', previousApiVersion: 'apps/v1' });
    expect(report.objects[0].changes).toEqual([{ path: 'apiVersion', op: 'changed', before: 'apps/v1', after: 'apps/v1beta2' }]);
  });

  test('a new tenant shows added objects under its component, its namespace included', async () => {
    repo.put('prod/cluster/namespace-data.yaml', object('prod', 'tenant.data', 'v1', 'Namespace', 'data', undefined));
    repo.put('prod/tenants/data/workloads/deployment-etl.yaml', deployment('prod', 'data', 'etl'));
    repo.put('prod/tenants/data/guardrails/resourcequota-data.yaml', object('prod', 'tenant.data', 'v1', 'ResourceQuota', 'data', 'data', { spec: { hard: { 'requests.cpu': '4' } } }));
    const report = await diffDist(repo.workspace, { base: 'main' });
    expect(report.components).toEqual([{ env: 'prod', component: { kind: 'tenant', name: 'data' }, added: 3, changed: 0, removed: 0 }]);
    expect(report.objects.map((o) => `${o.status} ${o.kind} ${o.namespace ?? ''}/${o.name}`)).toEqual([
      'added Deployment data/etl',
      'added Namespace /data',
      'added ResourceQuota data/data',
    ]);
    const markdown = renderMarkdown(report);
    expect(markdown).toContain('<b>prod</b> · tenant data: 3 added');
    expect(markdown).toContain('- Deployment `data/etl`');
    expect(markdown).toContain('- Namespace `data`');
  });

  test('a removed add-on shows removed objects under its component', async () => {
    repo.remove('dist/prod/addons/monitoring');
    repo.remove('dist/prod/cluster/namespace-monitoring.yaml');
    const report = await diffDist(repo.workspace, { base: 'main' });
    expect(report.components).toEqual([{ env: 'prod', component: { kind: 'addon', name: 'monitoring' }, added: 0, changed: 0, removed: 3 }]);
    expect(report.objects.every((o) => o.status === 'removed')).toBe(true);
    const markdown = renderMarkdown(report);
    expect(markdown).toContain('add-on monitoring: 3 removed');
    expect(markdown).toContain('**Removed** (3)');
    expect(markdown).toContain('- Deployment `monitoring/grafana` (was `prod/addons/monitoring/deployment-grafana.yaml`)');
  });

  test('kustomization.yaml files are configuration, not objects', async () => {
    repo.write('dist/prod/tenants/shop/kustomization.yaml', 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [workloads]\n');
    const report = await diffDist(repo.workspace, { base: 'main' });
    expect(report.objects).toEqual([]);
  });

  test('uncommitted new files count (the synth output need not be staged)', async () => {
    repo.put('test/cluster/namespace-shop.yaml', object('test', 'tenant.shop', 'v1', 'Namespace', 'shop', undefined));
    const report = await diffDist(repo.workspace, { base: 'main' });
    expect(report.environments).toEqual(['prod', 'test']);
    expect(report.components).toEqual([{ env: 'test', component: { kind: 'tenant', name: 'shop' }, added: 1, changed: 0, removed: 0 }]);
  });

  test('--env limits the comparison to one environment', async () => {
    repo.put('test/cluster/namespace-shop.yaml', object('test', 'tenant.shop', 'v1', 'Namespace', 'shop', undefined));
    repo.put('prod/tenants/shop/workloads/deployment-web.yaml', deployment('prod', 'shop', 'web', 5));
    const report = await diffDist(repo.workspace, { base: 'main', envs: ['test'] });
    expect(report.objects.map((o) => o.env)).toEqual(['test']);
    await expect(diffDist(repo.workspace, { base: 'main', envs: ['staging'] })).rejects.toThrow('--env staging: no dist/staging/ at main nor in the working tree; environments: prod, test');
  });

  test('components are derived from the unit label first, then from the path', async () => {
    // A namespace in cluster/ labelled for a tenant belongs to the tenant; an unlabelled file goes by its folder.
    repo.write('dist/prod/addons/logging/configmap-fluent.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fluent\n  namespace: logging\n');
    repo.write('dist/prod/flux/gitrepository-platform.yaml', 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: platform\n  namespace: flux-system\n');
    const report = await diffDist(repo.workspace, { base: 'main' });
    expect(report.components.map((c) => `${c.component.kind}/${c.component.name}`)).toEqual(['gitops/gitops', 'addon/logging']);
  });

  test('the JSON document has a stable, documented shape', async () => {
    repo.put('prod/tenants/shop/workloads/deployment-web.yaml', deployment('prod', 'shop', 'web', 3));
    repo.move('dist/prod/tenants/shop/workloads/deployment-web.yaml', 'dist/prod/tenants/shop/workloads/web.yaml');
    const json = JSON.parse(renderJson(await diffDist(repo.workspace, { base: 'main' })));
    expect(Object.keys(json)).toEqual(['version', 'base', 'environments', 'changed', 'totals', 'components', 'objects', 'warnings']);
    expect(json).toMatchObject({
      version: 1,
      base: { ref: 'main', commit: expect.stringMatching(/^[0-9a-f]{40}$/) },
      changed: true,
      totals: { added: 0, changed: 1, removed: 0 },
      components: [{ environment: 'prod', component: 'tenant/shop', added: 0, changed: 1, removed: 0 }],
    });
    expect(json.objects[0]).toEqual({
      environment: 'prod',
      component: 'tenant/shop',
      status: 'changed',
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'web',
      path: 'prod/tenants/shop/workloads/web.yaml',
      previousPath: 'prod/tenants/shop/workloads/deployment-web.yaml',
      changes: [{ path: 'spec.replicas', op: 'changed', before: 2, after: 3 }],
      diff: expect.stringContaining('-  replicas: 2\n+  replicas: 3'),
    });
  });

  test('the base is read from git objects: the working tree and index are left alone', async () => {
    repo.put('prod/tenants/shop/workloads/deployment-web.yaml', deployment('prod', 'shop', 'web', 3));
    const before = repo.git('status', '--porcelain');
    await diffDist(repo.workspace, { base: 'main' });
    expect(repo.git('status', '--porcelain')).toBe(before);
  });
});

describe('platformctl diff (command line)', () => {
  let repo: DiffRepo;
  beforeAll(() => { repo = baseRepo(); });
  afterAll(() => repo.dispose());

  test('exit 0 with or without changes; --exit-code turns changes into exit 1', () => {
    const clean = repo.cli('diff', '--base', 'main', '--exit-code');
    expect(clean.stderr).toBe('');
    expect(clean.status).toBe(0);
    repo.put('prod/tenants/shop/workloads/deployment-web.yaml', deployment('prod', 'shop', 'web', 3));
    const changed = repo.cli('diff', '--base', 'main');
    expect(changed.status).toBe(0);
    expect(changed.stdout).toContain('spec.replicas: 2 → 3');
    expect(changed.stdout).not.toContain('\u001b['); // piped: no colours
    expect(repo.cli('diff', '--base', 'main', '--exit-code').status).toBe(1);
    const json = repo.cli('diff', '--base', 'main', '--format', 'json', '--exit-code');
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout).totals.changed).toBe(1);
  });

  test('a bad ref is an error (exit 1) with a clear message', () => {
    const result = repo.cli('diff', '--base', 'no-such-branch');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('--base no-such-branch: no such commit in this repository');
  });

  test('outside a git repository is an error (exit 1)', () => {
    const other = new DiffRepo();
    try {
      other.remove('.git');
      const result = other.cli('diff', '--base', 'main');
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('is not inside a git repository');
    } finally {
      other.dispose();
    }
  });

  test('usage errors exit 2', () => {
    expect(repo.cli('diff').status).toBe(2);
    expect(repo.cli('diff', '--base', 'main', '--format', 'html').status).toBe(2);
  });
});
