import { Dashboard, PROMETHEUS_DATASOURCE, platformDashboards } from '../src/dashboards';
import { DASHBOARD_METRICS } from './known-metrics';
import { metricNames } from './promql';
import { Manifest, container, find, podSpec, render, yamlFile } from './render';

const objects = render();
const dashboardConfigMaps = objects.filter((o) => o.kind === 'ConfigMap' && /^grafana-dashboard-(?!provider$)/.test(o.metadata.name));

/** Every dashboard as Grafana reads it: parsed from the rendered ConfigMaps. */
const dashboards: Array<[string, Dashboard]> = dashboardConfigMaps.flatMap((cm: Manifest) =>
  Object.entries(cm.data as Record<string, string>).map(([file, text]) => [file, JSON.parse(text) as Dashboard] as [string, Dashboard]));

/** Every PromQL expression of a dashboard: panel targets and template variable queries. */
function queries(d: Dashboard): string[] {
  const panels = d.panels.flatMap((p) => ('targets' in p ? p.targets.map((t) => t.expr) : []));
  return [...panels, ...d.templating.list.map((v) => v.query.query)];
}

describe('dashboards', () => {
  test('four dashboards are provisioned: Cluster, Node, Pod and Deployment', () => {
    expect(dashboards.map(([, d]) => d.title).sort()).toEqual(['Kubernetes / Cluster', 'Kubernetes / Deployment', 'Kubernetes / Node', 'Kubernetes / Pod']);
    expect(new Set(dashboards.map(([, d]) => d.uid)).size).toBe(4);
  });

  test.each(dashboards)('%s parses as JSON, is indented with 2 spaces and named after its uid', (file, d) => {
    const cm = dashboardConfigMaps.find((c) => c.data[file])!;
    expect(file).toBe(`${d.uid}.json`);
    expect(cm.data[file]).toBe(`${JSON.stringify(JSON.parse(cm.data[file]), null, 2)}\n`);
  });

  test.each(dashboards)('%s queries only metrics that node-exporter, kube-state-metrics or cAdvisor export', (_file, d) => {
    for (const expr of queries(d)) {
      const names = metricNames(expr);
      expect({ expr, names: names.length > 0 }).toEqual({ expr, names: true });
      expect({ expr, unknown: names.filter((n) => !DASHBOARD_METRICS.has(n)) }).toEqual({ expr, unknown: [] });
    }
  });

  test.each(dashboards)('%s queries the provisioned Prometheus datasource in every panel and variable', (_file, d) => {
    for (const panel of d.panels) {
      if (panel.type === 'row') continue;
      expect(panel.datasource).toEqual(PROMETHEUS_DATASOURCE);
      expect(panel.targets.length).toBeGreaterThan(0);
      for (const target of panel.targets) expect(target.datasource).toEqual(PROMETHEUS_DATASOURCE);
    }
    for (const v of d.templating.list) expect(v.datasource).toEqual(PROMETHEUS_DATASOURCE);
  });

  test.each(dashboards)('%s lays its panels out on the 24-column grid without overlap', (_file, d) => {
    const cells = new Set<string>();
    for (const { gridPos } of d.panels) {
      expect(gridPos.x + gridPos.w).toBeLessThanOrEqual(24);
      for (let x = gridPos.x; x < gridPos.x + gridPos.w; x++) {
        for (let y = gridPos.y; y < gridPos.y + gridPos.h; y++) {
          expect(cells.has(`${x},${y}`)).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
  });

  test.each(dashboards)('%s only uses template variables it defines', (_file, d) => {
    const defined = new Set(['__rate_interval', '__interval', ...d.templating.list.map((v) => v.name)]);
    for (const expr of queries(d)) {
      for (const [, name] of expr.matchAll(/\$(\w+)/g)) {
        if (/^\d+$/.test(name)) continue; // label_replace back-references
        expect(defined).toContain(name);
      }
    }
  });

  test('the dashboard objects are the ones rendered (no hand-edited JSON)', () => {
    expect(platformDashboards().map((p) => p.dashboard)).toEqual(dashboards.map(([, d]) => d));
  });
});

describe('the metric name extractor the checks above rely on', () => {
  test('finds metrics, and skips functions, keywords, label names, strings, ranges and variables', () => {
    expect(metricNames('sum by (namespace) (rate(container_cpu_usage_seconds_total{container!="",image!=""}[$__rate_interval]))'))
      .toEqual(['container_cpu_usage_seconds_total']);
    expect(metricNames('a_total / ignoring (reason) group_left b_total > 0.01 and on (node) c offset 5m'))
      .toEqual(['a_total', 'b_total', 'c']);
    expect(metricNames('label_replace(kube_pod_owner{owner_kind="ReplicaSet"}, "replicaset", "$1", "owner_name", "(.*)") * 1e3'))
      .toEqual(['kube_pod_owner']);
    expect(metricNames('label_values(kube_pod_info{namespace="$namespace"}, pod)')).toEqual(['kube_pod_info']);
    expect(metricNames('time() - node_boot_time_seconds or vector(0)')).toEqual(['node_boot_time_seconds']);
  });
});

describe('dashboard provisioning', () => {
  test('the provider reads the directory every dashboard ConfigMap is mounted under, read-only from git', () => {
    const provider = yamlFile(objects, 'grafana-dashboard-provider', 'dashboards.yaml').providers[0];
    expect(provider).toEqual(expect.objectContaining({ type: 'file', folder: 'Platform', disableDeletion: true, allowUiUpdates: false }));
    const grafana = find(objects, 'Deployment', 'grafana');
    for (const cm of dashboardConfigMaps) {
      const volume = podSpec(grafana).volumes.find((v: any) => v.configMap?.name === cm.metadata.name);
      const mount = container(grafana).volumeMounts.find((m: any) => m.name === volume.name);
      expect(mount.mountPath.startsWith(`${provider.options.path}/`)).toBe(true);
    }
    const providerMount = container(grafana).volumeMounts.find((m: any) => m.name === 'dashboard-provider');
    expect(providerMount.mountPath).toBe('/etc/grafana/provisioning/dashboards');
  });
});
