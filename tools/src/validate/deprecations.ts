/**
 * Built-in APIs deprecated or removed by Kubernetes releases: an object using one is an error when the
 * environment's cluster version (`cluster.kubernetesVersion`) is at or past `deprecatedIn`.
 *
 * Sources: the Kubernetes Deprecated API Migration Guide
 * (https://kubernetes.io/docs/reference/using-api/deprecation-guide/, sections v1.16, v1.22, v1.25, v1.26,
 * v1.27, v1.29, v1.32) for `removedIn` and the replacements; `deprecatedIn` from the release notes of the
 * release that introduced the replacement (kubernetes/kubernetes CHANGELOG-1.x "Deprecation" sections), as
 * quoted by the guide where it says so.
 */

export interface ApiDeprecation {
  /** API group ("" for the core group). */
  readonly group: string;
  readonly version: string;
  /** A kind, or "*" for every kind of the group version. */
  readonly kind: string;
  /** Minor version of 1.x from which the API is deprecated. */
  readonly deprecatedIn: number;
  /** Minor version of 1.x from which it is no longer served. */
  readonly removedIn: number;
  /** What to use instead ("apiVersion Kind"), or why there is nothing. */
  readonly replacement: string;
}

export const API_DEPRECATIONS: readonly ApiDeprecation[] = [
  // v1.16 (guide: "The v1.16 release stopped serving the following deprecated API versions")
  { group: 'extensions', version: 'v1beta1', kind: 'Deployment', deprecatedIn: 9, removedIn: 16, replacement: 'apps/v1 Deployment' },
  { group: 'extensions', version: 'v1beta1', kind: 'DaemonSet', deprecatedIn: 9, removedIn: 16, replacement: 'apps/v1 DaemonSet' },
  { group: 'extensions', version: 'v1beta1', kind: 'ReplicaSet', deprecatedIn: 9, removedIn: 16, replacement: 'apps/v1 ReplicaSet' },
  { group: 'extensions', version: 'v1beta1', kind: 'NetworkPolicy', deprecatedIn: 9, removedIn: 16, replacement: 'networking.k8s.io/v1 NetworkPolicy' },
  { group: 'extensions', version: 'v1beta1', kind: 'PodSecurityPolicy', deprecatedIn: 10, removedIn: 16, replacement: 'none: Pod Security Admission (pod-security.kubernetes.io/* namespace labels)' },
  // v1.22 removed extensions/v1beta1 Ingress; every other extensions/v1beta1 kind was gone by then.
  { group: 'extensions', version: 'v1beta1', kind: 'Ingress', deprecatedIn: 14, removedIn: 22, replacement: 'networking.k8s.io/v1 Ingress' },
  { group: 'extensions', version: 'v1beta1', kind: '*', deprecatedIn: 9, removedIn: 22, replacement: 'the kind\'s GA group (apps/v1, networking.k8s.io/v1, policy/v1)' },
  { group: 'apps', version: 'v1beta1', kind: '*', deprecatedIn: 9, removedIn: 16, replacement: 'apps/v1' },
  { group: 'apps', version: 'v1beta2', kind: '*', deprecatedIn: 9, removedIn: 16, replacement: 'apps/v1' },
  // v1.22
  { group: 'networking.k8s.io', version: 'v1beta1', kind: 'Ingress', deprecatedIn: 19, removedIn: 22, replacement: 'networking.k8s.io/v1 Ingress' },
  { group: 'networking.k8s.io', version: 'v1beta1', kind: 'IngressClass', deprecatedIn: 19, removedIn: 22, replacement: 'networking.k8s.io/v1 IngressClass' },
  { group: 'admissionregistration.k8s.io', version: 'v1beta1', kind: 'MutatingWebhookConfiguration', deprecatedIn: 16, removedIn: 22, replacement: 'admissionregistration.k8s.io/v1 MutatingWebhookConfiguration' },
  { group: 'admissionregistration.k8s.io', version: 'v1beta1', kind: 'ValidatingWebhookConfiguration', deprecatedIn: 16, removedIn: 22, replacement: 'admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration' },
  { group: 'apiextensions.k8s.io', version: 'v1beta1', kind: 'CustomResourceDefinition', deprecatedIn: 16, removedIn: 22, replacement: 'apiextensions.k8s.io/v1 CustomResourceDefinition' },
  { group: 'apiregistration.k8s.io', version: 'v1beta1', kind: 'APIService', deprecatedIn: 19, removedIn: 22, replacement: 'apiregistration.k8s.io/v1 APIService' },
  { group: 'authentication.k8s.io', version: 'v1beta1', kind: 'TokenReview', deprecatedIn: 19, removedIn: 22, replacement: 'authentication.k8s.io/v1 TokenReview' },
  { group: 'authorization.k8s.io', version: 'v1beta1', kind: '*', deprecatedIn: 19, removedIn: 22, replacement: 'authorization.k8s.io/v1' },
  { group: 'certificates.k8s.io', version: 'v1beta1', kind: 'CertificateSigningRequest', deprecatedIn: 19, removedIn: 22, replacement: 'certificates.k8s.io/v1 CertificateSigningRequest' },
  { group: 'coordination.k8s.io', version: 'v1beta1', kind: 'Lease', deprecatedIn: 19, removedIn: 22, replacement: 'coordination.k8s.io/v1 Lease' },
  { group: 'rbac.authorization.k8s.io', version: 'v1beta1', kind: '*', deprecatedIn: 17, removedIn: 22, replacement: 'rbac.authorization.k8s.io/v1' },
  { group: 'rbac.authorization.k8s.io', version: 'v1alpha1', kind: '*', deprecatedIn: 17, removedIn: 22, replacement: 'rbac.authorization.k8s.io/v1' },
  { group: 'scheduling.k8s.io', version: 'v1beta1', kind: 'PriorityClass', deprecatedIn: 14, removedIn: 22, replacement: 'scheduling.k8s.io/v1 PriorityClass' },
  { group: 'scheduling.k8s.io', version: 'v1alpha1', kind: 'PriorityClass', deprecatedIn: 14, removedIn: 17, replacement: 'scheduling.k8s.io/v1 PriorityClass' },
  { group: 'storage.k8s.io', version: 'v1beta1', kind: 'CSIDriver', deprecatedIn: 19, removedIn: 22, replacement: 'storage.k8s.io/v1 CSIDriver' },
  { group: 'storage.k8s.io', version: 'v1beta1', kind: 'CSINode', deprecatedIn: 17, removedIn: 22, replacement: 'storage.k8s.io/v1 CSINode' },
  { group: 'storage.k8s.io', version: 'v1beta1', kind: 'StorageClass', deprecatedIn: 19, removedIn: 22, replacement: 'storage.k8s.io/v1 StorageClass' },
  { group: 'storage.k8s.io', version: 'v1beta1', kind: 'VolumeAttachment', deprecatedIn: 19, removedIn: 22, replacement: 'storage.k8s.io/v1 VolumeAttachment' },
  // v1.25
  { group: 'batch', version: 'v1beta1', kind: 'CronJob', deprecatedIn: 21, removedIn: 25, replacement: 'batch/v1 CronJob' },
  { group: 'batch', version: 'v2alpha1', kind: 'CronJob', deprecatedIn: 21, removedIn: 21, replacement: 'batch/v1 CronJob' },
  { group: 'discovery.k8s.io', version: 'v1beta1', kind: 'EndpointSlice', deprecatedIn: 21, removedIn: 25, replacement: 'discovery.k8s.io/v1 EndpointSlice' },
  { group: 'events.k8s.io', version: 'v1beta1', kind: 'Event', deprecatedIn: 19, removedIn: 25, replacement: 'events.k8s.io/v1 Event' },
  { group: 'autoscaling', version: 'v2beta1', kind: 'HorizontalPodAutoscaler', deprecatedIn: 22, removedIn: 25, replacement: 'autoscaling/v2 HorizontalPodAutoscaler' },
  { group: 'policy', version: 'v1beta1', kind: 'PodDisruptionBudget', deprecatedIn: 21, removedIn: 25, replacement: 'policy/v1 PodDisruptionBudget' },
  { group: 'policy', version: 'v1beta1', kind: 'PodSecurityPolicy', deprecatedIn: 21, removedIn: 25, replacement: 'none: Pod Security Admission (pod-security.kubernetes.io/* namespace labels)' },
  { group: 'node.k8s.io', version: 'v1beta1', kind: 'RuntimeClass', deprecatedIn: 20, removedIn: 25, replacement: 'node.k8s.io/v1 RuntimeClass' },
  // v1.26
  { group: 'flowcontrol.apiserver.k8s.io', version: 'v1beta1', kind: '*', deprecatedIn: 23, removedIn: 26, replacement: 'flowcontrol.apiserver.k8s.io/v1beta3 (v1 from 1.29)' },
  { group: 'autoscaling', version: 'v2beta2', kind: 'HorizontalPodAutoscaler', deprecatedIn: 23, removedIn: 26, replacement: 'autoscaling/v2 HorizontalPodAutoscaler' },
  // v1.27
  { group: 'storage.k8s.io', version: 'v1beta1', kind: 'CSIStorageCapacity', deprecatedIn: 24, removedIn: 27, replacement: 'storage.k8s.io/v1 CSIStorageCapacity' },
  // v1.29
  { group: 'flowcontrol.apiserver.k8s.io', version: 'v1beta2', kind: '*', deprecatedIn: 26, removedIn: 29, replacement: 'flowcontrol.apiserver.k8s.io/v1 (v1beta3 on 1.26-1.28)' },
  // v1.32
  { group: 'flowcontrol.apiserver.k8s.io', version: 'v1beta3', kind: '*', deprecatedIn: 29, removedIn: 32, replacement: 'flowcontrol.apiserver.k8s.io/v1' },
];

