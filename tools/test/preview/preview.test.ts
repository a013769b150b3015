import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { componentKey, DistObject } from '../../src/diff/objects';
import { readEnvironment } from '../../src/diff/snapshot';
import { addonSyncOrder, classifyKubectlError, Kubectl, planSteps, PREVIEW_EXIT, previewLimits, PreviewReport, runPreview } from '../../src/preview';
import { toYaml } from '../../src/synth/manifest';
import { Workspace } from '../../src/workspace';
import { distObject, FakeKubectl, FakeRule, labelled, sentObjects } from './fake-kubectl';
import { STDERR } from './stderr';

const ENV = 'prod';

/** dist/prod as the synth would render it: cluster base, three add-ons, one tenant, GitOps wiring. */
function environment(): DistObject[] {
  const o = (path: string, unit: string, apiVersion: string, kind: string, name: string, namespace?: string, body?: Record<string, unknown>) =>
    distObject(`${ENV}/${path}`, labelled(ENV, unit, apiVersion, kind, name, namespace, body));
  return [
    o('argocd/application-platform.yaml', 'gitops', 'argoproj.io/v1alpha1', 'Application', 'platform', 'argocd'),
    o('bootstrap/serviceaccount-platform-preview.yaml', 'gitops', 'v1', 'ServiceAccount', 'platform-preview', 'platform-preview'),
    o('tenants/shop/workloads/deployment-web.yaml', 'tenant.shop', 'apps/v1', 'Deployment', 'web', 'shop'),
    o('tenants/shop/workloads/deployment-api.yaml', 'tenant.shop', 'apps/v1', 'Deployment', 'api', 'shop'),
    o('tenants/shop/guardrails/resourcequota-shop.yaml', 'tenant.shop', 'v1', 'ResourceQuota', 'shop', 'shop'),
    o('addons/widgets/widget-a.yaml', 'addon.widgets', 'example.com/v1', 'Widget', 'a', 'monitoring'),
    o('addons/ingress-nginx/deployment-controller.yaml', 'addon.ingress-nginx', 'apps/v1', 'Deployment', 'controller', 'ingress-nginx'),
    o('addons/ingress-nginx/validatingwebhookconfiguration-ingress-nginx-admission.yaml', 'addon.ingress-nginx', 'admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', 'ingress-nginx-admission'),
    o('addons/monitoring/deployment-grafana.yaml', 'addon.monitoring', 'apps/v1', 'Deployment', 'grafana', 'monitoring'),
    o('addons/monitoring/servicemonitor-grafana.yaml', 'addon.monitoring', 'monitoring.coreos.com/v1', 'ServiceMonitor', 'grafana', 'monitoring'),
    o('cluster/storageclass-gp3.yaml', 'cluster', 'storage.k8s.io/v1', 'StorageClass', 'gp3'),
    o('cluster/namespace-shop.yaml', 'tenant.shop', 'v1', 'Namespace', 'shop'),
    o('cluster/namespace-monitoring.yaml', 'addon.monitoring', 'v1', 'Namespace', 'monitoring'),
    o('cluster/customresourcedefinition-widgets.example.com.yaml', 'addon.widgets', 'apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com', undefined, {
      spec: { group: 'example.com', names: { kind: 'Widget', plural: 'widgets' }, scope: 'Namespaced', versions: [] },
    }),
  ];
}

// ingress-nginx needs monitoring (its ServiceMonitor CRD); widgets needs nothing: monitoring, ingress-nginx, widgets.
const DEPENDS_ON: Record<string, string[]> = { 'ingress-nginx': ['monitoring'], monitoring: [], widgets: [] };
const ADDON_ORDER = addonSyncOrder(Object.keys(DEPENDS_ON), (n) => DEPENDS_ON[n]);

