import { EXTERNAL, EXTERNAL_ES, allDirectives, env, find, fluentdConfig, parseFluentdConfig, podSpec, render } from './render';

describe('fluentd DaemonSet', () => {
  const objects = render();
  const ds = find(objects, 'DaemonSet', 'fluentd', 'logging-agent');
  const pod = podSpec(ds);
  const container = pod.containers[0];
  const volume = (name: string): any => pod.volumes.find((v: any) => v.name === name);
  const mount = (path: string): any => container.volumeMounts.find((m: any) => m.mountPath === path);

  test("mounts the node's /var/log read-only, from the host", () => {
    expect(volume(mount('/var/log').name).hostPath).toEqual({ path: '/var/log', type: 'Directory' });
    expect(mount('/var/log').readOnly).toBe(true);
  });

  test('keeps tail positions and the output buffer on the host, not in the pod', () => {
    const state = mount('/var/lib/logging-agent');
    expect(volume(state.name).hostPath).toEqual({ path: '/var/lib/logging-agent', type: 'DirectoryOrCreate' });
    const config = fluentdConfig(objects);
    expect(config).toContain('pos_file /var/lib/logging-agent/containers.log.pos');
    expect(config).toContain('path /var/lib/logging-agent/buffer/elasticsearch');
  });

  test('replaces the image configuration with the rendered ConfigMap', () => {
    expect(volume(mount('/fluentd/etc').name).configMap.name).toBe('fluentd-config');
    // the image entrypoint would sed -i the (read-only) config without this
    expect(env(container).FLUENT_ELASTICSEARCH_SED_DISABLE).toBe('true');
  });

  test('tolerates every taint and is not tied to a node type: it runs on every node', () => {
    expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(pod.affinity).toBeUndefined();
    expect(pod.nodeSelector).toBeUndefined();
  });

  test('runs as root only to read root-owned log files, with every capability dropped and a read-only root filesystem', () => {
    expect(container.securityContext).toMatchObject({
      runAsUser: 0, runAsNonRoot: false, allowPrivilegeEscalation: false, privileged: false,
      readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.hostNetwork).toBe(false);
    expect(pod.hostPID).toBeUndefined();
  });

  test('declares its policy exceptions with the reason', () => {
    const annotations = ds.metadata.annotations;
    expect(annotations['policy.platform.example.com/host-access']).toMatch(/hostPath \/var\/log/);
    expect(annotations['policy.platform.example.com/run-as-non-root']).toMatch(/root/);
  });

  test('exposes Prometheus metrics on 24231 for the kubernetes-pods job and uses them as liveness probe', () => {
    expect(ds.spec.template.metadata.annotations).toMatchObject({
      'prometheus.io/scrape': 'true', 'prometheus.io/port': '24231', 'prometheus.io/path': '/metrics',
    });
    expect(container.livenessProbe.httpGet).toMatchObject({ path: '/metrics', port: 24231 });
    expect(container.readinessProbe.httpGet).toMatchObject({ path: '/metrics', port: 24231 });
    expect(container.resources.requests).toBeDefined();
    expect(container.resources.limits).toBeDefined();
  });

  test('watches only the pods of its own node (K8S_NODE_NAME) with its own ServiceAccount token', () => {
    expect(env(container).K8S_NODE_NAME).toEqual({ fieldRef: { fieldPath: 'spec.nodeName' } });
    expect(pod.serviceAccountName).toBe('fluentd');
    expect(pod.automountServiceAccountToken).toBe(true);
  });

  test('RBAC is as narrow as upstream: get/list/watch pods and namespaces, bound to its ServiceAccount', () => {
    const role = find(objects, 'ClusterRole', 'logging-fluentd');
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['pods', 'namespaces'], verbs: ['get', 'list', 'watch'] }]);
    const binding = find(objects, 'ClusterRoleBinding', 'logging-fluentd');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'logging-fluentd' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'fluentd', namespace: 'logging-agent' }]);
  });

  test('a config change rolls the pods (config hash on the pod template)', () => {
    const hash = (o: any[]): string => find(o, 'DaemonSet', 'fluentd').spec.template.metadata.annotations['platform.example.com/config-sha256'];
    expect(hash(objects)).toMatch(/^[0-9a-f]{64}$/);
    expect(hash(render({ fluentd: { buffer: { flushInterval: '10s' } } }))).not.toBe(hash(objects));
  });

  test('reads the Elasticsearch credentials of an external cluster from a Secret, never from git', () => {
    const external = podSpec(find(render(EXTERNAL), 'DaemonSet', 'fluentd')).containers[0];
    expect(env(external).ELASTICSEARCH_USERNAME).toEqual({ secretKeyRef: { name: 'es-fluentd', key: 'user' } });
    expect(env(external).ELASTICSEARCH_PASSWORD).toEqual({ secretKeyRef: { name: 'es-fluentd', key: 'pass' } });
    expect(env(container).ELASTICSEARCH_PASSWORD).toBeUndefined();
  });
});

