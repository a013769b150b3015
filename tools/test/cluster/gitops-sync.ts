/**
 * Applying dist/<env>/ to a test API server the way the GitOps engines sync it (README: "How the clusters consume
 * dist/"), for the cluster tests. The order comes from the preview's own plan (tools/src/preview/plan.ts):
 *
 *   engine CRDs (tools/src/gitops/crds/) and the engines' namespaces (argocd, flux-system: the engine installs
 *   create them), cluster/ (CRDs, namespaces, the rest), bootstrap/preview (synced right after cluster/),
 *   add-ons (dependencies first), per tenant guardrails then workloads, then the GitOps wiring (argocd/, flux/,
 *   bootstrap/argocd, bootstrap/flux). Admission webhooks are kept apart (see `webhooks`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readEnvironment } from '../../src/diff/snapshot';
import { describeObject, type DistObject } from '../../src/diff/objects';
import { loadAddon } from '../../src/model/load';
import { addonSyncOrder, planSteps } from '../../src/preview/plan';
import { REPO_ROOT } from '../../src/testing/fixture-workspace';
import { Workspace } from '../../src/workspace';
import type { KubectlOptions, TestCluster } from '../../envtest/testing';

export { describeObject, REPO_ROOT };

/** The field manager of every apply in these tests. */
export const FIELD_MANAGER = 'platformctl-test';

/** The GitOps engines' CRDs, copied from upstream by tools/scripts/import-gitops-crds.sh. */
export const ENGINE_CRDS_DIR = join(REPO_ROOT, 'tools', 'src', 'gitops', 'crds');

/** Namespaces the engines' install manifests create (dist/ only puts objects into them). */
export const ENGINE_NAMESPACES = ['argocd', 'flux-system'];

/** One batch of the sync. */
export interface SyncLayer {
  /** "cluster/crds", "bootstrap/preview", "addons/monitoring", "tenants/webshop/guardrails", "argocd"... */
  readonly id: string;
  readonly objects: readonly DistObject[];
}

export interface SyncPlan {
  readonly layers: readonly SyncLayer[];
  /**
   * Admission webhook configurations. Their backends are pods, and nothing runs pods here: a webhook with
   * `failurePolicy: Fail` (ingress-nginx's) would reject every later write it matches (every Ingress), so they
   * are applied last, on their own.
   */
  readonly webhooks: readonly DistObject[];
}

/** Environments with a tree under <root>/dist/. */
export function distEnvironments(root: string = REPO_ROOT): string[] {
  const dist = join(root, 'dist');
  return readdirSync(dist).filter((d) => statSync(join(dist, d)).isDirectory()).sort();
}

/** Every object of <root>/dist/<env>/ (kustomization.yaml files are kustomize configuration, not objects). */
export function readDist(env: string, root: string = REPO_ROOT): DistObject[] {
  return readEnvironment(new Workspace(root), env);
}

const WEBHOOK_KINDS = new Set(['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration']);

/** The layers of dist/<env>/ in sync order, add-ons ordered by their definitions' `dependsOn` (read from <root>/addons/). */
export function syncPlan(objects: readonly DistObject[], root: string = REPO_ROOT): SyncPlan {
  const ws = new Workspace(root);
  const addons = [...new Set(objects.filter((o) => o.path.split('/')[1] === 'addons').map((o) => o.path.split('/')[2]))];
  const order = addonSyncOrder(addons, (name) => loadAddon(ws, join(ws.addonsDir, name)).definition.dependsOn ?? []);
  const webhooks = objects.filter((o) => o.group === 'admissionregistration.k8s.io' && WEBHOOK_KINDS.has(o.kind));
  const steps = planSteps(objects.filter((o) => !webhooks.includes(o)), order);

  const first: SyncLayer[] = [];
  const middle: SyncLayer[] = [];
  const last: SyncLayer[] = [];
  for (const step of steps) {
    if (step.id.startsWith('cluster/')) {
      first.push(step);
    } else if (step.id === 'gitops/bootstrap') {
      // bootstrap/preview is synced right after cluster/ (its namespace is there); bootstrap/<engine> with the wiring.
      const byDir = new Map<string, DistObject[]>();
      for (const o of step.objects) {
        const dir = o.path.split('/').slice(1, 3).join('/');
        byDir.set(dir, [...(byDir.get(dir) ?? []), o]);
      }
      for (const [dir, list] of [...byDir].sort(([a], [b]) => (a < b ? -1 : 1))) {
        (dir === 'bootstrap/preview' ? first : last).push({ id: dir, objects: list });
      }
    } else if (step.id.startsWith('gitops/')) {
      last.unshift({ id: step.id.slice('gitops/'.length), objects: step.objects });
    } else {
      middle.push(step);
    }
  }
  // argocd/, flux/, then bootstrap/argocd, bootstrap/flux.
  last.sort((a, b) => Number(a.id.startsWith('bootstrap/')) - Number(b.id.startsWith('bootstrap/')) || (a.id < b.id ? -1 : 1));
  return { layers: [...first, ...middle, ...last], webhooks };
}

