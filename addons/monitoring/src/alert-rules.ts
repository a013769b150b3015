import { MONITORING } from './endpoints';

/**
 * The alerting rules Prometheus loads (one rules file). A deliberately small set that covers the platform's own
 * failure modes; names, thresholds and runbooks follow the kubernetes-mixin / kube-prometheus rules, adapted to
 * our job names (`kube-state-metrics`, `node-exporter`, `kubelet`, `kubernetes-pods`).
 */

export type Severity = 'critical' | 'warning' | 'info' | 'none';

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  /** How long the condition must hold before the alert fires. */
  readonly for?: string;
  readonly labels: { readonly severity: Severity };
  readonly annotations: { readonly summary: string; readonly description: string; readonly runbook_url?: string };
}

export interface RuleGroup {
  readonly name: string;
  readonly rules: readonly AlertRule[];
}

const RUNBOOKS = 'https://runbooks.prometheus-operator.dev/runbooks';
const runbook = (group: string, alert: string) => `${RUNBOOKS}/${group}/${alert.toLowerCase()}`;

const KSM = 'job="kube-state-metrics"';
const NODE_FS = 'job="node-exporter",fstype!="",mountpoint!=""';
const KUBELET = 'job="kubelet"';
/** Prometheus and Alertmanager expose their own metrics through the `kubernetes-pods` job. */
const SELF = `job="kubernetes-pods",namespace="${MONITORING.namespace}"`;

