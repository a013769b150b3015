import { FixtureWorkspace, fixtureEnvironment, fixtureTenant } from '../src/testing/fixture-workspace';

const THROWING_ADDON = `import { defineAddon } from '@platform/charts';
import { z } from 'zod';
export default defineAddon({
  name: 'broken',
  description: 'throws while rendering when told to',
  settings: z.strictObject({ explode: z.boolean().default(false) }),
  render(scope, ctx, settings) {
    if (settings.explode) throw new Error('boom: this add-on cannot render in ' + ctx.environment);
  },
});
`;

function workspace(): FixtureWorkspace {
  return FixtureWorkspace.create({
    'environments/alpha.ts': fixtureEnvironment('alpha'),
    'environments/beta.ts': fixtureEnvironment('beta'),
    'apps/shop/tenant.ts': fixtureTenant('shop', ['alpha', 'beta']),
    'apps/data/tenant.ts': fixtureTenant('data', ['beta']),
  });
}

describe('synth', () => {
  let ws: FixtureWorkspace;
  beforeEach(() => { ws = workspace(); });
  afterEach(() => ws.dispose());

  test('renders each environment into dist/<env>/ with one file per object, by layer', () => {
    const result = ws.cli('synth');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const files = Object.keys(ws.snapshot());
    expect(files).toEqual(expect.arrayContaining([
      'alpha/cluster/namespace-shop.yaml',
      'alpha/cluster/storageclass-standard.yaml',
      'alpha/tenants/shop/workloads/deployment-web.yaml',
      'alpha/tenants/shop/workloads/service-web.yaml',
      'beta/cluster/namespace-data.yaml',
      'beta/tenants/data/workloads/deployment-web.yaml',
    ]));
    expect(files.some((f) => f.startsWith('alpha/tenants/data/'))).toBe(false);
  });

  test('two runs produce byte-identical output', () => {
    expect(ws.cli('synth').status).toBe(0);
    const first = ws.snapshot();
    expect(ws.cli('synth').status).toBe(0);
    expect(ws.snapshot()).toEqual(first);
  });

  test('files of removed tenants and environments disappear', () => {
    expect(ws.cli('synth').status).toBe(0);
    ws.remove('apps/data');
    ws.remove('environments/beta.ts');
    ws.write('apps/shop/tenant.ts', fixtureTenant('shop', ['alpha']));
    expect(ws.cli('synth').status).toBe(0);
    const files = Object.keys(ws.snapshot());
    expect(files.some((f) => f.startsWith('beta/'))).toBe(false);
    expect(files).toContain('alpha/tenants/shop/workloads/deployment-web.yaml');
  });

  test('a unit that throws fails the synth with its name and file, and leaves dist/ untouched', () => {
    ws.write('addons/broken/src/index.ts', THROWING_ADDON);
    ws.write('addons/broken/package.json', '{"name":"@fixture/broken"}');
    ws.write('environments/alpha.ts', fixtureEnvironment('alpha').replace('addons: {},', 'addons: { broken: {} },'));
    expect(ws.cli('synth').status).toBe(0);
    const before = ws.snapshot();

    ws.write('environments/alpha.ts', fixtureEnvironment('alpha').replace('addons: {},', 'addons: { broken: { explode: true } },'));
    ws.write('apps/shop/tenant.ts', fixtureTenant('shop', ['alpha', 'beta']).replace("port: 8080", 'port: 9090'));
    const result = ws.cli('synth');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('add-on "broken" (alpha) failed to render (addons/broken/src/index.ts)');
    expect(result.stderr).toContain('boom: this add-on cannot render in alpha');
    expect(ws.snapshot()).toEqual(before);
  });

  test('an invalid environment names the file, the field and what is allowed; dist/ is unchanged', () => {
    expect(ws.cli('synth').status).toBe(0);
    const before = ws.snapshot();
    ws.write('environments/beta.ts', fixtureEnvironment('beta').replace("effect: 'NoSchedule'", "effect: 'Sometimes'"));
    const result = ws.cli('synth');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/environments\/beta\.ts: invalid environment/);
    expect(result.stderr).toMatch(/nodePools\[0\]\.taints\[0\]\.effect: .*"NoSchedule".*"PreferNoSchedule".*"NoExecute".*\(got "Sometimes"\)/);
    expect(result.stderr.trim().split('\n')).toHaveLength(2);
    expect(ws.snapshot()).toEqual(before);
  });

  test('an environment whose name does not match its file is rejected', () => {
    ws.write('environments/beta.ts', fixtureEnvironment('gamma'));
    const result = ws.cli('synth');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('environments/beta.ts: invalid environment');
    expect(result.stderr).toContain('name: must equal the file name "beta" (got "gamma")');
  });

  test('a tenant naming an unknown environment is rejected with the environments that exist', () => {
    ws.write('apps/data/tenant.ts', fixtureTenant('data', ['beta', 'staging']));
    const result = ws.cli('synth');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('apps/data/tenant.ts: invalid tenant');
    expect(result.stderr).toContain('environments[1]: unknown environment "staging"; available: alpha, beta');
  });

  test('a tenant whose name differs from its folder is rejected', () => {
    ws.write('apps/copy/tenant.ts', fixtureTenant('shop', ['alpha']));
    const result = ws.cli('synth');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('apps/copy/tenant.ts: invalid tenant');
    expect(result.stderr).toContain('name: must equal the folder name "copy" (got "shop")');
  });

  test('--env renders one environment and leaves the others as they are', () => {
    expect(ws.cli('synth').status).toBe(0);
    const before = ws.snapshot();
    ws.write('apps/data/tenant.ts', fixtureTenant('data', ['alpha', 'beta']));
    expect(ws.cli('synth', '--env', 'beta').status).toBe(0);
    expect(ws.snapshot()).toEqual(before);
    expect(ws.cli('synth', '--env', 'alpha').status).toBe(0);
    expect(Object.keys(ws.snapshot())).toContain('alpha/tenants/data/workloads/deployment-web.yaml');
  });

  test('--only re-renders one tenant and keeps every other file', () => {
    expect(ws.cli('synth').status).toBe(0);
    const before = ws.snapshot();
    ws.write('apps/shop/tenant.ts', fixtureTenant('shop', ['alpha', 'beta']).replace('port: 8080', 'port: 9090'));
    ws.write('apps/data/tenant.ts', fixtureTenant('data', ['beta']).replace('port: 8080', 'port: 7070'));
    const result = ws.cli('synth', '--only', 'shop');
    expect(result.status).toBe(0);
    const after = ws.snapshot();
    expect(after['alpha/tenants/shop/workloads/deployment-web.yaml']).toContain('containerPort: 9090');
    expect(after['beta/tenants/data/workloads/deployment-web.yaml']).toBe(before['beta/tenants/data/workloads/deployment-web.yaml']);
    expect(Object.keys(after)).toEqual(Object.keys(before));
  });

  test('unknown --only and --env values are usage errors with the alternatives', () => {
    const only = ws.cli('synth', '--only', 'nope');
    expect(only.status).toBe(1);
    expect(only.stderr).toContain('--only nope: no such add-on or tenant');
    expect(only.stderr).toContain('tenants: data, shop');
    const env = ws.cli('synth', '--env', 'gamma');
    expect(env.status).toBe(1);
    expect(env.stderr).toContain('unknown environment "gamma"; available: alpha, beta');
  });
});
