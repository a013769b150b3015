/**
 * Tenant isolation on a real API server holding all of dist/test/: each tenant's owner groups (from the
 * RoleBindings its guardrails render, i.e. apps/<tenant>/tenant.ts `owners`) can work in their own namespaces and
 * nowhere else, cannot read other tenants' Secrets, cannot create cluster-scoped objects, and cannot change the
 * guardrails the platform applies (quota, limits, network policies, RBAC). The tenant's GitOps identity (the Flux
 * ServiceAccount flux-system/tenant-<t>) can apply exactly the tenant's workloads. Requests are real (not
 * `kubectl auth can-i`), made by impersonating the groups.
 */
import { describeCluster, KubectlOptions, TestCluster, useCluster } from '../../envtest/testing';
import type { DistObject } from '../../src/diff/objects';
import { applyObjects, assertSynced, readDist, syncEnvironment } from './gitops-sync';
import { deployment } from './pod-templates';

const ENV = 'test';
const TENANT_LABEL = 'platform.example.com/tenant';

interface Tenant {
  readonly name: string;
  readonly namespaces: readonly string[];
  readonly adminGroups: readonly string[];
  readonly viewerGroups: readonly string[];
  readonly workloads: readonly DistObject[];
  readonly guardrails: readonly DistObject[];
}

/** Tenants as dist/ renders them: namespaces by the tenant label, owner groups from the guardrail RoleBindings. */
function tenantsOf(objects: readonly DistObject[]): Tenant[] {
  const names = [...new Set(objects.filter((o) => o.path.split('/')[1] === 'tenants').map((o) => o.path.split('/')[2]))].sort();
  const groupsOf = (tenant: string, binding: string) => [...new Set(objects
    .filter((o) => o.kind === 'RoleBinding' && o.name === binding && o.path.startsWith(`${ENV}/tenants/${tenant}/guardrails/`))
    .flatMap((o) => ((o.manifest as { subjects?: Array<{ kind: string; name: string }> }).subjects ?? []).filter((s) => s.kind === 'Group').map((s) => s.name)))].sort();
  return names.map((name) => ({
    name,
    namespaces: objects.filter((o) => o.kind === 'Namespace' && o.manifest.metadata.labels?.[TENANT_LABEL] === name).map((o) => o.name).sort(),
    adminGroups: groupsOf(name, 'tenant-admins'),
    viewerGroups: groupsOf(name, 'tenant-viewers'),
    workloads: objects.filter((o) => o.path.startsWith(`${ENV}/tenants/${name}/workloads/`)),
    guardrails: objects.filter((o) => o.path.startsWith(`${ENV}/tenants/${name}/guardrails/`)),
  }));
}

const objects = readDist(ENV);
const tenants = tenantsOf(objects);

/** "Error from server (Forbidden)" for `user` doing `verb` on `resource`, in `namespace` or at the cluster scope. */
function forbidden(verb: string, resource: string, namespace?: string): RegExp {
  const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
  return new RegExp(`cannot ${verb} resource "${resource}" in API group "[^"]*" ${scope}`);
}

/** resourceVersions of `objects` as they are now. */
function versions(cluster: TestCluster, list: readonly DistObject[]): string[] {
  return list.map((o) => cluster.kubectlOk(['get', `${o.kind}.${o.version}.${o.group}/${o.name}`, ...(o.namespace ? ['-n', o.namespace] : []), '-o', 'jsonpath={.metadata.resourceVersion}']));
}

