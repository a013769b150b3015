import { UserError } from '../errors';
import type { Model } from '../model/load';

/**
 * A unit is what the synth renders in isolation, in its own cdk8s App: the environment's cluster-wide base,
 * one add-on, or one tenant — always for one environment. One App per unit keeps synthesis linear
 * (cdk8s' App-wide dependency and validation passes are quadratic in the number of charts of an App).
 */
export type UnitKind = 'cluster' | 'addon' | 'tenant';

export interface Unit {
  readonly env: string;
  readonly kind: UnitKind;
  readonly name: string;
}

/** "prod/tenant/webshop" */
export function unitId(unit: Unit): string {
  return `${unit.env}/${unit.kind}/${unit.name}`;
}

/** The inverse of unitId. */
export function parseUnitId(id: string): Unit {
  const [env, kind, name] = id.split('/');
  return { env, kind: kind as UnitKind, name };
}

/** Value of the ownership label every object carries: "cluster", "addon.monitoring", "tenant.webshop". */
export function unitLabel(unit: Pick<Unit, 'kind' | 'name'>): string {
  return unit.kind === 'cluster' ? 'cluster' : `${unit.kind}.${unit.name}`;
}

/** Directory of the unit's own files, relative to dist/<env>/. */
export function unitDir(unit: Pick<Unit, 'kind' | 'name'>): string {
  switch (unit.kind) {
    case 'cluster': return 'cluster';
    case 'addon': return `addons/${unit.name}`;
    case 'tenant': return `tenants/${unit.name}`;
  }
}

export function describeUnit(unit: Unit): string {
  const kind = { cluster: 'cluster base', addon: 'add-on', tenant: 'tenant' }[unit.kind];
  return unit.kind === 'cluster' ? `${kind} (${unit.env})` : `${kind} "${unit.name}" (${unit.env})`;
}

export interface UnitFilter {
  /** Only these environments. @default all */
  readonly envs?: readonly string[];
  /** Only these add-ons/tenants ("name", "addon/name", "tenant/name" or "cluster"). @default all */
  readonly only?: readonly string[];
}

/** Every unit of every environment, in a stable order: env, then cluster, add-ons, tenants by name. */
export function planUnits(model: Model, filter: UnitFilter = {}): Unit[] {
  for (const env of filter.envs ?? []) {
    if (!model.environments.has(env)) {
      throw new UserError(`unknown environment "${env}"; available: ${[...model.environments.keys()].join(', ')}`);
    }
  }
  const selected = filter.only?.map((o) => resolveOnly(model, o));
  const units: Unit[] = [];
  for (const [envName, env] of [...model.environments].sort(([a], [b]) => a.localeCompare(b))) {
    if (filter.envs && !filter.envs.includes(envName)) continue;
    units.push({ env: envName, kind: 'cluster', name: 'cluster' });
    for (const name of env.addonNames) units.push({ env: envName, kind: 'addon', name });
    for (const tenant of model.tenantNames) {
      if (model.tenantEnvironments(tenant).includes(envName)) units.push({ env: envName, kind: 'tenant', name: tenant });
    }
  }
  if (!selected) return units;
  return units.filter((u) => selected.some((s) => s.kind === u.kind && s.name === u.name));
}

function resolveOnly(model: Model, only: string): Pick<Unit, 'kind' | 'name'> {
  if (only === 'cluster') return { kind: 'cluster', name: 'cluster' };
  const [prefix, rest] = only.includes('/') ? only.split('/', 2) : [undefined, only];
  const addon = model.hasAddon(rest) && (prefix === undefined || prefix === 'addon');
  const tenant = model.hasTenant(rest) && (prefix === undefined || prefix === 'tenant');
  if (addon && tenant) throw new UserError(`--only ${only} is both an add-on and a tenant; write addon/${rest} or tenant/${rest}`);
  if (addon) return { kind: 'addon', name: rest };
  if (tenant) return { kind: 'tenant', name: rest };
  throw new UserError(`--only ${only}: no such add-on or tenant; add-ons: ${model.addonNames.join(', ') || '(none)'}; tenants: ${model.tenantNames.join(', ') || '(none)'}`);
}
