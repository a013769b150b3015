/**
 * `platformctl preview` end to end, as a pull request uses it: a temporary copy of this repository (environments,
 * add-ons, the real tenants) as a git repository, its dist/test synced to a real API server, then a tenant change
 * (a replica count and an image tag) re-rendered. The live preview must report exactly what the change does to
 * the cluster and exit 1 ("changes"); once the new state is applied, it must report nothing and exit 0. The
 * rendered diff (`platformctl diff --base HEAD`) must name the same objects.
 *
 * The preview runs with the admin kubeconfig: what the CI identity may do is least-privilege.cluster.test.ts'
 * subject. An image tag is also the app's `app.kubernetes.io/version` label (charts/src/labels.ts) and the
 * `service.version` of its OTEL_RESOURCE_ATTRIBUTES, so a tag bump changes those too, on every object of the app.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeCluster, useCluster } from '../../envtest/testing';
import { FixtureWorkspace, REPO_ROOT } from '../../src/testing/fixture-workspace';
import { applyLayer, assertSynced, FIELD_MANAGER, readDist, syncEnvironment, syncPlan } from './gitops-sync';

const ENV = 'test';
const BEFORE = { replicas: 1, image: 'nginxinc/nginx-unprivileged:1.27.3' };
const AFTER = { replicas: 2, image: 'nginxinc/nginx-unprivileged:1.27.4' };

interface PreviewJson {
  outcome: string;
  exitCode: number;
  components: Array<{
    component: string;
    changes: Array<{ kind: string; namespace?: string; name: string; action: string; diff: string }>;
    notes: Array<{ reason: string }>;
    problems: Array<{ message: string }>;
    prune: unknown[];
  }>;
  prune: { checked: boolean; error?: unknown };
}

/** A copy of this repository's sources: environments, add-ons, the real tenants; node_modules linked. */
function repositoryCopy(): FixtureWorkspace {
  const files: Record<string, string> = {};
  for (const f of readdirSync(join(REPO_ROOT, 'environments')).filter((n) => n.endsWith('.ts'))) {
    files[`environments/${f}`] = readFileSync(join(REPO_ROOT, 'environments', f), 'utf8');
  }
  for (const t of readdirSync(join(REPO_ROOT, 'apps'))) {
    files[`apps/${t}/tenant.ts`] = readFileSync(join(REPO_ROOT, 'apps', t, 'tenant.ts'), 'utf8');
  }
  return FixtureWorkspace.create(files, { copyAddons: true });
}

/** "-"/"+" lines of a unified diff, whitespace squeezed. */
function changedLines(diff: string): string[] {
  return diff.split('\n').filter((l) => /^[-+](?![-+]{2} )/.test(l)).map((l) => l.replace(/\s+/g, ' ').trim()).sort();
}

