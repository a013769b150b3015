import { isDeepStrictEqual } from 'node:util';
import { structuredPatch } from 'diff';
import { toYaml } from '../synth/manifest';
import { FieldChange, fieldChanges } from './fields';
import { Component, compareComponents, componentKey, DistObject } from './objects';
import { redactObject } from './redact';
import type { DistSides } from './snapshot';

export type ObjectStatus = 'added' | 'changed' | 'removed';

/** One object that differs between the base revision and the working tree. */
export interface ObjectDiff {
  readonly status: ObjectStatus;
  readonly env: string;
  readonly component: Component;
  /** apiVersion now (before, for removed objects). */
  readonly apiVersion: string;
  /** apiVersion before, when it changed. */
  readonly previousApiVersion?: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** group/kind/namespace/name */
  readonly identity: string;
  /** File relative to dist/: now, or before for removed objects. */
  readonly path: string;
  /** File before, when the object moved. */
  readonly previousPath?: string;
  /** Changed fields (changed objects only), values redacted. */
  readonly changes: readonly FieldChange[];
  /** Unified diff hunks of the redacted YAML (changed objects only; "" when only redacted values changed). */
  readonly diff: string;
}

export interface ComponentSummary {
  readonly env: string;
  readonly component: Component;
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
}

export interface DiffReport {
  readonly baseRef: string;
  readonly baseCommit: string;
  readonly environments: readonly string[];
  /** Object files looked at (both sides, identical ones included). */
  readonly files: number;
  /** Sorted by environment, component, status (changed, added, removed), kind, namespace, name. */
  readonly objects: readonly ObjectDiff[];
  /** Components with at least one difference, in the same order. */
  readonly components: readonly ComponentSummary[];
  readonly totals: { readonly added: number; readonly changed: number; readonly removed: number };
  /** Oddities that do not stop the diff (e.g. an object present twice on one side). */
  readonly warnings: readonly string[];
}

const STATUS_ORDER: Record<ObjectStatus, number> = { changed: 0, added: 1, removed: 2 };

function byIdentity(objects: readonly DistObject[], side: string, warnings: string[]): Map<string, DistObject> {
  const map = new Map<string, DistObject>();
  for (const o of objects) {
    const key = `${o.env}\0${o.identity}`;
    const seen = map.get(key);
    if (seen) {
      warnings.push(`${side}: ${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name} is in two files (dist/${seen.path}, dist/${o.path}); the first one is compared`);
      continue;
    }
    map.set(key, o);
  }
  return map;
}

/** Hunks of a unified diff (no file headers), 3 lines of context; undefined when too large to compute. */
export function unifiedHunks(before: string, after: string): string | undefined {
  if (before === after) return '';
  const patch = structuredPatch('before', 'after', before, after, undefined, undefined, { context: 3, maxEditLength: 20000 });
  if (!patch) return undefined;
  return patch.hunks.map((h) => [`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, ...h.lines].join('\n')).join('\n');
}

function describeRef(o: DistObject, status: ObjectStatus, extra: Partial<ObjectDiff> = {}): ObjectDiff {
  return {
    status,
    env: o.env,
    component: o.component,
    apiVersion: o.manifest.apiVersion,
    kind: o.kind,
    ...(o.namespace ? { namespace: o.namespace } : {}),
    name: o.name,
    identity: o.identity,
    path: o.path,
    changes: [],
    diff: '',
    ...extra,
  };
}

/** Matches objects by environment and identity (group, kind, namespace, name) and describes every difference. */
export function compareSides(sides: DistSides): DiffReport {
  const warnings: string[] = [];
  const base = byIdentity(sides.base, sides.baseRef, warnings);
  const head = byIdentity(sides.head, 'working tree', warnings);
  const objects: ObjectDiff[] = [];
  for (const [key, now] of head) {
    const was = base.get(key);
    if (!was) {
      objects.push(describeRef(now, 'added'));
      continue;
    }
    if (isDeepStrictEqual(was.manifest, now.manifest)) continue;
    const shownBefore = redactObject(was.manifest);
    const shownAfter = redactObject(now.manifest);
    const changes = fieldChanges(was.manifest, now.manifest, shownBefore, shownAfter);
    const entry = describeRef(now, 'changed', {
      ...(was.manifest.apiVersion !== now.manifest.apiVersion ? { previousApiVersion: was.manifest.apiVersion } : {}),
      ...(was.path !== now.path ? { previousPath: was.path } : {}),
      changes,
    });
    // The YAML diff is computed when first read: a capped PR comment shows a few hundred of them at most.
    let diff: string | undefined;
    Object.defineProperty(entry, 'diff', {
      enumerable: true,
      get: () => (diff ??= unifiedHunks(toYaml(shownBefore), toYaml(shownAfter)) ?? '(the YAML diff of this object is too large to compute; see the field list)'),
    });
    objects.push(entry);
  }
  for (const [key, was] of base) {
    if (!head.has(key)) objects.push(describeRef(was, 'removed'));
  }
  objects.sort((a, b) =>
    (a.env < b.env ? -1 : a.env > b.env ? 1 : 0)
    || compareComponents(a.component, b.component)
    || STATUS_ORDER[a.status] - STATUS_ORDER[b.status]
    || a.kind.localeCompare(b.kind)
    || (a.namespace ?? '').localeCompare(b.namespace ?? '')
    || a.name.localeCompare(b.name));

  const components: ComponentSummary[] = [];
  for (const o of objects) {
    let last = components[components.length - 1];
    if (!last || last.env !== o.env || componentKey(last.component) !== componentKey(o.component)) {
      last = { env: o.env, component: o.component, added: 0, changed: 0, removed: 0 };
      components.push(last);
    }
    (last as { -readonly [K in ObjectStatus]: number })[o.status] += 1;
  }
  const totals = {
    added: objects.filter((o) => o.status === 'added').length,
    changed: objects.filter((o) => o.status === 'changed').length,
    removed: objects.filter((o) => o.status === 'removed').length,
  };
  return { baseRef: sides.baseRef, baseCommit: sides.baseCommit, environments: sides.environments, files: sides.files, objects, components, totals, warnings };
}