describe('preview order', () => {
  test('add-ons follow dependsOn, ties by name; a cycle is an error', () => {
    expect(ADDON_ORDER).toEqual(['monitoring', 'ingress-nginx', 'widgets']);
    expect(addonSyncOrder(['b', 'a', 'c'], () => [])).toEqual(['a', 'b', 'c']);
    expect(() => addonSyncOrder(['a', 'b'], (n) => (n === 'a' ? ['b'] : ['a']))).toThrow('add-on dependencies form a cycle: a → b; b → a');
  });

  test('cluster/ first (CRDs, namespaces, the rest), add-ons by dependency, tenants guardrails before workloads, GitOps last', () => {
    expect(planSteps(environment(), ADDON_ORDER).map((s) => `${s.id}: ${s.objects.map((o) => o.name).join(',')}`)).toEqual([
      'cluster/crds: widgets.example.com',
      'cluster/namespaces: monitoring,shop',
      'cluster/other: gp3',
      'addons/monitoring: grafana,grafana',
      'addons/ingress-nginx: controller,ingress-nginx-admission',
      'addons/widgets: a',
      'tenants/shop/guardrails: shop',
      'tenants/shop/workloads: api,web',
      'gitops/bootstrap: platform-preview',
      'gitops/argocd: platform',
    ]);
  });

  test('kustomization.yaml files are never sent to the cluster', () => {
    const root = mkdtempSync(join(tmpdir(), 'preview-ws-'));
    try {
      const write = (path: string, text: string) => { mkdirSync(dirname(join(root, path)), { recursive: true }); writeFileSync(join(root, path), text); };
      write('dist/prod/tenants/shop/workloads/deployment-web.yaml', toYaml(labelled(ENV, 'tenant.shop', 'apps/v1', 'Deployment', 'web', 'shop')));
      write('dist/prod/tenants/shop/workloads/kustomization.yaml', 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [deployment-web.yaml]\n');
      write('dist/prod/flux/kustomization-tenants.yaml', 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: tenants\n  namespace: flux-system\n');
      const objects = readEnvironment(new Workspace(root), 'prod');
      // A Flux Kustomization is a cluster object; kustomize's own kustomization.yaml is not.
      expect(objects.map((o) => `${o.kind} ${o.path}`)).toEqual(['Kustomization prod/flux/kustomization-tenants.yaml', 'Deployment prod/tenants/shop/workloads/deployment-web.yaml']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('preview against a fake kubectl', () => {
  let fake: FakeKubectl;
  beforeEach(() => { fake = new FakeKubectl(); });
  afterEach(() => fake.dispose());

  async function preview(rules: FakeRule[], objects = environment()): Promise<PreviewReport> {
    fake.setRules(rules);
    return runPreview({ env: ENV, kubectl: new Kubectl({ binary: fake.binary, context: 'prod-preview' }), objects, addonOrder: ADDON_ORDER });
  }
  const component = (report: PreviewReport, key: string) => report.components.find((c) => componentKey(c.component) === key)!;
  const diffCalls = () => fake.calls().filter((c) => c.args.includes('diff'));

  test('objects the identity may not dry-run by design are reported as not previewed and never sent', async () => {
    const o = (path: string, unit: string, apiVersion: string, kind: string, name: string, namespace?: string) =>
      distObject(`${ENV}/${path}`, labelled(ENV, unit, apiVersion, kind, name, namespace));
    const objects = [
      ...environment(),
      o('addons/dashboards/secret-csrf.yaml', 'addon.dashboards', 'v1', 'Secret', 'csrf', 'monitoring'),
      o('tenants/shop/guardrails/role-tenant-admin.yaml', 'tenant.shop', 'rbac.authorization.k8s.io/v1', 'Role', 'tenant-admin', 'shop'),
    ];
    fake.setRules([]);
    const run = (guard: 'v1beta1' | 'none') => runPreview({
      env: ENV, kubectl: new Kubectl({ binary: fake.binary }), objects, addonOrder: ADDON_ORDER, prune: false, notPreviewable: previewLimits(guard),
    });
    const sent = () => diffCalls().flatMap(sentObjects);
    const notes = (report: PreviewReport) => report.components.flatMap((c) => c.notes.flatMap((n) => n.objects.map((x) => `${x.kind}/${x.name}`)));

    const guarded = await run('v1beta1');
    expect(guarded.outcome).toBe('no-changes');
    expect(notes(guarded)).toEqual(['Secret/csrf']);
    expect(sent()).toEqual(expect.arrayContaining(['Role/tenant-admin', 'Application/platform']));
    expect(sent()).not.toContain('Secret/csrf');

    fake.setRules([]);
    const unguarded = await run('none');
    expect(unguarded.outcome).toBe('no-changes');
    expect(notes(unguarded).sort()).toEqual(['Application/platform', 'Role/tenant-admin', 'Secret/csrf']);
    expect(sent()).not.toEqual(expect.arrayContaining(['Role/tenant-admin']));
    expect(sent()).not.toContain('Application/platform');
  });

  test('no differences (kubectl exit 0 everywhere): "no changes", exit 0; kubectl diff runs once per step, in sync order', async () => {
    const report = await preview([]);
    expect(report.outcome).toBe('no-changes');
    expect(PREVIEW_EXIT[report.outcome]).toBe(0);
    const calls = diffCalls();
    expect(calls[0].args).toEqual(['--context', 'prod-preview', 'diff', '--server-side', '--force-conflicts', '--field-manager=platformctl-preview', '--concurrency=4', '-f', '-']);
    expect(calls.map(sentObjects)).toEqual([
      ['CustomResourceDefinition/widgets.example.com'],
      ['Namespace/monitoring', 'Namespace/shop'],
      ['StorageClass/gp3'],
      ['Deployment/grafana', 'ServiceMonitor/grafana'],
      ['Deployment/controller'],
      ['ValidatingWebhookConfiguration/ingress-nginx-admission'],
      ['Widget/a'],
      ['ResourceQuota/shop'],
      ['Deployment/api', 'Deployment/web'],
      ['ServiceAccount/platform-preview'],
      ['Application/platform'],
    ]);
    // Then one listing for prune detection.
    expect(fake.calls().slice(-1)[0].args).toContain('get');
    expect(report.components.map((c) => componentKey(c.component))).toEqual(['cluster', 'addon/monitoring', 'addon/ingress-nginx', 'addon/widgets', 'tenant/shop', 'gitops']);
  });

  test('differences (kubectl exit 1) are "changes", exit 1, each changed object listed under its component', async () => {
    const report = await preview([
      { command: 'diff', has: ['name: grafana'], changed: ['Deployment/grafana'] },
      { command: 'diff', has: ['name: web'], changed: ['+Deployment/web'] },
    ]);
    expect(report.outcome).toBe('changes');
    expect(PREVIEW_EXIT[report.outcome]).toBe(1);
    expect(component(report, 'addon/monitoring').changes.map((c) => `${c.action} ${c.object.kind} ${c.object.name}`)).toEqual(['update Deployment grafana']);
    expect(component(report, 'tenant/shop').changes.map((c) => `${c.action} ${c.object.kind} ${c.object.name}`)).toEqual(['create Deployment web']);
    expect(component(report, 'addon/monitoring').changes[0].diff).toBe('@@ -1,3 +1,3 @@\n metadata:\n-  generation: 1\n+  generation: 2');
    expect(component(report, 'cluster').changes).toEqual([]);
  });

  test('an unreachable cluster (kubectl exit 2) stops the preview with one clear message, exit 3', async () => {
    const report = await preview([{ command: 'diff', exit: 2, stderr: STDERR.unreachable }]);
    expect(report.outcome).toBe('errors');
    expect(PREVIEW_EXIT[report.outcome]).toBe(3);
    expect(report.fatal).toMatchObject({ kind: 'unreachable', message: 'cannot reach the cluster\'s API server (dial tcp 127.0.0.1:1: connect: connection refused): check the context, the network and that the cluster is up' });
    expect(fake.calls()).toHaveLength(1);
    expect(report.components.every((c) => !c.checked)).toBe(true);
  });

  test('rejected credentials stop the preview too', async () => {
    const report = await preview([{ command: 'diff', exit: 2, stderr: STDERR.unauthorized }]);
    expect(report.fatal?.kind).toBe('unauthorized');
    expect(PREVIEW_EXIT[report.outcome]).toBe(3);
  });

  test('a forbidden object fails alone; the others are still previewed', async () => {
    const report = await preview([
      { command: 'diff', has: ['name: controller'], exit: 2, stderr: STDERR.forbiddenPatch },
      { command: 'diff', has: ['name: web'], changed: ['Deployment/web'] },
    ]);
    expect(report.outcome).toBe('errors');
    const problems = component(report, 'addon/ingress-nginx').problems;
    expect(problems.map((p) => [p.error.kind, p.error.message, p.objects.map((o) => o.name)])).toEqual([
      ['forbidden', 'forbidden: the identity may not patch deployments.apps in namespace ingress-nginx', ['controller']],
    ]);
    expect(component(report, 'tenant/shop').changes.map((c) => c.object.name)).toEqual(['web']);
  });

  test('an invalid object is found by halving the batch, so the rest of its step is previewed', async () => {
    const report = await preview([
      // kubectl stops at the first bad object and prints no diff at all for the batch.
      { command: 'diff', has: ['name: api'], exit: 2, stderr: 'Error from server (BadRequest): error when creating "STDIN": something about the object\n' },
      { command: 'diff', has: ['name: web'], changed: ['Deployment/web'] },
    ]);
    const shop = component(report, 'tenant/shop');
    expect(shop.problems.map((p) => [p.error.kind, p.objects.map((o) => o.name)])).toEqual([['invalid', ['api']]]);
    expect(shop.changes.map((c) => c.object.name)).toEqual(['web']);
    expect(report.steps.find((s) => s.id === 'tenants/shop/workloads')).toEqual({ id: 'tenants/shop/workloads', objects: 2, kubectlCalls: 3 });
  });

  test('objects whose CRD or namespace this change creates would be created, unvalidated; a CRD nobody installs is an error', async () => {
    const report = await preview([
      { command: 'diff', has: ['kind: Widget'], exit: 2, stderr: STDERR.missingCrd('Widget', 'example.com/v1', 'a', 'monitoring') },
      { command: 'diff', has: ['kind: ServiceMonitor'], exit: 2, stderr: STDERR.missingCrd('ServiceMonitor', 'monitoring.coreos.com/v1', 'grafana', 'monitoring') },
      { command: 'diff', has: ['namespace: shop'], lacks: ['kind: Namespace'], exit: 2, stderr: STDERR.missingNamespace('shop') },
      { command: 'diff', has: ['name: grafana', 'kind: Deployment'], lacks: ['kind: ServiceMonitor'], changed: ['Deployment/grafana'] },
    ]);
    expect(component(report, 'addon/widgets').changes).toEqual([expect.objectContaining({ action: 'create', unverified: expect.stringContaining('its CustomResourceDefinition (Widget.example.com) is added by this change') })]);
    expect(component(report, 'tenant/shop').changes.map((c) => [c.object.name, c.unverified])).toEqual([
      ['shop', 'namespace shop is created by this change; the server validates its objects only once it exists'],
      ['api', 'namespace shop is created by this change; the server validates its objects only once it exists'],
      ['web', 'namespace shop is created by this change; the server validates its objects only once it exists'],
    ]);
    const monitoring = component(report, 'addon/monitoring');
    expect(monitoring.problems.map((p) => [p.error.kind, p.error.message])).toEqual([
      ['missing-crd', 'the cluster does not serve ServiceMonitor (monitoring.coreos.com/v1): its CustomResourceDefinition is not installed'],
    ]);
    expect(monitoring.changes.map((c) => c.object.kind)).toEqual(['Deployment']);
    expect(report.outcome).toBe('errors');
  });

  test('admission configuration and GitOps engine objects are "not previewed" notes, not errors', async () => {
    const fluxAccount = distObject('prod/flux/serviceaccount-tenant-shop.yaml', labelled(ENV, 'tenant.shop', 'v1', 'ServiceAccount', 'tenant-shop', 'flux-system'));
    const report = await preview([
      { command: 'diff', has: ['kind: ValidatingWebhookConfiguration'], exit: 2, stderr: STDERR.forbiddenCreateWebhook },
      { command: 'diff', has: ['kind: Application'], exit: 2, stderr: STDERR.missingCrd('Application', 'argoproj.io/v1alpha1', 'platform', 'argocd') },
      { command: 'diff', has: ['namespace: flux-system'], exit: 2, stderr: STDERR.missingNamespace('flux-system') },
    ], [...environment(), fluxAccount]);
    expect(report.outcome).toBe('no-changes');
    expect(component(report, 'addon/ingress-nginx').notes.map((n) => n.reason)).toEqual([expect.stringContaining('admission configuration is exempt from admission policies')]);
    expect(component(report, 'gitops').notes.map((n) => n.reason)).toEqual(['not previewed: the GitOps engine\'s CRDs (argoproj.io) are not installed in this cluster']);
    expect(component(report, 'tenant/shop').notes.map((n) => n.reason)).toEqual(['not previewed: the GitOps engine is not installed in this cluster (no namespace flux-system)']);
  });

  test('a kubectl that is not installed is one clear error', async () => {
    const report = await runPreview({ env: ENV, kubectl: new Kubectl({ binary: join(fake.dir, 'no-such-kubectl') }), objects: environment() });
    expect(report.fatal).toMatchObject({ kind: 'kubectl-missing', message: expect.stringContaining('kubectl not found') });
    expect(PREVIEW_EXIT[report.outcome]).toBe(3);
  });
});

describe('kubectl error classification (real kubectl 1.28 output)', () => {
  test.each([
    ['a refused connection', 'unreachable', true, STDERR.unreachable],
    ['an expired token', 'unauthorized', true, STDERR.unauthorized],
    ['an unknown context', 'config', true, STDERR.noContext],
    ['RBAC without patch', 'forbidden', false, STDERR.forbiddenPatch],
    ['the write guard', 'forbidden', false, STDERR.deniedByGuard],
    ['an RBAC escalation', 'forbidden', false, STDERR.escalation],
    ['a validation error', 'invalid', false, STDERR.invalid],
    ['a schema type error', 'invalid', false, STDERR.typedPatch],
    ['an unknown kind', 'missing-crd', false, STDERR.missingCrd('ServiceMonitor', 'monitoring.coreos.com/v1', 'x', 'y')],
    ['a missing namespace', 'missing-namespace', false, STDERR.missingNamespace('shop')],
  ])('%s is %s (fatal: %s)', (_what, kind, fatal, stderr) => {
    const error = classifyKubectlError(stderr as string, 2);
    expect(error.kind).toBe(kind);
    expect(error.fatal).toBe(fatal);
  });

  test('messages name what to do', () => {
    expect(classifyKubectlError(STDERR.deniedByGuard, 2).message).toBe('forbidden: admission policy platform-preview-dry-run-only denied it: system:serviceaccount:platform-preview:platform-preview is the read-only preview identity: only dry-run requests are allowed');
    expect(classifyKubectlError(STDERR.escalation, 2).message).toBe('forbidden: the identity may not grant RBAC permissions it does not hold (it needs the escalate and bind verbs on roles)');
    expect(classifyKubectlError(STDERR.invalid, 2).object).toEqual({ kind: 'Deployment', name: 'api' });
    expect(classifyKubectlError(STDERR.typedPatch, 2).object).toEqual({ namespace: 'shop', name: 'settings', kind: 'ConfigMap' });
  });
});
