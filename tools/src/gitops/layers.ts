import type { Unit } from '../synth/units';

/**
 * Sync order, as data. Argo CD applies Applications by sync wave (the root app waits for each wave to be healthy);
 * Flux applies Kustomizations by `dependsOn`. Both express the same layers:
 *
 *   bootstrap (engine self-management) → cluster (CRDs, namespaces, storage classes) → preview identity
 *   → add-ons (each after the add-ons it depends on) → tenant guardrails → tenant workloads
 *
 * Custom resources therefore never reach the API before their CRD (CRDs are in cluster/), and namespaced objects
 * never before their namespace (namespaces are in cluster/).
 */
export const WAVES = {
  projects: -30,
  bootstrap: -20,
  /** The preview identity: its namespace is in cluster/. */
  preview: 1,
  cluster: 0,
  /** Add-ons: ADDONS + their depth in the dependsOn graph. */
  addons: 10,
  tenantGuardrails: 50,
  tenantWorkloads: 51,
} as const;

/** Directories (relative to dist/<env>/) an engine syncs for a unit, each with its own Application/Kustomization. */
export function syncedDirs(unit: Pick<Unit, 'kind' | 'name'>): string[] {
  switch (unit.kind) {
    case 'cluster': return ['cluster', 'bootstrap/preview'];
    case 'addon': return [`addons/${unit.name}`];
    case 'tenant': return [`tenants/${unit.name}/guardrails`, `tenants/${unit.name}/workloads`];
  }
}

/** Depth of each add-on in the dependsOn graph (0 = depends on nothing). Throws on a cycle. */
export function addonDepths(dependsOn: ReadonlyMap<string, readonly string[]>): Map<string, number> {
  const depths = new Map<string, number>();
  const visiting = new Set<string>();
  const depth = (name: string): number => {
    const known = depths.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) throw new Error(`add-on dependency cycle through "${name}"`);
    visiting.add(name);
    const d = Math.max(-1, ...(dependsOn.get(name) ?? []).map(depth)) + 1;
    visiting.delete(name);
    depths.set(name, d);
    return d;
  };
  for (const name of dependsOn.keys()) depth(name);
  return depths;
}

/** Every directory a Flux Kustomization points at in one environment: where a kustomization.yaml is rendered. */
export function fluxPaths(units: ReadonlyArray<Pick<Unit, 'kind' | 'name'>>): string[] {
  return [...new Set(['bootstrap/flux', 'flux', ...units.flatMap(syncedDirs)])].sort();
}
