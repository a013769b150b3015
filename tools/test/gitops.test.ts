import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { LABELS } from '@platform/charts';
import { PLATFORM_CLUSTER_KINDS } from '../src/gitops/argocd';
import { DistObject, loadEnvTree } from '../src/testing/dist-tree';
import { REPO_ROOT } from '../src/testing/fixture-workspace';

// These tests read the committed dist/ (CI synthesizes first and fails if it is stale).
const DIST = process.env.GITOPS_DIST ?? join(REPO_ROOT, 'dist');
const ENVS = readdirSync(DIST).sort();

interface Owner { readonly name: string; readonly dir: string; readonly wave: number; readonly dependsOn: readonly string[]; readonly project?: string }

/** Applications (argocd/ and the root in bootstrap/argocd/) or Kustomizations (flux/ and the root in bootstrap/flux/). */
function owners(objects: readonly DistObject[], env: string, engine: 'argocd' | 'flux'): Owner[] {
  const prefix = `dist/${env}/`;
  const strip = (p: string): string => p.replace(/^\.\//, '').slice(prefix.length);
  if (engine === 'argocd') {
    return objects.filter((o) => o.manifest.kind === 'Application').map((o) => {
      const spec = o.manifest.spec as { project: string; source: { path: string } };
      return { name: o.manifest.metadata.name, dir: strip(spec.source.path), wave: Number(o.manifest.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0), dependsOn: [], project: spec.project };
    });
  }
  return objects.filter((o) => o.manifest.kind === 'Kustomization').map((o) => {
    const spec = o.manifest.spec as { path: string; dependsOn?: Array<{ name: string }> };
    return { name: o.manifest.metadata.name, dir: strip(spec.path), wave: 0, dependsOn: (spec.dependsOn ?? []).map((d) => d.name) };
  });
}

const otherEngineDirs = { argocd: ['flux', 'bootstrap/flux'], flux: ['argocd', 'bootstrap/argocd'] } as const;

describe.each(ENVS)('GitOps wiring of dist/%s', (env) => {
  const objects = loadEnvTree(DIST, env);

  describe.each(['argocd', 'flux'] as const)('%s', (engine) => {
    const all = owners(objects, env, engine);
    const byName = new Map(all.map((o) => [o.name, o]));
    const ownerOf = (dir: string): Owner[] => all.filter((o) => o.dir === dir);

    test('every Application/Kustomization path is an existing dist directory', () => {
      expect(all.length).toBeGreaterThan(0);
      for (const o of all) expect([o.name, existsSync(join(DIST, env, o.dir))]).toEqual([o.name, true]);
    });

    test('every object is owned by exactly one Application/Kustomization', () => {
      for (const o of objects) {
        if (otherEngineDirs[engine].some((d) => o.dir === d)) continue;
        expect([o.file, ownerOf(o.dir).map((x) => x.name)]).toEqual([o.file, [expect.any(String)]]);
      }
    });

    test('CRDs and namespaces are applied before the objects that need them', () => {
      const crdKinds = new Map(objects.filter((o) => o.manifest.kind === 'CustomResourceDefinition')
        .map((o) => [(o.manifest.spec as { names: { kind: string } }).names.kind, o]));
      const namespaces = new Map(objects.filter((o) => o.manifest.kind === 'Namespace').map((o) => [o.manifest.metadata.name, o]));
      const before = (first: Owner, then: Owner): boolean => {
        if (engine === 'argocd') return first.wave < then.wave;
        const seen = new Set<string>();
        const visit = (name: string): boolean => {
          if (name === first.name) return true;
          if (seen.has(name)) return false;
          seen.add(name);
          return (byName.get(name)?.dependsOn ?? []).some(visit);
        };
        return then.dependsOn.some(visit);
      };
      let checked = 0;
      for (const o of objects) {
        const [owner] = ownerOf(o.dir);
        if (!owner) continue;
        const needs = [crdKinds.get(o.manifest.kind), o.manifest.metadata.namespace ? namespaces.get(o.manifest.metadata.namespace) : undefined];
        for (const need of needs) {
          if (!need) continue;
          const [needOwner] = ownerOf(need.dir);
          if (needOwner.name === owner.name && need.manifest.kind === 'Namespace') continue; // same sync: namespaces go first
          expect([o.file, need.file, before(needOwner, owner)]).toEqual([o.file, need.file, true]);
          checked++;
        }
      }
      if (namespaces.size + crdKinds.size > 0) expect(checked).toBeGreaterThan(0);
    });
  });

  test('tenant AppProjects reach only their own namespaces and nothing cluster-wide', () => {
    const tenantNamespaces = new Map<string, string[]>();
    for (const o of objects.filter((x) => x.manifest.kind === 'Namespace' && x.manifest.metadata.labels?.[LABELS.tenant])) {
      const t = o.manifest.metadata.labels![LABELS.tenant];
      tenantNamespaces.set(t, [...(tenantNamespaces.get(t) ?? []), o.manifest.metadata.name]);
    }
    const projects = objects.filter((o) => o.manifest.kind === 'AppProject' && o.manifest.metadata.name.startsWith('tenant-'));
    expect(projects.map((p) => p.manifest.metadata.name).sort()).toEqual([...tenantNamespaces.keys()].map((t) => `tenant-${t}`).sort());
    for (const p of projects) {
      const tenant = p.manifest.metadata.name.slice('tenant-'.length);
      const spec = p.manifest.spec as { destinations: Array<{ namespace: string }>; clusterResourceWhitelist: unknown[]; namespaceResourceWhitelist: Array<{ group: string; kind: string }> };
      expect(spec.destinations.map((d) => d.namespace).sort()).toEqual([...tenantNamespaces.get(tenant)!].sort());
      expect(spec.clusterResourceWhitelist).toEqual([]);
      expect(spec.namespaceResourceWhitelist.some((k) => k.kind === '*' || k.group === '*')).toBe(false);
      // Guardrails are the platform's: a tenant's own project cannot touch them.
      expect(spec.namespaceResourceWhitelist.map((k) => k.kind)).not.toEqual(expect.arrayContaining(['ResourceQuota']));
      expect(spec.namespaceResourceWhitelist.map((k) => k.kind).filter((k) => ['LimitRange', 'NetworkPolicy', 'Role', 'RoleBinding'].includes(k))).toEqual([]);
    }
  });

  test('the platform project whitelists every cluster-scoped kind the platform renders', () => {
    const allowed = new Set(PLATFORM_CLUSTER_KINDS.map((k) => k.kind));
    const platformDirs = owners(objects, env, 'argocd').filter((o) => o.project === 'platform').map((o) => o.dir);
    const clusterScoped = objects.filter((o) => platformDirs.includes(o.dir) && !o.manifest.metadata.namespace).map((o) => o.manifest.kind);
    expect([...new Set(clusterScoped)].filter((k) => !allowed.has(k))).toEqual([]);
  });

  test('each Flux path has a kustomization.yaml listing exactly its files, and `kubectl kustomize` builds it', () => {
    const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
    for (const o of owners(objects, env, 'flux')) {
      const dir = join(DIST, env, o.dir);
      const kustomization = yaml.load(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
      expect(kustomization.resources).toEqual(readdirSync(dir).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml').sort());
      if (kubectl.status !== 0) continue;
      const built = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
      expect([o.dir, built.status, built.stderr]).toEqual([o.dir, 0, '']);
    }
    if (kubectl.status !== 0) console.warn('kubectl not found: `kubectl kustomize` checks skipped');
  });
});
