import YAML from 'yaml';
import { PLATFORM_ENDPOINTS, prometheusScrapeAnnotations } from '@platform/charts';
import { testContext } from '../../../charts/test/helpers';
import { retentionSize } from '../src/prometheus';
import { container, find, podSpec, render, yamlFile } from './render';
import { RULE_METRICS } from './known-metrics';
import { metricNames } from './promql';

/** Rendered once with default settings; tests that change settings render their own. */
const defaults = render();
const prometheusYml = (objects = defaults) => yamlFile(objects, 'prometheus-config', 'prometheus.yml');
const job = (config: any, name: string) => {
  const found = config.scrape_configs.find((j: any) => j.job_name === name);
  if (!found) throw new Error(`no scrape job ${name}`);
  return found;
};
const sdRoles = (config: any) => new Set(config.scrape_configs.flatMap((j: any) => (j.kubernetes_sd_configs ?? []).map((sd: any) => sd.role)));

describe('Prometheus configuration', () => {
  test('prometheus.yml parses as YAML and discovers nodes, pods and endpoints through kubernetes_sd_configs', () => {
    const config = prometheusYml();
    expect(config.scrape_configs.length).toBeGreaterThan(0);
    expect(sdRoles(config)).toEqual(new Set(['node', 'pod', 'endpoints']));
    // No static targets: everything comes from the API server.
    expect(config.scrape_configs.every((j: any) => j.kubernetes_sd_configs && !j.static_configs)).toBe(true);
  });

  test('scrapes the API servers as default/kubernetes over https with the service account token', () => {
    const apiservers = job(prometheusYml(), 'kubernetes-apiservers');
    expect(apiservers.scheme).toBe('https');
    expect(apiservers.authorization.credentials_file).toBe('/var/run/secrets/kubernetes.io/serviceaccount/token');
    expect(apiservers.tls_config).toEqual({ ca_file: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt' });
    expect(apiservers.relabel_configs).toContainEqual(expect.objectContaining({ regex: 'default;kubernetes;https', action: 'keep' }));
  });

  test('scrapes kubelets and cAdvisor directly on the nodes, with the token', () => {
    const config = prometheusYml();
    for (const name of ['kubelet', 'cadvisor']) {
      const kubelet = job(config, name);
      expect(kubelet.kubernetes_sd_configs).toEqual([{ role: 'node' }]);
      expect(kubelet.scheme).toBe('https');
      expect(kubelet.authorization.credentials_file).toMatch(/serviceaccount\/token$/);
      expect(kubelet.honor_labels).toBe(true);
    }
    expect(job(config, 'kubelet').metrics_path).toBeUndefined();
    expect(job(config, 'cadvisor').metrics_path).toBe('/metrics/cadvisor');
  });

  test('scrapes kube-state-metrics keeping the labels it reports, and node-exporter per node', () => {
    const config = prometheusYml();
    const ksm = job(config, 'kube-state-metrics');
    expect(ksm.honor_labels).toBe(true);
    expect(ksm.relabel_configs).toContainEqual(expect.objectContaining({ regex: 'monitoring;kube-state-metrics;http-metrics', action: 'keep' }));
    // Target labels namespace/pod would be filled into series about cluster-scoped objects.
    expect(ksm.relabel_configs.map((r: any) => r.target_label).filter(Boolean)).toEqual([]);
    const nodeExporter = job(config, 'node-exporter');
    expect(nodeExporter.relabel_configs).toContainEqual(expect.objectContaining({ regex: 'monitoring-node-exporter;node-exporter;metrics', action: 'keep' }));
    expect(nodeExporter.relabel_configs).toContainEqual({ source_labels: ['__meta_kubernetes_pod_node_name'], target_label: 'instance' });
  });

  test.each([
    ['kubernetes-pods', 'pod'],
    ['kubernetes-service-endpoints', 'service'],
  ])('the %s job honours the prometheus.io scrape, path and port annotations', (name, kind) => {
    const relabels = job(prometheusYml(), name).relabel_configs as any[];
    const annotation = (key: string) => `__meta_kubernetes_${kind}_annotation_prometheus_io_${key}`;
    expect(relabels[0]).toEqual({ source_labels: [annotation('scrape')], regex: 'true', action: 'keep' });
    expect(relabels).toContainEqual(expect.objectContaining({ source_labels: [annotation('path')], target_label: '__metrics_path__' }));
    expect(relabels.filter((r) => r.target_label === '__address__' && r.source_labels.includes(annotation('port'))).length).toBeGreaterThan(0);
  });

  test('the annotations the pods job reads are the ones charts\' prometheusScrapeAnnotations() writes', () => {
    const metaLabels = new Set(job(prometheusYml(), 'kubernetes-pods').relabel_configs.flatMap((r: any) => r.source_labels ?? []));
    for (const annotation of Object.keys(prometheusScrapeAnnotations(8080))) {
      const meta = `__meta_kubernetes_pod_annotation_${annotation.replace(/[./]/g, '_')}`;
      expect(metaLabels).toContain(meta);
    }
  });

  test('sends alerts to every Alertmanager pod behind the alertmanager Service', () => {
    const { alerting } = prometheusYml();
    expect(alerting.alertmanagers).toHaveLength(1);
    expect(alerting.alertmanagers[0].kubernetes_sd_configs).toEqual([{ role: 'endpoints', namespaces: { names: ['monitoring'] } }]);
    expect(alerting.alertmanagers[0].relabel_configs).toContainEqual(expect.objectContaining({ regex: 'monitoring;alertmanager;http', action: 'keep' }));
  });

  test('labels every series with the cluster it comes from', () => {
    const ctx = testContext();
    expect(prometheusYml().global.external_labels).toEqual({ cluster: ctx.cluster.name });
  });
});

describe('Prometheus retention and storage', () => {
  test('retention and volume size come from the settings', () => {
    const objects = render({ prometheus: { retention: '30d', storage: { size: '100Gi' } } });
    expect(prometheusYml(objects).storage.tsdb.retention).toEqual({ time: '30d', size: retentionSize('100Gi') });
    const [claim] = find(objects, 'StatefulSet', 'prometheus').spec.volumeClaimTemplates;
    expect(claim.spec.resources.requests.storage).toBe('100Gi');
  });

  test('size-based retention keeps the TSDB at 85% of the volume', () => {
    expect(retentionSize('100Gi')).toBe('87040MB');
    expect(retentionSize('20Gi')).toBe('17408MB');
  });

  test('the volume uses the default storage class unless the settings name one', () => {
    const storageClasses = [
      { name: 'standard', provisioner: 'p', parameters: {}, reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true, default: true },
      { name: 'fast', provisioner: 'p', parameters: {}, reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true, default: false },
    ] as const;
    const claim = (input: object) => find(render(input, { storageClasses }), 'StatefulSet', 'prometheus').spec.volumeClaimTemplates[0];
    expect(claim({}).spec.storageClassName).toBe('standard');
    expect(claim({ prometheus: { storage: { storageClass: 'fast' } } }).spec.storageClassName).toBe('fast');
    expect(claim({}).spec.accessModes).toEqual(['ReadWriteOnce']);
  });

  test('a storage class the environment does not have is rejected with the ones it has', () => {
    expect(() => render({ prometheus: { storage: { storageClass: 'gold' } } }))
      .toThrow('prometheus.storage.storageClass "gold" is not a storage class of environment test; available: standard');
  });

  test('the data volume is mounted where the TSDB lives', () => {
    const sts = find(defaults, 'StatefulSet', 'prometheus');
    expect(container(sts).args).toContain('--storage.tsdb.path=/prometheus');
    expect(container(sts).volumeMounts).toContainEqual({ name: 'data', mountPath: '/prometheus' });
  });
});

describe('Prometheus server', () => {
  test('pods carry the labels and namespace tenants allow scraping from', () => {
    const sts = find(defaults, 'StatefulSet', 'prometheus');
    expect(sts.metadata.namespace).toBe(PLATFORM_ENDPOINTS.prometheus.namespace);
    expect(sts.spec.template.metadata.labels).toEqual(expect.objectContaining(PLATFORM_ENDPOINTS.prometheus.podLabels));
    expect(sts.spec.selector.matchLabels).toEqual(expect.objectContaining(PLATFORM_ENDPOINTS.prometheus.podLabels));
  });

  test('reloads prometheus.yml and the rule files by itself: no reloader, no restart on a config change', () => {
    const objects = defaults;
    const sts = find(objects, 'StatefulSet', 'prometheus');
    expect(container(sts).args).toEqual(expect.arrayContaining(['--config.file=/etc/prometheus/config/prometheus.yml', '--config.auto-reload']));
    expect(podSpec(sts).containers).toHaveLength(1);
    expect(Object.keys(sts.spec.template.metadata.annotations ?? {}).filter((a) => a.startsWith('checksum/'))).toEqual([]);
    expect(prometheusYml(objects).rule_files).toEqual(['/etc/prometheus/rules/*.yml']);
    expect(container(sts).volumeMounts).toContainEqual({ name: 'rules', mountPath: '/etc/prometheus/rules', readOnly: true });
  });

  test('reads the API with a read-only ClusterRole as narrow as kube-prometheus\'', () => {
    const objects = defaults;
    const role = find(objects, 'ClusterRole', 'prometheus');
    const verbs = new Set(role.rules.flatMap((r: any) => r.verbs));
    expect(verbs).toEqual(new Set(['get', 'list', 'watch']));
    expect(role.rules.flatMap((r: any) => r.resources ?? [])).not.toContain('secrets');
    expect(role.rules).toContainEqual({ apiGroups: [''], resources: ['nodes/metrics'], verbs: ['get'] });
    expect(role.rules).toContainEqual({ nonResourceURLs: ['/metrics', '/metrics/slis'], verbs: ['get'] });
    const binding = find(objects, 'ClusterRoleBinding', 'prometheus');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'prometheus', namespace: 'monitoring' }]);
    expect(podSpec(find(objects, 'StatefulSet', 'prometheus'))).toEqual(expect.objectContaining({ serviceAccountName: 'prometheus', automountServiceAccountToken: true }));
  });

  test('one replica: no disruption budget; two: a budget and a preference for different nodes', () => {
    expect(defaults.filter((o) => o.kind === 'PodDisruptionBudget' && o.metadata.name === 'prometheus')).toEqual([]);
    const objects = render({ prometheus: { replicas: 2 } });
    expect(find(objects, 'StatefulSet', 'prometheus').spec.replicas).toBe(2);
    expect(find(objects, 'PodDisruptionBudget', 'prometheus').spec.maxUnavailable).toBe(1);
    const antiAffinity = podSpec(find(objects, 'StatefulSet', 'prometheus')).affinity.podAntiAffinity;
    expect(antiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
  });

  test('Grafana reaches one replica consistently through the ClusterIP Service', () => {
    const service = find(defaults, 'Service', 'prometheus');
    expect(service.spec.sessionAffinity).toBe('ClientIP');
    expect(service.spec.ports).toEqual([{ name: 'http', port: 9090, targetPort: 9090 }]);
  });
});

