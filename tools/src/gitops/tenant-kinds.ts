/**
 * What a tenant's own identity may manage in its namespaces: the kinds tenants render in `workloads/`.
 * The same list is the Argo CD AppProject whitelist and the Flux deployer Role, so both engines give a tenant the
 * same reach. Guardrails (quota, limits, RBAC, network policies) are not in it: the platform applies those.
 */
export const TENANT_WORKLOAD_RESOURCES: ReadonlyArray<{ group: string; kind: string; resource: string }> = [
  { group: '', kind: 'ConfigMap', resource: 'configmaps' },
  { group: '', kind: 'Endpoints', resource: 'endpoints' },
  { group: '', kind: 'PersistentVolumeClaim', resource: 'persistentvolumeclaims' },
  { group: '', kind: 'Service', resource: 'services' },
  { group: '', kind: 'ServiceAccount', resource: 'serviceaccounts' },
  { group: 'apps', kind: 'Deployment', resource: 'deployments' },
  { group: 'apps', kind: 'StatefulSet', resource: 'statefulsets' },
  { group: 'autoscaling', kind: 'HorizontalPodAutoscaler', resource: 'horizontalpodautoscalers' },
  { group: 'batch', kind: 'CronJob', resource: 'cronjobs' },
  { group: 'batch', kind: 'Job', resource: 'jobs' },
  { group: 'networking.k8s.io', kind: 'Ingress', resource: 'ingresses' },
  { group: 'policy', kind: 'PodDisruptionBudget', resource: 'poddisruptionbudgets' },
];
