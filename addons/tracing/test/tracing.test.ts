import { PLATFORM_ENDPOINTS } from '@platform/charts';
import { testContext } from '../../../charts/test/helpers';
import { settings } from '../src';
import { find, parseYaml, podSpec, render } from './helpers';

const otlp = PLATFORM_ENDPOINTS.otelCollector;
const elasticsearch = {
  type: 'elasticsearch' as const,
  serverUrls: ['https://logs.es.example.com:9200'],
  credentialsSecret: { name: 'jaeger-es' },
};

function collectorConfig(objects: any[]): any {
  return parseYaml(find(objects, 'ConfigMap', 'otel-collector').data['relay.yaml']);
}

function jaegerConfig(objects: any[]): any {
  return parseYaml(find(objects, 'ConfigMap', 'jaeger').data['config.yaml']);
}

describe('the OpenTelemetry Collector', () => {
  const objects = render();

  test('its config is YAML with OTLP receivers on gRPC 4317 and HTTP 4318', () => {
    const config = collectorConfig(objects);
    expect(config.receivers.otlp.protocols.grpc.endpoint).toBe('0.0.0.0:4317');
    expect(config.receivers.otlp.protocols.http.endpoint).toBe('0.0.0.0:4318');
    expect(config.service.pipelines.traces.receivers).toEqual(['otlp']);
  });

  test('exports traces over OTLP to the Jaeger Service, after memory_limiter and batch', () => {
    const config = collectorConfig(objects);
    const pipeline = config.service.pipelines.traces;
    expect(pipeline.processors[0]).toBe('memory_limiter');
    expect(pipeline.processors.at(-1)).toBe('batch');
    expect(pipeline.exporters).toHaveLength(1);
    const exporter = config.exporters[pipeline.exporters[0]];
    expect(pipeline.exporters[0]).toMatch(/^otlp_grpc(\/|$)/);
    expect(exporter.endpoint).toBe('jaeger.tracing.svc.cluster.local:4317');

    const jaeger = find(objects, 'Service', 'jaeger');
    expect(jaeger.metadata.namespace).toBe('tracing');
    expect(jaeger.spec.ports).toContainEqual(expect.objectContaining({ port: 4317 }));
  });

  test('the container reads the rendered config file, and the pods roll when it changes', () => {
    const deployment = find(objects, 'Deployment', 'otel-collector');
    const container = podSpec(deployment).containers[0];
    expect(container.args).toEqual(['--config=/conf/relay.yaml']);
    expect(container.volumeMounts).toContainEqual({ mountPath: '/conf', name: 'config', readOnly: true });
    const other = render({ collector: { kubernetesAttributes: false } });
    expect(find(other, 'Deployment', 'otel-collector').spec.template.metadata.annotations['checksum/config'])
      .not.toBe(deployment.spec.template.metadata.annotations['checksum/config']);
  });

  test('Service name, namespace and ports are exactly PLATFORM_ENDPOINTS.otelCollector', () => {
    const service = find(objects, 'Service', otlp.service);
    expect(service.metadata.namespace).toBe(otlp.namespace);
    expect(service.spec.ports.map((p: any) => [p.name, p.port, p.targetPort])).toEqual([
      ['otlp', otlp.grpcPort, otlp.grpcPort],
      ['otlp-http', otlp.httpPort, otlp.httpPort],
    ]);
    expect(otlp.endpoint).toBe(`http://${service.metadata.name}.${service.metadata.namespace}.svc.cluster.local:${otlp.grpcPort}`);
  });

  test('its pods carry PLATFORM_ENDPOINTS.otelCollector.podLabels, and the Service selects them', () => {
    const deployment = find(objects, 'Deployment', 'otel-collector');
    const podLabels = deployment.spec.template.metadata.labels;
    expect(podLabels).toMatchObject(otlp.podLabels);
    expect(podLabels).toMatchObject(find(objects, 'Service', otlp.service).spec.selector);
    expect(podLabels).toMatchObject(deployment.spec.selector.matchLabels);
  });

  test('health_check answers the probes; metrics port 8888 is annotated for Prometheus', () => {
    const deployment = find(objects, 'Deployment', 'otel-collector');
    const container = podSpec(deployment).containers[0];
    expect(collectorConfig(objects).service.extensions).toContain('health_check');
    expect(container.livenessProbe.httpGet).toMatchObject({ path: '/', port: 13133 });
    expect(container.readinessProbe.httpGet).toMatchObject({ path: '/', port: 13133 });
    expect(deployment.spec.template.metadata.annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '8888' });
  });

  test('replicas come from the settings; GOMEMLIMIT follows the memory limit', () => {
    const deployment = find(render({ collector: { replicas: 3, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '2Gi' } } } }), 'Deployment', 'otel-collector');
    expect(deployment.spec.replicas).toBe(3);
    expect(podSpec(deployment).containers[0].env).toContainEqual({ name: 'GOMEMLIMIT', value: '1638MiB' });
  });

  test('k8s_attributes trusts only the connection, and comes with a read-only ClusterRole', () => {
    const config = collectorConfig(objects);
    expect(config.processors.k8s_attributes.pod_association).toEqual([{ sources: [{ from: 'connection' }] }]);
    const role = find(objects, 'ClusterRole', 'otel-collector');
    expect(role.rules.flatMap((r: any) => r.verbs)).toEqual(expect.arrayContaining(['get', 'list', 'watch']));
    expect(role.rules.flatMap((r: any) => r.verbs).every((v: string) => ['get', 'list', 'watch'].includes(v))).toBe(true);
    expect(find(objects, 'ClusterRoleBinding', 'otel-collector').subjects).toEqual([{ kind: 'ServiceAccount', name: 'otel-collector', namespace: 'tracing' }]);
  });

  test('without k8s_attributes: no ClusterRole, no API token, no API server egress', () => {
    const other = render({ collector: { kubernetesAttributes: false } });
    expect(other.filter((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding')).toEqual([]);
    expect(podSpec(find(other, 'Deployment', 'otel-collector')).automountServiceAccountToken).toBe(false);
    expect(collectorConfig(other).service.pipelines.traces.processors).toEqual(['memory_limiter', 'batch']);
    expect(JSON.stringify(find(other, 'NetworkPolicy', 'otel-collector').spec.egress)).not.toContain('6443');
  });
});

describe('Jaeger storage', () => {
  test('memory: an in-memory store with the configured size, no volume claim', () => {
    const objects = render({ storage: { type: 'memory', maxTraces: 20000 } });
    expect(jaegerConfig(objects).extensions.jaeger_storage.backends.primary).toEqual({ memory: { max_traces: 20000 } });
    expect(objects.filter((o) => o.kind === 'PersistentVolumeClaim')).toEqual([]);
  });

  test('badger: persistent directories on a claim of the environment\'s default class, TTL from retention, Recreate', () => {
    const objects = render({ storage: { type: 'badger', retention: '24h', size: '20Gi' } });
    const badger = jaegerConfig(objects).extensions.jaeger_storage.backends.primary.badger;
    expect(badger).toEqual({ ephemeral: false, directories: { keys: '/badger/keys', values: '/badger/values' }, ttl: { spans: '24h' } });
    const claim = find(objects, 'PersistentVolumeClaim', 'jaeger-badger');
    expect(claim.spec).toMatchObject({ storageClassName: 'standard', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '20Gi' } } });
    const deployment = find(objects, 'Deployment', 'jaeger');
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
    expect(podSpec(deployment).volumes).toContainEqual({ name: 'badger', persistentVolumeClaim: { claimName: 'jaeger-badger', readOnly: false } });
    expect(podSpec(deployment).containers[0].volumeMounts).toContainEqual(expect.objectContaining({ mountPath: '/badger', name: 'badger' }));
  });

  test('badger: an explicit storage class wins over the default', () => {
    const objects = render({ storage: { type: 'badger', storageClass: 'fast' } });
    expect(find(objects, 'PersistentVolumeClaim', 'jaeger-badger').spec.storageClassName).toBe('fast');
  });

  test('elasticsearch: server URLs, index prefix and lookback from the settings', () => {
    const objects = render({ storage: { ...elasticsearch, indexPrefix: 'prod', retention: '336h' } });
    const es = jaegerConfig(objects).extensions.jaeger_storage.backends.primary.elasticsearch;
    expect(es).toMatchObject({ server_urls: ['https://logs.es.example.com:9200'], indices: { index_prefix: 'prod' }, max_span_age: '336h' });
    expect(objects.filter((o) => o.kind === 'PersistentVolumeClaim')).toEqual([]);
  });

  test('the query UI and the exporter read and write the same store', () => {
    const config = jaegerConfig(render());
    expect(config.extensions.jaeger_query.storage.traces).toBe(config.exporters.jaeger_storage_exporter.trace_storage);
    expect(Object.keys(config.extensions.jaeger_storage.backends)).toEqual([config.exporters.jaeger_storage_exporter.trace_storage]);
    expect(config.extensions.jaeger_query.http.endpoint).toBe('0.0.0.0:16686');
  });

  test('healthcheckv2 answers the probes on /status', () => {
    const objects = render();
    expect(jaegerConfig(objects).service.extensions).toContain('healthcheckv2');
    const container = podSpec(find(objects, 'Deployment', 'jaeger')).containers[0];
    expect(container.livenessProbe.httpGet).toMatchObject({ path: '/status', port: 13133 });
    expect(container.readinessProbe.httpGet).toMatchObject({ path: '/status', port: 13133 });
  });
});

