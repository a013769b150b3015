import * as kplus from 'cdk8s-plus-28';
import { Placement } from '../src';
import { synth, testChart, testContext } from './helpers';

function podSpec(placement: Placement): any {
  const chart = testChart();
  const deployment = new kplus.Deployment(chart, 'd', { containers: [{ image: 'busybox:1.36' }] });
  placement.applyTo(deployment);
  return synth(chart).find((o) => o.kind === 'Deployment').spec.template.spec;
}

describe('Placement', () => {
  test('core: requires node-type=core and tolerates the core pools\' taints only', () => {
    const spec = podSpec(Placement.core(testContext()));
    expect(spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: 'node-type', operator: 'In', values: ['core'] }] },
    ]);
    expect(spec.tolerations).toEqual([{ key: 'node-type', operator: 'Equal', value: 'core', effect: 'NoSchedule' }]);
  });

  test('worker: requires node-type=worker and tolerates every worker pool\'s taints', () => {
    const spec = podSpec(Placement.worker(testContext()));
    expect(spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions)
      .toEqual([{ key: 'node-type', operator: 'In', values: ['worker'] }]);
    expect(spec.tolerations).toEqual([{ key: 'spot', operator: 'Exists', effect: 'NoSchedule' }]);
  });

  test('everywhere: no node affinity, tolerates every taint', () => {
    const spec = podSpec(Placement.everywhere());
    expect(spec.affinity).toBeUndefined();
    expect(spec.tolerations).toEqual([{ operator: 'Exists' }]);
  });

  test('an environment without a pool of the role is an error that names it', () => {
    const ctx = testContext({ nodePools: testContext().nodePools.filter((p) => p.role !== 'core') });
    expect(() => Placement.core(ctx)).toThrow('environment test has no node pool with role "core"');
  });
});