const INDEX = new Map<string, ApiDeprecation>();
for (const d of API_DEPRECATIONS) {
  const key = `${d.group}/${d.version}/${d.kind}`;
  if (!INDEX.has(key)) INDEX.set(key, d);
}

/** The deprecation entry of an apiVersion/kind, if any (a kind-specific entry wins over the group version's). */
export function findDeprecation(apiVersion: string, kind: string): ApiDeprecation | undefined {
  // Nearly every object is of a current API: answer those from a cache of the apiVersions seen clean.
  if (CURRENT.has(apiVersion)) return undefined;
  const slash = apiVersion.indexOf('/');
  const group = slash === -1 ? '' : apiVersion.slice(0, slash);
  const version = slash === -1 ? apiVersion : apiVersion.slice(slash + 1);
  const found = INDEX.get(`${group}/${version}/${kind}`) ?? INDEX.get(`${group}/${version}/*`);
  if (!found && !DEPRECATED_VERSIONS.has(`${group}/${version}`)) CURRENT.add(apiVersion);
  return found;
}

/** Group versions with at least one entry, and apiVersions known to have none. */
const DEPRECATED_VERSIONS = new Set(API_DEPRECATIONS.map((d) => `${d.group}/${d.version}`));
const CURRENT = new Set<string>();

/** "1.28" → 28. */
export function minorOf(kubernetesVersion: string): number {
  const match = /^1\.(\d+)/.exec(kubernetesVersion);
  return match ? Number(match[1]) : NaN;
}
