import { k8s } from 'cdk8s-plus-28';

/** The only verbs a viewer or a read-only tool gets. */
export const READ_VERBS = ['get', 'list', 'watch'] as const;
const READ = [...READ_VERBS];

/**
 * What dashboard users see, cluster-wide: the common resources the dashboard shows, read-only. Unlike the
 * cluster-admin binding people usually add, and unlike the built-in `view` role (namespaced, via RoleBindings),
 * it never grants Secrets, pods/exec|attach|portforward, services/proxy, nodes/proxy or serviceaccounts/token, and no write verb.
 */
export const VIEWER_RULES: readonly k8s.PolicyRule[] = [
  {
    apiGroups: [''],
    resources: [
      'configmaps', 'endpoints', 'events', 'limitranges', 'namespaces', 'nodes', 'persistentvolumeclaims', 'persistentvolumes',
      'pods', 'pods/log', 'replicationcontrollers', 'resourcequotas', 'serviceaccounts', 'services',
    ],
    verbs: READ,
  },
  { apiGroups: ['apps'], resources: ['daemonsets', 'deployments', 'replicasets', 'statefulsets'], verbs: READ },
  { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: READ },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: READ },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: READ },
  { apiGroups: ['networking.k8s.io'], resources: ['ingressclasses', 'ingresses', 'networkpolicies'], verbs: READ },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: READ },
  { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: READ },
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles'], verbs: READ },
  { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: READ },
  // CPU/memory graphs of nodes and pods.
  { apiGroups: ['metrics.k8s.io'], resources: ['nodes', 'pods'], verbs: READ },
];

/**
 * The dashboard's own ServiceAccount, in its namespace, as upstream v2.7.0 minus the heapster/metrics-scraper
 * service-proxy rules: the dashboard reaches the scraper directly (--sidecar-host), not through the API server.
 */
export function dashboardRoleRules(names: { keyHolder: string; csrf: string; settings: string }): k8s.PolicyRule[] {
  return [
    // The dashboard fills in (and may rotate) its key-holder and CSRF Secrets; upstream's list also names
    // kubernetes-dashboard-certs, which this add-on replaces with an emptyDir.
    { apiGroups: [''], resources: ['secrets'], resourceNames: [names.keyHolder, names.csrf], verbs: ['get', 'update', 'delete'] },
    { apiGroups: [''], resources: ['configmaps'], resourceNames: [names.settings], verbs: ['get', 'update'] },
  ];
}

/** The metrics scraper: node and pod metrics from the metrics API (upstream's ClusterRole `kubernetes-dashboard`). */
export const METRICS_SCRAPER_CLUSTER_RULES: readonly k8s.PolicyRule[] = [
  { apiGroups: ['metrics.k8s.io'], resources: ['nodes', 'pods'], verbs: READ },
];

/** kube-ops-view: exactly upstream's rules (already read-only). */
export const KUBE_OPS_VIEW_CLUSTER_RULES: readonly k8s.PolicyRule[] = [
  { apiGroups: [''], resources: ['nodes', 'pods'], verbs: ['list'] },
  { apiGroups: ['metrics.k8s.io'], resources: ['nodes', 'pods'], verbs: ['get', 'list'] },
];

/**
 * weave-scope's cluster agent, read-only. Upstream also grants pods delete and deployments/scale update (the UI's
 * controls, switched off here with --probe.no-controls), pods/log (log control), PodSecurityPolicy `use` (API removed
 * in 1.25), and the `extensions` and `volumesnapshot.external-storage.k8s.io` groups (gone from Kubernetes 1.28).
 */
export const WEAVE_SCOPE_CLUSTER_RULES: readonly k8s.PolicyRule[] = [
  {
    apiGroups: [''],
    resources: ['namespaces', 'nodes', 'persistentvolumeclaims', 'persistentvolumes', 'pods', 'replicationcontrollers', 'services'],
    verbs: READ,
  },
  { apiGroups: ['apps'], resources: ['daemonsets', 'deployments', 'replicasets', 'statefulsets'], verbs: READ },
  { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: READ },
  { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: ['list', 'watch'] },
];
