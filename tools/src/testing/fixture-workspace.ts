import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { listFiles } from '../synth/output';

/** The repository this code lives in. */
export const REPO_ROOT = resolve(__dirname, '../../..');
export const CLI = join(REPO_ROOT, 'tools', 'bin', 'platformctl.js');

/** A small environment for fixtures: generic provider, one core and one worker pool. */
export function fixtureEnvironment(name: string, overrides: string = ''): string {
  return `import { defineEnvironment } from '@platform/environments';
export default defineEnvironment({
  name: '${name}',
  cluster: { name: 'fixture-${name}', provider: { type: 'generic' }, kubernetesVersion: '1.28', apiServerUrl: 'https://127.0.0.1:6443' },
  domain: '${name}.example.test',
  nodePools: [
    { name: 'core', role: 'core', instanceType: 'small', minSize: 1, maxSize: 2, taints: [{ key: 'node-type', value: 'core', effect: 'NoSchedule' }] },
    { name: 'worker', role: 'worker', instanceType: 'large', minSize: 1, maxSize: 3 },
  ],
  storageClasses: [{ name: 'standard', provisioner: 'rancher.io/local-path', default: true }],
  ingress: { clusterIssuer: 'selfsigned' },
  gitops: { repoUrl: 'https://git.example.test/platform.git', revision: 'main', engines: ['argocd', 'flux'], preview: { writeGuard: 'none' } },
  addons: {},
  tenants: 'all',
  ${overrides}
});
`;
}

export function fixtureTenant(name: string, environments: string[], extra = ''): string {
  return `import { defineTenant } from '@platform/charts';
export default defineTenant({
  name: '${name}',
  team: 'team-${name}',
  costCenter: 'cc-42',
  owners: { admins: ['${name}-admins'], viewers: ['${name}-devs'] },
  environments: ${JSON.stringify(environments)},
  apps: [{ kind: 'web', name: 'web', image: 'nginxinc/nginx-unprivileged:1.27.3', port: 8080 }],
  ${extra}
});
`;
}

export interface CliResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * A throwaway platform repository in the temp dir: environments/, apps/, addons/ as given, plus a
 * node_modules link to this repository's, so fixture files import @platform/* like real ones do.
 */
export class FixtureWorkspace {
  readonly root: string;

  static create(files: Record<string, string>, options: { copyAddons?: boolean } = {}): FixtureWorkspace {
    const ws = new FixtureWorkspace(mkdtempSync(join(tmpdir(), 'platform-fixture-')));
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(ws.root, 'node_modules'), 'dir');
    ws.write('package.json', JSON.stringify({ name: 'fixture', private: true }));
    mkdirSync(join(ws.root, 'environments'), { recursive: true });
    if (options.copyAddons) cpSync(join(REPO_ROOT, 'addons'), join(ws.root, 'addons'), { recursive: true });
    for (const [path, content] of Object.entries(files)) ws.write(path, content);
    return ws;
  }

  private constructor(root: string) {
    this.root = root;
  }

  write(path: string, content: string): void {
    const target = join(this.root, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }

  read(path: string): string {
    return readFileSync(join(this.root, path), 'utf8');
  }

  remove(path: string): void {
    rmSync(join(this.root, path), { recursive: true, force: true });
  }

  /** Runs the real CLI as a child process, as a user would. */
  cli(...args: string[]): CliResult {
    const result = spawnSync(process.execPath, [CLI, ...args, '--root', this.root], {
      cwd: this.root,
      encoding: 'utf8',
      env: { ...process.env, CI: '1', FORCE_COLOR: '0', NO_COLOR: '1' },
    });
    return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
  }

  /** Every file under dist/ (or another directory) with its content, for byte-for-byte comparisons. */
  snapshot(dir = 'dist'): Record<string, string> {
    const base = join(this.root, dir);
    return Object.fromEntries(listFiles(base).map((f) => [f, readFileSync(join(base, f), 'utf8')]));
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.root, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
