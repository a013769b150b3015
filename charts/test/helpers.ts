import { App, Chart, Testing } from 'cdk8s';
import { PlatformContext } from '../src';

/** A platform context like a small real environment: tainted core pool, untainted worker pool. */
export function testContext(overrides: Partial<PlatformContext> = {}): PlatformContext {
  return {
    environment: 'test',
    domain: 'test.example.com',
    cluster: { name: 'c', provider: { type: 'generic' }, kubernetesVersion: '1.28', apiServerUrl: 'https://127.0.0.1:6443' },
    nodePools: [
      { name: 'core', role: 'core', instanceType: 'x', minSize: 1, maxSize: 2, taints: [{ key: 'node-type', value: 'core', effect: 'NoSchedule' }] },
      { name: 'spot', role: 'worker', instanceType: 'g', minSize: 0, maxSize: 2, taints: [{ key: 'spot', effect: 'NoSchedule' }] },
      { name: 'worker', role: 'worker', instanceType: 'y', minSize: 1, maxSize: 3, taints: [] },
    ],
    storageClasses: [{ name: 'standard', provisioner: 'p', parameters: {}, reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true, default: true }],
    ingress: { clusterIssuer: 'letsencrypt' },
    ...overrides,
  };
}

export function testChart(): Chart {
  // not Testing.app(): that makes a temp outdir per call, never removed
  return new Chart(new App(), 'test', { disableResourceNameHashes: true });
}

/** Synthesizes a chart (with its App's validation) into plain objects. */
export function synth(chart: Chart): any[] {
  App.of(chart);
  return Testing.synth(chart);
}