/** Trims the indentation of a multi-line template literal so the rendered rules read like hand-written YAML. */
function promql(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = strings.reduce((out, s, i) => out + s + (i < values.length ? String(values[i]) : ''), '');
  const lines = text.replace(/^\n/, '').replace(/\s+$/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

export const ALERT_RULE_GROUPS: readonly RuleGroup[] = [
  {
    name: 'general',
    rules: [
      {
        alert: 'Watchdog',
        expr: 'vector(1)',
        labels: { severity: 'none' },
        annotations: {
          summary: 'Always firing: proves the Prometheus to Alertmanager pipeline works.',
          description: 'Route it to a dead man\'s switch to be told when alerting itself is broken; by default it goes to the "null" receiver.',
          runbook_url: runbook('general', 'Watchdog'),
        },
      },
      {
        alert: 'TargetDown',
        expr: promql`
          100 * (
            count by (job, namespace, service) (up == 0)
          /
            count by (job, namespace, service) (up)
          ) > 10`,
        for: '10m',
        labels: { severity: 'warning' },
        annotations: {
          summary: 'One or more scrape targets are unreachable.',
          description: '{{ printf "%.4g" $value }}% of the {{ $labels.job }}{{ with $labels.service }}/{{ . }}{{ end }} targets in namespace {{ $labels.namespace }} are down.',
          runbook_url: runbook('general', 'TargetDown'),
        },
      },
    ],
  },
  {
    name: 'node',
    rules: [
      {
        alert: 'NodeFilesystemSpaceFillingUp',
        expr: promql`
          (
            node_filesystem_avail_bytes{${NODE_FS}} / node_filesystem_size_bytes{${NODE_FS}} * 100 < 15
          and
            predict_linear(node_filesystem_avail_bytes{${NODE_FS}}[6h], 24*60*60) < 0
          and
            node_filesystem_readonly{${NODE_FS}} == 0
          )`,
        for: '1h',
        labels: { severity: 'warning' },
        annotations: {
          summary: 'Filesystem is predicted to run out of space within the next 24 hours.',
          description: 'Filesystem {{ $labels.mountpoint }} ({{ $labels.device }}) on node {{ $labels.instance }} has {{ printf "%.2f" $value }}% space left and is filling up.',
          runbook_url: runbook('node', 'NodeFilesystemSpaceFillingUp'),
        },
      },
      ...([['warning', 5], ['critical', 3]] as const).map(([severity, percent]): AlertRule => ({
        alert: 'NodeFilesystemAlmostOutOfSpace',
        expr: promql`
          (
            node_filesystem_avail_bytes{${NODE_FS}} / node_filesystem_size_bytes{${NODE_FS}} * 100 < ${percent}
          and
            node_filesystem_readonly{${NODE_FS}} == 0
          )`,
        for: '30m',
        labels: { severity },
        annotations: {
          summary: `Filesystem has less than ${percent}% space left.`,
          description: 'Filesystem {{ $labels.mountpoint }} ({{ $labels.device }}) on node {{ $labels.instance }} has only {{ printf "%.2f" $value }}% space left.',
          runbook_url: runbook('node', 'NodeFilesystemAlmostOutOfSpace'),
        },
      })),
      {
        alert: 'KubeNodeNotReady',
        expr: `kube_node_status_condition{${KSM},condition="Ready",status="true"} == 0`,
        for: '15m',
        labels: { severity: 'warning' },
        annotations: {
          summary: 'Node is not ready.',
          description: 'Node {{ $labels.node }} has been unready for more than 15 minutes.',
          runbook_url: runbook('kubernetes', 'KubeNodeNotReady'),
        },
      },
    ],
  },
  {
    name: 'kubernetes-apps',
    rules: [
      {
        alert: 'KubePodCrashLooping',
        expr: `max_over_time(kube_pod_container_status_waiting_reason{${KSM},reason="CrashLoopBackOff"}[5m]) >= 1`,
        for: '15m',
        labels: { severity: 'warning' },
        annotations: {
          summary: 'Pod is crash looping.',
          description: 'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} is in CrashLoopBackOff.',
          runbook_url: runbook('kubernetes', 'KubePodCrashLooping'),
        },
      },
      {
        alert: 'KubeDeploymentReplicasMismatch',
        expr: promql`
          (
            kube_deployment_spec_replicas{${KSM}}
              >
            kube_deployment_status_replicas_available{${KSM}}
          ) and (
            changes(kube_deployment_status_replicas_updated{${KSM}}[10m])
              ==
            0
          )`,
        for: '15m',
        labels: { severity: 'warning' },
        annotations: {
          summary: 'Deployment has not matched the expected number of replicas.',
          description: 'Deployment {{ $labels.namespace }}/{{ $labels.deployment }} has had fewer available replicas than desired for more than 15 minutes, and no rollout is progressing.',
          runbook_url: runbook('kubernetes', 'KubeDeploymentReplicasMismatch'),
        },
      },
      {
        alert: 'KubeStatefulSetReplicasMismatch',
        expr: promql`
          (
            kube_statefulset_status_replicas_ready{${KSM}}
              !=
            kube_statefulset_replicas{${KSM}}
          ) and (
            changes(kube_statefulset_status_replicas_updated{${KSM}}[10m])
              ==
            0
          )`,
        for: '15m',
        labels: { severity: 'warning' },
        annotations: {
          summary: 'StatefulSet has not matched the expected number of replicas.',
          description: 'StatefulSet {{ $labels.namespace }}/{{ $labels.statefulset }} has had a different number of ready replicas than desired for more than 15 minutes.',
          runbook_url: runbook('kubernetes', 'KubeStatefulSetReplicasMismatch'),
        },
      },
    ],
  },
  {
    name: 'kubernetes-storage',
    rules: [
      {
        alert: 'KubePersistentVolumeFillingUp',
        expr: promql`
          kubelet_volume_stats_available_bytes{${KUBELET}}
            /
          kubelet_volume_stats_capacity_bytes{${KUBELET}}
            < 0.03`,
        for: '1m',
        labels: { severity: 'critical' },
        annotations: {
          summary: 'PersistentVolume is almost full.',
          description: 'The volume claimed by {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} has {{ $value | humanizePercentage }} free space left.',
          runbook_url: runbook('kubernetes', 'KubePersistentVolumeFillingUp'),
        },
      },
      {
        alert: 'KubePersistentVolumeFillingUp',
        expr: promql`
          (
            kubelet_volume_stats_available_bytes{${KUBELET}}
              /
            kubelet_volume_stats_capacity_bytes{${KUBELET}}
          ) < 0.15
          and
            predict_linear(kubelet_volume_stats_available_bytes{${KUBELET}}[6h], 4 * 24 * 3600) < 0`,
        for: '1h',
        labels: { severity: 'warning' },
        annotations: {
          summary: 'PersistentVolume is filling up.',
          description: 'The volume claimed by {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is expected to fill up within four days ({{ $value | humanizePercentage }} free now).',
          runbook_url: runbook('kubernetes', 'KubePersistentVolumeFillingUp'),
        },
      },
    ],
  },
  {
    name: 'monitoring-self',
    rules: [
      {
        // Prometheus reloads its configuration by itself (--config.auto-reload): a bad config is rejected and the
        // old one keeps running, so this alert is how anyone learns about it.
        alert: 'PrometheusBadConfig',
        expr: `max_over_time(prometheus_config_last_reload_successful{${SELF}}[5m]) == 0`,
        for: '10m',
        labels: { severity: 'critical' },
        annotations: {
          summary: 'Prometheus failed to reload its configuration.',
          description: 'Prometheus {{ $labels.namespace }}/{{ $labels.pod }} rejected its latest configuration and keeps running the previous one.',
          runbook_url: runbook('prometheus', 'PrometheusBadConfig'),
        },
      },
      {
        alert: 'PrometheusRuleFailures',
        expr: `increase(prometheus_rule_evaluation_failures_total{${SELF}}[5m]) > 0`,
        for: '15m',
        labels: { severity: 'critical' },
        annotations: {
          summary: 'Prometheus is failing rule evaluations.',
          description: 'Prometheus {{ $labels.namespace }}/{{ $labels.pod }} failed to evaluate {{ printf "%.0f" $value }} rules in the last 5m.',
          runbook_url: runbook('prometheus', 'PrometheusRuleFailures'),
        },
      },
      {
        alert: 'PrometheusNotConnectedToAlertmanagers',
        expr: `max_over_time(prometheus_notifications_alertmanagers_discovered{${SELF}}[5m]) < 1`,
        for: '10m',
        labels: { severity: 'warning' },
        annotations: {
          summary: 'Prometheus is not connected to any Alertmanager.',
          description: 'Prometheus {{ $labels.namespace }}/{{ $labels.pod }} has discovered no Alertmanager to send alerts to.',
          runbook_url: runbook('prometheus', 'PrometheusNotConnectedToAlertmanagers'),
        },
      },
      {
        alert: 'AlertmanagerFailedReload',
        expr: `max_over_time(alertmanager_config_last_reload_successful{${SELF}}[5m]) == 0`,
        for: '10m',
        labels: { severity: 'critical' },
        annotations: {
          summary: 'Alertmanager failed to load its configuration.',
          description: 'Alertmanager {{ $labels.namespace }}/{{ $labels.pod }} could not load its configuration.',
          runbook_url: runbook('alertmanager', 'AlertmanagerFailedReload'),
        },
      },
      {
        alert: 'AlertmanagerFailedToSendAlerts',
        expr: promql`
          (
            rate(alertmanager_notifications_failed_total{${SELF}}[15m])
          /
            ignoring (reason) group_left rate(alertmanager_notifications_total{${SELF}}[15m])
          ) > 0.01`,
        for: '5m',
        labels: { severity: 'warning' },
        annotations: {
          summary: 'Alertmanager failed to send notifications.',
          description: 'Alertmanager {{ $labels.namespace }}/{{ $labels.pod }} failed to send {{ $value | humanizePercentage }} of notifications to {{ $labels.integration }}.',
          runbook_url: runbook('alertmanager', 'AlertmanagerFailedToSendAlerts'),
        },
      },
    ],
  },
];

/** The rules file, as data. */
export function alertRules(): { groups: readonly RuleGroup[] } {
  return { groups: ALERT_RULE_GROUPS };
}
