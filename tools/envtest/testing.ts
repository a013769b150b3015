/**
 * The real-API-server test tier (`npm run test:cluster`, config tools/envtest/jest.cluster.config.js): finding or
 * building the binaries once per run (global-setup.ts), skipping every suite with one line when that is not
 * possible, one control plane per suite, and kubectl as an admin, as a token, or impersonating someone.
 *
 *   describeCluster('tenant isolation', () => {
 *     const cluster = useCluster();                      // beforeAll: start; afterAll: stop (also on failure)
 *     test('...', () => { expect(cluster().kubectl(['get', 'ns']).code).toBe(0); });
 *   });
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findAssets, startControlPlane, type ControlPlane } from './control-plane';
import { clusterApiserverArgs, commandWorks, ENVTEST_ENV, envtestVersion, type Prepared } from './prepare';

export { clusterApiserverArgs, envtestVersion } from './prepare';

/** What global-setup.ts decided; prepared here (without building) when a suite runs without it. */
function prepared(): Prepared {
  const skip = process.env[ENVTEST_ENV.skip];
  if (skip) return { skip };
  const assets = process.env[ENVTEST_ENV.assets];
  if (assets) return { assets, kubectl: process.env[ENVTEST_ENV.kubectl] || 'kubectl' };
  const found = findAssets(envtestVersion());
  if (!found) return { skip: `no kube-apiserver/etcd ${envtestVersion()} binaries (run tools/envtest/build.sh, or the tier with npm run test:cluster)` };
  return commandWorks('kubectl', ['version', '--client']) ? { assets: found, kubectl: 'kubectl' } : { skip: 'no kubectl on PATH' };
}

const setup = prepared();

/** Why the cluster tests are skipped in this run, or undefined when they run. */
export const clusterSkipReason: string | undefined = 'skip' in setup ? setup.skip : undefined;

/** `describe` when the tier can run, `describe.skip` when not (global-setup.ts printed why, once). */
export const describeCluster: jest.Describe = clusterSkipReason === undefined ? describe : describe.skip;

export interface KubectlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface KubectlOptions {
  /** stdin */
  readonly input?: string;
  /** Another kubeconfig (see TestCluster.tokenKubeconfig). @default the admin's */
  readonly kubeconfig?: string;
  /** Impersonate this user (needs the admin kubeconfig). */
  readonly as?: string;
  /** Impersonate these groups. */
  readonly asGroups?: readonly string[];
}

/** A running control plane and kubectl against it. */
export class TestCluster {
  readonly version: string;
  /** kubectl's discovery cache for this server (not ~/.kube/cache, which would collect one dir per random port). */
  private readonly cacheDir: string;

  constructor(readonly cp: ControlPlane, readonly kubectlBinary: string, version: string) {
    this.version = version;
    this.cacheDir = join(cp.dir, 'kube-cache');
    mkdirSync(this.cacheDir, { recursive: true });
  }

  /** Admin kubeconfig (system:masters). */
  get kubeconfig(): string {
    return this.cp.kubeconfig;
  }

  /** Environment for kubectl and for child processes that run it (`platformctl preview`). */
  get env(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, KUBECACHEDIR: this.cacheDir };
    delete env['KUBECONFIG'];
    delete env['KUBECTL_EXTERNAL_DIFF'];
    return env;
  }

  /** Runs kubectl; never throws for a non-zero exit. */
  kubectl(args: readonly string[], options: KubectlOptions = {}): KubectlResult {
    const argv = [
      '--kubeconfig', options.kubeconfig ?? this.kubeconfig,
      `--cache-dir=${this.cacheDir}`,
      ...(options.as ? [`--as=${options.as}`] : []),
      ...(options.asGroups ?? []).map((g) => `--as-group=${g}`),
      ...args,
    ];
    const r = spawnSync(this.kubectlBinary, argv, { input: options.input ?? '', encoding: 'utf8', env: this.env, maxBuffer: 256 * 2 ** 20 });
    if (r.error) throw r.error;
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  }

  /** kubectl that must succeed: returns stdout, throws with stderr otherwise. */
  kubectlOk(args: readonly string[], options: KubectlOptions = {}): string {
    const r = this.kubectl(args, options);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (exit ${r.code}):\n${r.stderr}`);
    return r.stdout;
  }

  /** A kubeconfig that authenticates with a bearer token (e.g. a ServiceAccount's), written into the control plane's dir. */
  tokenKubeconfig(name: string, token: string): string {
    const tls = this.cp.caCert
      ? `certificate-authority-data: ${Buffer.from(this.cp.caCert).toString('base64')}`
      : 'insecure-skip-tls-verify: true';
    const file = join(this.cp.dir, `${name}.kubeconfig`);
    writeFileSync(file, [
      'apiVersion: v1',
      'kind: Config',
      `clusters: [{name: envtest, cluster: {server: "${this.cp.server}", ${tls}}}]`,
      `users: [{name: ${name}, user: {token: "${token}"}}]`,
      `contexts: [{name: ${name}, context: {cluster: envtest, user: ${name}}}]`,
      `current-context: ${name}`,
      '',
    ].join('\n'), { mode: 0o600 });
    return file;
  }

  /** A short-lived token of a ServiceAccount (`kubectl create token`, signed by the control plane's key). */
  serviceAccountToken(namespace: string, name: string): string {
    return this.kubectlOk(['create', 'token', name, '-n', namespace, '--duration=1h']).trim();
  }
}

export interface UseClusterOptions {
  /** kube-apiserver flags added to clusterApiserverArgs(). */
  readonly apiserverArgs?: readonly string[];
  /** beforeAll timeout. @default 180000 */
  readonly startTimeoutMs?: number;
}

/**
 * Starts one control plane for the enclosing describe block (beforeAll) and stops it in afterAll, which jest runs
 * also when tests or the beforeAll failed. Returns an accessor (the cluster exists only once beforeAll ran).
 */
export function useCluster(options: UseClusterOptions = {}): () => TestCluster {
  let cluster: TestCluster | undefined;
  let previousCacheDir: string | undefined;
  beforeAll(async () => {
    if ('skip' in setup) throw new Error(`cluster tests cannot run: ${setup.skip}`);
    const version = envtestVersion();
    const cp = await startControlPlane({
      assets: setup.assets,
      version,
      apiserverArgs: [...clusterApiserverArgs(version), ...(options.apiserverArgs ?? [])],
    });
    cluster = new TestCluster(cp, setup.kubectl, version);
    // kubectl run by code under test (tools/src/preview's Kubectl) inherits this: no ~/.kube/cache dir per port.
    previousCacheDir = process.env['KUBECACHEDIR'];
    process.env['KUBECACHEDIR'] = cluster.env['KUBECACHEDIR'];
  }, options.startTimeoutMs ?? 180_000);
  afterAll(async () => {
    if (previousCacheDir === undefined) delete process.env['KUBECACHEDIR'];
    else process.env['KUBECACHEDIR'] = previousCacheDir;
    await cluster?.cp.stop();
  }, 30_000);
  return () => {
    if (!cluster) throw new Error('the control plane did not start (see the beforeAll error)');
    return cluster;
  };
}
