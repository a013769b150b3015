import { Dashboard, NONZERO_IS_BAD, dashboard, q, stat, table, timeseries, variable } from './model';

const POD = 'namespace="$namespace",pod="$pod"';
/** cAdvisor series of the pod's real containers (not the sandbox, not the pod cgroup). */
const CONTAINERS = `${POD},container!="",image!=""`;

const resourceLines = (resource: 'cpu' | 'memory') => [
  q(`sum by (container) (kube_pod_container_resource_requests{${POD},resource="${resource}"})`, '{{container}} request'),
  q(`sum by (container) (kube_pod_container_resource_limits{${POD},resource="${resource}"})`, '{{container}} limit'),
];

/** Kubernetes / Pod: one pod's containers — resources against requests and limits, throttling, restarts, state. */
export function podDashboard(): Dashboard {
  return dashboard({
    uid: 'platform-pod',
    title: 'Kubernetes / Pod',
    description: 'One pod and its containers: CPU and memory against requests and limits (cAdvisor, kube-state-metrics), throttling, network, restarts and why containers are not running.',
    tags: ['pod'],
    from: 'now-3h',
    variables: [
      variable('namespace', 'Namespace', 'kube_pod_info', 'namespace'),
      variable('pod', 'Pod', 'kube_pod_info{namespace="$namespace"}', 'pod'),
    ],
    rows: [
      {
        title: 'Status',
        height: 4,
        panels: [
          stat('Phase', q(`kube_pod_status_phase{${POD}} == 1`, '{{phase}}'), { width: 6, unit: 'none', showName: true, description: 'Current phase of the pod.' }),
          stat('Node', q(`kube_pod_info{${POD}}`, '{{node}}'), { width: 6, unit: 'none', showName: true, description: 'Node the pod runs on.' }),
          stat('Containers ready', q(`sum(kube_pod_container_status_ready{${POD}}) / count(kube_pod_container_info{${POD}})`), {
            width: 6, unit: 'percentunit', min: 0, max: 1,
            thresholds: [{ color: 'red', value: null }, { color: 'green', value: 1 }], description: 'Share of the containers whose readiness probe passes.',
          }),
          stat('Restarts', q(`sum(kube_pod_container_status_restarts_total{${POD}})`), {
            width: 6, unit: 'short', thresholds: NONZERO_IS_BAD, description: 'Container restarts since the pod was created.',
          }),
        ],
      },
      {
        title: 'CPU',
        height: 8,
        panels: [
          timeseries('CPU usage', [
            q(`sum by (container) (rate(container_cpu_usage_seconds_total{${CONTAINERS}}[$__rate_interval]))`, '{{container}}'),
            ...resourceLines('cpu'),
          ], { width: 12, unit: 'short', min: 0, description: 'CPU cores used per container, with its request and limit.' }),
          timeseries('CPU throttling', [q(
            `sum by (container) (increase(container_cpu_cfs_throttled_periods_total{${CONTAINERS}}[$__rate_interval]))`
            + `\n/\nsum by (container) (increase(container_cpu_cfs_periods_total{${CONTAINERS}}[$__rate_interval]))`,
            '{{container}}',
          )], {
            width: 12, unit: 'percentunit', min: 0, max: 1,
            description: 'Share of CFS periods in which the container hit its CPU limit. Sustained throttling adds latency even when average usage looks low.',
          }),
        ],
      },
      {
        title: 'Memory',
        height: 8,
        panels: [
          timeseries('Memory working set', [
            q(`sum by (container) (container_memory_working_set_bytes{${CONTAINERS}})`, '{{container}}'),
            ...resourceLines('memory'),
          ], { width: 12, unit: 'bytes', min: 0, description: 'Working set per container (what counts towards the OOM kill at the limit), with request and limit.' }),
          timeseries('Memory RSS and cache', [
            q(`sum by (container) (container_memory_rss{${CONTAINERS}})`, '{{container}} RSS'),
            q(`sum by (container) (container_memory_cache{${CONTAINERS}})`, '{{container}} page cache'),
          ], { width: 12, unit: 'bytes', min: 0, description: 'Anonymous memory (RSS) and page cache per container.' }),
        ],
      },
      {
        title: 'Network and restarts',
        height: 8,
        panels: [
          timeseries('Network', [
            q(`sum(rate(container_network_receive_bytes_total{${POD}}[$__rate_interval]))`, 'received'),
            q(`sum(rate(container_network_transmit_bytes_total{${POD}}[$__rate_interval]))`, 'sent'),
          ], { width: 12, unit: 'Bps', min: 0, description: 'Bytes per second through the pod\'s network interface (shared by its containers).' }),
          timeseries('Restarts', [q(`kube_pod_container_status_restarts_total{${POD}}`, '{{container}}')], {
            width: 12, unit: 'short', min: 0, description: 'Restart count per container; a staircase is a crash loop.',
          }),
        ],
      },
      {
        title: 'Container state',
        height: 6,
        panels: [
          table('Waiting containers', [q(`kube_pod_container_status_waiting_reason{${POD}} == 1`)], {
            width: 12, unit: 'none', tableColumns: ['container', 'reason'],
            description: 'Containers that are not running and why (CrashLoopBackOff, ImagePullBackOff, CreateContainerConfigError...).',
          }),
          table('Last termination', [q(`kube_pod_container_status_last_terminated_reason{${POD}} == 1`)], {
            width: 12, unit: 'none', tableColumns: ['container', 'reason'],
            description: 'Why each container last stopped (OOMKilled, Error, Completed).',
          }),
        ],
      },
    ],
  });
}
