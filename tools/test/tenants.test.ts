import { FixtureWorkspace, fixtureEnvironment } from '../src/testing/fixture-workspace';

/**
 * Bad tenant input through the real CLI: one message naming the tenant file, the field path and what is allowed;
 * exit code 1; dist/ byte-identical to before. One workspace for the whole file: each case breaks the tenant,
 * synthesizes (which stops while loading, before rendering) and puts the good file back.
 */

const WEB = { kind: 'web', name: 'web', image: 'nginxinc/nginx-unprivileged:1.27.3', port: 8080 };

function tenant(spec: Record<string, unknown>): string {
  return `import { defineTenant } from '@platform/charts';\nexport default defineTenant(${JSON.stringify(spec, null, 2)} as never);\n`;
}

function shop(overrides: Record<string, unknown> = {}, apps: unknown[] = [WEB]): string {
  return tenant({
    name: 'shop', team: 'shop', costCenter: 'cc-1', owners: { admins: ['shop-admins'] },
    environments: ['alpha', 'beta'], apps, ...overrides,
  });
}

const GOOD = shop({}, [{ ...WEB, ingress: { host: 'shop' } }]);

describe('invalid tenants are rejected before anything is written', () => {
  let ws: FixtureWorkspace;
  let before: Record<string, string>;
  beforeAll(() => {
    ws = FixtureWorkspace.create({
      'environments/alpha.ts': fixtureEnvironment('alpha'),
      'environments/beta.ts': fixtureEnvironment('beta'),
      'apps/shop/tenant.ts': GOOD,
    });
    const first = ws.cli('synth');
    expect(first.stderr).toBe('');
    before = ws.snapshot();
    expect(Object.keys(before)).toContain('beta/tenants/shop/workloads/ingress-web.yaml');
  });
  afterEach(() => ws.write('apps/shop/tenant.ts', GOOD));
  afterAll(() => ws.dispose());

  /** Synthesizes `file` as apps/shop/tenant.ts and expects exactly `problem` ("path: message"). */
  function rejects(file: string, problem: string): void {
    ws.write('apps/shop/tenant.ts', file);
    const result = ws.cli('synth');
    expect(result.stderr).toBe(`error: apps/shop/tenant.ts: invalid tenant\n  ${problem}\n`);
    expect(result.status).toBe(1);
    expect(ws.snapshot()).toEqual(before);
  }

  test('a name that is not a DNS-1123 label', () => {
    rejects(shop({ name: 'Shop_1' }), 'name: must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters (got "Shop_1")');
  });

  test('an unknown environment', () => {
    rejects(shop({ environments: { alpha: {}, staging: {} } }), 'environments.staging: unknown environment "staging"; available: alpha, beta');
  });

  test('a malformed quantity', () => {
    rejects(shop({ quota: { requests: { cpu: 'lots' } } }), 'quota.requests.cpu: must be a CPU quantity like "250m" or "1.5" (got "lots")');
  });

  test('a port out of range', () => {
    rejects(shop({}, [{ ...WEB, port: 0 }]), 'apps[0].port: must be a port between 1 and 65535 (got 0)');
  });

  test('an image without a tag', () => {
    rejects(shop({}, [{ ...WEB, image: 'nginxinc/nginx-unprivileged' }]),
      'apps[0].image: must pin a version: "repository/name:1.2.3" or "repository/name@sha256:<64 hex digits>" (no implicit or "latest" tag) (got "nginxinc/nginx-unprivileged")');
  });

  test('an Ingress host outside the environment domain, reported per environment', () => {
    ws.write('apps/shop/tenant.ts', shop({}, [{ ...WEB, ingress: { host: 'shop.alpha.example.test' } }]));
    const result = ws.cli('synth');
    expect(result.status).toBe(1);
    expect(result.stderr).toBe([
      'error: apps/shop/tenant.ts: invalid tenant',
      '  apps[0].ingress.host (in beta): "shop.alpha.example.test" is not under the environment\'s domain "beta.example.test"; give one label like "shop" (→ shop.beta.example.test) or a host name ending in ".beta.example.test"',
      '',
    ].join('\n'));
    expect(ws.snapshot()).toEqual(before);
  });

  test('limits below requests', () => {
    rejects(shop({}, [{ ...WEB, resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '512Mi' } } }]),
      'apps[0].resources.limits.memory: must be >= requests.memory (1Gi)');
  });

  test('HPA min above max, in one environment\'s override', () => {
    rejects(shop({ environments: { alpha: {}, beta: { apps: { web: { autoscaling: { minReplicas: 4, maxReplicas: 3 } } } } } }),
      'environments.beta.apps.web.autoscaling.minReplicas: must be <= maxReplicas (3) (got 4)');
  });

  test('a stateful service on an unknown storage class', () => {
    rejects(shop({}, [{ kind: 'stateful', name: 'db', image: 'redis:7.4.1-alpine', port: 6379, storage: { size: '1Gi', storageClass: 'fast' } }]).replace("['alpha', 'beta']", "['alpha']").replace('"alpha",\n    "beta"', '"alpha"'),
      'apps[0].storage.storageClass (in alpha): unknown storage class "fast" in environment alpha; available: standard');
  });

  test('a network exception naming an unknown app', () => {
    rejects(shop({ network: { allowFrom: [{ tenant: 'data', app: 'api' }] } }), 'network.allowFrom[0].app: unknown app "api"; apps: web');
  });

  test('a file that does not load at all', () => {
    ws.write('apps/shop/tenant.ts', 'export default defineTenant({');
    const result = ws.cli('synth');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error: apps\/shop\/tenant\.ts: invalid tenant\n {2}\(document\): could not be loaded: /);
    expect(ws.snapshot()).toEqual(before);
  });
});

