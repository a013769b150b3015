import { FixtureWorkspace, fixtureEnvironment, fixtureTenant } from '../../src/testing/fixture-workspace';

// An add-on that renders a Secret with data when told to: the synth must refuse to swap it into dist/.
const LEAKY_ADDON = `import { ApiObject } from 'cdk8s';
import { defineAddon } from '@platform/charts';
import { z } from 'zod';
export default defineAddon({
  name: 'leaky',
  description: 'renders a ConfigMap, and a Secret with data when told to',
  settings: z.strictObject({ leak: z.boolean().default(false) }),
  render(scope, ctx, settings) {
    new ApiObject(scope, 'config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'leaky', namespace: 'default' }, data: { env: ctx.environment } });
    if (settings.leak) {
      new ApiObject(scope, 'secret', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'leaky', namespace: 'default' }, stringData: { password: 'hunter2' } });
    }
  },
});
`;

describe('synth runs the validation gate before the swap', () => {
  let ws: FixtureWorkspace;
  beforeAll(() => {
    ws = FixtureWorkspace.create({
      'environments/alpha.ts': fixtureEnvironment('alpha').replace('addons: {},', 'addons: { leaky: {} },'),
      'apps/shop/tenant.ts': fixtureTenant('shop', ['alpha']),
      'addons/leaky/src/index.ts': LEAKY_ADDON,
      'addons/leaky/package.json': '{"name":"@fixture/leaky"}',
    });
  });
  afterAll(() => ws.dispose());

  test('a failing validation leaves dist/ untouched and prints the report; --no-validate skips the gate', () => {
    const first = ws.cli('synth');
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const before = ws.snapshot();

    ws.write('environments/alpha.ts', fixtureEnvironment('alpha').replace('addons: {},', 'addons: { leaky: { leak: true } },'));
    const failed = ws.cli('synth');
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('validation failed; dist/ was left unchanged');
    expect(failed.stderr).toContain('dist/alpha/addons/leaky/secret-leaky.yaml');
    expect(failed.stderr).toContain('error no-secret-data stringData: Secret carries stringData (password) in git');
    expect(ws.snapshot()).toEqual(before);

    const skipped = ws.cli('synth', '--no-validate');
    expect(skipped.status).toBe(0);
    expect(Object.keys(ws.snapshot())).toContain('alpha/addons/leaky/secret-leaky.yaml');

    const validate = ws.cli('validate', '--format', 'json');
    expect(validate.status).toBe(1);
    expect(JSON.parse(validate.stdout).findings.map((f: { rule: string; file: string }) => `${f.rule} ${f.file}`))
      .toEqual(['no-secret-data dist/alpha/addons/leaky/secret-leaky.yaml']);
  });
});