describeCluster(`platformctl preview --env ${ENV} against a real API server, end to end`, () => {
  const cluster = useCluster();
  let ws: FixtureWorkspace;
  let kubeconfig: string;

  const preview = (): { status: number; json: PreviewJson; stderr: string } => {
    const r = ws.cli('preview', '--env', ENV, '--kubeconfig', kubeconfig, '--format', 'json', `--field-manager=${FIELD_MANAGER}`);
    let json: PreviewJson;
    try {
      json = JSON.parse(r.stdout) as PreviewJson;
    } catch {
      throw new Error(`preview printed no JSON (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    }
    return { status: r.status, json, stderr: r.stderr };
  };
  const summary = (json: PreviewJson) => ({
    outcome: json.outcome,
    changes: json.components.flatMap((c) => c.changes.map((x) => `${c.component}: ${x.action} ${x.kind} ${x.namespace ? `${x.namespace}/` : ''}${x.name}`)).sort(),
    problems: json.components.flatMap((c) => c.problems.map((p) => p.message)),
    prune: json.components.flatMap((c) => c.prune),
  });

  beforeAll(() => {
    ws = repositoryCopy();
    ws.git('init', '-q', '-b', 'main');
    const synth = ws.cli('synth');
    if (synth.status !== 0) throw new Error(`synth failed:\n${synth.stderr}`);
    ws.git('add', '-A');
    ws.git('commit', '-q', '-m', 'base');
    assertSynced(syncEnvironment(cluster(), ENV, { root: ws.root }));
    kubeconfig = cluster().kubeconfig;
  }, 600_000);

  afterAll(() => ws?.dispose());

  test('the synced base commit previews as no changes (exit 0)', () => {
    const { status, json } = preview();
    expect(summary(json)).toEqual({ outcome: 'no-changes', changes: [], problems: [], prune: [] });
    expect(status).toBe(0);
  });

  test('a tenant change (replicas and image tag of one app) previews as exactly that change (exit 1), like the rendered diff', () => {
    const file = 'apps/webshop/tenant.ts';
    const source = ws.read(file);
    const edited = source.replace(`frontend: { replicas: ${BEFORE.replicas} },`, `frontend: { replicas: ${AFTER.replicas}, image: '${AFTER.image}' },`);
    expect(edited).not.toBe(source);
    ws.write(file, edited);
    const synth = ws.cli('synth', '--env', ENV);
    expect(synth.stderr).toBe('');
    expect(synth.status).toBe(0);

    const { status, json } = preview();
    const s = summary(json);
    // The Deployment, and the version label of every other object of the app.
    expect(s).toEqual({
      outcome: 'changes',
      changes: [
        'tenant/webshop: update ConfigMap webshop/frontend-files',
        'tenant/webshop: update Deployment webshop/frontend',
        'tenant/webshop: update Ingress webshop/frontend',
        'tenant/webshop: update PodDisruptionBudget webshop/frontend',
        'tenant/webshop: update Service webshop/frontend',
        'tenant/webshop: update ServiceAccount webshop/frontend',
      ],
      problems: [],
      prune: [],
    });
    expect(status).toBe(1);

    const changes = json.components.flatMap((c) => c.changes);
    const version = (v: string) => `app.kubernetes.io/version: ${v}`;
    const [oldTag, newTag] = [BEFORE.image.split(':')[1], AFTER.image.split(':')[1]];
    const deployment = changes.find((c) => c.kind === 'Deployment')!;
    expect(changedLines(deployment.diff)).toEqual([
      `+ ${version(newTag)}`, `+ ${version(newTag)}`,
      `+ generation: 2`,
      `+ image: ${AFTER.image}`,
      `+ replicas: ${AFTER.replicas}`,
      `+ value: service.namespace=webshop,service.version=${newTag},deployment.environment.name=${ENV},k8s.namespace.name=webshop`,
      `- ${version(oldTag)}`, `- ${version(oldTag)}`,
      `- generation: 1`,
      `- image: ${BEFORE.image}`,
      `- replicas: ${BEFORE.replicas}`,
      `- value: service.namespace=webshop,service.version=${oldTag},deployment.environment.name=${ENV},k8s.namespace.name=webshop`,
    ].sort());
    for (const other of changes.filter((c) => c.kind !== 'Deployment')) {
      expect({ object: `${other.kind} ${other.name}`, lines: changedLines(other.diff).filter((l) => !/^[-+] generation: \d+$/.test(l)) })
        .toEqual({ object: `${other.kind} ${other.name}`, lines: [`+ ${version(newTag)}`, `- ${version(oldTag)}`] });
    }

    // The rendered diff of the same change (dist/ at HEAD vs the working tree) names the same objects.
    const rendered = ws.cli('diff', '--base', 'HEAD', '--env', ENV, '--format', 'json');
    expect(rendered.status).toBe(0);
    const objects = (JSON.parse(rendered.stdout) as { objects: Array<{ status: string; kind: string; namespace?: string; name: string }> }).objects;
    expect(objects.map((o) => `${o.status} ${o.kind} ${o.namespace}/${o.name}`).sort())
      .toEqual(changes.map((c) => `changed ${c.kind} ${c.namespace}/${c.name}`).sort());
  });

  test('after the change is applied, the preview reports no changes again (exit 0)', () => {
    const plan = syncPlan(readDist(ENV, ws.root), ws.root);
    for (const layer of plan.layers) expect(applyLayer(cluster(), layer).errors).toBe('');
    const { status, json } = preview();
    expect(summary(json)).toEqual({ outcome: 'no-changes', changes: [], problems: [], prune: [] });
    expect(status).toBe(0);
  });
});