describe('conflicts between tenants name both tenants', () => {
  let ws: FixtureWorkspace;
  afterEach(() => ws.dispose());

  test('two tenants with the same namespace (a stack of one is the other\'s name)', () => {
    ws = FixtureWorkspace.create({
      'environments/alpha.ts': fixtureEnvironment('alpha'),
      'apps/shop/tenant.ts': tenant({ name: 'shop', team: 't', costCenter: 'c', owners: { admins: ['a'] }, environments: ['alpha'], stacks: { names: ['blue', 'green'], live: 'blue' }, apps: [WEB] }),
      'apps/shop-blue/tenant.ts': tenant({ name: 'shop-blue', team: 't', costCenter: 'c', owners: { admins: ['a'] }, environments: ['alpha'], apps: [WEB] }),
    });
    const result = ws.cli('synth');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('tenant "shop" (alpha) and tenant "shop-blue" (alpha) both render Namespace "shop-blue" (dist/alpha/cluster/namespace-shop-blue.yaml)');
    expect(ws.snapshot()).toEqual({});
  });

  test('the same clash made by changing one tenant (an incremental synth) leaves dist/ as it was', () => {
    const shop = (stacks: boolean) => tenant({ name: 'shop', team: 't', costCenter: 'c', owners: { admins: ['a'] }, environments: ['alpha'], ...(stacks ? { stacks: { names: ['blue', 'green'], live: 'blue' } } : {}), apps: [WEB] });
    ws = FixtureWorkspace.create({
      'environments/alpha.ts': fixtureEnvironment('alpha'),
      'apps/shop/tenant.ts': shop(false),
      'apps/shop-blue/tenant.ts': tenant({ name: 'shop-blue', team: 't', costCenter: 'c', owners: { admins: ['a'] }, environments: ['alpha'], apps: [WEB] }),
    });
    expect(ws.cli('synth').status).toBe(0);
    const before = ws.snapshot();
    ws.write('apps/shop/tenant.ts', shop(true));
    const result = ws.cli('synth');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('tenant "shop" (alpha) and tenant "shop-blue" (alpha) both render Namespace "shop-blue" (dist/alpha/cluster/namespace-shop-blue.yaml)');
    expect(ws.snapshot()).toEqual(before);
  });

  test('two tenants claiming the same Ingress host and path', () => {
    ws = FixtureWorkspace.create({
      'environments/alpha.ts': fixtureEnvironment('alpha'),
      'apps/shop/tenant.ts': tenant({ name: 'shop', team: 't', costCenter: 'c', owners: { admins: ['a'] }, environments: ['alpha'], apps: [{ ...WEB, ingress: { host: 'www' } }] }),
      'apps/blog/tenant.ts': tenant({ name: 'blog', team: 't', costCenter: 'c', owners: { admins: ['a'] }, environments: ['alpha'], apps: [{ ...WEB, name: 'site', ingress: { host: 'www.alpha.example.test' } }] }),
    });
    const result = ws.cli('synth');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('tenant "blog" (alpha) (Ingress blog/site) and tenant "shop" (alpha) (Ingress shop/web) both route https://www.alpha.example.test/');
    expect(ws.snapshot()).toEqual({});
  });
});
