import type { ErrorObject } from 'ajv';
import { formatPath } from '../../errors';
import { findDeprecation } from '../deprecations';
import { CheckId, Severity } from '../findings';
import { LIST_MAP_KEYS, gvkKey } from './convert';
import { SchemaRegistry, TreeKinds } from './registry';

/** Reports one problem of the object being checked. */
export type SchemaReport = (check: CheckId, path: string, message: string, hint?: string, severity?: Severity) => void;

export interface SchemaTarget {
  readonly doc: Record<string, unknown>;
  readonly apiVersion: string;
  readonly kind: string;
}

/**
 * Schema checks of one object: removed/deprecated API for the cluster version, known kind, scope, then the
 * kind's JSON Schema. `kubernetesMinor` is the environment's 1.x minor (NaN when unknown: no deprecation check).
 */
export function checkObjectSchema(
  target: SchemaTarget, registry: SchemaRegistry, tree: TreeKinds | undefined, kubernetesMinor: number, report: SchemaReport,
): void {
  const { doc, apiVersion, kind } = target;
  const deprecation = findDeprecation(apiVersion, kind);
  if (deprecation && kubernetesMinor >= deprecation.deprecatedIn) {
    const removed = kubernetesMinor >= deprecation.removedIn;
    report('deprecated-api', 'apiVersion', removed
      ? `${apiVersion} ${kind} was removed in Kubernetes 1.${deprecation.removedIn} (the cluster runs 1.${kubernetesMinor})`
      : `${apiVersion} ${kind} is deprecated since Kubernetes 1.${deprecation.deprecatedIn} and removed in 1.${deprecation.removedIn} (the cluster runs 1.${kubernetesMinor})`,
    `use ${deprecation.replacement}`);
    if (removed) return;
  }

  const key = gvkKey(apiVersion, kind);
  const resolved = registry.resolve(key, tree);
  if (!resolved || resolved.entry.served === false) {
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    const versions = registry.versionsOf(group, kind, tree).filter((v) => v !== apiVersion);
    const message = resolved
      ? `${apiVersion} ${kind}: its CRD declares this version but does not serve it`
      : versions.length
        ? `${apiVersion} has no kind ${kind}; known: ${versions.map((v) => `${v} ${kind}`).join(', ')}`
        : `unknown kind ${kind} (${apiVersion}): not a Kubernetes 1.28 kind, and no CRD for it in this environment's tree or the GitOps engines' CRDs`;
    report('unknown-kind', 'apiVersion', message, versions.length ? `use ${versions[versions.length - 1]}` : undefined);
    return;
  }
  if (resolved.entry.deprecated) {
    report('deprecated-api', 'apiVersion', resolved.entry.deprecationWarning ?? `${apiVersion} ${kind} is deprecated by its CRD`,
      'move to the CRD\'s storage version', 'warning');
  }

  const metadata = doc.metadata as Record<string, unknown> | undefined;
  if (!metadata || typeof metadata !== 'object' || typeof metadata.name !== 'string' || metadata.name === '') {
    report('schema', 'metadata.name', 'every object needs a name (generateName does not work with GitOps apply)', 'set metadata.name');
  }
  const namespace = metadata && typeof metadata === 'object' ? metadata.namespace : undefined;
  if (resolved.entry.namespaced && (typeof namespace !== 'string' || namespace === '')) {
    report('schema', 'metadata.namespace', `${kind} is namespaced: without metadata.namespace it lands in whatever namespace the GitOps engine defaults to`, 'set metadata.namespace');
  } else if (!resolved.entry.namespaced && namespace !== undefined) {
    report('schema', 'metadata.namespace', `${kind} is cluster-scoped and has no namespace`, 'remove metadata.namespace');
  }

  let validate: ReturnType<SchemaRegistry['validator']>;
  try {
    validate = registry.validator(resolved);
  } catch (err) {
    // Only a CRD from the tree can get here (the bundle compiles, a test says so): report it, do not crash.
    report('schema', 'apiVersion', `the schema of ${apiVersion} ${kind} (${resolved.origin}) cannot be compiled: ${(err as Error).message.split('\n')[0]}`, 'fix the CRD\'s openAPIV3Schema');
    return;
  }
  if (!validate(doc)) {
    for (const problem of describeAjvErrors(validate.errors ?? [], doc)) report('schema', problem.path, problem.message, problem.hint);
  }
}

export interface SchemaProblem {
  readonly path: string;
  readonly message: string;
  readonly hint?: string;
}

/** ajv errors as field paths and sentences; the branches of a failed anyOf/oneOf are folded into it. */
export function describeAjvErrors(errors: readonly ErrorObject[], doc: unknown): SchemaProblem[] {
  const junctions = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => `${e.schemaPath}/`);
  const out: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (junctions.some((j) => e.schemaPath.startsWith(j))) continue;
    const segments = pointerSegments(e.instancePath, doc);
    let message: string;
    let hint: string | undefined;
    switch (e.keyword) {
      case 'additionalProperties':
        segments.push(String((e.params as { additionalProperty: string }).additionalProperty));
        message = 'unknown field';
        hint = 'remove it, or check its spelling and indentation (it may belong one level up or down)';
        break;
      case 'required':
        segments.push(String((e.params as { missingProperty: string }).missingProperty));
        message = 'required field is missing';
        hint = 'add the field';
        break;
      case 'type':
        message = `must be ${String((e.params as { type: string }).type).split(',').join(' or ')} (got ${describeValue(e.data)})`;
        hint = typeof e.data === 'number' || typeof e.data === 'boolean'
          ? 'quote it: YAML 1.1 reads yes/no/on/off/true/false and digits as booleans and numbers'
          : undefined;
        break;
      case 'enum':
        message = `must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues).map((v) => JSON.stringify(v)).join(', ')} (got ${describeValue(e.data)})`;
        break;
      case 'format':
        message = `must be a valid ${(e.params as { format: string }).format} (got ${describeValue(e.data)})`;
        break;
      case 'pattern':
        message = `must match ${(e.params as { pattern: string }).pattern} (got ${describeValue(e.data)})`;
        break;
      case 'anyOf':
      case 'oneOf':
        message = `does not match any allowed form (got ${describeValue(e.data)})`;
        break;
      case LIST_MAP_KEYS:
        message = e.message ?? 'duplicate entries';
        hint = 'merge the two entries or make their keys differ';
        break;
      case 'uniqueItems':
        message = `items are a set: ${e.message ?? 'duplicates'}`;
        hint = 'remove the duplicate';
        break;
      default:
        message = `${e.message ?? e.keyword}${e.data !== undefined && typeof e.data !== 'object' ? ` (got ${describeValue(e.data)})` : ''}`;
    }
    const path = formatPath(segments);
    const id = `${path}\0${message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ path, message, hint });
  }
  return out;
}

/** JSON pointer → path segments, array indexes as numbers (decided by walking the document). */
function pointerSegments(pointer: string, doc: unknown): PropertyKey[] {
  if (!pointer) return [];
  const out: PropertyKey[] = [];
  let node: unknown = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      out.push(Number(key));
      node = node[Number(key)];
    } else {
      out.push(key);
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
    }
  }
  return out;
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

