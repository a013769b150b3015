import { CAPACITY_THRESHOLDS, Dashboard, NONZERO_IS_BAD, dashboard, gauge, q, stat, timeseries } from './model';

/** cAdvisor series of real containers (not the pod sandbox, not the cgroup totals). */
const CONTAINERS = 'container!="",image!=""';
/** Requests only count while the pod can run: completed and failed pods still carry them in kube-state-metrics. */
const ACTIVE_PODS = 'max by (namespace, pod) (kube_pod_status_phase{phase=~"Pending|Running"} == 1)';

const requested = (resource: 'cpu' | 'memory') =>
  `sum(kube_pod_container_resource_requests{resource="${resource}"} * on (namespace, pod) group_left() ${ACTIVE_PODS})`;
const allocatable = (resource: 'cpu' | 'memory') => `sum(kube_node_status_allocatable{resource="${resource}"})`;

/** Kubernetes / Cluster: is the cluster healthy, how full is it, who uses it. */
export function clusterDashboard(): Dashboard {
  return dashboard({
    uid: 'platform-cluster',
    title: 'Kubernetes / Cluster',
    description: 'Health, capacity and usage of the whole cluster (kube-state-metrics, cAdvisor, node-exporter).',
    tags: ['cluster'],
    rows: [
      {
        title: 'Health',
        height: 4,
        panels: [
          stat('Nodes', q('count(kube_node_info)'), { width: 4, unit: 'short', description: 'Nodes registered with the API server.' }),
          stat('Unready nodes', q('count(kube_node_status_condition{condition="Ready",status="true"} == 0) or vector(0)'), {
            width: 4, unit: 'short', thresholds: NONZERO_IS_BAD, description: 'Nodes whose Ready condition is not true.',
          }),
          stat('Running pods', q('sum(kube_pod_status_phase{phase="Running"})'), { width: 4, unit: 'short', description: 'Pods in phase Running.' }),
          stat('Pending pods', q('sum(kube_pod_status_phase{phase="Pending"})'), {
            width: 4, unit: 'short', thresholds: NONZERO_IS_BAD, description: 'Pods not scheduled or not started yet; a lasting non-zero value means missing capacity or a bad image.',
          }),
          stat('Failed pods', q('sum(kube_pod_status_phase{phase="Failed"})'), { width: 4, unit: 'short', thresholds: NONZERO_IS_BAD, description: 'Pods in phase Failed.' }),
          stat('Deployments short of replicas', q('count(kube_deployment_status_replicas_unavailable > 0) or vector(0)'), {
            width: 4, unit: 'short', thresholds: NONZERO_IS_BAD, description: 'Deployments with at least one unavailable replica (open Kubernetes / Deployment to see which).',
          }),
        ],
      },
      {
        title: 'Capacity',
        height: 6,
        panels: [
          gauge('CPU requested', q(`${requested('cpu')} / ${allocatable('cpu')}`), {
            width: 6, unit: 'percentunit', min: 0, max: 1, thresholds: CAPACITY_THRESHOLDS,
            description: 'CPU requests of running and pending pods, as a share of allocatable CPU: what the scheduler sees. Near 100%, new pods stay Pending.',
          }),
          gauge('Memory requested', q(`${requested('memory')} / ${allocatable('memory')}`), {
            width: 6, unit: 'percentunit', min: 0, max: 1, thresholds: CAPACITY_THRESHOLDS,
            description: 'Memory requests of running and pending pods, as a share of allocatable memory.',
          }),
          gauge('CPU used', q(`sum(rate(container_cpu_usage_seconds_total{${CONTAINERS}}[$__rate_interval])) / ${allocatable('cpu')}`), {
            width: 6, unit: 'percentunit', min: 0, max: 1, thresholds: CAPACITY_THRESHOLDS,
            description: 'CPU actually used by containers, as a share of allocatable CPU.',
          }),
          gauge('Memory used', q(`sum(container_memory_working_set_bytes{${CONTAINERS}}) / ${allocatable('memory')}`), {
            width: 6, unit: 'percentunit', min: 0, max: 1, thresholds: CAPACITY_THRESHOLDS,
            description: 'Working-set memory of containers (what the OOM killer looks at), as a share of allocatable memory.',
          }),
        ],
      },
      {
        title: 'Usage by namespace',
        height: 8,
        panels: [
          timeseries('CPU by namespace', [q(`sum by (namespace) (rate(container_cpu_usage_seconds_total{${CONTAINERS}}[$__rate_interval]))`, '{{namespace}}')], {
            width: 12, unit: 'short', min: 0, stack: true, description: 'CPU cores used, per namespace.',
          }),
          timeseries('Memory by namespace', [q(`sum by (namespace) (container_memory_working_set_bytes{${CONTAINERS}})`, '{{namespace}}')], {
            width: 12, unit: 'bytes', min: 0, stack: true, description: 'Working-set memory, per namespace.',
          }),
        ],
      },
      {
        title: 'Network and restarts',
        height: 8,
        panels: [
          timeseries('Network received by namespace', [q('sum by (namespace) (rate(container_network_receive_bytes_total{namespace!=""}[$__rate_interval]))', '{{namespace}}')], {
            width: 8, unit: 'Bps', min: 0, description: 'Bytes per second received by pods (host-network pods excluded), per namespace.',
          }),
          timeseries('Network sent by namespace', [q('sum by (namespace) (rate(container_network_transmit_bytes_total{namespace!=""}[$__rate_interval]))', '{{namespace}}')], {
            width: 8, unit: 'Bps', min: 0, description: 'Bytes per second sent by pods (host-network pods excluded), per namespace.',
          }),
          timeseries('Container restarts by namespace', [q('sum by (namespace) (increase(kube_pod_container_status_restarts_total[1h])) > 0', '{{namespace}}')], {
            width: 8, unit: 'short', min: 0, description: 'Container restarts over the previous hour, per namespace (namespaces without restarts are hidden).',
          }),
        ],
      },
      {
        title: 'Nodes',
        height: 8,
        panels: [
          timeseries('CPU busy by node', [q('1 - avg by (instance) (rate(node_cpu_seconds_total{job="node-exporter",mode="idle"}[$__rate_interval]))', '{{instance}}')], {
            width: 12, unit: 'percentunit', min: 0, max: 1, description: 'Share of CPU time not idle, per node (node-exporter; includes system daemons).',
          }),
          timeseries('Memory used by node', [q('1 - node_memory_MemAvailable_bytes{job="node-exporter"} / node_memory_MemTotal_bytes{job="node-exporter"}', '{{instance}}')], {
            width: 12, unit: 'percentunit', min: 0, max: 1, description: 'Share of memory not available to new allocations, per node.',
          }),
        ],
      },
    ],
  });
}
