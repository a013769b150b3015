import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FixtureWorkspace, fixtureEnvironment } from '../src/testing/fixture-workspace';

describe('npm run new-tenant -- <name>', () => {
  let ws: FixtureWorkspace;
  beforeEach(() => {
    ws = FixtureWorkspace.create({
      'environments/alpha.ts': fixtureEnvironment('alpha'),
      'environments/beta.ts': fixtureEnvironment('beta'),
      'environments/gamma.ts': fixtureEnvironment('gamma').replace("tenants: 'all',", "tenants: ['legacy'],"),
      'apps/legacy/tenant.ts': `import { defineTenant } from '@platform/charts';
export default defineTenant({ name: 'legacy', team: 'l', costCenter: 'c', owners: { admins: ['l'] }, environments: ['gamma'] });
`,
    });
  });
  afterEach(() => ws.dispose());

  test('creates apps/<name>/tenant.ts that synthesizes without edits, in every environment that admits it', () => {
    const created = ws.cli('new-tenant', 'payments', '--team', 'payments-team', '--admins', 'pay-admins,sre');
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    expect(created.stdout).toContain('created apps/payments/tenant.ts (environments: alpha, beta)');
    expect(created.stdout).toContain('not added to gamma: those environments list their tenants; add "payments" there to run it');
    expect(created.stdout).toContain('npm run synth -- --only tenant/payments');
    const file = ws.read('apps/payments/tenant.ts');
    expect(file).toContain("team: 'payments-team'");
    expect(file).toContain("admins: ['pay-admins', 'sre']");
    expect(file).toContain("image: 'nginxinc/nginx-unprivileged:1.27.3'");

    const synth = ws.cli('synth');
    expect(synth.stderr).toBe('');
    expect(synth.status).toBe(0);
    const files = Object.keys(ws.snapshot());
    for (const env of ['alpha', 'beta']) {
      expect(files).toContain(`${env}/cluster/namespace-payments.yaml`);
      expect(files).toContain(`${env}/tenants/payments/workloads/deployment-web.yaml`);
      expect(files).toContain(`${env}/tenants/payments/guardrails/resourcequota-tenant-quota.yaml`);
    }
    expect(files.some((f) => f.startsWith('gamma/tenants/payments/'))).toBe(false);
  });

  test('refuses a name that is not a DNS-1123 label (exit 1, nothing written)', () => {
    const result = ws.cli('new-tenant', 'Payments_Team');
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('error: tenant name "Payments_Team" is invalid: it must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters\n');
    expect(existsSync(join(ws.root, 'apps', 'Payments_Team'))).toBe(false);
  });

  test('refuses an existing tenant (exit 1, the file is untouched)', () => {
    const before = ws.read('apps/legacy/tenant.ts');
    const result = ws.cli('new-tenant', 'legacy');
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('error: tenant "legacy" already exists (apps/legacy/tenant.ts); edit that file instead\n');
    expect(ws.read('apps/legacy/tenant.ts')).toBe(before);
  });

  test('refuses Kubernetes\' and the platform\'s namespaces', () => {
    expect(ws.cli('new-tenant', 'kube-tools').stderr).toBe('error: tenant name "kube-tools" is reserved for Kubernetes ("default" and "kube-*" namespaces); choose another name\n');
    const monitoring = ws.cli('new-tenant', 'monitoring');
    expect(monitoring.status).toBe(1);
    expect(monitoring.stderr).toBe('error: tenant name "monitoring" is reserved for a platform namespace; choose another name\n');
  });

  test('a missing name is a usage error (exit 2)', () => {
    const result = ws.cli('new-tenant');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("missing required argument 'name'");
  });
});
