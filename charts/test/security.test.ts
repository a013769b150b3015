import * as kplus from 'cdk8s-plus-28';
import { AppIdentity, RESOURCE_PRESETS, containerResources, restrictedContainer, restrictedPod, selectByIdentity } from '../src';
import { synth, testChart } from './helpers';

describe('restricted security context and resources', () => {
  const chart = testChart();
  const id = new AppIdentity({ name: 'api', partOf: 'shop', environment: 'test' });
  const deployment = new kplus.Deployment(chart, 'api', {
    select: false,
    podMetadata: { labels: id.labels },
    securityContext: restrictedPod(),
    containers: [{ image: 'api:1.0.0', securityContext: restrictedContainer(), resources: containerResources(RESOURCE_PRESETS.medium) }],
  });
  selectByIdentity(deployment, id);
  const pod = synth(chart).find((o) => o.kind === 'Deployment').spec.template;

  test('meets the Pod Security Standards restricted profile', () => {
    expect(pod.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532 });
    expect(pod.spec.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  test('renders requests and limits from quantities', () => {
    expect(pod.spec.containers[0].resources).toEqual({
      requests: { cpu: '100m', memory: '256Mi' },
      limits: { cpu: '500m', memory: '512Mi' },
    });
  });

  test('selects pods by recommended labels, not by the cdk8s construct address', () => {
    expect(JSON.stringify(pod)).not.toContain('cdk8s.io/metadata.addr');
    expect(pod.metadata.labels).toMatchObject(id.selectorLabels);
  });
});