describe('fluentd configuration', () => {
  const inCluster = parseFluentdConfig(fluentdConfig(render()));
  const external = parseFluentdConfig(fluentdConfig(render(EXTERNAL)));
  const output = (config: ReturnType<typeof parseFluentdConfig>): any => allDirectives(config).find((d) => d.params['@type'] === 'elasticsearch');

  test('is well-formed: every section is closed, every label routed to is defined', () => {
    for (const config of [inCluster, external]) {
      const all = allDirectives(config);
      const defined = all.filter((d) => d.name === 'label').map((d) => d.arg);
      const used = all.flatMap((d) => [d.params['@label'], d.params.timeout_label]).filter(Boolean);
      expect(used.length).toBeGreaterThan(0);
      for (const label of used) expect(defined).toContain(label);
    }
  });

  test('tails the containerd logs under /var/log/containers with the CRI parser', () => {
    const tail = allDirectives(inCluster).find((d) => d.params['@type'] === 'tail')!;
    expect(tail.params.path).toBe('/var/log/containers/*.log');
    expect(tail.params.tag).toBe('kubernetes.*');
    expect(tail.children.find((c) => c.name === 'parse')!.params['@type']).toBe('cri');
    // fluentd's own container logs are not shipped (no feedback loop when the output fails)
    expect(tail.params.exclude_path).toContain('_logging-agent_fluentd-');
  });

  test('re-joins lines containerd split into partial records, then adds Kubernetes metadata', () => {
    const types = allDirectives(inCluster).filter((d) => d.name === 'filter').map((d) => d.params['@type']);
    expect(types).toEqual(['concat', 'kubernetes_metadata', 'dedot']);
    const concat = allDirectives(inCluster).find((d) => d.params['@type'] === 'concat')!;
    expect(concat.params).toMatchObject({ use_partial_cri_logtag: 'true', partial_cri_logtag_key: 'logtag', separator: '""' });
  });

  test('in-cluster: sends to the elasticsearch Service over http, without credentials', () => {
    expect(output(inCluster).params).toMatchObject({ host: 'elasticsearch.logging.svc', port: '9200', scheme: 'http' });
    expect(output(inCluster).params.user).toBeUndefined();
    expect(output(inCluster).params.password).toBeUndefined();
  });

  test('external: sends to the same Service name (an ExternalName to the external host) on its port and scheme, with credentials', () => {
    expect(output(external).params).toMatchObject({
      host: 'elasticsearch.logging.svc', port: '443', scheme: 'https', ssl_verify: 'true',
      user: '"#{ENV[\'ELASTICSEARCH_USERNAME\']}"', password: '"#{ENV[\'ELASTICSEARCH_PASSWORD\']}"',
    });
  });

  test('external with clientAddress "host": sends to the external host itself (TLS checks that name)', () => {
    const direct = parseFluentdConfig(fluentdConfig(render({ elasticsearch: { ...EXTERNAL_ES, clientAddress: 'host' } })));
    expect(output(direct).params.host).toBe('logs.es.internal.example.com');
  });

  test('buffers on disk with chunk limits, flush interval, overflow action and retries with exponential backoff', () => {
    const buffer = output(inCluster).children.find((c: any) => c.name === 'buffer').params;
    expect(buffer).toMatchObject({
      '@type': 'file', chunk_limit_size: '8m', total_limit_size: '2g', flush_interval: '5s', overflow_action: 'block',
      retry_type: 'exponential_backoff', retry_max_interval: '60s', retry_forever: 'true',
    });
  });

  test('buffer settings change the output', () => {
    const tuned = parseFluentdConfig(fluentdConfig(render({
      fluentd: { buffer: { chunkLimitSize: '4Mi', totalLimitSize: '1Gi', flushInterval: '10s', retryMaxInterval: '5m', overflowAction: 'drop_oldest_chunk' } },
    })));
    expect(output(tuned).children.find((c: any) => c.name === 'buffer').params).toMatchObject({
      chunk_limit_size: '4m', total_limit_size: '1g', flush_interval: '10s', retry_max_interval: '5m', overflow_action: 'drop_oldest_chunk',
    });
  });

  test('writes daily indices with a per-environment prefix (k8s-<environment> unless set)', () => {
    expect(output(inCluster).params).toMatchObject({ logstash_format: 'true', logstash_prefix: 'k8s-test' });
    const named = parseFluentdConfig(fluentdConfig(render({ fluentd: { indexPrefix: 'platform-test' } })));
    expect(output(named).params.logstash_prefix).toBe('platform-test');
  });

  test('starts without Elasticsearch (no version check at startup): logs wait in the buffer', () => {
    expect(output(inCluster).params).toMatchObject({ verify_es_version_at_startup: 'false', default_elasticsearch_version: '7' });
  });

  test('keeps talking to the configured name: no sniffing of node addresses', () => {
    expect(output(external).params).toMatchObject({ reload_on_failure: 'false', reload_connections: 'false', reconnect_on_error: 'true' });
  });
});
