import { LABELS } from '../../src';
import { renderTenant, tenantSpec } from './helpers';

describe('every tenant namespace gets its guardrails', () => {
  const r = renderTenant(tenantSpec({ owners: { admins: ['shop-admins', 'sre'], viewers: ['shop-devs'] } }));

  test('the guardrails chart holds exactly the namespace, quota, limits, RBAC and network policies', () => {
    expect([...new Set(r.guardrails.map((o) => o.kind))].sort()).toEqual(['LimitRange', 'Namespace', 'NetworkPolicy', 'ResourceQuota', 'Role', 'RoleBinding']);
    expect(r.workloads.some((o) => ['Namespace', 'ResourceQuota', 'LimitRange', 'Role', 'RoleBinding', 'NetworkPolicy'].includes(o.kind))).toBe(false);
  });

  test('the namespace carries tenant, team, cost center, environment and Pod Security "restricted"', () => {
    expect(r.get('Namespace', 'shop').metadata.labels).toEqual({
      [LABELS.tenant]: 'shop',
      [LABELS.team]: 'shop-team',
      [LABELS.costCenter]: 'cc-42',
      [LABELS.environment]: 'test',
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.28',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'v1.28',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'v1.28',
    });
  });

  test('a ResourceQuota with compute, pods, storage and no load balancers or node ports by default', () => {
    expect(r.get('ResourceQuota', 'tenant-quota', 'shop').spec.hard).toEqual({
      'requests.cpu': '2', 'requests.memory': '4Gi', 'limits.cpu': '4', 'limits.memory': '8Gi', pods: '20',
      'requests.storage': '20Gi', persistentvolumeclaims: '10', 'services.loadbalancers': '0', 'services.nodeports': '0',
    });
    const custom = renderTenant(tenantSpec({ quota: { loadBalancers: 1, storage: '100Gi' } }));
    expect(custom.get('ResourceQuota', 'tenant-quota').spec.hard).toMatchObject({ 'services.loadbalancers': '1', 'requests.storage': '100Gi' });
  });

  test('a LimitRange gives containers without resources the default requests and limits', () => {
    expect(r.get('LimitRange', 'tenant-limits', 'shop').spec.limits).toEqual([
      { type: 'Container', defaultRequest: { cpu: '50m', memory: '64Mi' }, default: { cpu: '200m', memory: '128Mi' } },
    ]);
    expect(renderTenant(tenantSpec({ containerDefaults: 'medium' })).get('LimitRange', 'tenant-limits').spec.limits[0].default).toEqual({ cpu: '500m', memory: '512Mi' });
  });
});

describe('owners get namespaced Roles', () => {
  const r = renderTenant(tenantSpec({ owners: { admins: ['shop-admins', 'sre'], viewers: ['shop-devs'] } }));
  const rules = (name: string): any[] => r.get('Role', name, 'shop').rules;
  const can = (role: string, verb: string, group: string, resource: string): boolean =>
    rules(role).some((rule) => rule.verbs.includes(verb) && rule.apiGroups.includes(group) && rule.resources.includes(resource));

  test('only Roles and RoleBindings: no ClusterRole, no ClusterRoleBinding, no wildcards', () => {
    expect(r.all('ClusterRole')).toEqual([]);
    expect(r.all('ClusterRoleBinding')).toEqual([]);
    for (const role of r.all('Role')) {
      for (const rule of role.rules) {
        for (const field of ['verbs', 'apiGroups', 'resources']) expect(rule[field]).not.toContain('*');
      }
    }
    for (const binding of r.all('RoleBinding')) expect(binding.roleRef.kind).toBe('Role');
  });

  test('admin groups are bound to tenant-admin, viewer groups to tenant-view', () => {
    expect(r.get('RoleBinding', 'tenant-admins').roleRef.name).toBe('tenant-admin');
    expect(r.get('RoleBinding', 'tenant-admins').subjects).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'shop-admins' },
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'sre' },
    ]);
    expect(r.get('RoleBinding', 'tenant-viewers').subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'shop-devs' }]);
    expect(renderTenant(tenantSpec({ owners: { admins: ['a'] } })).all('RoleBinding').map((b) => b.metadata.name)).toEqual(['tenant-admins']);
  });

  test('admins are admins of their namespaces: they can create and delete every workload kind', () => {
    for (const [group, resource] of [['apps', 'deployments'], ['apps', 'statefulsets'], ['', 'services'], ['', 'configmaps'], ['batch', 'cronjobs'], ['networking.k8s.io', 'ingresses'], ['autoscaling', 'horizontalpodautoscalers'], ['policy', 'poddisruptionbudgets']]) {
      for (const verb of ['create', 'update', 'patch', 'delete']) expect([group, resource, verb, can('tenant-admin', verb, group, resource)]).toEqual([group, resource, verb, true]);
    }
  });

  test('admins operate the apps: logs, exec, port-forward, restarts, scaling, Secrets, Jobs', () => {
    expect(can('tenant-admin', 'get', '', 'pods/log')).toBe(true);
    expect(can('tenant-admin', 'create', '', 'pods/exec')).toBe(true);
    expect(can('tenant-admin', 'create', '', 'pods/portforward')).toBe(true);
    expect(can('tenant-admin', 'delete', '', 'pods')).toBe(true);
    expect(can('tenant-admin', 'patch', 'apps', 'deployments')).toBe(true);
    expect(can('tenant-admin', 'patch', 'apps', 'deployments/scale')).toBe(true);
    expect(can('tenant-admin', 'create', '', 'secrets')).toBe(true);
    expect(can('tenant-admin', 'create', 'batch', 'jobs')).toBe(true);
  });

  test('admins cannot change the guardrails or grant themselves more', () => {
    for (const [group, resource] of [['', 'resourcequotas'], ['', 'limitranges'], ['networking.k8s.io', 'networkpolicies'], ['rbac.authorization.k8s.io', 'roles'], ['rbac.authorization.k8s.io', 'rolebindings']]) {
      expect(can('tenant-admin', 'get', group, resource)).toBe(true);
      for (const verb of ['create', 'update', 'patch', 'delete']) expect(can('tenant-admin', verb, group, resource)).toBe(false);
    }
    for (const verb of ['bind', 'escalate', 'impersonate']) expect(rules('tenant-admin').some((rule) => rule.verbs.includes(verb))).toBe(false);
  });

  test('viewers read everything but Secrets and cannot exec', () => {
    expect(can('tenant-view', 'list', 'apps', 'deployments')).toBe(true);
    expect(can('tenant-view', 'get', '', 'pods/log')).toBe(true);
    expect(rules('tenant-view').some((rule) => rule.resources.includes('secrets'))).toBe(false);
    expect(can('tenant-view', 'create', '', 'pods/exec')).toBe(false);
    expect(rules('tenant-view').every((rule) => rule.verbs.every((v: string) => ['get', 'list', 'watch'].includes(v)))).toBe(true);
  });
});