describe('credentials', () => {
  const objects = render({ storage: elasticsearch });

  test('the Elasticsearch user comes from the existing Secret through env references', () => {
    const container = podSpec(find(objects, 'Deployment', 'jaeger')).containers[0];
    expect(container.env).toEqual([
      { name: 'ES_USERNAME', valueFrom: { secretKeyRef: { name: 'jaeger-es', key: 'username' } } },
      { name: 'ES_PASSWORD', valueFrom: { secretKeyRef: { name: 'jaeger-es', key: 'password' } } },
    ]);
    expect(jaegerConfig(objects).extensions.jaeger_storage.backends.primary.elasticsearch.auth)
      .toEqual({ basic: { username: '${env:ES_USERNAME}', password: '${env:ES_PASSWORD}' } });
  });

  test('no Secret is rendered and no rendered config holds a credential', () => {
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    for (const cm of objects.filter((o) => o.kind === 'ConfigMap')) {
      for (const text of Object.values<string>(cm.data)) {
        for (const line of text.split('\n').filter((l) => /(password|username|token|api_key)\s*:/i.test(l))) {
          expect(line).toMatch(/\$\{env:[A-Z_]+\}\s*$/);
        }
      }
    }
  });
});

describe('placement and security', () => {
  const objects = render();

  test.each(['otel-collector', 'jaeger'])('%s runs on core nodes and tolerates their taint', (name) => {
    const spec = podSpec(find(objects, 'Deployment', name));
    expect(spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms)
      .toEqual([{ matchExpressions: [{ key: 'node-type', operator: 'In', values: ['core'] }] }]);
    expect(spec.tolerations).toEqual([{ key: 'node-type', operator: 'Equal', value: 'core', effect: 'NoSchedule' }]);
  });

  test.each(['otel-collector', 'jaeger'])('%s runs restricted with requests and limits', (name) => {
    const spec = podSpec(find(objects, 'Deployment', name));
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true });
    for (const c of spec.containers) {
      expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      expect(c.resources.requests).toBeDefined();
      expect(c.resources.limits).toBeDefined();
      expect(c.image).toMatch(/:\d+\.\d+\.\d+$/);
    }
  });

  test('the namespace enforces the restricted Pod Security Standard', () => {
    expect(find(objects, 'Namespace', 'tracing').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });
});

