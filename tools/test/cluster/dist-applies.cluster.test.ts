/**
 * Everything in dist/<env>/ is accepted by a real kube-apiserver (defaulting, validation, CRD structural schemas,
 * RBAC escalation checks, Pod Security admission), applied with server-side apply in the GitOps sync order, and a
 * second apply changes nothing. One control plane per environment (Kubernetes 1.28, or ENVTEST_K8S_VERSION).
 */
import { describeCluster, useCluster } from '../../envtest/testing';
import type { DistObject } from '../../src/diff/objects';
import {
  applyLayer, applyObjects, ApplyResult, describeObject, distEnvironments, FIELD_MANAGER, installEngines, readDist,
  resourceVersions, syncPlan, toStdin,
} from './gitops-sync';
import { podsFromTemplates } from './pod-templates';

interface WebhookEntry {
  name: string;
  failurePolicy?: string;
  sideEffects?: string;
  clientConfig: { service?: { namespace: string; name: string; port?: number; path?: string }; url?: string };
  rules?: Array<{ apiGroups?: string[]; resources?: string[]; operations?: string[] }>;
}
interface ServicePort { port: number; targetPort?: number | string; name?: string }
interface PodSpec { containers: Array<{ ports?: Array<{ containerPort: number; name?: string }> }> }

/** Objects of `objects` a webhook rule matches (by API group and plural resource, as far as dist/ can tell). */
function matchedBy(rule: NonNullable<WebhookEntry['rules']>[number], objects: readonly DistObject[]): DistObject[] {
  return objects.filter((o) => (rule.apiGroups ?? []).some((g) => g === '*' || g === o.group)
    && (rule.resources ?? []).some((r) => r === '*' || r === `${o.kind.toLowerCase()}s` || r === `${o.kind.toLowerCase()}es`));
}

