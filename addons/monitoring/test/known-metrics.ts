/**
 * Metric names the exporters we run really export, per exporter. A dashboard or rule that uses a name not listed
 * here is a typo or a metric from an exporter we do not run; add a name only with evidence:
 * - node-exporter v1.11.1: kube-prometheus v0.18.0 nodeExporter-prometheusRule.yaml and its node dashboards
 *   (../shared/reference/upstream/kube-prometheus/), node_exporter's collector/fixtures/e2e-output.txt.
 * - kube-state-metrics v2.19.0: docs/metrics/** of kubernetes/kube-state-metrics (all STABLE except
 *   kube_pod_container_status_last_terminated_reason, EXPERIMENTAL), and
 *   kube-prometheus' dashboards.
 * - cAdvisor (kubelet /metrics/cadvisor): docs/storage/prometheus.md of google/cadvisor, kube-prometheus'
 *   dashboards.
 * - kubelet, Prometheus and Alertmanager self-metrics: kube-prometheus' rules.
 */

export const NODE_EXPORTER = [
  'node_boot_time_seconds',
  'node_cpu_seconds_total',
  'node_disk_io_time_seconds_total',
  'node_disk_io_time_weighted_seconds_total',
  'node_disk_read_bytes_total',
  'node_disk_written_bytes_total',
  'node_filefd_allocated',
  'node_filefd_maximum',
  'node_filesystem_avail_bytes',
  'node_filesystem_files',
  'node_filesystem_files_free',
  'node_filesystem_readonly',
  'node_filesystem_size_bytes',
  'node_load1',
  'node_load15',
  'node_load5',
  'node_memory_Buffers_bytes',
  'node_memory_Cached_bytes',
  'node_memory_MemAvailable_bytes',
  'node_memory_MemFree_bytes',
  'node_memory_MemTotal_bytes',
  'node_memory_Slab_bytes',
  'node_network_receive_bytes_total',
  'node_network_receive_drop_total',
  'node_network_receive_errs_total',
  'node_network_transmit_bytes_total',
  'node_network_transmit_drop_total',
  'node_network_transmit_errs_total',
  'node_nf_conntrack_entries',
  'node_nf_conntrack_entries_limit',
  'node_timex_offset_seconds',
  'node_timex_sync_status',
  'node_uname_info',
  'node_vmstat_pgmajfault',
] as const;

export const KUBE_STATE_METRICS = [
  'kube_deployment_metadata_generation',
  'kube_deployment_spec_replicas',
  'kube_deployment_status_condition',
  'kube_deployment_status_observed_generation',
  'kube_deployment_status_replicas',
  'kube_deployment_status_replicas_available',
  'kube_deployment_status_replicas_unavailable',
  'kube_deployment_status_replicas_updated',
  'kube_namespace_status_phase',
  'kube_node_info',
  'kube_node_spec_unschedulable',
  'kube_node_status_allocatable',
  'kube_node_status_capacity',
  'kube_node_status_condition',
  'kube_pod_container_info',
  'kube_pod_container_resource_limits',
  'kube_pod_container_resource_requests',
  'kube_pod_container_status_last_terminated_reason',
  'kube_pod_container_status_ready',
  'kube_pod_container_status_restarts_total',
  'kube_pod_container_status_waiting_reason',
  'kube_pod_info',
  'kube_pod_owner',
  'kube_pod_status_phase',
  'kube_pod_status_ready',
  'kube_replicaset_owner',
  'kube_statefulset_replicas',
  'kube_statefulset_status_replicas',
  'kube_statefulset_status_replicas_ready',
  'kube_statefulset_status_replicas_updated',
] as const;

export const CADVISOR = [
  'container_cpu_cfs_periods_total',
  'container_cpu_cfs_throttled_periods_total',
  'container_cpu_usage_seconds_total',
  'container_fs_reads_bytes_total',
  'container_fs_writes_bytes_total',
  'container_memory_cache',
  'container_memory_rss',
  'container_memory_swap',
  'container_memory_working_set_bytes',
  'container_network_receive_bytes_total',
  'container_network_receive_packets_dropped_total',
  'container_network_receive_packets_total',
  'container_network_transmit_bytes_total',
  'container_network_transmit_packets_dropped_total',
  'container_network_transmit_packets_total',
] as const;

export const KUBELET = [
  'kubelet_volume_stats_available_bytes',
  'kubelet_volume_stats_capacity_bytes',
] as const;

/** Series Prometheus writes itself for every target. */
export const SCRAPE = ['up'] as const;

export const PROMETHEUS = [
  'prometheus_config_last_reload_successful',
  'prometheus_notifications_alertmanagers_discovered',
  'prometheus_rule_evaluation_failures_total',
] as const;

export const ALERTMANAGER = [
  'alertmanager_config_last_reload_successful',
  'alertmanager_notifications_failed_total',
  'alertmanager_notifications_total',
] as const;

/** What dashboards may use: the three exporters whose data they show. */
export const DASHBOARD_METRICS: ReadonlySet<string> = new Set([...NODE_EXPORTER, ...KUBE_STATE_METRICS, ...CADVISOR]);

/** What alert rules may use: everything Prometheus scrapes. */
export const RULE_METRICS: ReadonlySet<string> = new Set([...DASHBOARD_METRICS, ...KUBELET, ...SCRAPE, ...PROMETHEUS, ...ALERTMANAGER]);
