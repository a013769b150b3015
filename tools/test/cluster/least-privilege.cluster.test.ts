/**
 * The preview identity exactly as the GitOps bootstrap renders it (dist/<env>/bootstrap/preview), on a real API
 * server holding all of dist/<env>/: it can run the whole preview, and it cannot change anything for real or
 * read Secrets. In test the write guard (a v1beta1 ValidatingAdmissionPolicy) turns its patch/create into
 * dry-run-only; prod (EKS 1.28) has `writeGuard: 'none'`, whose limits are pinned down in the second block.
 *
 * The cluster holds all of dist/<env>/, admission webhooks included but narrowed to match nothing (their backends
 * cannot run here: gitops-sync.ts, installWebhooksWithoutBackends).
 */
import { describeCluster, TestCluster, useCluster } from '../../envtest/testing';
import { Kubectl, previewLimits, runPreview } from '../../src/preview';
import { deployment } from './pod-templates';
import { addonOrder, assertSynced, PREVIEW_USER, readDist, syncEnvironment, SyncPlan, waitForWriteGuard } from './gitops-sync';

const DENIED_BY_GUARD = "ValidatingAdmissionPolicy 'platform-preview-dry-run-only' with binding 'platform-preview-dry-run-only' denied request";

/** Objects as they are in the cluster: "<Kind>/<name>@<resourceVersion>" of those that exist. */
function state(cluster: TestCluster, namespace: string, refs: string[]): string[] {
  return refs.flatMap((ref) => {
    const out = cluster.kubectlOk(['get', ref, '-n', namespace, '--ignore-not-found', '-o', 'json']);
    if (!out.trim()) return [];
    const o = JSON.parse(out) as { kind: string; metadata: { name: string; resourceVersion: string } };
    return [`${o.kind}/${o.metadata.name}@${o.metadata.resourceVersion}`];
  });
}

/** Sets up dist/<env>/ and a kubeconfig holding a token of the preview ServiceAccount it renders. */
function previewFixture(env: string) {
  const cluster = useCluster();
  const fixture = { kubeconfig: '', plan: undefined as unknown as SyncPlan, cluster };
  beforeAll(() => {
    const synced = syncEnvironment(cluster(), env);
    assertSynced(synced);
    fixture.plan = synced.plan;
    fixture.kubeconfig = cluster().tokenKubeconfig('preview', cluster().serviceAccountToken(PREVIEW_USER.namespace, PREVIEW_USER.name));
  }, 600_000);
  return fixture;
}

/** The write guard each environment declares (gitops.preview.writeGuard). */
const GUARDS = { test: 'v1beta1', prod: 'none' } as const;

async function previewAll(env: keyof typeof GUARDS, fixture: ReturnType<typeof previewFixture>) {
  return runPreview({
    env,
    kubectl: new Kubectl({ binary: fixture.cluster().kubectlBinary, kubeconfig: fixture.kubeconfig }),
    objects: readDist(env),
    addonOrder: addonOrder(fixture.plan),
    notPreviewable: previewLimits(GUARDS[env]),
  });
}

/**
 * What a whole preview by the identity must look like: nothing failed or forbidden; left out only what the identity
 * may not dry-run by design (admission configuration, Secrets, and without a guard RBAC and the engines' objects).
 */
function expectPreviewRan(report: Awaited<ReturnType<typeof runPreview>>, leftOut: readonly string[]): void {
  const problems = report.components.flatMap((c) => c.problems.map((p) => `${p.objects.map((o) => `${o.kind} ${o.namespace ?? ''}/${o.name}`).join(', ')}: ${p.error.message}`));
  expect({ fatal: report.fatal?.message, problems, pruneError: report.prune.error?.message })
    .toEqual({ fatal: undefined, problems: [], pruneError: undefined });
  expect(report.prune.checked).toBe(true);
  const notPreviewed = report.components.flatMap((c) => c.notes.flatMap((n) => n.objects.map((o) => o.group || 'core (Secrets)')));
  expect([...new Set(notPreviewed)].sort()).toEqual([...leftOut].sort());
}

