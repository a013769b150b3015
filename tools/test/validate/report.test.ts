import { UserError } from '../../src/errors';
import { main } from '../../src/cli';
import { REPO_ROOT } from '../../src/testing/fixture-workspace';
import { STAGED_REPORT_LIMIT, formatText, validateStagedTree } from '../../src/validate';
import { ENVIRONMENTS, FixtureTree, clone, deployment, goodAddon, goodTenant } from './fixtures';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DEPLOY = 'test/tenants/shop/workloads/deployment-web.yaml';

/** The good tenant with one error (no readiness probe) and the add-on (one exception). */
function brokenTree(): FixtureTree {
  const files: Record<string, Json> = { ...clone(goodTenant()), ...clone(goodAddon()) };
  delete files[DEPLOY].spec.template.spec.containers[0].readinessProbe;
  return new FixtureTree(files);
}

/** Runs `platformctl validate ...` in this process; returns exit code and what it printed. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => { out.push(String(chunk)); return true; });
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => { err.push(String(chunk)); return true; });
  try {
    const code = await main(['node', 'platformctl', ...args, '--root', REPO_ROOT]);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

describe('platformctl validate', () => {
  let tree: FixtureTree;
  beforeEach(() => { tree = brokenTree(); });
  afterEach(() => tree.dispose());

  test('--format json prints one stable object: version, summary, findings, exceptions; exit 1 on errors', async () => {
    const { code, stdout } = await cli('validate', '--dir', tree.dir, '--format', 'json');
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(Object.keys(report)).toEqual(['version', 'summary', 'findings', 'exceptions']);
    expect(report.version).toBe(1);
    expect(report.summary).toEqual({ files: 13, objects: 13, errors: 1, warnings: 0, exceptions: 1 });
    expect(report.findings).toEqual([{
      file: `${tree.dir}/${DEPLOY}`,
      object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' },
      rule: 'probes',
      severity: 'error',
      path: 'spec.template.spec.containers[0].readinessProbe',
      message: 'container "web" has no readiness probe',
      hint: 'add readinessProbe and livenessProbe (httpGet on the health endpoint, or tcpSocket on the serving port)',
    }]);
    expect(report.exceptions).toEqual([{
      file: `${tree.dir}/test/addons/agent/daemonset-agent.yaml`,
      object: { apiVersion: 'apps/v1', kind: 'DaemonSet', namespace: 'agent', name: 'agent' },
      rule: 'host-access',
      reason: 'reads container logs from the node (/var/log, read-only)',
    }]);
  });

  test('the text report groups by file and object, lists exceptions, ends with the counts, and has no colours when piped', async () => {
    const { code, stdout } = await cli('validate', '--dir', `${tree.dir}/test`);
    expect(code).toBe(1);
    expect(stdout).toBe([
      `${tree.dir}/${DEPLOY}`,
      '  Deployment shop/web (apps/v1)',
      '    error probes spec.template.spec.containers[0].readinessProbe: container "web" has no readiness probe',
      '      fix: add readinessProbe and livenessProbe (httpGet on the health endpoint, or tcpSocket on the serving port)',
      '',
      'Policy exceptions (1):',
      `  host-access DaemonSet agent/agent ${tree.dir}/test/addons/agent/daemonset-agent.yaml`,
      '    reads container logs from the node (/var/log, read-only)',
      '',
      'validate: 13 files, 13 objects, 1 error, 0 warnings, 1 exception',
      '',
    ].join('\n'));
  });

  test('a clean tree exits 0; a missing directory and a bad --format are errors', async () => {
    const clean = new FixtureTree(goodTenant());
    try {
      const ok = await cli('validate', '--dir', clean.dir);
      expect(ok.stdout).toBe('validate: 10 files, 10 objects, 0 errors, 0 warnings, 0 exceptions\n');
      expect(ok.code).toBe(0);
    } finally {
      clean.dispose();
    }
    const missing = await cli('validate', '--dir', `${tree.dir}/nowhere`);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no such directory');
    expect((await cli('validate', '--format', 'xml')).code).toBe(2);
  });
});

describe('the synth gate (validateStagedTree)', () => {
  test('returns quietly on a clean tree', () => {
    const tree = new FixtureTree({ ...goodTenant(), ...goodAddon() });
    try {
      expect(() => validateStagedTree({ root: tree.dir, envs: ['test'], environments: ENVIRONMENTS })).not.toThrow();
    } finally {
      tree.dispose();
    }
  });

  test('throws a UserError whose message is the error report, capped, with the counts', () => {
    const files: Record<string, Json> = clone(goodTenant());
    for (let i = 0; i < 30; i++) {
      const d = deployment(`app-${i}`, 'shop', 'tenant.shop', 'worker');
      delete d.spec.template.spec.containers[0].readinessProbe;
      delete d.spec.template.spec.containers[0].livenessProbe;
      files[`test/tenants/shop/workloads/deployment-app-${i}.yaml`] = d;
    }
    const tree = new FixtureTree(files);
    try {
      let error: unknown;
      try {
        validateStagedTree({ root: tree.dir, envs: ['test'], environments: ENVIRONMENTS });
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(UserError);
      const message = (error as Error).message;
      expect(message).toMatch(/^validation failed; dist\/ was left unchanged\n/);
      expect(message.match(/error probes/g)).toHaveLength(STAGED_REPORT_LIMIT);
      expect(message).toContain(`… and ${60 - STAGED_REPORT_LIMIT} more`);
      expect(message).toContain('validate: 40 files, 40 objects, 60 errors, 0 warnings, 0 exceptions');
      expect(message).toContain('platformctl validate --dir');
    } finally {
      tree.dispose();
    }
  });

  test('the text report is plain without a terminal and coloured with one', () => {
    const tree = brokenTree();
    try {
      const report = (() => { try { validateStagedTree({ root: tree.dir, envs: ['test'], environments: ENVIRONMENTS }); } catch (e) { return (e as Error).message; } return ''; })();
      expect(report).not.toMatch(/\x1b\[/); // eslint-disable-line no-control-regex
      const coloured = formatText({ files: 1, objects: 1, errors: 1, warnings: 0, exceptions: [], findings: [{ file: 'f', rule: 'probes', severity: 'error', path: 'p', message: 'm', hint: 'h' }] }, { color: true });
      expect(coloured).toMatch(/\x1b\[31merror/); // eslint-disable-line no-control-regex
    } finally {
      tree.dispose();
    }
  });
});
