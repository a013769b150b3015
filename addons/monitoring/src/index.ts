import * as kplus from 'cdk8s-plus-28';
import { LABELS, PlatformContext, defineAddon } from '@platform/charts';
import { Construct } from 'constructs';
import { Alertmanager } from './alertmanager';
import { receiverPorts } from './alertmanager-config';
import { MONITORING } from './endpoints';
import { Grafana } from './grafana';
import { KubeStateMetrics } from './kube-state-metrics';
import { MonitoringNetworkPolicies } from './network-policies';
import { NodeExporter } from './node-exporter';
import { Prometheus } from './prometheus';
import { MonitoringSettings, settings } from './settings';

export { settings } from './settings';
export type { MonitoringSettings, MonitoringSettingsInput } from './settings';

type PodSecurityLevel = 'restricted' | 'privileged';

/** A namespace of the add-on with its Pod Security Standards level (enforced, and audited/warned at the same level). */
function namespace(scope: Construct, ctx: PlatformContext, name: string, level: PodSecurityLevel): kplus.Namespace {
  return new kplus.Namespace(scope, `namespace-${name}`, {
    metadata: {
      name,
      labels: {
        [LABELS.partOf]: 'monitoring',
        [LABELS.environment]: ctx.environment,
        'pod-security.kubernetes.io/enforce': level,
        'pod-security.kubernetes.io/audit': level,
        'pod-security.kubernetes.io/warn': level,
      },
    },
  });
}

/** Everything the add-on renders for one environment. */
export function renderMonitoring(scope: Construct, ctx: PlatformContext, s: MonitoringSettings): void {
  const ui = s.ui.expose === 'ingress' ? s.ui : undefined;
  namespace(scope, ctx, MONITORING.namespace, 'restricted');
  // hostNetwork, hostPID and hostPath are not allowed below `privileged`; only node-exporter lives here.
  namespace(scope, ctx, MONITORING.nodeExporterNamespace, 'privileged');

  const prometheus = new Prometheus(scope, 'prometheus', ctx, {
    namespace: MONITORING.namespace,
    replicas: s.prometheus.replicas,
    retention: s.prometheus.retention,
    storageSize: s.prometheus.storage.size,
    storageClass: s.prometheus.storage.storageClass,
    scrapeInterval: s.prometheus.scrapeInterval,
    resources: s.prometheus.resources,
    ui: ui && { subdomain: ui.prometheusSubdomain, auth: ui.auth },
  });
  const alertmanager = new Alertmanager(scope, 'alertmanager', ctx, {
    namespace: MONITORING.namespace,
    replicas: s.alertmanager.replicas,
    receivers: s.alertmanager.receivers,
    routes: s.alertmanager.routes,
    defaultReceiver: s.alertmanager.defaultReceiver,
    resources: s.alertmanager.resources,
    ui: ui && { subdomain: ui.alertmanagerSubdomain, auth: ui.auth },
  });
  const grafana = new Grafana(scope, 'grafana', ctx, {
    namespace: MONITORING.namespace,
    replicas: s.grafana.replicas,
    subdomain: s.grafana.subdomain,
    adminSecret: s.grafana.adminSecret,
    scrapeInterval: s.prometheus.scrapeInterval,
    resources: s.grafana.resources,
  });
  const kubeStateMetrics = new KubeStateMetrics(scope, 'kube-state-metrics', ctx, {
    namespace: MONITORING.namespace,
    resources: s.kubeStateMetrics.resources,
  });
  const nodeExporter = new NodeExporter(scope, 'node-exporter', ctx, {
    namespace: MONITORING.nodeExporterNamespace,
    resources: s.nodeExporter.resources,
  });

  new MonitoringNetworkPolicies(scope, 'network-policies', {
    prometheus: prometheus.identity,
    alertmanager: alertmanager.identity,
    grafana: grafana.identity,
    kubeStateMetrics: kubeStateMetrics.identity,
    nodeExporter: nodeExporter.identity,
    alertmanagerReplicas: s.alertmanager.replicas,
    uisExposed: s.ui.expose === 'ingress',
    receiverPorts: receiverPorts(s.alertmanager.receivers),
  });
}

export default defineAddon({
  name: 'monitoring',
  description: 'Prometheus, Alertmanager, kube-state-metrics, node-exporter, Grafana with dashboards',
  settings,
  // The Grafana Ingress is validated by ingress-nginx's admission webhook.
  dependsOn: ['ingress-nginx'],
  render: renderMonitoring,
});
