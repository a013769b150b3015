import { isDeepStrictEqual } from 'node:util';

/** One changed field of an object, e.g. `spec.replicas: 2 → 3`. Values are already redacted. */
export interface FieldChange {
  /** Field path: `spec.replicas`, `metadata.labels["app.kubernetes.io/version"]`, `spec.template.spec.containers[name=web].image`. */
  readonly path: string;
  readonly op: 'added' | 'removed' | 'changed';
  /** Value before (absent when added). */
  readonly before?: unknown;
  /** Value after (absent when removed). */
  readonly after?: unknown;
}

const TOP_LEVEL_ORDER: Record<string, number> = { apiVersion: 0, kind: 1, metadata: 2 };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function keySegment(parent: string, key: string): string {
  const safe = /^[A-Za-z_$][\w$-]*$/.test(key);
  if (!safe) return `${parent}[${JSON.stringify(key)}]`;
  return parent ? `${parent}.${key}` : key;
}

/** Lists whose items are maps with a unique string `name` (containers, env, ports, volumes...) match by name. */
function namedItems(list: readonly unknown[]): Map<string, unknown> | undefined {
  const byName = new Map<string, unknown>();
  for (const item of list) {
    if (!isPlainObject(item) || typeof item.name !== 'string' || byName.has(item.name)) return undefined;
    byName.set(item.name, item);
  }
  return byName;
}

/**
 * The fields that differ between two versions of an object. `before`/`after` are compared; the reported
 * values are taken from `shownBefore`/`shownAfter` (the redacted copies, which have the same structure), so a
 * changed secret shows as `[redacted] → [redacted]`: the reviewer learns that it changed, not what it is.
 */
export function fieldChanges(before: unknown, after: unknown, shownBefore: unknown = before, shownAfter: unknown = after): FieldChange[] {
  const out: FieldChange[] = [];
  walk(before, after, shownBefore, shownAfter, '', out);
  return out;
}

function walk(a: unknown, b: unknown, sa: unknown, sb: unknown, path: string, out: FieldChange[]): void {
  if (isDeepStrictEqual(a, b)) return;
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort((x, y) =>
      (path === '' ? (TOP_LEVEL_ORDER[x] ?? 9) - (TOP_LEVEL_ORDER[y] ?? 9) : 0) || (x < y ? -1 : x > y ? 1 : 0));
    const ra = sa as Record<string, unknown>;
    const rb = sb as Record<string, unknown>;
    for (const key of keys) {
      const child = keySegment(path, key);
      if (!(key in b)) out.push({ path: child, op: 'removed', before: ra[key] });
      else if (!(key in a)) out.push({ path: child, op: 'added', after: rb[key] });
      else walk(a[key], b[key], ra[key], rb[key], child, out);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const na = namedItems(a);
    const nb = namedItems(b);
    if (na && nb && a.length + b.length > 0) {
      const shownA = new Map((sa as unknown[]).map((item) => [(item as { name: string }).name, item]));
      const shownB = new Map((sb as unknown[]).map((item) => [(item as { name: string }).name, item]));
      for (const [name, item] of nb) {
        const child = `${path}[name=${name}]`;
        if (!na.has(name)) out.push({ path: child, op: 'added', after: shownB.get(name) });
        else walk(na.get(name), item, shownA.get(name), shownB.get(name), child, out);
      }
      for (const name of na.keys()) {
        if (!nb.has(name)) out.push({ path: `${path}[name=${name}]`, op: 'removed', before: shownA.get(name) });
      }
      return;
    }
    const structured = [...a, ...b].some((item) => typeof item === 'object' && item !== null);
    if (structured && a.length === b.length) {
      const xa = sa as unknown[];
      const xb = sb as unknown[];
      a.forEach((item, i) => walk(item, b[i], xa[i], xb[i], `${path}[${i}]`, out));
      return;
    }
  }
  out.push({ path: path || '(object)', op: 'changed', before: sa, after: sb });
}

const INLINE_MAX = 120;
/** Maps and lists this short (in flow style) read fine inline. */
const INLINE_COMPOUND_MAX = 60;

/** A value that reads well on one line: scalars, and small maps and lists (the field list shows these inline). */
export function isInlineValue(value: unknown): boolean {
  if (value === undefined || value === null || typeof value === 'number' || typeof value === 'boolean') return true;
  if (typeof value === 'string') return !value.includes('\n') && value.length <= INLINE_MAX;
  return flow(value).length <= INLINE_COMPOUND_MAX && !flow(value).includes('\n');
}

function scalar(value: unknown, inFlow: boolean): string {
  if (value === undefined) return '(none)';
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = String(value);
  const ambiguous = text === '' || /^\s|\s$|[\n"→]|^(true|false|null|yes|no|on|off|~|[-+]?[\d.]+(e[-+]?\d+)?)$/i.test(text)
    || (inFlow && /[{}[\],]|: |^[#&*!|>'%@`]/.test(text));
  return ambiguous ? JSON.stringify(text) : text;
}

/** YAML flow style: `{name: web, port: 80}`, `[--a, --b]`. */
function flow(value: unknown, inFlow = false): string {
  if (Array.isArray(value)) return `[${value.map((v) => flow(v, true)).join(', ')}]`;
  if (value && typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${scalar(k, true)}: ${flow(v, true)}`).join(', ')}}`;
  return scalar(value, inFlow);
}

/** Inline rendering of a field value: numbers and booleans as they are, strings quoted when ambiguous, maps and lists in flow style. */
export function formatValue(value: unknown, max = INLINE_MAX): string {
  const text = flow(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
