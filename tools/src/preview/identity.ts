import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { LABELS, MANAGED_BY } from '@platform/charts';

/**
 * How the identity is kept from writing for real. RBAC cannot tell a dry-run from a real write (both are
 * `patch`/`create`), so a ValidatingAdmissionPolicy rejects every non-dry-run write of this identity:
 * - `v1`: admissionregistration.k8s.io/v1, Kubernetes ≥ 1.30 (GA);
 * - `v1beta1`: Kubernetes 1.28–1.29, only where the API server runs with
 *   `--feature-gates=ValidatingAdmissionPolicy=true --runtime-config=admissionregistration.k8s.io/v1beta1=true`
 *   (managed control planes such as EKS 1.28 do not: there, `v1beta1` objects fail to apply);
 * - `none`: no guard. The identity CAN then create and patch for real whatever it can preview: only give its
 *   credentials to trusted workflows (see README, "Reviewing a change").
 */
export type WriteGuard = 'v1' | 'v1beta1' | 'none';

/** Core ("") resources the platform renders. Never `secrets` (read access to every credential). */
export const PREVIEW_CORE_RESOURCES: readonly string[] = [
  'configmaps',
  'limitranges',
  'namespaces',
  'persistentvolumeclaims',
  'resourcequotas',
  'serviceaccounts',
  'services',
];

/** Built-in API groups whose objects the platform renders; all their resources are previewable. */
export const PREVIEW_API_GROUPS: readonly string[] = [
  'apiextensions.k8s.io',
  'apps',
  'autoscaling',
  'batch',
  'networking.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'scheduling.k8s.io',
  'storage.k8s.io',
];

/** API groups that may not be granted: core needs the explicit list; admission configuration is unguardable. */
const FORBIDDEN_GROUPS = new Set(['', '*', 'admissionregistration.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io', 'certificates.k8s.io']);
const FORBIDDEN_CORE = new Set(['*', 'secrets', 'pods', 'nodes', 'serviceaccounts/token', 'pods/exec', 'pods/attach', 'pods/portforward', 'nodes/proxy', 'services/proxy']);

export interface PreviewIdentityProps {
  /** How non-dry-run writes are blocked (see WriteGuard); no default: each cluster's API server decides. */
  readonly writeGuard: WriteGuard;
  /** Namespace of the ServiceAccount (rendered by this construct). @default "platform-preview" */
  readonly namespace?: string;
  /** Name of the ServiceAccount, the ClusterRole and the ClusterRoleBinding. @default "platform-preview" */
  readonly name?: string;
  /** Core resources to preview (and list for prune detection). @default PREVIEW_CORE_RESOURCES */
  readonly coreResources?: readonly string[];
  /** API groups to preview, every resource of each (built-in groups). @default PREVIEW_API_GROUPS */
  readonly apiGroups?: readonly string[];
  /** API groups of the CRDs the platform renders objects of (e.g. "monitoring.coreos.com"). @default [] */
  readonly customResourceGroups?: readonly string[];
  /** API groups the identity may only read (get, list: prune detection), never dry-run. @default [] */
  readonly readOnlyGroups?: readonly string[];
}

/**
 * The least-privilege identity CI uses for `platformctl preview` (`kubectl diff --server-side`):
 * a ServiceAccount in its own namespace, a ClusterRole with exactly what a server-side dry-run apply needs,
 * its ClusterRoleBinding, and (unless `writeGuard: 'none'`) a ValidatingAdmissionPolicy + binding that
 * rejects any request of this identity that is not a dry-run.
 *
 * Verbs, and why:
 * - `get`: kubectl diff reads the live object (the LIVE side of the diff);
 * - `patch`: the server-side apply itself (PATCH, `application/apply-patch+yaml`, `dryRun=All`);
 * - `create`: a server-side apply of an object that does not exist yet is authorized as `create` too;
 * - `list`: prune detection (`kubectl get <kinds> -A -l <ownership labels>`);
 * - `escalate` on roles/clusterroles and `bind` on them: the API server's RBAC escalation check runs on
 *   dry-run requests as well, so previewing a Role that grants what the identity lacks needs them.
 * Never: `delete`, `update`, `deletecollection`, `impersonate`, secrets, subresources of the core group
 * (e.g. `serviceaccounts/token`), or anything in admissionregistration.k8s.io (a ValidatingAdmissionPolicy
 * does not apply to admission configuration, so write access there could switch the guard off).
 */
export class PreviewIdentity extends Construct {
  readonly namespace: k8s.KubeNamespace;
  readonly serviceAccount: k8s.KubeServiceAccount;
  readonly clusterRole: k8s.KubeClusterRole;
  readonly clusterRoleBinding: k8s.KubeClusterRoleBinding;
  /** The write guard (undefined with writeGuard "none"). */
  readonly policy?: ApiObject;
  readonly policyBinding?: ApiObject;
  /** The user name the API server sees: system:serviceaccount:<namespace>:<name>. */
  readonly username: string;