describeCluster(`tenant isolation in dist/${ENV}`, () => {
  const cluster = useCluster();

  beforeAll(() => {
    assertSynced(syncEnvironment(cluster(), ENV));
    // A Secret in every tenant namespace, as the teams create them (never in git).
    for (const t of tenants) for (const ns of t.namespaces) cluster().kubectlOk(['create', 'secret', 'generic', `${t.name}-credentials`, '-n', ns, '--from-literal=password=s3cret']);
  }, 600_000);

  test('every tenant of dist has namespaces and an admin group', () => {
    expect(tenants.length).toBeGreaterThan(1);
    for (const t of tenants) expect({ tenant: t.name, namespaces: t.namespaces.length > 0, admins: t.adminGroups.length > 0 }).toEqual({ tenant: t.name, namespaces: true, admins: true });
  });

  describe.each(tenants.map((t) => [t.name, t.adminGroups.join(', '), t] as const))('tenant %s (admins: %s)', (_name, _groups, tenant) => {
    const admin: KubectlOptions = { as: `alice@${tenant.name}.example.com`, asGroups: tenant.adminGroups };
    const others = tenants.filter((t) => t.name !== tenant.name);

    test('an admin creates, scales and deletes a Deployment in each of its namespaces (real requests), and reads its Secrets', () => {
      for (const ns of tenant.namespaces) {
        const created = cluster().kubectl(['create', '-f', '-'], { ...admin, input: deployment('isolation-probe', ns) });
        expect({ ns, stderr: created.stderr }).toEqual({ ns, stderr: '' });
        expect(cluster().kubectl(['scale', 'deployment/isolation-probe', '--replicas=2', '-n', ns], admin).stderr).toBe('');
        expect(cluster().kubectl(['get', 'secret', `${tenant.name}-credentials`, '-n', ns, '-o', 'name'], admin).stdout.trim()).toBe(`secret/${tenant.name}-credentials`);
        expect(cluster().kubectl(['delete', 'deployment/isolation-probe', '-n', ns], admin).stderr).toBe('');
      }
    });

    test("an admin is forbidden in every other tenant's namespaces: no Deployment, no Secret, not even a read", () => {
      for (const ns of others.flatMap((t) => t.namespaces)) {
        expect(cluster().kubectl(['create', '-f', '-'], { ...admin, input: deployment('intruder', ns) }).stderr).toMatch(forbidden('create', 'deployments', ns));
        const other = tenants.find((t) => t.namespaces.includes(ns))!;
        expect(cluster().kubectl(['get', 'secret', `${other.name}-credentials`, '-n', ns], admin).stderr).toMatch(forbidden('get', 'secrets', ns));
        expect(cluster().kubectl(['get', 'secrets', '-n', ns], admin).stderr).toMatch(forbidden('list', 'secrets', ns));
        expect(cluster().kubectl(['get', 'deployments', '-n', ns], admin).stderr).toMatch(forbidden('list', 'deployments', ns));
      }
      expect(cluster().kubectl(['get', 'secrets', '-A'], admin).stderr).toMatch(forbidden('list', 'secrets'));
    });

    test('an admin cannot create cluster-scoped objects or give itself more rights', () => {
      const attempts: Array<[string[], RegExp]> = [
        [['create', 'namespace', `${tenant.name}-extra`], forbidden('create', 'namespaces')],
        [['create', 'clusterrole', 'tenant-escalation', '--verb=*', '--resource=*'], forbidden('create', 'clusterroles')],
        [['create', 'clusterrolebinding', 'tenant-escalation', '--clusterrole=cluster-admin', `--group=${tenant.adminGroups[0]}`], forbidden('create', 'clusterrolebindings')],
        [['create', 'priorityclass', 'tenant-high', '--value=1000000'], forbidden('create', 'priorityclasses')],
        [['create', 'rolebinding', 'tenant-escalation', '--clusterrole=admin', `--group=${tenant.adminGroups[0]}`, '-n', tenant.namespaces[0]], forbidden('create', 'rolebindings', tenant.namespaces[0])],
        [['create', 'role', 'tenant-escalation', '--verb=*', '--resource=resourcequotas', '-n', tenant.namespaces[0]], forbidden('create', 'roles', tenant.namespaces[0])],
        [['get', 'nodes'], forbidden('list', 'nodes')],
      ];
      for (const [args, expected] of attempts) expect({ args, stderr: cluster().kubectl(args, admin).stderr }).toEqual({ args, stderr: expect.stringMatching(expected) });
    });

    test('an admin cannot change its own guardrails: quota, limits, network policies, Roles, RoleBindings stay as the platform applied them', () => {
      const guarded = tenant.guardrails.filter((o) => ['ResourceQuota', 'LimitRange', 'NetworkPolicy', 'Role', 'RoleBinding'].includes(o.kind));
      expect(new Set(guarded.map((o) => o.kind))).toEqual(new Set(['ResourceQuota', 'LimitRange', 'NetworkPolicy', 'Role', 'RoleBinding']));
      const before = versions(cluster(), guarded);
      const resource = (o: DistObject) => (o.kind === 'NetworkPolicy' ? 'networkpolicies' : `${o.kind.toLowerCase()}s`);
      for (const o of guarded) {
        const ref = `${o.kind}.${o.version}.${o.group}/${o.name}`;
        const patch = cluster().kubectl(['patch', ref, '-n', o.namespace!, '--type=merge', '-p', '{"metadata":{"labels":{"tampered":"yes"}}}'], admin);
        expect({ ref, stderr: patch.stderr }).toEqual({ ref, stderr: expect.stringMatching(forbidden('patch', resource(o), o.namespace)) });
        const del = cluster().kubectl(['delete', ref, '-n', o.namespace!], admin);
        expect({ ref, stderr: del.stderr }).toEqual({ ref, stderr: expect.stringMatching(forbidden('delete', resource(o), o.namespace)) });
      }
      expect(versions(cluster(), guarded)).toEqual(before);
    });

    if (tenant.viewerGroups.length) {
      test(`a viewer (${tenant.viewerGroups.join(', ')}) reads its namespaces but not their Secrets, and changes nothing`, () => {
        const viewer: KubectlOptions = { as: `bob@${tenant.name}.example.com`, asGroups: tenant.viewerGroups };
        for (const ns of tenant.namespaces) {
          expect(cluster().kubectl(['get', 'deployments,services,configmaps', '-n', ns], viewer).stderr).toBe('');
          expect(cluster().kubectl(['get', 'secret', `${tenant.name}-credentials`, '-n', ns], viewer).stderr).toMatch(forbidden('get', 'secrets', ns));
          expect(cluster().kubectl(['create', '-f', '-'], { ...viewer, input: deployment('viewer-probe', ns) }).stderr).toMatch(forbidden('create', 'deployments', ns));
        }
      });
    }

    // Flux applies the workloads as flux-system/tenant-<t> (Kustomization serviceAccountName); Argo CD's AppProject
    // plays that part there and needs Argo CD to test. Server-side dry-run: RBAC is checked exactly as for real.
    test(`its GitOps identity (flux-system/tenant-${tenant.name}) can apply all of its workloads, and nothing of its guardrails or elsewhere`, () => {
      const flux: KubectlOptions = {
        as: `system:serviceaccount:flux-system:tenant-${tenant.name}`,
        asGroups: ['system:serviceaccounts', 'system:serviceaccounts:flux-system'],
      };
      const own = applyObjects(cluster(), tenant.workloads, { ...flux, dryRun: true });
      expect({ errors: own.errors, warnings: own.warnings }).toEqual({ errors: '', warnings: [] });
      expect(own.applied).toBe(tenant.workloads.length);
      const quota = tenant.guardrails.filter((o) => o.kind === 'ResourceQuota');
      expect(applyObjects(cluster(), quota, { ...flux, dryRun: true }).errors).toMatch(forbidden('(get|patch)', 'resourcequotas', quota[0].namespace));
      for (const other of others) {
        const theirs = applyObjects(cluster(), other.workloads.slice(0, 1), { ...flux, dryRun: true });
        expect(theirs.errors).toMatch(/is forbidden: User "system:serviceaccount:flux-system:tenant-[^"]+" cannot (get|patch) resource/);
      }
    });
  });
});
