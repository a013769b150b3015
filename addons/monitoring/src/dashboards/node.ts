import { CAPACITY_THRESHOLDS, Dashboard, dashboard, gauge, q, stat, timeseries, variable } from './model';

/** node-exporter series of the selected node (the scrape job sets instance = node name). */
const NODE = 'job="node-exporter",instance="$node"';
/** Real filesystems (not tmpfs/overlay of containers). */
const FILESYSTEMS = `${NODE},fstype!~"tmpfs|overlay|squashfs|nsfs",mountpoint!=""`;
const CORES = `count(node_cpu_seconds_total{${NODE},mode="idle"})`;

/** Kubernetes / Node: one node's CPU, memory, disks and network (node-exporter), and its pods (kube-state-metrics). */
export function nodeDashboard(): Dashboard {
  return dashboard({
    uid: 'platform-node',
    title: 'Kubernetes / Node',
    description: 'One node: CPU, memory, disks and network from node-exporter; pods and allocatable resources from kube-state-metrics.',
    tags: ['node'],
    variables: [variable('node', 'Node', 'node_uname_info{job="node-exporter"}', 'instance')],
    rows: [
      {
        title: 'Overview',
        height: 4,
        panels: [
          stat('Uptime', q(`time() - node_boot_time_seconds{${NODE}}`), { width: 4, unit: 's', description: 'Time since the node booted.' }),
          stat('CPU cores', q(CORES), { width: 4, unit: 'short', description: 'Logical CPUs of the node.' }),
          stat('Memory', q(`node_memory_MemTotal_bytes{${NODE}}`), { width: 4, unit: 'bytes', description: 'Physical memory of the node.' }),
          stat('Running pods', q('count(kube_pod_info{node="$node"} and on (namespace, pod) (kube_pod_status_phase{phase="Running"} == 1))'), {
            width: 4, unit: 'short', description: 'Pods in phase Running on this node.',
          }),
          stat('Pod capacity', q('kube_node_status_allocatable{node="$node",resource="pods"}'), { width: 4, unit: 'short', description: 'Pods the kubelet accepts on this node.' }),
          stat('Unschedulable', q('kube_node_spec_unschedulable{node="$node"}'), {
            width: 4, unit: 'short', thresholds: [{ color: 'green', value: null }, { color: 'orange', value: 1 }], description: '1 while the node is cordoned.',
          }),
        ],
      },
      {
        title: 'CPU',
        height: 8,
        panels: [
          timeseries('CPU usage by mode', [q(`sum by (mode) (rate(node_cpu_seconds_total{${NODE},mode!="idle"}[$__rate_interval])) / scalar(${CORES})`, '{{mode}}')], {
            width: 12, unit: 'percentunit', min: 0, max: 1, stack: true, description: 'Share of all CPUs spent in each non-idle mode (iowait and steal point at disk or hypervisor trouble).',
          }),
          timeseries('Load average', [
            q(`node_load1{${NODE}}`, '1m'),
            q(`node_load5{${NODE}}`, '5m'),
            q(`node_load15{${NODE}}`, '15m'),
            q(CORES, 'CPU cores'),
          ], { width: 12, unit: 'short', min: 0, description: 'Runnable and uninterruptible tasks; sustained load above the core count means saturation.' }),
        ],
      },
      {
        title: 'Memory',
        height: 8,
        panels: [
          timeseries('Memory', [
            q(`node_memory_MemTotal_bytes{${NODE}} - node_memory_MemAvailable_bytes{${NODE}}`, 'used'),
            q(`node_memory_Buffers_bytes{${NODE}} + node_memory_Cached_bytes{${NODE}}`, 'buffers and page cache'),
            q(`node_memory_MemAvailable_bytes{${NODE}}`, 'available'),
          ], { width: 12, unit: 'bytes', min: 0, description: 'Used memory (total minus available), reclaimable caches and what is still available.' }),
          timeseries('Major page faults', [q(`rate(node_vmstat_pgmajfault{${NODE}}[$__rate_interval])`, 'major faults')], {
            width: 12, unit: 'short', min: 0, description: 'Page faults that needed disk I/O, per second: a node under memory pressure is thrashing.',
          }),
        ],
      },
      {
        title: 'Disks',
        height: 8,
        panels: [
          timeseries('Filesystem used', [q(`1 - node_filesystem_avail_bytes{${FILESYSTEMS}} / node_filesystem_size_bytes{${FILESYSTEMS}}`, '{{mountpoint}}')], {
            width: 8, unit: 'percentunit', min: 0, max: 1, description: 'Share of each filesystem that is used (as seen by unprivileged users).',
          }),
          timeseries('Disk throughput', [
            q(`rate(node_disk_read_bytes_total{${NODE}}[$__rate_interval])`, '{{device}} read'),
            q(`rate(node_disk_written_bytes_total{${NODE}}[$__rate_interval])`, '{{device}} written'),
          ], { width: 8, unit: 'Bps', min: 0, description: 'Bytes read and written per second, per block device.' }),
          timeseries('Disk busy', [q(`rate(node_disk_io_time_seconds_total{${NODE}}[$__rate_interval])`, '{{device}}')], {
            width: 8, unit: 'percentunit', min: 0, max: 1, description: 'Share of time each device had I/O in flight; close to 100% means the disk is saturated.',
          }),
        ],
      },
      {
        title: 'Network',
        height: 8,
        panels: [
          timeseries('Network throughput', [
            q(`rate(node_network_receive_bytes_total{${NODE},device!="lo"}[$__rate_interval])`, '{{device}} received'),
            q(`rate(node_network_transmit_bytes_total{${NODE},device!="lo"}[$__rate_interval])`, '{{device}} sent'),
          ], { width: 12, unit: 'Bps', min: 0, description: 'Bytes per second, per interface (pod veth interfaces are excluded by node-exporter).' }),
          timeseries('Network errors', [
            q(`rate(node_network_receive_errs_total{${NODE}}[$__rate_interval])`, '{{device}} receive errors'),
            q(`rate(node_network_transmit_errs_total{${NODE}}[$__rate_interval])`, '{{device}} transmit errors'),
          ], { width: 12, unit: 'short', min: 0, description: 'Errors per second, per interface.' }),
        ],
      },
      {
        title: 'Kubernetes view of the node',
        height: 6,
        panels: [
          gauge('CPU requested', q('sum(kube_pod_container_resource_requests{node="$node",resource="cpu"}) / sum(kube_node_status_allocatable{node="$node",resource="cpu"})'), {
            width: 12, unit: 'percentunit', min: 0, max: 1, thresholds: CAPACITY_THRESHOLDS, description: 'CPU requests of the pods on this node, as a share of its allocatable CPU.',
          }),
          gauge('Memory requested', q('sum(kube_pod_container_resource_requests{node="$node",resource="memory"}) / sum(kube_node_status_allocatable{node="$node",resource="memory"})'), {
            width: 12, unit: 'percentunit', min: 0, max: 1, thresholds: CAPACITY_THRESHOLDS, description: 'Memory requests of the pods on this node, as a share of its allocatable memory.',
          }),
        ],
      },
    ],
  });
}
