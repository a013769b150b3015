import { Dashboard, NONZERO_IS_BAD, dashboard, q, stat, timeseries, variable } from './model';

const DEPLOYMENT = 'namespace="$namespace",deployment="$deployment"';

/**
 * 1 for every pod of Deployment $deployment: pod → ReplicaSet (kube_pod_owner) → Deployment
 * (kube_replicaset_owner). Exact, unlike matching pod names on a "<deployment>-" prefix, which also catches a
 * Deployment called "<deployment>-worker".
 */
const PODS_OF_DEPLOYMENT = `max by (namespace, pod) (
  label_replace(kube_pod_owner{namespace="$namespace",owner_kind="ReplicaSet"}, "replicaset", "$1", "owner_name", "(.*)")
  * on (namespace, replicaset) group_left()
  max by (namespace, replicaset) (kube_replicaset_owner{namespace="$namespace",owner_kind="Deployment",owner_name="$deployment"})
)`;

/** `sum by (pod)` of a per-container series, restricted to the Deployment's pods. */
const perPod = (series: string) => `sum by (pod) (
  ${series}
  * on (namespace, pod) group_left()
  ${PODS_OF_DEPLOYMENT.replace(/\n/g, '\n  ')}
)`;

const CONTAINERS = 'namespace="$namespace",container!="",image!=""';

/** Kubernetes / Deployment: rollout state of one Deployment and the resources of its pods. */
export function deploymentDashboard(): Dashboard {
  return dashboard({
    uid: 'platform-deployment',
    title: 'Kubernetes / Deployment',
    description: 'One Deployment: replicas and rollout (kube-state-metrics), and CPU, memory, network and restarts of its pods (cAdvisor).',
    tags: ['deployment'],
    variables: [
      variable('namespace', 'Namespace', 'kube_deployment_spec_replicas', 'namespace'),
      variable('deployment', 'Deployment', 'kube_deployment_spec_replicas{namespace="$namespace"}', 'deployment'),
    ],
    rows: [
      {
        title: 'Replicas',
        height: 4,
        panels: [
          stat('Desired', q(`kube_deployment_spec_replicas{${DEPLOYMENT}}`), { width: 5, unit: 'short', description: 'spec.replicas.' }),
          stat('Available', q(`kube_deployment_status_replicas_available{${DEPLOYMENT}}`), { width: 5, unit: 'short', description: 'Replicas ready for at least minReadySeconds.' }),
          stat('Unavailable', q(`kube_deployment_status_replicas_unavailable{${DEPLOYMENT}}`), {
            width: 5, unit: 'short', thresholds: NONZERO_IS_BAD, description: 'Replicas missing to reach the desired count.',
          }),
          stat('Up to date', q(`kube_deployment_status_replicas_updated{${DEPLOYMENT}}`), { width: 5, unit: 'short', description: 'Replicas running the current pod template.' }),
          stat('Generation lag', q(`kube_deployment_metadata_generation{${DEPLOYMENT}} - kube_deployment_status_observed_generation{${DEPLOYMENT}}`), {
            width: 4, unit: 'short', thresholds: NONZERO_IS_BAD, description: 'Above zero while the controller has not yet processed the latest change to the Deployment.',
          }),
        ],
      },
      {
        title: 'Rollout',
        height: 8,
        panels: [
          timeseries('Replicas', [
            q(`kube_deployment_spec_replicas{${DEPLOYMENT}}`, 'desired'),
            q(`kube_deployment_status_replicas_available{${DEPLOYMENT}}`, 'available'),
            q(`kube_deployment_status_replicas_updated{${DEPLOYMENT}}`, 'up to date'),
            q(`kube_deployment_status_replicas_unavailable{${DEPLOYMENT}}`, 'unavailable'),
          ], { width: 12, unit: 'short', min: 0, description: 'Replica counts over time: a rollout shows as "up to date" climbing to "desired".' }),
          timeseries('Conditions', [q(`kube_deployment_status_condition{${DEPLOYMENT},status="true"}`, '{{condition}} ({{reason}})')], {
            width: 12, unit: 'short', min: 0, max: 1,
            description: 'Conditions that are true: Available, and Progressing (reason ProgressDeadlineExceeded means the rollout is stuck).',
          }),
        ],
      },
      {
        title: 'Pods',
        height: 8,
        panels: [
          timeseries('CPU by pod', [q(perPod(`rate(container_cpu_usage_seconds_total{${CONTAINERS}}[$__rate_interval])`), '{{pod}}')], {
            width: 12, unit: 'short', min: 0, description: 'CPU cores used by each pod of the Deployment.',
          }),
          timeseries('Memory by pod', [q(perPod(`container_memory_working_set_bytes{${CONTAINERS}}`), '{{pod}}')], {
            width: 12, unit: 'bytes', min: 0, description: 'Working-set memory of each pod of the Deployment.',
          }),
        ],
      },
      {
        title: 'Network and restarts',
        height: 8,
        panels: [
          timeseries('Network received by pod', [q(perPod('rate(container_network_receive_bytes_total{namespace="$namespace"}[$__rate_interval])'), '{{pod}}')], {
            width: 8, unit: 'Bps', min: 0, description: 'Bytes per second received by each pod.',
          }),
          timeseries('Network sent by pod', [q(perPod('rate(container_network_transmit_bytes_total{namespace="$namespace"}[$__rate_interval])'), '{{pod}}')], {
            width: 8, unit: 'Bps', min: 0, description: 'Bytes per second sent by each pod.',
          }),
          timeseries('Restarts by pod', [q(perPod('kube_pod_container_status_restarts_total{namespace="$namespace"}'), '{{pod}}')], {
            width: 8, unit: 'short', min: 0, description: 'Container restarts of each pod since it was created.',
          }),
        ],
      },
    ],
  });
}
