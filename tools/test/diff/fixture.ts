import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Manifest, toYaml } from '../../src/synth/manifest';
import { CLI, CliResult } from '../../src/testing/fixture-workspace';
import { Workspace } from '../../src/workspace';

const GIT_ENV = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.test', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.test' };

/** An object as the synth renders it: ownership labels for `unit` ("cluster", "addon.x", "tenant.x"). */
export function object(env: string, unit: string, apiVersion: string, kind: string, name: string, namespace: string | undefined, body: Record<string, unknown> = {}): Manifest {
  return {
    apiVersion,
    kind,
    metadata: {
      name,
      ...(namespace ? { namespace } : {}),
      labels: { 'app.kubernetes.io/managed-by': 'platformctl', 'platform.example.com/environment': env, 'platform.example.com/unit': unit },
    },
    ...body,
  };
}

export function deployment(env: string, tenant: string, name: string, replicas = 2, extra: Record<string, unknown> = {}): Manifest {
  return object(env, `tenant.${tenant}`, 'apps/v1', 'Deployment', name, tenant, {
    spec: {
      replicas,
      selector: { matchLabels: { 'app.kubernetes.io/name': name } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': name } },
        spec: { containers: [{ name, image: 'registry.example.test/web:1.0.0', ...extra }] },
      },
    },
  });
}

/**
 * A throwaway git repository shaped like the platform repository (package.json, environments/, dist/),
 * for diff tests: write dist/ files, commit, change them, compare.
 */
export class DiffRepo {
  readonly root: string;

  constructor() {
    this.root = mkdtempSync(join(tmpdir(), 'platform-diff-'));
    this.write('package.json', '{"name":"fixture","private":true}\n');
    mkdirSync(join(this.root, 'environments'));
    this.git('init', '-q', '-b', 'main');
  }

  get workspace(): Workspace {
    return new Workspace(this.root);
  }

  write(path: string, content: string): void {
    const target = join(this.root, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }

  /** Writes an object to dist/<path> the way the synth does (canonical YAML). */
  put(path: string, manifest: Manifest): void {
    this.write(`dist/${path}`, toYaml(manifest));
  }

  remove(path: string): void {
    rmSync(join(this.root, path), { recursive: true, force: true });
  }

  move(from: string, to: string): void {
    mkdirSync(dirname(join(this.root, to)), { recursive: true });
    renameSync(join(this.root, from), join(this.root, to));
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.root, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } });
  }

  commit(message = 'change'): string {
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD').trim();
  }

  /** The real CLI, as CI runs it (no colours: piped). */
  cli(...args: string[]): CliResult {
    const result = spawnSync(process.execPath, [CLI, ...args, '--root', this.root], {
      cwd: this.root,
      encoding: 'utf8',
      env: { ...process.env, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
