import { spawnSync } from 'node:child_process';
import { toYaml } from '../../src/synth/manifest';
import { CLI, FixtureWorkspace, fixtureEnvironment } from '../../src/testing/fixture-workspace';
import { FakeKubectl, labelled } from './fake-kubectl';
import { STDERR } from './stderr';

// `platformctl preview` as CI runs it, with $PLATFORMCTL_KUBECTL pointing at the fake kubectl.
describe('platformctl preview (command line)', () => {
  let ws: FixtureWorkspace;
  let fake: FakeKubectl;
  beforeAll(() => {
    ws = FixtureWorkspace.create({ 'environments/alpha.ts': fixtureEnvironment('alpha') });
    ws.write('dist/alpha/cluster/namespace-shop.yaml', toYaml(labelled('alpha', 'tenant.shop', 'v1', 'Namespace', 'shop')));
    ws.write('dist/alpha/tenants/shop/workloads/configmap-web.yaml', toYaml(labelled('alpha', 'tenant.shop', 'v1', 'ConfigMap', 'web', 'shop', { data: { password: 'hunter2' } })));
    fake = new FakeKubectl();
  });
  afterAll(() => { fake.dispose(); ws.dispose(); });

  function preview(...args: string[]) {
    const result = spawnSync(process.execPath, [CLI, 'preview', ...args, '--root', ws.root], {
      cwd: ws.root,
      encoding: 'utf8',
      env: { ...process.env, CI: '1', NO_COLOR: '1', PLATFORMCTL_KUBECTL: fake.binary },
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  test('exit 0 without changes, 1 with changes, 3 on a cluster error; the kubeconfig and context reach kubectl', () => {
    fake.setRules([]);
    const clean = preview('--env', 'alpha', '--kubeconfig', '/tmp/preview.kubeconfig', '--context', 'alpha-preview');
    expect(clean.stderr).toBe('');
    expect(clean.status).toBe(0);
    expect(clean.stdout).toContain('Result: no changes (exit 0)');
    expect(fake.calls()[0].args.slice(0, 4)).toEqual(['--kubeconfig', '/tmp/preview.kubeconfig', '--context', 'alpha-preview']);

    fake.setRules([{ command: 'diff', has: ['name: web'], changed: ['ConfigMap/web'] }]);
    const changed = preview('--env', 'alpha');
    expect(changed.status).toBe(1);
    expect(changed.stdout).toMatch(/tenant shop\s+1 to update/);
    expect(changed.stdout).toContain('~ ConfigMap shop/web (update)');

    fake.setRules([{ command: 'diff', exit: 2, stderr: STDERR.unreachable }]);
    const down = preview('--env', 'alpha', '--format', 'markdown');
    expect(down.status).toBe(3);
    expect(down.stdout).toContain('### ❌ Live preview: `alpha` — errors');
    expect(down.stdout).toContain('**unreachable**: cannot reach the cluster\'s API server');
  });

  test('input errors exit 3 too (never 1, which means "changes"); usage errors exit 2', () => {
    const missing = preview('--env', 'beta');
    expect(missing.status).toBe(3);
    expect(missing.stderr).toContain('no dist/beta/');
    expect(preview().status).toBe(2);
    expect(preview('--env', 'alpha', '--format', 'yaml').status).toBe(2);
  });

  test('json output for tools', () => {
    fake.setRules([{ command: 'diff', has: ['name: web'], changed: ['+ConfigMap/web'] }]);
    const result = preview('--env', 'alpha', '--format', 'json', '--no-prune');
    expect(result.status).toBe(1);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ version: 1, environment: 'alpha', outcome: 'changes', exitCode: 1, prune: { checked: false } });
    expect(json.components[0]).toMatchObject({ component: 'tenant/shop', objects: 2, changes: [{ kind: 'ConfigMap', namespace: 'shop', name: 'web', action: 'create' }] });
    expect(fake.calls().some((c) => c.args.includes('get'))).toBe(false);
  });
});