describeCluster('the preview identity of dist/test/bootstrap/preview (writeGuard v1beta1)', () => {
  const fixture = previewFixture('test');
  const cluster = fixture.cluster;
  const as = () => ({ kubeconfig: fixture.kubeconfig });

  beforeAll(async () => {
    await waitForWriteGuard(cluster(), fixture.kubeconfig);
    cluster().kubectlOk(['create', 'secret', 'generic', 'webshop-db', '-n', 'webshop', '--from-literal=password=s3cret']);
  });

  test('runs the whole preview of dist/test (every diff in sync order, then the prune listing) with nothing forbidden', async () => {
    const report = await previewAll('test', fixture);
    expectPreviewRan(report, ['admissionregistration.k8s.io', 'core (Secrets)']);
  });

  // Each real write: the request, and who stops it (the write guard for verbs RBAC grants, RBAC for the rest).
  test.each([
    ['create a ConfigMap', ['create', 'configmap', 'preview-probe', '--from-literal=a=b'], 'guard'],
    ['patch a ConfigMap', ['patch', 'configmap', 'frontend-files', '--type=merge', '-p', '{"data":{"x":"y"}}'], 'guard'],
    ['server-side apply a ConfigMap', ['apply', '--server-side', '--force-conflicts', '-f', '-'], 'guard'],
    ['delete a ConfigMap', ['delete', 'configmap', 'frontend-files'], 'rbac'],
    ['create a Deployment', ['create', '-f', '-'], 'guard'],
    ['scale a Deployment (patch)', ['patch', 'deployment', 'frontend', '--type=merge', '-p', '{"spec":{"replicas":5}}'], 'guard'],
    ['delete a Deployment', ['delete', 'deployment', 'frontend'], 'rbac'],
    ['create a Secret', ['create', 'secret', 'generic', 'preview-probe', '--from-literal=a=b'], 'rbac'],
  ] as const)('a real request to %s in webshop is refused, and nothing changes', (_what, args, by) => {
    const refs = ['configmap/frontend-files', 'configmap/preview-probe', 'deployment/frontend', 'deployment/preview-probe', 'secret/preview-probe'];
    const before = state(cluster(), 'webshop', refs);
    const input = args[0] === 'apply'
      ? JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'frontend-files', namespace: 'webshop' }, data: { x: 'y' } })
      : args[0] === 'create' && args[1] === '-f' ? deployment('preview-probe', 'webshop') : undefined;
    const r = cluster().kubectl([...args, '-n', 'webshop'], { ...as(), input });
    expect(r.code).not.toBe(0);
    if (by === 'guard') expect(r.stderr).toContain(DENIED_BY_GUARD);
    else expect(r.stderr).toMatch(/forbidden: User "system:serviceaccount:platform-preview:platform-preview" cannot (delete|create) resource/);
    expect(state(cluster(), 'webshop', refs)).toEqual(before);
  });

  test('cannot read Secrets, mint tokens, or loosen its own RBAC or guard for real', () => {
    expect(cluster().kubectl(['get', 'secret', 'webshop-db', '-n', 'webshop'], as()).stderr).toContain('cannot get resource "secrets" in API group "" in the namespace "webshop"');
    expect(cluster().kubectl(['get', 'secrets', '-A'], as()).stderr).toContain('cannot list resource "secrets" in API group "" at the cluster scope');
    expect(cluster().kubectl(['create', 'token', PREVIEW_USER.name, '-n', PREVIEW_USER.namespace], as()).stderr).toContain('cannot create resource "serviceaccounts/token"');
    // It holds patch (and escalate) on RBAC for dry-runs; for real, the guard stops it granting itself more.
    const grant = cluster().kubectl(['patch', 'clusterrole', 'platform-preview', '--type=json', '-p', '[{"op":"add","path":"/rules/-","value":{"apiGroups":[""],"resources":["secrets"],"verbs":["get"]}}]'], as());
    expect(grant.stderr).toContain(DENIED_BY_GUARD);
    const unguard = cluster().kubectl(['patch', 'validatingadmissionpolicybinding', 'platform-preview-dry-run-only', '--type=merge', '-p', '{"spec":{"validationActions":["Audit"]}}'], as());
    expect(unguard.stderr).toMatch(/cannot (get|patch) resource "validatingadmissionpolicybindings"/);
    expect(cluster().kubectl(['auth', 'can-i', 'get', 'secrets', '-n', 'webshop'], as()).stdout.trim()).toBe('no');
  });
});

