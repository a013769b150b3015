/**
 * jest globalSetup of the cluster tier (jest.cluster.config.js): runs once, before any worker starts. Finds (or
 * builds) the kube-apiserver/etcd binaries and hands the result to the workers through the environment, so a build
 * happens once, not once per test file, and a skip is announced in one line, not once per suite.
 */
import { ENVTEST_ENV, envtestVersion, prepareClusterTests } from './prepare';

export default function globalSetup(): void {
  const version = envtestVersion();
  const prepared = prepareClusterTests(version);
  if ('skip' in prepared) {
    if (process.env[ENVTEST_ENV.required]) {
      throw new Error(`cluster tests cannot run (${ENVTEST_ENV.required} is set): ${prepared.skip}`);
    }
    process.env[ENVTEST_ENV.skip] = prepared.skip;
    process.stderr.write(`\ncluster tests skipped: ${prepared.skip}\n`);
    return;
  }
  process.env[ENVTEST_ENV.assets] = prepared.assets;
  process.env[ENVTEST_ENV.kubectl] = prepared.kubectl;
  process.stderr.write(`\ncluster tests: Kubernetes ${version}, kube-apiserver + etcd from ${prepared.assets}\n`);
}