describeCluster.each(distEnvironments())('dist/%s on a real API server', (env) => {
  const cluster = useCluster();
  const objects = readDist(env);
  const plan = syncPlan(objects);
  const results = new Map<string, ApplyResult>();

  beforeAll(() => {
    installEngines(cluster());
    for (const layer of plan.layers) results.set(layer.id, applyLayer(cluster(), layer));
  }, 600_000);

  test.each(plan.layers.map((l) => [l.id, l.objects.length, l] as const))(
    '%s: all %d objects are accepted by server-side apply, without warnings',
    (id, count) => {
      const result = results.get(id)!;
      expect({ errors: result.errors, warnings: result.warnings }).toEqual({ errors: '', warnings: [] });
      expect(result.code).toBe(0);
      expect(result.applied).toBe(count);
    },
  );

  // Pod Security admission enforces on Pods only (on templates it just warns), and nothing here creates pods, so
  // each template is sent as a bare Pod, server-side dry-run, into its namespace with that namespace's PSS level.
  test.each(podsFromTemplates(objects).map((p) => [describeObject(p.workload), p.pod] as const))(
    'the pod template of %s is admitted as a Pod in its namespace (Pod Security, LimitRange, pod validation)',
    (_name, pod) => {
      const r = cluster().kubectl(['create', '--dry-run=server', '-f', '-'], { input: JSON.stringify(pod) });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    },
  );

  test('a second server-side apply of everything is a no-op: kubectl diff --server-side exits 0', () => {
    const all = plan.layers.flatMap((l) => l.objects);
    const diff = cluster().kubectl(['diff', '--server-side', `--field-manager=${FIELD_MANAGER}`, '-f', '-'], { input: toStdin(all) });
    // Per changed object, its changed lines (live → merged), so a failure says what moves.
    const changed: Record<string, string[]> = {};
    for (const part of diff.stdout.split(/^diff -u -N /m).slice(1)) {
      const name = part.split('\n')[0].split(' ')[0].split('/').pop()!;
      changed[name] = part.split('\n').filter((l) => /^[-+] /.test(l)).map((l) => l.replace(/\s+/g, ' '));
    }
    expect({ changed, errors: diff.stderr }).toEqual({ changed: {}, errors: '' });
    expect(diff.code).toBe(0);
  });

  // Stricter than kubectl diff, which hides metadata: a re-apply that writes the object anyway (a new
  // resourceVersion, a new managedFields timestamp, a watch event for every controller) is not a no-op either.
  // The first re-apply may rewrite some objects once without any visible change (the API server re-encodes what
  // the create stored, e.g. custom resources and PersistentVolumeClaims); so: re-apply, then measure the next one.
  test('repeated server-side applies of everything are no-ops: no resourceVersion moves', async () => {
    const all = plan.layers.flatMap((l) => l.objects);
    for (const layer of plan.layers) expect(applyLayer(cluster(), layer).errors).toBe('');
    const before = resourceVersions(cluster(), all);
    expect(before.size).toBe(all.length);
    // managedFields timestamps have a resolution of one second: let one pass, so a rewrite cannot hide behind it.
    await new Promise((r) => setTimeout(r, 1100));
    for (const layer of plan.layers) expect(applyLayer(cluster(), layer).errors).toBe('');
    const after = resourceVersions(cluster(), all);
    const moved = [...before].filter(([key, rv]) => after.get(key) !== rv).map(([key]) => key);
    expect(moved).toEqual([]);
  });

  // Applied last, on purpose. A webhook's backend is a pod; nothing runs pods here, so a webhook with failurePolicy
  // Fail rejects every request it matches from the moment it exists (in a cluster: until its pods are ready, which
  // is why the add-on runs two replicas). What can be checked without the backend is checked here: it fails
  // closed on purpose, has no side effects (so dry-runs, i.e. previews, may call it), and points at a Service of
  // dist/ whose port leads to a named container port of the pods it selects.
  test('admission webhooks: fail closed, no side effects, call a Service of dist/ that leads to their pods; applied last', () => {
    expect(plan.webhooks.length).toBeGreaterThan(0);
    for (const config of plan.webhooks) {
      for (const hook of (config.manifest as unknown as { webhooks: WebhookEntry[] }).webhooks) {
        const where = `${describeObject(config)} webhook ${hook.name}`;
        expect({ where, failurePolicy: hook.failurePolicy, sideEffects: hook.sideEffects }).toEqual({ where, failurePolicy: 'Fail', sideEffects: 'None' });
        const ref = hook.clientConfig.service;
        expect({ where, service: ref !== undefined, url: hook.clientConfig.url }).toEqual({ where, service: true, url: undefined });
        const service = objects.find((o) => o.kind === 'Service' && o.namespace === ref!.namespace && o.name === ref!.name);
        expect({ where, service: service && describeObject(service) }).toEqual({ where, service: `Service ${ref!.namespace}/${ref!.name}` });
        const spec = service!.manifest.spec as { ports: ServicePort[]; selector: Record<string, string> };
        const port = spec.ports.find((p) => p.port === (ref!.port ?? 443));
        expect({ where, port: port?.port }).toEqual({ where, port: ref!.port ?? 443 });
        const backends = objects.filter((o) => o.namespace === service!.namespace && podsFromTemplates([o]).some(({ pod }) => {
          const labels = ((pod.metadata as { labels?: Record<string, string> }).labels) ?? {};
          return Object.entries(spec.selector).every(([k, v]) => labels[k] === v);
        }));
        expect({ where, backends: backends.length > 0 }).toEqual({ where, backends: true });
        for (const backend of backends) {
          const containerPorts = (podsFromTemplates([backend])[0].pod.spec as PodSpec).containers.flatMap((c) => c.ports ?? []);
          const target = port!.targetPort ?? port!.port;
          expect({ where, backend: describeObject(backend), serves: containerPorts.some((p) => p.containerPort === target || p.name === target) })
            .toEqual({ where, backend: describeObject(backend), serves: true });
        }
      }
    }

    const applied = applyObjects(cluster(), plan.webhooks);
    expect(applied.errors).toBe('');
    expect(applied.applied).toBe(plan.webhooks.length);

    // ... and this is what it does to everything after it: an Ingress cannot even be dry-run any more.
    for (const config of plan.webhooks) {
      for (const hook of (config.manifest as unknown as { webhooks: WebhookEntry[] }).webhooks) {
        const target = (hook.rules ?? []).flatMap((rule) => matchedBy(rule, objects))[0];
        if (!target) continue;
        const attempt = applyObjects(cluster(), [target], { dryRun: true });
        expect(attempt.code).not.toBe(0);
        expect(attempt.errors).toContain(`failed calling webhook "${hook.name}"`);
      }
    }
  });
});
