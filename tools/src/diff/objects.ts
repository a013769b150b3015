import { basename } from 'node:path';
import yaml from 'js-yaml';
import { UserError } from '../errors';
import { identityOf, Manifest, UNIT_LABEL } from '../synth/manifest';

/**
 * What part of the repository an object belongs to, for summaries: the cluster base, one add-on, one tenant,
 * or the GitOps wiring. `other` only for files outside the known layout.
 */
export interface Component {
  readonly kind: 'cluster' | 'addon' | 'tenant' | 'gitops' | 'other';
  /** Add-on or tenant name; "cluster", "gitops" or the directory for the others. */
  readonly name: string;
}

/** "cluster", "addon/monitoring", "tenant/shop", "gitops": stable keys for JSON and sorting. */
export function componentKey(c: Component): string {
  return c.kind === 'addon' || c.kind === 'tenant' || c.kind === 'other' ? `${c.kind}/${c.name}` : c.kind;
}

/** "cluster", "add-on monitoring", "tenant shop", "gitops": how people read it. */
export function componentLabel(c: Component): string {
  switch (c.kind) {
    case 'addon': return `add-on ${c.name}`;
    case 'tenant': return `tenant ${c.name}`;
    case 'other': return c.name;
    default: return c.kind;
  }
}

const COMPONENT_ORDER: Record<Component['kind'], number> = { cluster: 0, gitops: 1, addon: 2, tenant: 3, other: 4 };

export function compareComponents(a: Component, b: Component): number {
  return COMPONENT_ORDER[a.kind] - COMPONENT_ORDER[b.kind] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

const GITOPS_DIRS = new Set(['argocd', 'flux', 'bootstrap']);

/**
 * The component of an object: from its unit label (`cluster`, `addon.<name>`, `tenant.<name>`, `gitops...`)
 * when present, else from its path inside dist/<env>/.
 */
export function componentOf(manifest: Manifest | undefined, pathInEnv: string): Component {
  const unit = manifest?.metadata?.labels?.[UNIT_LABEL];
  if (unit === 'cluster') return { kind: 'cluster', name: 'cluster' };
  if (unit?.startsWith('addon.')) return { kind: 'addon', name: unit.slice('addon.'.length) };
  if (unit?.startsWith('tenant.')) return { kind: 'tenant', name: unit.slice('tenant.'.length) };
  if (unit === 'gitops' || unit?.startsWith('gitops.')) return { kind: 'gitops', name: 'gitops' };
  const [top, second] = pathInEnv.split('/');
  if (top === 'cluster') return { kind: 'cluster', name: 'cluster' };
  if (top === 'addons' && second) return { kind: 'addon', name: second };
  if (top === 'tenants' && second) return { kind: 'tenant', name: second };
  if (GITOPS_DIRS.has(top)) return { kind: 'gitops', name: 'gitops' };
  return { kind: 'other', name: top || '(root)' };
}

/** One Kubernetes object of a dist/ tree, wherever it was read from (a git revision or the working tree). */
export interface DistObject {
  /** Environment: the first directory under dist/. */
  readonly env: string;
  /** Path relative to the dist directory, e.g. "prod/addons/monitoring/deployment-grafana.yaml". */
  readonly path: string;
  /** API group / kind / namespace / name (version is not identity). */
  readonly identity: string;
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly component: Component;
  readonly manifest: Manifest;
  /** The document as written in the file (what `kubectl` gets). */
  readonly source: string;
}

/** kustomize configuration files live beside the objects in dist/ but are not cluster objects. */
export function isKustomizeConfig(path: string): boolean {
  const name = basename(path).toLowerCase();
  return name === 'kustomization.yaml' || name === 'kustomization.yml' || name === 'kustomization';
}

/** Files of dist/ that hold cluster objects. */
export function isObjectFile(path: string): boolean {
  return /\.ya?ml$/i.test(path) && !isKustomizeConfig(path);
}

/** "v1" → ["", "v1"], "apps/v1" → ["apps", "v1"]. */
export function splitApiVersion(apiVersion: string): [group: string, version: string] {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
}

/**
 * Parses one file of dist/ (`path` relative to the dist directory, starting with the environment) into its
 * objects. Empty documents are skipped; kustomize configuration (kustomize.config.k8s.io) is not an object.
 * `where` names the revision in error messages ("origin/main", "working tree").
 */
export function parseDistFile(path: string, text: string, where: string): DistObject[] {
  const slash = path.indexOf('/');
  const env = slash < 0 ? '' : path.slice(0, slash);
  const pathInEnv = slash < 0 ? path : path.slice(slash + 1);
  const fail = (message: string): never => {
    throw new UserError(`dist/${path} (${where}): not valid YAML: ${message.split('\n')[0]}`);
  };
  // One object per file is the rule; a file with several documents is split on its "---" lines so each object
  // keeps its own text. js-yaml with the core schema: ~10x faster than the yaml package, no Date conversion.
  const chunks = /\n---[ \t]*(\r?\n|$)/.test(text) ? text.split(/^---[ \t]*\r?$\n?/m) : [text];
  const documents: Array<{ manifest: unknown; source: string }> = [];
  for (const chunk of chunks) {
    try {
      documents.push({ manifest: yaml.load(chunk, { schema: yaml.CORE_SCHEMA, filename: path }), source: chunk });
    } catch (err) {
      fail((err as Error).message);
    }
  }
  const out: DistObject[] = [];
  for (const { manifest: value, source } of documents) {
    if (value === null || value === undefined) continue;
    const manifest = value as Manifest;
    if (typeof manifest !== 'object' || typeof manifest.apiVersion !== 'string' || typeof manifest.kind !== 'string'
      || typeof manifest.metadata?.name !== 'string') {
      throw new UserError(`dist/${path} (${where}): not a Kubernetes object (needs apiVersion, kind and metadata.name)`);
    }
    if (manifest.apiVersion.startsWith('kustomize.config.k8s.io/')) continue;
    const [group, version] = splitApiVersion(manifest.apiVersion);
    out.push({
      env,
      path,
      identity: identityOf(manifest),
      group,
      version,
      kind: manifest.kind,
      namespace: manifest.metadata.namespace || undefined,
      name: manifest.metadata.name,
      component: componentOf(manifest, pathInEnv),
      manifest,
      source,
    });
  }
  return out;
}

/** "Deployment shop/web", "Namespace shop". */
export function describeObject(o: Pick<DistObject, 'kind' | 'namespace' | 'name'>): string {
  return `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}