// prod runs EKS 1.28, which cannot serve a ValidatingAdmissionPolicy: `writeGuard: 'none'` (README, "The preview
// identity": the known limit until EKS 1.30). What that identity can and cannot do, so that a change to it shows.
describeCluster('the preview identity of dist/prod/bootstrap/preview (writeGuard none, until EKS 1.30)', () => {
  const fixture = previewFixture('prod');
  const cluster = fixture.cluster;
  const as = () => ({ kubeconfig: fixture.kubeconfig });

  test('runs the whole preview of dist/prod with nothing forbidden', async () => {
    expectPreviewRan(await previewAll('prod', fixture), [
      'admissionregistration.k8s.io', 'argoproj.io', 'core (Secrets)', 'kustomize.toolkit.fluxcd.io', 'rbac.authorization.k8s.io', 'source.toolkit.fluxcd.io',
    ]);
  });

  test('it CAN change objects for real: patch and create are all RBAC knows (mitigations: reviewers, short-lived tokens, audit alerts)', () => {
    const before = state(cluster(), 'webshop', ['deployment/frontend']);
    const r = cluster().kubectl(['patch', 'deployment', 'frontend', '-n', 'webshop', '--type=merge', '-p', '{"spec":{"replicas":7}}'], as());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(before).toHaveLength(1);
    expect(state(cluster(), 'webshop', ['deployment/frontend'])).not.toEqual(before);
    expect(cluster().kubectl(['create', 'configmap', 'written-by-preview', '-n', 'webshop'], as()).code).toBe(0);
  });

  test('it cannot delete, touch RBAC, read Secrets or mint tokens', () => {
    cluster().kubectlOk(['create', 'secret', 'generic', 'webshop-db', '-n', 'webshop', '--from-literal=password=s3cret']);
    const refused = (args: string[], input?: string) => cluster().kubectl(args, { ...as(), input }).stderr;
    expect(refused(['delete', 'configmap', 'written-by-preview', '-n', 'webshop'])).toContain('cannot delete resource "configmaps"');
    expect(refused(['delete', 'namespace', 'webshop'])).toContain('cannot delete resource "namespaces"');
    expect(refused(['create', 'role', 'reads-secrets', '-n', 'webshop', '--verb=get', '--resource=secrets'])).toContain('cannot create resource "roles"');
    expect(refused(['create', 'clusterrolebinding', 'preview-admin', '--clusterrole=cluster-admin', `--serviceaccount=${PREVIEW_USER.namespace}:${PREVIEW_USER.name}`]))
      .toContain('cannot create resource "clusterrolebindings"');
    expect(refused(['patch', 'clusterrole', 'platform-preview', '--type=json', '-p', '[{"op":"add","path":"/rules/-","value":{"apiGroups":[""],"resources":["secrets"],"verbs":["get"]}}]']))
      .toMatch(/cannot (get|patch) resource "clusterroles"/);
    expect(refused(['patch', 'rolebinding', 'tenant-admins', '-n', 'webshop', '--type=merge', '-p', '{"metadata":{"labels":{"x":"y"}}}'])).toMatch(/cannot (get|patch) resource "rolebindings"/);
    expect(refused(['get', 'secret', 'webshop-db', '-n', 'webshop'])).toContain('cannot get resource "secrets"');
    expect(refused(['create', 'token', PREVIEW_USER.name, '-n', PREVIEW_USER.namespace])).toContain('cannot create resource "serviceaccounts/token"');
    expect(refused(['create', '-f', '-'], JSON.stringify({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: 'x' }, webhooks: [] })))
      .toContain('cannot create resource "validatingwebhookconfigurations"');
  });
});