describe('alerting rules', () => {
  const rules = () => yamlFile(defaults, 'prometheus-rules', 'alerts.yml').groups.flatMap((g: any) => g.rules);

  test('the rules file parses and every alert has a severity, a summary and a description', () => {
    const all = rules();
    expect(all.length).toBeGreaterThanOrEqual(10);
    for (const rule of all) {
      expect(['critical', 'warning', 'info', 'none']).toContain(rule.labels.severity);
      expect(rule.annotations.summary).toBeTruthy();
      expect(rule.annotations.description).toBeTruthy();
    }
  });

  test('covers targets down, full filesystems, crash loops and replica mismatches', () => {
    const names = new Set(rules().map((r: any) => r.alert));
    for (const alert of ['TargetDown', 'NodeFilesystemAlmostOutOfSpace', 'KubePodCrashLooping', 'KubeDeploymentReplicasMismatch', 'KubeStatefulSetReplicasMismatch', 'Watchdog']) {
      expect(names).toContain(alert);
    }
  });

  test('every rule queries metrics the scraped components export, under our job names', () => {
    const scrapeJobs = prometheusYml().scrape_configs.map((j: any) => j.job_name);
    for (const rule of rules()) {
      const unknown = metricNames(rule.expr).filter((name) => !RULE_METRICS.has(name));
      expect({ alert: rule.alert, unknown }).toEqual({ alert: rule.alert, unknown: [] });
      const jobs = [...rule.expr.matchAll(/job="([^"]+)"/g)].map((m: RegExpMatchArray) => m[1]);
      for (const jobName of jobs) expect(scrapeJobs).toContain(jobName);
    }
  });

  test('multi-line expressions are rendered as readable block scalars', () => {
    const text = defaults.find((o) => o.metadata.name === 'prometheus-rules')!.data['alerts.yml'] as string;
    expect(text).toContain('expr: |-\n');
    expect(YAML.parse(text)).toBeTruthy();
  });
});
