import { synth, testChart } from '../../../charts/test/helpers';
import { PreviewIdentity, PreviewIdentityProps } from '../../src/preview/identity';

function render(props: PreviewIdentityProps): any[] {
  const chart = testChart();
  new PreviewIdentity(chart, 'preview', props);
  return synth(chart);
}

const byKind = (objects: any[], kind: string) => objects.filter((o) => o.kind === kind);

describe('PreviewIdentity', () => {
  test('renders a namespace, a ServiceAccount, a ClusterRole, its binding and the write guard', () => {
    const objects = render({ writeGuard: 'v1' });
    expect(objects.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.name}`)).toEqual([
      'v1 Namespace platform-preview',
      'v1 ServiceAccount platform-preview',
      'rbac.authorization.k8s.io/v1 ClusterRole platform-preview',
      'rbac.authorization.k8s.io/v1 ClusterRoleBinding platform-preview',
      'admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy platform-preview-dry-run-only',
      'admissionregistration.k8s.io/v1 ValidatingAdmissionPolicyBinding platform-preview-dry-run-only',
    ]);
    const [binding] = byKind(objects, 'ClusterRoleBinding');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'platform-preview', namespace: 'platform-preview' }]);
    expect(byKind(objects, 'Namespace')[0].metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('the ClusterRole has exactly the verbs a server-side dry-run diff and prune detection need', () => {
    const [role] = byKind(render({ writeGuard: 'v1' }), 'ClusterRole');
    const verbs = new Set(role.rules.flatMap((r: { verbs: string[] }) => r.verbs));
    expect([...verbs].sort()).toEqual(['bind', 'create', 'escalate', 'get', 'list', 'patch']);
    for (const rule of role.rules) {
      // Never secrets, never the core group as a whole, never subresources of the core group.
      if (rule.apiGroups.includes('')) {
        expect(rule.resources).not.toContain('secrets');
        expect(rule.resources).not.toContain('*');
        expect(rule.resources.some((r: string) => r.includes('/'))).toBe(false);
      }
      expect(rule.apiGroups).not.toContain('*');
      // Admission configuration is exempt from admission policies: read-only, or the guard could be switched off.
      if (rule.apiGroups.includes('admissionregistration.k8s.io')) expect(rule.verbs).toEqual(['get', 'list']);
      // escalate/bind only on roles (RBAC's escalation check runs on dry-runs too).
      if (rule.verbs.includes('escalate') || rule.verbs.includes('bind')) {
        expect(rule).toEqual({ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles', 'roles'], verbs: ['bind', 'escalate'] });
      }
    }
    expect(role.rules.flatMap((r: { verbs: string[] }) => r.verbs)).not.toEqual(expect.arrayContaining(['delete']));
  });

  test('the write guard rejects every non-dry-run request of this identity', () => {
    const objects = render({ writeGuard: 'v1', namespace: 'ci', name: 'previewer' });
    const [policy] = byKind(objects, 'ValidatingAdmissionPolicy');
    expect(policy.spec.failurePolicy).toBe('Fail');
    expect(policy.spec.matchConditions).toEqual([{ name: 'is-preview-identity', expression: "request.userInfo.username == 'system:serviceaccount:ci:previewer'" }]);
    expect(policy.spec.matchConstraints.resourceRules).toEqual([{ apiGroups: ['*'], apiVersions: ['*'], resources: ['*/*'], operations: ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'] }]);
    expect(policy.spec.validations).toEqual([expect.objectContaining({ expression: 'request.dryRun == true', reason: 'Forbidden' })]);
    const [binding] = byKind(objects, 'ValidatingAdmissionPolicyBinding');
    expect(binding.spec).toEqual({ policyName: 'previewer-dry-run-only', validationActions: ['Deny'] });
  });

  test('Kubernetes 1.28/1.29 get the v1beta1 guard; "none" renders no guard', () => {
    expect(byKind(render({ writeGuard: 'v1beta1' }), 'ValidatingAdmissionPolicy')[0].apiVersion).toBe('admissionregistration.k8s.io/v1beta1');
    expect(render({ writeGuard: 'none' }).map((o) => o.kind)).toEqual(['Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding']);
  });

  test('custom resource groups are added; dangerous grants are refused early', () => {
    const [role] = byKind(render({ writeGuard: 'v1', customResourceGroups: ['monitoring.coreos.com'] }), 'ClusterRole');
    expect(role.rules[1].apiGroups).toContain('monitoring.coreos.com');
    expect(() => render({ writeGuard: 'v1', coreResources: ['configmaps', 'secrets'] })).toThrow('PreviewIdentity: core resource "secrets" may not be granted');
    expect(() => render({ writeGuard: 'v1', customResourceGroups: ['admissionregistration.k8s.io'] })).toThrow('API group "admissionregistration.k8s.io" may not be granted');
    expect(() => render({ writeGuard: 'v1', apiGroups: [''] })).toThrow('API group "(core)" may not be granted');
    expect(() => render({ writeGuard: 'maybe' as never })).toThrow('writeGuard must be "v1" (Kubernetes ≥ 1.30), "v1beta1" (1.28/1.29 with the feature gate) or "none"');
  });
});