/** The documents of `objects`, as kubectl reads them from stdin. */
export function toStdin(objects: readonly DistObject[]): string {
  return objects.map((o) => `---\n${o.source.endsWith('\n') ? o.source : `${o.source}\n`}`).join('');
}

export interface ApplyResult {
  readonly code: number;
  /** kubectl's error output without the warnings. */
  readonly errors: string;
  /** Warnings the API server sent (deprecations, Pod Security "would violate"...). */
  readonly warnings: readonly string[];
  /** Objects kubectl reports as applied. */
  readonly applied: number;
}

/** `kubectl apply --server-side` of `objects` (all at once: kubectl goes on after a failing object and reports each). */
export function applyObjects(cluster: TestCluster, objects: readonly DistObject[], options: KubectlOptions & { dryRun?: boolean } = {}): ApplyResult {
  if (!objects.length) return { code: 0, errors: '', warnings: [], applied: 0 };
  const r = cluster.kubectl(['apply', '--server-side', `--field-manager=${FIELD_MANAGER}`, ...(options.dryRun ? ['--dry-run=server'] : []), '-f', '-'], { ...options, input: toStdin(objects) });
  const lines = r.stderr.split('\n').filter(Boolean);
  return {
    code: r.code,
    errors: lines.filter((l) => !l.startsWith('Warning: ')).join('\n'),
    warnings: lines.filter((l) => l.startsWith('Warning: ')),
    applied: r.stdout.split('\n').filter((l) => / serverside-applied( \(server dry run\))?$/.test(l)).length,
  };
}

/** resourceVersion of each object, keyed by describeObject(): what a no-op apply must leave alone. */
export function resourceVersions(cluster: TestCluster, objects: readonly DistObject[]): Map<string, string> {
  const out = cluster.kubectlOk(['get', '-f', '-', '-o', 'json'], { input: toStdin(objects) });
  const list = JSON.parse(out) as { items?: Array<{ kind: string; metadata: { name: string; namespace?: string; resourceVersion: string } }> };
  return new Map((list.items ?? []).map((i) => [describeObject({ kind: i.kind, namespace: i.metadata.namespace, name: i.metadata.name }), i.metadata.resourceVersion]));
}

/** Waits until the API server serves the CRDs among `objects`. */
export function waitForCrds(cluster: TestCluster, names: readonly string[]): void {
  if (!names.length) return;
  cluster.kubectlOk(['wait', '--for=condition=Established', '--timeout=60s', ...names.map((n) => `customresourcedefinition/${n}`)]);
}

/** What the engine installs provide before dist/ is synced: their CRDs and namespaces. */
export function installEngines(cluster: TestCluster): void {
  const files = readdirSync(ENGINE_CRDS_DIR).filter((f) => f.endsWith('.yaml')).sort();
  const docs = files.map((f) => readFileSync(join(ENGINE_CRDS_DIR, f), 'utf8'));
  cluster.kubectlOk(['apply', '--server-side', '--field-manager=engine-install', '-f', '-'], { input: docs.map((d) => `---\n${d}`).join('\n') });
  waitForCrds(cluster, files.map((f) => f.replace(/\.yaml$/, '')));
  const namespaces = ENGINE_NAMESPACES.map((n) => `---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${n}\n`).join('');
  cluster.kubectlOk(['apply', '--server-side', '--field-manager=engine-install', '-f', '-'], { input: namespaces });
}

/** Applies one layer (waiting for its CRDs to be served when it has any). */
export function applyLayer(cluster: TestCluster, layer: SyncLayer, options: KubectlOptions = {}): ApplyResult {
  const result = applyObjects(cluster, layer.objects, options);
  const crds = layer.objects.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => o.name);
  if (result.code === 0) waitForCrds(cluster, crds);
  return result;
}

