import { k8s } from 'cdk8s-plus-28';
import { NAMES } from './names';

/**
 * RBAC of the controller and of the certgen Jobs, rule for rule as upstream controller-v1.15.1
 * (deploy/static/provider/cloud/deploy.yaml), except where a comment says why it is narrower.
 */

const READ = ['get', 'list', 'watch'];

/** Role `ingress-nginx` in the controller's namespace: its own ConfigMap, leader Lease, events. */
export const CONTROLLER_ROLE_RULES: readonly k8s.PolicyRule[] = [
  { apiGroups: [''], resources: ['namespaces'], verbs: ['get'] },
  { apiGroups: [''], resources: ['configmaps', 'pods', 'secrets', 'endpoints'], verbs: READ },
  { apiGroups: [''], resources: ['services'], verbs: READ },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: READ },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses/status'], verbs: ['update'] },
  { apiGroups: ['networking.k8s.io'], resources: ['ingressclasses'], verbs: READ },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: [NAMES.electionId], verbs: ['get', 'update'] },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch', 'get'] },
];

/**
 * ClusterRole `ingress-nginx`: Ingresses, their backends and their TLS Secrets live in every tenant namespace,
 * so the controller reads them cluster-wide (secrets list/watch is inherent to an ingress controller).
 */
export const CONTROLLER_CLUSTER_ROLE_RULES: readonly k8s.PolicyRule[] = [
  { apiGroups: [''], resources: ['configmaps', 'endpoints', 'nodes', 'pods', 'secrets', 'namespaces'], verbs: ['list', 'watch'] },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['list', 'watch'] },
  { apiGroups: [''], resources: ['nodes'], verbs: ['get'] },
  { apiGroups: [''], resources: ['services'], verbs: READ },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: READ },
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses/status'], verbs: ['update'] },
  { apiGroups: ['networking.k8s.io'], resources: ['ingressclasses'], verbs: READ },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch', 'get'] },
];

/**
 * Role `ingress-nginx-admission`: certgen creates the certificate Secret and reads it back.
 * Narrower than upstream (secrets get/create on any name): `get` is limited to that Secret; `create` cannot be
 * limited by name (RBAC does not know the name of an object being created).
 */
export const ADMISSION_ROLE_RULES: readonly k8s.PolicyRule[] = [
  { apiGroups: [''], resources: ['secrets'], resourceNames: [NAMES.admission], verbs: ['get'] },
  { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
];

/**
 * ClusterRole `ingress-nginx-admission`: certgen patches the caBundle (and failurePolicy) of the webhook.
 * Narrower than upstream (any ValidatingWebhookConfiguration): only ours, by name.
 */
export const ADMISSION_CLUSTER_ROLE_RULES: readonly k8s.PolicyRule[] = [
  { apiGroups: ['admissionregistration.k8s.io'], resources: ['validatingwebhookconfigurations'], resourceNames: [NAMES.admission], verbs: ['get', 'update'] },
];
