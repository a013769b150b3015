import yaml from 'js-yaml';
// The labels module only: the charts index would load cdk8s-plus, which the no-op synth path must not pay for.
import { LABELS, MANAGED_BY, PLATFORM_DOMAIN } from '@platform/charts/src/labels';
import { Unit, unitDir, unitLabel } from './units';

/** A Kubernetes object as rendered (plain JSON). */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** Label naming the unit that renders an object: how diff, preview and pruning find an object's owner. */
export const UNIT_LABEL = `${PLATFORM_DOMAIN}/unit`;

/** Identity of an object in a cluster: API group, kind, namespace, name (version is not identity). */
export function identityOf(m: Manifest): string {
  const group = m.apiVersion.includes('/') ? m.apiVersion.split('/')[0] : '';
  return `${group}/${m.kind}/${m.metadata.namespace ?? ''}/${m.metadata.name}`;
}

/** Adds the labels the platform relies on to find and prune what it manages. */
export function stampOwnership(m: Manifest, unit: Unit): Manifest {
  m.metadata.labels = {
    ...m.metadata.labels,
    [LABELS.managedBy]: MANAGED_BY,
    [LABELS.environment]: unit.env,
    [UNIT_LABEL]: unitLabel(unit),
  };
  return m;
}

/** Built-in API groups (core, apps, batch, *.k8s.io…), whose types the API server stores without empty lists. */
function isBuiltinGroup(apiVersion: string): boolean {
  if (!apiVersion.includes('/')) return true;
  const group = apiVersion.slice(0, apiVersion.indexOf('/'));
  return !group.includes('.') || group.endsWith('.k8s.io');
}

function dropEmptyLists(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) dropEmptyLists(item);
  } else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const v = record[key];
      if (Array.isArray(v) && v.length === 0) delete record[key];
      else dropEmptyLists(v);
    }
  }
}

/**
 * The object as the API server stores it: built-in types omit empty lists (`omitempty`), so a manifest that
 * carries `ingress: []` or `externalIPs: []` would differ from the live object after every apply (a new generation
 * each sync, and a preview that never says "no changes"). Custom resources keep theirs: their schemas decide.
 */
export function canonicalize(m: Manifest): Manifest {
  if (isBuiltinGroup(m.apiVersion)) dropEmptyLists(m);
  return m;
}

/** Kinds that go to dist/<env>/cluster/ whoever renders them: they must exist before anything that uses them. */
const CLUSTER_LAYER_KINDS = new Set(['Namespace', 'CustomResourceDefinition']);

export interface RenderedObject {
  /** Sub-directory of the unit's directory ("" for the unit directory itself), or "/<dir>" relative to dist/<env>/. */
  readonly section: string;
  readonly manifest: Manifest;
}

export interface PlannedFile {
  /** Path relative to the dist root, e.g. "prod/addons/monitoring/deployment-grafana.yaml". */
  readonly path: string;
  readonly identity: string;
  readonly manifest: Manifest;
}

function safeFileName(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]/g, '_');
}

/**
 * Where each object of a unit is written. One file per object, `<kind>-<name>.yaml`, in the unit's directory
 * (or cluster/ for namespaces and CRDs). Two objects of one kind and name in different namespaces of the same
 * directory get `<kind>-<name>.<namespace>.yaml`.
 */
export function planFiles(unit: Unit, objects: readonly RenderedObject[]): PlannedFile[] {
  const placed = objects.map((o) => {
    const dir = CLUSTER_LAYER_KINDS.has(o.manifest.kind)
      ? 'cluster'
      : o.section.startsWith('/') ? o.section.slice(1) : [unitDir(unit), o.section].filter(Boolean).join('/');
    const base = `${o.manifest.kind.toLowerCase()}-${safeFileName(o.manifest.metadata.name)}`;
    return { dir, base, object: o };
  });
  const counts = new Map<string, number>();
  for (const p of placed) counts.set(`${p.dir}/${p.base}`, (counts.get(`${p.dir}/${p.base}`) ?? 0) + 1);
  return placed.map(({ dir, base, object }) => {
    const clash = (counts.get(`${dir}/${base}`) ?? 0) > 1 && object.manifest.metadata.namespace;
    const file = clash ? `${base}.${object.manifest.metadata.namespace}.yaml` : `${base}.yaml`;
    return { path: `${unit.env}/${dir}/${file}`, identity: identityOf(object.manifest), manifest: object.manifest };
  });
}

const DUMP_OPTIONS: yaml.DumpOptions = {
  // Sorted keys: the same object gives the same bytes whatever order it was built in.
  sortKeys: true,
  lineWidth: -1,
  noRefs: true,
};

/**
 * One object as YAML (js-yaml: the fastest well-kept emitter, and it quotes the YAML 1.1 look-alikes such as
 * "yes", "on", "0755" that Kubernetes tooling would misread). Keys are sorted, kubectl style, except that
 * apiVersion, kind, metadata come first, as people read manifests: two sorted mappings back to back.
 */
export function toYaml(m: Manifest): string {
  const { apiVersion, kind, metadata, ...rest } = m;
  const head = yaml.dump({ apiVersion, kind, metadata }, DUMP_OPTIONS);
  return Object.keys(rest).length ? head + yaml.dump(rest, DUMP_OPTIONS) : head;
}

/** Parses one YAML document (files in dist/ hold exactly one object each). */
export function parseYaml(text: string): unknown {
  return yaml.load(text);
}
