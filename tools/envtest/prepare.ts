/**
 * Finding or building the binaries of the cluster tier (used once per run by global-setup.ts, and by testing.ts).
 * No jest globals here: global-setup.ts runs outside the test environment.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { findAssets } from './control-plane';

/** The Kubernetes minor under test: `ENVTEST_K8S_VERSION` (e.g. `1.37`), else 1.28 (the API this repository targets). */
export function envtestVersion(): string {
  return (process.env['ENVTEST_K8S_VERSION'] || '1.28').replace(/^v/, '');
}

/**
 * kube-apiserver flags of every cluster test, on top of control-plane.ts' own: test's preview write guard is an
 * `admissionregistration.k8s.io/v1beta1` ValidatingAdmissionPolicy, which 1.28 serves only with its feature gate and
 * the v1beta1 API switched on. From 1.30 the feature is GA and the gate no longer exists (naming it is an error).
 */
export function clusterApiserverArgs(version: string = envtestVersion()): string[] {
  const minor = Number(version.split('.')[1] ?? 0);
  return [
    ...(minor < 30 ? ['--feature-gates=ValidatingAdmissionPolicy=true'] : []),
    '--runtime-config=admissionregistration.k8s.io/v1beta1=true',
  ];
}

/** Variables global-setup.ts hands to the test workers. */
export const ENVTEST_ENV = {
  assets: 'PLATFORM_ENVTEST_ASSETS',
  kubectl: 'PLATFORM_ENVTEST_KUBECTL',
  skip: 'PLATFORM_ENVTEST_SKIP',
  /** Set (to anything) to turn "skipped" into a failure: CI sets it, a skipped tier must not pass there. */
  required: 'ENVTEST_REQUIRED',
} as const;

export type Prepared = { readonly assets: string; readonly kubectl: string } | { readonly skip: string };

export function commandWorks(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return r.error === undefined && r.status === 0;
}

/**
 * Binaries for `version`: $KUBEBUILDER_ASSETS or build.sh's cache; if absent and Go is installed, tools/envtest/build.sh
 * builds them (minutes, progress on stderr). Without binaries and without Go, or without kubectl, the answer is why
 * the tier cannot run. A failed build throws.
 */
export function prepareClusterTests(version: string = envtestVersion(), log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Prepared {
  let assets = findAssets(version);
  if (!assets) {
    if (!commandWorks('go', ['version'])) {
      return { skip: `no kube-apiserver/etcd ${version} binaries (set KUBEBUILDER_ASSETS or install Go to build them with tools/envtest/build.sh)` };
    }
    log(`cluster tests: no kube-apiserver/etcd ${version} binaries yet; building them with tools/envtest/build.sh --version ${version} `
      + '(first build: ~5 min on 2 idle cores for 1.28, ~7 min for 1.37, much longer on a busy machine; later runs reuse them)');
    const build = spawnSync(join(__dirname, 'build.sh'), ['--version', version], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`cluster tests: tools/envtest/build.sh --version ${version} failed (exit ${build.status ?? build.signal}); see its output above`);
    assets = build.stdout.trim().split('\n').pop();
    if (!assets) throw new Error('cluster tests: tools/envtest/build.sh printed no assets directory');
  }
  if (!commandWorks('kubectl', ['version', '--client'])) {
    return { skip: 'no kubectl on PATH (the tests and `platformctl preview` drive the API server with it)' };
  }
  return { assets, kubectl: 'kubectl' };
}
