import { LABELS, MANAGED_BY } from '@platform/charts';
import { Component, componentOf, DistObject, splitApiVersion } from '../diff/objects';
import { identityOf, Manifest, UNIT_LABEL } from '../synth/manifest';
import { classifyKubectlError, KubectlError } from './classify';
import type { Kubectl } from './kubectl';

/** An object in the cluster with this repository's labels that dist/ no longer has: the GitOps sync prunes it. */
export interface PruneCandidate {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly identity: string;
  readonly component: Component;
}

export interface ApiKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/**
 * Kinds always looked at, whether dist/ has them now or not (a kind can disappear from dist/ entirely).
 * Secrets are deliberately absent: the platform never renders them, and listing them would give the preview
 * identity read access to every credential in the cluster. Pods, ReplicaSets, EndpointSlices and the like are
 * absent too: controllers create them (with copied labels), the repository never does.
 */
export const COMMON_KINDS: readonly ApiKind[] = [
  { group: '', version: 'v1', kind: 'Namespace' },
  { group: '', version: 'v1', kind: 'ConfigMap' },
  { group: '', version: 'v1', kind: 'Service' },
  { group: '', version: 'v1', kind: 'ServiceAccount' },
  { group: '', version: 'v1', kind: 'PersistentVolumeClaim' },
  { group: '', version: 'v1', kind: 'ResourceQuota' },
  { group: '', version: 'v1', kind: 'LimitRange' },
  { group: 'apps', version: 'v1', kind: 'Deployment' },
  { group: 'apps', version: 'v1', kind: 'StatefulSet' },
  { group: 'apps', version: 'v1', kind: 'DaemonSet' },
  { group: 'batch', version: 'v1', kind: 'CronJob' },
  { group: 'batch', version: 'v1', kind: 'Job' },
  { group: 'networking.k8s.io', version: 'v1', kind: 'Ingress' },
  { group: 'networking.k8s.io', version: 'v1', kind: 'IngressClass' },
  { group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy' },
  { group: 'policy', version: 'v1', kind: 'PodDisruptionBudget' },
  { group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler' },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'Role' },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'RoleBinding' },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole' },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRoleBinding' },
  { group: 'storage.k8s.io', version: 'v1', kind: 'StorageClass' },
  { group: 'scheduling.k8s.io', version: 'v1', kind: 'PriorityClass' },
  { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition' },
  { group: 'admissionregistration.k8s.io', version: 'v1', kind: 'ValidatingWebhookConfiguration' },
  { group: 'admissionregistration.k8s.io', version: 'v1', kind: 'MutatingWebhookConfiguration' },
];

/** Kinds never listed (see COMMON_KINDS). */
const NEVER_LISTED = new Set(['/Secret']);

/** `kubectl get` type argument that names exactly one API kind: "Deployment.v1.apps", "ConfigMap.v1.". */
export function typeArgument(k: ApiKind): string {
  return `${k.kind}.${k.version}.${k.group}`;
}

/** The label selector of everything this repository put in an environment's cluster. */
export function ownershipSelector(env: string): string {
  // The unit label (existence) leaves out objects that merely copied our labels from a pod template.
  return `${LABELS.managedBy}=${MANAGED_BY},${LABELS.environment}=${env},${UNIT_LABEL}`;
}

/** Kinds to list: those in dist/ plus the common ones, one version each, minus `skip` ("group/Kind"). */
export function pruneQueryKinds(objects: readonly DistObject[], skip: ReadonlySet<string> = new Set()): ApiKind[] {
  const byKind = new Map<string, ApiKind>();
  for (const k of COMMON_KINDS) byKind.set(`${k.group}/${k.kind}`, k);
  for (const o of objects) byKind.set(`${o.group}/${o.kind}`, { group: o.group, version: o.version, kind: o.kind });
  return [...byKind.entries()]
    .filter(([key]) => !skip.has(key) && !NEVER_LISTED.has(key))
    .map(([, k]) => k)
    .sort((a, b) => typeArgument(a).localeCompare(typeArgument(b)));
}

/**
 * From a `kubectl get ... -o json` List: the objects dist/ does not have (by identity: API group, kind,
 * namespace, name). Objects with owner references were created by a controller, not synced from git.
 */
export function findPruneCandidates(list: unknown, dist: readonly DistObject[]): PruneCandidate[] {
  const items = (list as { items?: unknown })?.items;
  if (!Array.isArray(items)) return [];
  const known = new Set(dist.map((o) => o.identity));
  const out: PruneCandidate[] = [];
  for (const item of items as Manifest[]) {
    if (!item || typeof item.apiVersion !== 'string' || typeof item.kind !== 'string' || !item.metadata?.name) continue;
    const owners = (item.metadata as { ownerReferences?: unknown[] }).ownerReferences;
    if (Array.isArray(owners) && owners.length) continue;
    const identity = identityOf(item);
    if (known.has(identity)) continue;
    out.push({
      apiVersion: item.apiVersion,
      kind: item.kind,
      ...(item.metadata.namespace ? { namespace: item.metadata.namespace } : {}),
      name: item.metadata.name,
      identity,
      component: componentOf(item, ''),
    });
  }
  return out.sort((a, b) => a.identity.localeCompare(b.identity));
}

export interface PruneDetection {
  readonly candidates: readonly PruneCandidate[];
  /** Kinds the cluster does not serve (left out of the listing). */
  readonly unservedTypes: readonly string[];
  readonly error?: KubectlError;
}

/**
 * Lists, in one `kubectl get` (chunked by the server, 500 per page), every object of the listed kinds with this
 * environment's ownership labels, and returns those dist/ does not have. Kinds the cluster does not serve are
 * dropped and the listing retried.
 */
export async function detectPrune(kubectl: Kubectl, env: string, dist: readonly DistObject[], skip: ReadonlySet<string> = new Set()): Promise<PruneDetection> {
  let kinds = pruneQueryKinds(dist, skip);
  const unservedTypes: string[] = [];
  for (let attempt = 0; attempt <= kinds.length && kinds.length; attempt++) {
    const result = await kubectl.run(['get', kinds.map(typeArgument).join(','), '--all-namespaces', '-l', ownershipSelector(env), '-o', 'json', '--chunk-size=500']);
    if (result.code === 0) {
      let list: unknown;
      try {
        list = JSON.parse(result.stdout || '{}');
      } catch (err) {
        return { candidates: [], unservedTypes, error: classifyKubectlError(`kubectl get returned invalid JSON: ${(err as Error).message}`, 1) };
      }
      return { candidates: findPruneCandidates(list, dist), unservedTypes };
    }
    const error = classifyKubectlError(result.stderr, result.code);
    const missing = error.missingType;
    const drop = missing ? kinds.filter((k) => typeArgument(k) === missing || k.kind === missing || `${k.kind}.${k.version}` === missing) : [];
    if (!drop.length) return { candidates: [], unservedTypes, error };
    unservedTypes.push(...drop.map(typeArgument));
    kinds = kinds.filter((k) => !drop.includes(k));
  }
  return { candidates: [], unservedTypes };
}

export function apiKindOf(apiVersion: string, kind: string): ApiKind {
  const [group, version] = splitApiVersion(apiVersion);
  return { group, version, kind };
}