describe('network policies', () => {
  test('default deny plus DNS for the whole namespace', () => {
    const objects = render();
    expect(find(objects, 'NetworkPolicy', 'default-deny').spec).toMatchObject({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(find(objects, 'NetworkPolicy', 'allow-dns').spec.egress[0].ports).toContainEqual({ port: 53, protocol: 'UDP' });
  });

  test('any namespace may reach the collector\'s OTLP ports, and only those', () => {
    const rule = find(render(), 'NetworkPolicy', 'otel-collector').spec.ingress[0];
    expect(rule.from).toEqual([{ namespaceSelector: {} }]);
    expect(rule.ports).toEqual([{ port: 4317, protocol: 'TCP' }, { port: 4318, protocol: 'TCP' }]);
  });

  test('only the collector reaches Jaeger\'s OTLP port; Prometheus scrapes both', () => {
    const objects = render();
    const jaeger = find(objects, 'NetworkPolicy', 'jaeger').spec;
    expect(jaeger.ingress[0]).toEqual({
      from: [{ podSelector: { matchLabels: find(objects, 'Deployment', 'otel-collector').spec.selector.matchLabels } }],
      ports: [{ port: 4317, protocol: 'TCP' }],
    });
    const collector = find(objects, 'NetworkPolicy', 'otel-collector').spec;
    expect(collector.egress[0].to).toEqual([{ podSelector: { matchLabels: find(objects, 'Deployment', 'jaeger').spec.selector.matchLabels } }]);
    expect(jaeger.ingress).toContainEqual(expect.objectContaining({ ports: [{ port: 8888, protocol: 'TCP' }] }));
    expect(collector.ingress).toContainEqual(expect.objectContaining({ ports: [{ port: 8888, protocol: 'TCP' }] }));
  });

  test('Jaeger talks to nobody with memory storage, and to the Elasticsearch port with elasticsearch storage', () => {
    expect(find(render(), 'NetworkPolicy', 'jaeger').spec.egress).toEqual([]);
    const egress = find(render({ storage: elasticsearch }), 'NetworkPolicy', 'jaeger').spec.egress;
    expect(egress).toEqual([{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 9200, protocol: 'TCP' }] }]);
  });

  test('an in-cluster Elasticsearch adds its namespace as a peer (CNIs that never match pods by ipBlock)', () => {
    const egress = find(render({ storage: { type: 'elasticsearch', serverUrls: ['http://elasticsearch.logging.svc:9200'] } }), 'NetworkPolicy', 'jaeger').spec.egress;
    expect(egress[0].to).toContainEqual({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'logging' } } });
  });
});

