/**
 * The preview identity against a real kube-apiserver 1.28 (tools/envtest): a server-side dry-run diff works,
 * a real write is rejected by the write guard, secrets and admission configuration are out of reach, and a whole
 * `preview` (diff + prune listing) runs with nothing more. Run with `npm run test:cluster`.
 */
import { App, Chart } from 'cdk8s';
import { describeCluster, useCluster } from '../../envtest/testing';
import { PreviewIdentity } from '../../src/preview/identity';
import { Kubectl, runPreview } from '../../src/preview';
import { toYaml } from '../../src/synth/manifest';
import { distObject, labelled } from './fake-kubectl';

describeCluster('PreviewIdentity on a real API server (ValidatingAdmissionPolicy v1beta1 enabled)', () => {
  const cluster = useCluster();
  let previewKubeconfig: string;

  const kubectl = (kubeconfig: string, args: string[], input?: string) => cluster().kubectl(args, { kubeconfig, input });

  const CONFIGMAP = toYaml(labelled('lab', 'tenant.shop', 'v1', 'ConfigMap', 'settings', 'default', { data: { mode: 'fast' } }));
  const ROLE_READING_SECRETS = toYaml(labelled('lab', 'tenant.shop', 'rbac.authorization.k8s.io/v1', 'Role', 'reads-secrets', 'default', {
    rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }],
  }));

  beforeAll(async () => {
    const cp = cluster();
    const app = new App();
    new PreviewIdentity(new Chart(app, 'bootstrap', { disableResourceNameHashes: true }), 'preview', { writeGuard: 'v1beta1' });
    const applied = kubectl(cluster().kubeconfig, ['apply', '--server-side', '-f', '-'], app.synthYaml());
    expect(applied.stderr).toBe('');
    previewKubeconfig = cp.tokenKubeconfig('preview', cp.serviceAccountToken('platform-preview', 'platform-preview'));

    // The API server loads policies asynchronously (about a second): until then a real write goes through.
    // (In a cluster, bind the role only after the guard is in place: see README, "Reviewing a change".)
    for (let i = 0; i < 60; i++) {
      const probe = kubectl(previewKubeconfig, ['create', 'configmap', 'probe', '-n', 'default']);
      if (/only dry-run requests are allowed/.test(probe.stderr)) return;
      if (probe.code === 0) kubectl(cluster().kubeconfig, ['delete', 'configmap', 'probe', '-n', 'default']);
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error('the write guard never became active');
  });

  test('kubectl diff --server-side works with the identity, including a Role that grants what it does not hold', () => {
    const diff = kubectl(previewKubeconfig, ['diff', '--server-side', '--force-conflicts', '-f', '-'], `${CONFIGMAP}---\n${ROLE_READING_SECRETS}`);
    expect(diff.stderr).toBe('');
    expect(diff.code).toBe(1);
    expect(diff.stdout).toContain('v1.ConfigMap.default.settings');
    expect(diff.stdout).toContain('rbac.authorization.k8s.io.v1.Role.default.reads-secrets');
  });

  test('a real write by the identity is rejected by the write guard, and nothing is created', () => {
    const apply = kubectl(previewKubeconfig, ['apply', '--server-side', '--force-conflicts', '-f', '-'], `${CONFIGMAP}---\n${ROLE_READING_SECRETS}`);
    expect(apply.code).not.toBe(0);
    expect(apply.stderr).toContain("ValidatingAdmissionPolicy 'platform-preview-dry-run-only' with binding 'platform-preview-dry-run-only' denied request");
    expect(kubectl(cluster().kubeconfig, ['get', 'configmap/settings', 'role/reads-secrets', '-n', 'default', '--ignore-not-found', '-o', 'name']).stdout).toBe('');
  });

  test('secrets, tokens and the guard itself are out of reach', () => {
    expect(kubectl(previewKubeconfig, ['get', 'secrets', '-A']).stderr).toContain('cannot list resource "secrets"');
    expect(kubectl(previewKubeconfig, ['create', 'token', 'platform-preview', '-n', 'platform-preview']).stderr).toContain('cannot create resource "serviceaccounts/token"');
    const disable = kubectl(previewKubeconfig, ['patch', 'validatingadmissionpolicybinding', 'platform-preview-dry-run-only', '--type=merge', '-p', '{"spec":{"validationActions":["Audit"]}}']);
    expect(disable.stderr).toMatch(/cannot (get|patch) resource "validatingadmissionpolicybindings"/);
    expect(kubectl(previewKubeconfig, ['delete', 'namespace', 'default']).stderr).toContain('cannot delete resource "namespaces"');
  });

  test('a whole preview (diff in sync order + prune listing) needs nothing more', async () => {
    kubectl(cluster().kubeconfig, ['apply', '--server-side', '-f', '-'], toYaml(labelled('lab', 'tenant.shop', 'v1', 'ConfigMap', 'stale', 'default')));
    const report = await runPreview({
      env: 'lab',
      kubectl: new Kubectl({ binary: cluster().kubectlBinary, kubeconfig: previewKubeconfig }),
      objects: [
        distObject('lab/cluster/namespace-shop.yaml', labelled('lab', 'tenant.shop', 'v1', 'Namespace', 'shop')),
        distObject('lab/tenants/shop/workloads/configmap-settings.yaml', labelled('lab', 'tenant.shop', 'v1', 'ConfigMap', 'settings', 'default', { data: { mode: 'fast' } })),
        distObject('lab/tenants/shop/workloads/configmap-web.yaml', labelled('lab', 'tenant.shop', 'v1', 'ConfigMap', 'web', 'shop')),
      ],
    });
    expect(report.fatal).toBeUndefined();
    expect(report.prune.error).toBeUndefined();
    expect(report.outcome).toBe('changes');
    const [shop] = report.components;
    expect(shop.changes.map((c) => `${c.action} ${c.object.kind} ${c.object.name}${c.unverified ? ' (unverified)' : ''}`).sort()).toEqual([
      'create ConfigMap settings',
      'create ConfigMap web (unverified)',
      'create Namespace shop',
    ]);
    expect(shop.prune.map((p) => `${p.kind} ${p.namespace}/${p.name}`)).toEqual(['ConfigMap default/stale']);
  });
});
