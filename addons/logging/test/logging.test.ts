import { environmentSchema, platformContext } from '@platform/environments';
import { IMAGES, image } from '../../versions';
import addon from '../src';
import prod from '../../../environments/prod';
import test_ from '../../../environments/test';
import { EXTERNAL, SettingsInput, find, podSpec, render } from './render';

const WORKLOADS = ['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob'];
const modes = { 'in-cluster Elasticsearch': render(), 'external Elasticsearch': render(EXTERNAL) };

describe.each(Object.entries(modes))('the add-on with %s', (_mode, objects) => {
  const workloads = objects.filter((o) => WORKLOADS.includes(o.kind));

  test('renders no Secret: credentials are references to Secrets made outside git', () => {
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  test('places every pod that is not a DaemonSet on core nodes, tolerating their taint', () => {
    for (const w of workloads.filter((o) => o.kind !== 'DaemonSet')) {
      const pod = podSpec(w);
      expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms)
        .toEqual([{ matchExpressions: [{ key: 'node-type', operator: 'In', values: ['core'] }] }]);
      expect(pod.tolerations).toEqual([{ key: 'node-type', operator: 'Equal', value: 'core', effect: 'NoSchedule' }]);
    }
  });

  test('gives every container requests and limits, and long-running ones readiness and liveness probes', () => {
    for (const w of workloads) {
      const pod = podSpec(w);
      for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
        expect(c.resources).toEqual({ requests: expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }), limits: expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }) });
        expect(c.imagePullPolicy).toBe('IfNotPresent');
      }
      if (w.kind !== 'CronJob') {
        for (const c of pod.containers) {
          expect([w.metadata.name, c.readinessProbe !== undefined, c.livenessProbe !== undefined]).toEqual([w.metadata.name, true, true]);
        }
      }
    }
  });

  test('runs only images of the versions table', () => {
    const known = Object.values(IMAGES.logging).map(image);
    const used = workloads.flatMap((w) => [...(podSpec(w).initContainers ?? []), ...podSpec(w).containers]).map((c: any) => c.image);
    for (const i of used) expect(known).toContain(i);
  });

  test('puts everything in its two namespaces: logging (restricted) and logging-agent (privileged, fluentd only)', () => {
    expect(find(objects, 'Namespace', 'logging').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(find(objects, 'Namespace', 'logging-agent').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    const clusterScoped = ['Namespace', 'ClusterRole', 'ClusterRoleBinding'];
    for (const o of objects.filter((x) => !clusterScoped.includes(x.kind))) {
      expect([o.kind, o.metadata.name, ['logging', 'logging-agent'].includes(o.metadata.namespace)]).toEqual([o.kind, o.metadata.name, true]);
    }
    const agentWorkloads = workloads.filter((w) => w.metadata.namespace === 'logging-agent').map((w) => `${w.kind}/${w.metadata.name}`);
    expect(agentWorkloads).toEqual(['DaemonSet/fluentd']);
  });

  test('selects pods by recommended labels, never by construct address', () => {
    expect(JSON.stringify(objects)).not.toContain('cdk8s.io/metadata.addr');
  });
});

describe('settings', () => {
  const issues = (input: unknown): string[] => {
    const result = addon.settings.safeParse(input);
    return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  test('default to an in-cluster Elasticsearch and one Kibana', () => {
    const s = addon.settings.parse({});
    expect(s.elasticsearch.mode).toBe('in-cluster');
    expect(s.kibana.replicas).toBe(1);
  });

  test('reject a heap above half the memory limit', () => {
    expect(issues({ elasticsearch: { mode: 'in-cluster', heap: '1Gi' } })).toEqual(['elasticsearch.heap: must be at most half of resources.limits.memory (1Gi)']);
  });

  test('reject an index prefix that Elasticsearch would turn into a data stream', () => {
    expect(issues({ fluentd: { indexPrefix: 'logs-prod' } })[0]).toMatch(/^fluentd.indexPrefix: must not start with logs-/);
  });

  test('require the credentials Secrets of an external Elasticsearch', () => {
    expect(issues({ elasticsearch: { mode: 'external', host: 'es.example.com' } })).toEqual([
      'elasticsearch.credentialsSecret: Invalid input: expected object, received undefined',
      'elasticsearch.kibanaCredentialsSecret: Invalid input: expected object, received undefined',
    ]);
  });

  test('reject a buffer smaller than four chunks', () => {
    expect(issues({ fluentd: { buffer: { chunkLimitSize: '64Mi', totalLimitSize: '128Mi' } } }))
      .toEqual(['fluentd.buffer.totalLimitSize: must hold at least 4 chunks (4 x chunkLimitSize 64Mi)']);
  });
});

describe('the environments', () => {
  const renderEnvironment = (spec: unknown): any[] => {
    const env = environmentSchema.parse(spec);
    return render(env.addons.logging as SettingsInput, platformContext(env));
  };

  test('prod keeps Elasticsearch outside the cluster, behind elasticsearch.logging.svc, and runs two Kibanas', () => {
    const objects = renderEnvironment(prod);
    expect(find(objects, 'Service', 'elasticsearch', 'logging').spec).toEqual({ type: 'ExternalName', externalName: 'logs.es.prod.example.com' });
    expect(objects.filter((o) => o.kind === 'StatefulSet')).toEqual([]);
    expect(find(objects, 'Deployment', 'kibana').spec.replicas).toBe(2);
    expect(find(objects, 'Ingress', 'kibana').spec.rules[0].host).toBe('kibana.example.com');
  });

  test('test runs a small single-node Elasticsearch on its default storage class and one Kibana', () => {
    const objects = renderEnvironment(test_);
    const sts = find(objects, 'StatefulSet', 'elasticsearch');
    expect(sts.spec.volumeClaimTemplates[0].spec).toMatchObject({ storageClassName: 'standard', resources: { requests: { storage: '10Gi' } } });
    expect(find(objects, 'Deployment', 'kibana').spec.replicas).toBe(1);
    expect(find(objects, 'Ingress', 'kibana').spec.rules[0].host).toBe('kibana.test.example.com');
  });
});
