import { UserError } from '../errors';
import type { DistObject } from '../diff/objects';

/** One `kubectl diff` batch: a layer of the GitOps sync. */
export interface PreviewStep {
  /** "cluster/crds", "addons/monitoring", "tenants/shop/guardrails", "gitops/argocd"... */
  readonly id: string;
  readonly objects: readonly DistObject[];
}

/**
 * Add-ons in the order they are synced: every add-on after the add-ons it `dependsOn`, ties broken by name.
 * Dependencies that are not in `names` are ignored (they are not rendered here); a cycle is an error.
 */
export function addonSyncOrder(names: readonly string[], dependsOn: (name: string) => readonly string[]): string[] {
  const todo = new Set([...names].sort());
  const done: string[] = [];
  while (todo.size) {
    const ready = [...todo].filter((n) => dependsOn(n).every((d) => !todo.has(d) || d === n));
    if (!ready.length) {
      throw new UserError(`add-on dependencies form a cycle: ${[...todo].map((n) => `${n} → ${dependsOn(n).filter((d) => todo.has(d)).join(', ')}`).join('; ')}`);
    }
    const next = ready[0];
    done.push(next);
    todo.delete(next);
  }
  return done;
}

const GITOPS_ORDER = ['bootstrap', 'argocd', 'flux'];

/**
 * The steps of a preview in GitOps sync order:
 * 1. cluster/: CRDs, then namespaces, then the rest (storage classes...);
 * 2. add-ons in `addonOrder` (dependencies first; add-ons missing from it follow by name);
 * 3. tenants by name, each: files directly in tenants/<name>/, then guardrails/, then workloads/, then others;
 * 4. anything else under dist/<env>/ by directory;
 * 5. the GitOps wiring last: bootstrap/, argocd/, flux/ (their engine CRDs may not be installed).
 * Paths are relative to dist/<env>/; kustomization.yaml files never get here (they are not objects).
 */
export function planSteps(objects: readonly DistObject[], addonOrder: readonly string[] = []): PreviewStep[] {
  const groups = new Map<string, DistObject[]>();
  const put = (id: string, o: DistObject) => {
    const list = groups.get(id);
    if (list) list.push(o);
    else groups.set(id, [o]);
  };
  for (const o of objects) {
    const parts = o.path.split('/').slice(1); // drop the environment
    const [top, second, third] = parts;
    if (top === 'cluster') {
      put(o.kind === 'CustomResourceDefinition' ? 'cluster/crds' : o.kind === 'Namespace' ? 'cluster/namespaces' : 'cluster/other', o);
    } else if (top === 'addons' && parts.length > 2) {
      put(`addons/${second}`, o);
    } else if (top === 'tenants' && parts.length > 2) {
      put(parts.length > 3 ? `tenants/${second}/${third}` : `tenants/${second}`, o);
    } else if (GITOPS_ORDER.includes(top)) {
      put(`gitops/${top}`, o);
    } else {
      put(`other/${parts.length > 1 ? top : '(root)'}`, o);
    }
  }

  const rank = (id: string): [number, number, string, number, string] => {
    const [layer, name = '', sub = ''] = id.split('/');
    switch (layer) {
      case 'cluster':
        return [0, ['crds', 'namespaces', 'other'].indexOf(name), '', 0, ''];
      case 'addons': {
        const at = addonOrder.indexOf(name);
        return [1, at < 0 ? addonOrder.length : at, name, 0, ''];
      }
      case 'tenants': {
        const subRank = sub === '' ? 0 : sub === 'guardrails' ? 1 : sub === 'workloads' ? 2 : 3;
        return [2, 0, name, subRank, sub];
      }
      case 'other':
        return [3, 0, name, 0, ''];
      default:
        return [4, GITOPS_ORDER.indexOf(name), '', 0, ''];
    }
  };
  const compare = (a: string, b: string): number => {
    const ra = rank(a);
    const rb = rank(b);
    for (let i = 0; i < ra.length; i++) {
      if (ra[i] < rb[i]) return -1;
      if (ra[i] > rb[i]) return 1;
    }
    return 0;
  };
  return [...groups.keys()].sort(compare).map((id) => ({
    id,
    objects: groups.get(id)!.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
  }));
}