export interface SyncResult {
  readonly plan: SyncPlan;
  readonly results: ReadonlyMap<string, ApplyResult>;
}

/** Field manager that narrows the admission webhooks of dist/ to nothing (see installWebhooksWithoutBackends). */
export const NO_BACKEND_MANAGER = 'envtest-no-webhook-backend';
const NO_BACKEND_LABEL = 'envtest.platform.example.com/no-webhook-backend';

/**
 * Applies the admission webhooks of dist/ exactly as rendered, then, as a second field manager, gives each of
 * their webhooks an objectSelector no object has: their backends (pods) cannot run here, and a webhook that
 * fails closed would otherwise reject every Ingress, even a dry-run (dist-applies.cluster.test.ts shows it). The
 * rendered fields stay ours, so `kubectl diff` of dist/ still shows them unchanged (like the caBundle the
 * ingress-nginx patch job injects in a cluster, the selector belongs to another manager).
 */
export function installWebhooksWithoutBackends(cluster: TestCluster, webhooks: readonly DistObject[]): ApplyResult {
  const applied = applyObjects(cluster, webhooks);
  if (applied.code !== 0) return applied;
  const narrowed = webhooks.map((o) => ({
    apiVersion: o.manifest.apiVersion,
    kind: o.kind,
    metadata: { name: o.name },
    webhooks: ((o.manifest as unknown as { webhooks?: Array<{ name: string }> }).webhooks ?? [])
      .map((w) => ({ name: w.name, objectSelector: { matchLabels: { [NO_BACKEND_LABEL]: 'true' } } })),
  }));
  cluster.kubectlOk(['apply', '--server-side', `--field-manager=${NO_BACKEND_MANAGER}`, '-f', '-'], { input: narrowed.map((n) => `---\n${JSON.stringify(n)}\n`).join('') });
  return applied;
}

/**
 * Installs the engines' CRDs and namespaces, then applies every layer of dist/<env>/ in order, going on after a
 * failing layer (each result is kept for the tests to report), and last the admission webhooks, narrowed so they
 * are never called (see installWebhooksWithoutBackends; `webhooks: false` leaves them out).
 */
export function syncEnvironment(cluster: TestCluster, env: string, options: { root?: string; webhooks?: boolean } = {}): SyncResult {
  const root = options.root ?? REPO_ROOT;
  installEngines(cluster);
  const plan = syncPlan(readDist(env, root), root);
  const results = new Map<string, ApplyResult>();
  for (const layer of plan.layers) results.set(layer.id, applyLayer(cluster, layer));
  if (options.webhooks !== false) results.set('webhooks', installWebhooksWithoutBackends(cluster, plan.webhooks));
  return { plan, results };
}

/** Throws unless every layer was applied cleanly (for suites that only need the environment in place). */
export function assertSynced({ plan, results }: SyncResult): void {
  const failed = [...results].filter(([, r]) => r.code !== 0);
  if (failed.length || results.size < plan.layers.length) {
    throw new Error(`dist could not be applied: ${failed.map(([id, r]) => `${id}:\n${r.errors}`).join('\n')}`);
  }
}

/** The preview identity's user name (dist/<env>/bootstrap/preview). */
export const PREVIEW_USER = { namespace: 'platform-preview', name: 'platform-preview' } as const;

/**
 * The API server loads a new ValidatingAdmissionPolicy asynchronously (about a second); until then a real write
 * by the preview identity goes through. Probes with a real ConfigMap create (removed again if it got through)
 * until the write guard denies it.
 */
export async function waitForWriteGuard(cluster: TestCluster, previewKubeconfig: string): Promise<void> {
  for (let i = 0; i < 60; i++) {
    const probe = cluster.kubectl(['create', 'configmap', 'write-guard-probe', '-n', 'default'], { kubeconfig: previewKubeconfig });
    if (/only dry-run requests are allowed/.test(probe.stderr)) return;
    if (probe.code === 0) cluster.kubectl(['delete', 'configmap', 'write-guard-probe', '-n', 'default']);
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the preview write guard never became active');
}

/** The add-ons of dist/<env>/ in sync order (what `platformctl preview` computes from the definitions). */
export function addonOrder(plan: SyncPlan): string[] {
  return plan.layers.filter((l) => l.id.startsWith('addons/')).map((l) => l.id.slice('addons/'.length));
}