  constructor(scope: Construct, id: string, props: PreviewIdentityProps) {
    super(scope, id);
    const namespace = props.namespace ?? 'platform-preview';
    const name = props.name ?? 'platform-preview';
    const coreResources = [...(props.coreResources ?? PREVIEW_CORE_RESOURCES)].sort();
    const apiGroups = [...new Set([...(props.apiGroups ?? PREVIEW_API_GROUPS), ...(props.customResourceGroups ?? [])])].sort();
    if (!['v1', 'v1beta1', 'none'].includes(props.writeGuard)) {
      throw new Error(`PreviewIdentity: writeGuard must be "v1" (Kubernetes ≥ 1.30), "v1beta1" (1.28/1.29 with the feature gate) or "none" (got "${props.writeGuard}")`);
    }
    for (const r of coreResources) {
      if (FORBIDDEN_CORE.has(r) || r.includes('/')) {
        throw new Error(`PreviewIdentity: core resource "${r}" may not be granted (secrets, pods, nodes, subresources and "*" would let the preview identity read credentials or act as others)`);
      }
    }
    for (const g of apiGroups) {
      if (FORBIDDEN_GROUPS.has(g)) {
        throw new Error(`PreviewIdentity: API group "${g || '(core)'}" may not be granted as a whole (use coreResources for core resources; admission, authentication, authorization and certificate APIs are never granted)`);
      }
    }
    this.username = `system:serviceaccount:${namespace}:${name}`;
    const labels = { [LABELS.name]: name, [LABELS.partOf]: 'platform-gitops', [LABELS.component]: 'preview', [LABELS.managedBy]: MANAGED_BY };

    this.namespace = new k8s.KubeNamespace(this, 'namespace', {
      metadata: { name: namespace, labels: { ...labels, 'pod-security.kubernetes.io/enforce': 'restricted' } },
    });
    this.serviceAccount = new k8s.KubeServiceAccount(this, 'service-account', {
      metadata: { name, namespace, labels },
      // Nothing runs as this identity in the cluster; CI gets a token for it.
      automountServiceAccountToken: false,
    });
    const previewVerbs = ['get', 'list', 'patch', 'create'];
    const rules: k8s.PolicyRule[] = [
      { apiGroups: [''], resources: coreResources, verbs: previewVerbs },
      { apiGroups, resources: ['*'], verbs: previewVerbs },
      // Prune detection lists the webhook configurations; it never writes them (see the class comment).
      { apiGroups: ['admissionregistration.k8s.io'], resources: ['mutatingwebhookconfigurations', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings', 'validatingwebhookconfigurations'], verbs: ['get', 'list'] },
    ];
    const readOnly = [...new Set(props.readOnlyGroups ?? [])].filter((g) => !apiGroups.includes(g)).sort();
    for (const g of readOnly) {
      if (FORBIDDEN_GROUPS.has(g)) throw new Error(`PreviewIdentity: API group "${g || '(core)'}" may not be granted`);
    }
    if (readOnly.length) rules.push({ apiGroups: readOnly, resources: ['*'], verbs: ['get', 'list'] });
    if (apiGroups.includes('rbac.authorization.k8s.io')) {
      rules.push({ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles', 'roles'], verbs: ['bind', 'escalate'] });
    }
    this.clusterRole = new k8s.KubeClusterRole(this, 'cluster-role', { metadata: { name, labels }, rules });
    this.clusterRoleBinding = new k8s.KubeClusterRoleBinding(this, 'cluster-role-binding', {
      metadata: { name, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    });

    if (props.writeGuard !== 'none') {
      const apiVersion = `admissionregistration.k8s.io/${props.writeGuard}`;
      const policyName = `${name}-dry-run-only`;
      const spec: k8s.ValidatingAdmissionPolicySpecV1Beta1 = {
        failurePolicy: 'Fail',
        matchConstraints: {
          // Every resource and subresource ("*/*" covers both), every write.
          resourceRules: [{ apiGroups: ['*'], apiVersions: ['*'], resources: ['*/*'], operations: ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'] }],
          // Access reviews are not writes; leaving them out keeps `kubectl auth can-i` usable for debugging.
          excludeResourceRules: [
            { apiGroups: ['authorization.k8s.io'], apiVersions: ['*'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], operations: ['CREATE'] },
            { apiGroups: ['authentication.k8s.io'], apiVersions: ['*'], resources: ['selfsubjectreviews'], operations: ['CREATE'] },
          ],
        },
        matchConditions: [{ name: 'is-preview-identity', expression: `request.userInfo.username == '${this.username}'` }],
        validations: [{
          expression: 'request.dryRun == true',
          reason: 'Forbidden',
          message: `${this.username} is the read-only preview identity: only dry-run requests are allowed`,
        }],
      };
      this.policy = new ApiObject(this, 'write-guard', {
        apiVersion,
        kind: 'ValidatingAdmissionPolicy',
        metadata: { name: policyName, labels },
        spec: k8s.toJson_ValidatingAdmissionPolicySpecV1Beta1(spec),
      });
      this.policyBinding = new ApiObject(this, 'write-guard-binding', {
        apiVersion,
        kind: 'ValidatingAdmissionPolicyBinding',
        metadata: { name: policyName, labels },
        spec: { policyName, validationActions: ['Deny'] },
      });
    }
  }
}