describe('the Jaeger UI', () => {
  const ui = { subdomain: 'traces', auth: { type: 'basic', secretName: 'jaeger-htpasswd' } } as const;

  test('ClusterIP only by default: no Ingress, no ingress-controller rule', () => {
    const objects = render();
    expect(objects.filter((o) => o.kind === 'Ingress')).toEqual([]);
    expect(JSON.stringify(find(objects, 'NetworkPolicy', 'jaeger').spec.ingress)).not.toContain('ingress-nginx');
  });

  test('with ui: an Ingress on <subdomain>.<domain> to port 16686, behind nginx basic auth', () => {
    const objects = render({ ui });
    const ingress = find(objects, 'Ingress', 'jaeger');
    expect(ingress.spec.rules[0].host).toBe('traces.test.example.com');
    expect(ingress.spec.rules[0].http.paths[0].backend.service).toEqual({ name: 'jaeger', port: { number: 16686 } });
    expect(ingress.metadata.annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/auth-type': 'basic',
      'nginx.ingress.kubernetes.io/auth-secret': 'jaeger-htpasswd',
      'cert-manager.io/cluster-issuer': 'letsencrypt',
    });
    expect(find(objects, 'NetworkPolicy', 'jaeger').spec.ingress).toContainEqual(expect.objectContaining({ ports: [{ port: 16686, protocol: 'TCP' }] }));
  });

  test('external auth renders auth-url and auth-signin', () => {
    const ingress = find(render({ ui: { auth: { type: 'external', url: 'https://sso.test.example.com/oauth2/auth', signin: 'https://sso.test.example.com/oauth2/start' } } }), 'Ingress', 'jaeger');
    expect(ingress.spec.rules[0].host).toBe('jaeger.test.example.com');
    expect(ingress.metadata.annotations['nginx.ingress.kubernetes.io/auth-url']).toBe('https://sso.test.example.com/oauth2/auth');
  });

  test('follows the environment\'s domain', () => {
    const ingress = find(render({ ui }, testContext({ domain: 'example.com' })), 'Ingress', 'jaeger');
    expect(ingress.spec.tls[0].hosts).toEqual(['traces.example.com']);
  });
});

describe('settings', () => {
  test('defaults: 2 collector replicas, memory storage, no UI Ingress', () => {
    const s = settings.parse({});
    expect(s.collector.replicas).toBe(2);
    expect(s.storage).toEqual({ type: 'memory', maxTraces: 50000 });
    expect(s.ui).toBe(false);
  });

  test('more than one Jaeger replica needs elasticsearch storage', () => {
    const result = settings.safeParse({ jaeger: { replicas: 2 }, storage: { type: 'badger' } });
    expect(result.success).toBe(false);
    expect(result.error!.issues).toContainEqual(expect.objectContaining({
      path: ['jaeger', 'replicas'],
      message: expect.stringContaining('must be 1 with badger storage'),
    }));
    expect(settings.safeParse({ jaeger: { replicas: 2 }, storage: elasticsearch }).success).toBe(true);
  });

  test('a UI Ingress without authentication is rejected', () => {
    expect(settings.safeParse({ ui: { subdomain: 'jaeger' } }).success).toBe(false);
  });

  test('an unknown storage type names the allowed ones', () => {
    const result = settings.safeParse({ storage: { type: 'cassandra' } });
    expect(result.error!.issues[0].message).toContain('"elasticsearch"');
  });

  test('retention must be a duration', () => {
    expect(settings.safeParse({ storage: { type: 'badger', retention: '3 days' } }).success).toBe(false);
    expect(settings.safeParse({ storage: { type: 'badger', retention: '1h30m' } }).success).toBe(true);
  });
});
