import { testContext } from '../../../charts/test/helpers';
import { EXTERNAL, EXTERNAL_ES, env, find, podSpec, render } from './render';

describe('in-cluster Elasticsearch', () => {
  const objects = render({ elasticsearch: { mode: 'in-cluster', storage: { size: '20Gi' }, heap: '768Mi', resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '1', memory: '2Gi' } } } });
  const sts = find(objects, 'StatefulSet', 'elasticsearch', 'logging');
  const pod = podSpec(sts);
  const es = pod.containers[0];

  test("claims its data volume on the environment's default storage class, with the configured size", () => {
    expect(sts.spec.volumeClaimTemplates).toEqual([expect.objectContaining({
      metadata: expect.objectContaining({ name: 'data' }),
      spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'standard', resources: { requests: { storage: '20Gi' } } },
    })]);
    expect(es.volumeMounts).toContainEqual({ name: 'data', mountPath: '/usr/share/elasticsearch/data' });
  });

  test('claims a named storage class when the settings give one, and rejects one the environment lacks', () => {
    const ctx = testContext({
      storageClasses: [
        ...testContext().storageClasses,
        { name: 'fast', provisioner: 'p', parameters: {}, reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true, default: false },
      ],
    });
    const named = find(render({ elasticsearch: { mode: 'in-cluster', storage: { storageClass: 'fast' } } }, ctx), 'StatefulSet', 'elasticsearch');
    expect(named.spec.volumeClaimTemplates[0].spec).toMatchObject({ storageClassName: 'fast', resources: { requests: { storage: '10Gi' } } });
    expect(() => render({ elasticsearch: { mode: 'in-cluster', storage: { storageClass: 'gp9' } } }))
      .toThrow('Elasticsearch storage class "gp9" is not one of environment test\'s: standard');
  });

  test('is a single node with the heap from the settings and no mmap (so no vm.max_map_count sysctl)', () => {
    expect(sts.spec.replicas).toBe(1);
    expect(env(es)).toMatchObject({
      'discovery.type': 'single-node',
      'ES_JAVA_OPTS': '-Xms768m -Xmx768m',
      'node.store.allow_mmap': 'false',
    });
  });

  test('runs restricted as uid 1000, with a writable copy of its config instead of a writable root filesystem', () => {
    for (const c of [...pod.initContainers, ...pod.containers]) {
      expect(c.securityContext).toMatchObject({
        runAsUser: 1000, runAsNonRoot: true, allowPrivilegeEscalation: false, privileged: false,
        readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] },
      });
    }
    expect(pod.securityContext).toMatchObject({ runAsUser: 1000, fsGroup: 1000, runAsNonRoot: true });
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['copy-config']);
    const configVolume = pod.volumes.find((v: any) => v.name === 'config');
    expect(configVolume.emptyDir).toEqual({});
    expect(sts.metadata.annotations ?? {}).toEqual({});
  });

  test('is ready when the cluster health is at least yellow', () => {
    expect(es.readinessProbe.httpGet).toMatchObject({ path: '/_cluster/health?wait_for_status=yellow&timeout=1s', port: 9200 });
    expect(es.livenessProbe).toBeDefined();
    expect(es.startupProbe.httpGet.path).toMatch(/^\/_cluster\/health/);
  });

  test('has a headless Service for the StatefulSet and the client Service "elasticsearch", both selecting its pods', () => {
    const headless = find(objects, 'Service', 'elasticsearch-headless', 'logging');
    const client = find(objects, 'Service', 'elasticsearch', 'logging');
    expect(sts.spec.serviceName).toBe('elasticsearch-headless');
    expect(headless.spec.clusterIP).toBe('None');
    for (const service of [headless, client]) {
      expect(service.spec.selector).toEqual(sts.spec.selector.matchLabels);
      expect(service.spec.ports).toContainEqual({ name: 'http', port: 9200, targetPort: 9200 });
    }
  });

  test('gets a retention policy: indices of the prefix are deleted after the configured days, with no replicas', () => {
    const withRetention = render({ elasticsearch: { mode: 'in-cluster', retentionDays: 3 }, fluentd: { indexPrefix: 'k8s-lab' } });
    const config = find(withRetention, 'ConfigMap', 'elasticsearch-retention', 'logging').data;
    expect(JSON.parse(config['ilm-policy.json']).policy.phases.delete).toEqual({ min_age: '3d', actions: { delete: {} } });
    expect(JSON.parse(config['index-template.json'])).toMatchObject({
      index_patterns: ['k8s-lab-*'],
      template: { settings: { 'index.lifecycle.name': 'k8s-lab-retention', 'index.number_of_replicas': 0 } },
    });
    expect(config['apply.sh']).toContain('es="http://elasticsearch.logging.svc:9200"');
    const job = find(withRetention, 'CronJob', 'elasticsearch-retention', 'logging');
    expect(podSpec(job).containers[0].command).toEqual(['bash', '/opt/retention/apply.sh']);
  });
});

describe('external Elasticsearch', () => {
  const objects = render(EXTERNAL);

  test('the elasticsearch Service in logging is an ExternalName to the configured host', () => {
    expect(find(objects, 'Service', 'elasticsearch', 'logging').spec).toEqual({ type: 'ExternalName', externalName: 'logs.es.internal.example.com' });
  });

  test('nothing stateful runs in the cluster', () => {
    for (const kind of ['StatefulSet', 'PersistentVolumeClaim', 'CronJob']) {
      expect(objects.filter((o) => o.kind === kind)).toEqual([]);
    }
  });

  test('an IP address is refused as host: an ExternalName is a CNAME', () => {
    expect(() => render({ elasticsearch: { ...EXTERNAL_ES, host: '10.1.2.3' } }))
      .toThrow('must be a DNS name, not an IP address');
  });
});
