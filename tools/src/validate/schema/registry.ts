import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { JsonSchema, K8S_SCHEMA_ID, KindEntry, LIST_MAP_KEYS, stableStringify } from './convert';

/** The committed bundle written by tools/scripts/generate-schemas.ts. */
export const SCHEMA_DIR = join(__dirname, '..', '..', '..', 'schemas');

/** Where a kind's schema comes from. */
export type SchemaOrigin = 'kubernetes' | 'gitops-crd' | 'tree-crd';

export interface ResolvedKind {
  readonly key: string;
  readonly entry: KindEntry;
  readonly origin: SchemaOrigin;
}

/** Custom resource kinds defined by CRDs found in one environment's tree. */
export type TreeKinds = ReadonlyMap<string, KindEntry>;

interface KubernetesBundleFile {
  readonly kinds: Record<string, KindEntry>;
  readonly definitions: Record<string, JsonSchema>;
}

interface CrdBundleFile {
  readonly kinds: Record<string, KindEntry>;
}

/**
 * Schemas by kind, compiled on first use and then shared: one ajv instance, one validator per built-in kind
 * and one per distinct CRD schema (prod and test rendering the same CRD compile it once).
 */
export class SchemaRegistry {
  private ajvInstance: Ajv | undefined;
  private kubernetes: KubernetesBundleFile | undefined;
  private gitops: CrdBundleFile | undefined;
  private readonly byEntry = new WeakMap<KindEntry, ValidateFunction>();
  private readonly byContent = new Map<string, ValidateFunction>();
  /** Compiled validators so far (for the performance report and tests). */
  compiled = 0;

  constructor(private readonly schemaDir: string = SCHEMA_DIR) {}

  private get ajv(): Ajv {
    if (!this.ajvInstance) {
      const ajv = new Ajv({
        allErrors: true,
        verbose: true, // errors carry the offending value: messages can say what was found
        strict: true,
        strictTypes: false, // Kubernetes schemas put `properties` on nodes without `type: object`, legitimately
        strictTuples: false,
        strictRequired: false,
        allowUnionTypes: true,
        validateSchema: false, // generated and converted schemas are draft-07 by construction
      });
      addFormats(ajv, ['date-time', 'date', 'byte', 'int32', 'int64', 'float', 'double', 'uuid', 'ipv4', 'ipv6', 'hostname']);
      ajv.addKeyword({
        keyword: LIST_MAP_KEYS,
        type: 'array',
        schemaType: 'array',
        errors: true,
        validate: validateListMapKeys,
      });
      ajv.addSchema({ $id: K8S_SCHEMA_ID, definitions: this.kubernetesBundle().definitions });
      this.ajvInstance = ajv;
    }
    return this.ajvInstance;
  }

  private kubernetesBundle(): KubernetesBundleFile {
    this.kubernetes ??= JSON.parse(readFileSync(join(this.schemaDir, 'kubernetes-1.28.json'), 'utf8')) as KubernetesBundleFile;
    return this.kubernetes;
  }

  private gitopsBundle(): CrdBundleFile {
    this.gitops ??= JSON.parse(readFileSync(join(this.schemaDir, 'gitops-crds.json'), 'utf8')) as CrdBundleFile;
    return this.gitops;
  }

  /** Built-in kinds first (CRDs cannot redefine them), then CRDs of this tree, then the GitOps engines' CRDs. */
  resolve(key: string, tree?: TreeKinds): ResolvedKind | undefined {
    const builtin = this.kubernetesBundle().kinds[key];
    if (builtin) return { key, entry: builtin, origin: 'kubernetes' };
    const fromTree = tree?.get(key);
    if (fromTree) return { key, entry: fromTree, origin: 'tree-crd' };
    const gitops = this.gitopsBundle().kinds[key];
    if (gitops) return { key, entry: gitops, origin: 'gitops-crd' };
    return undefined;
  }

  /** apiVersions under which `kind` of `group` is known (for "did you mean" messages). */
  versionsOf(group: string, kind: string, tree?: TreeKinds): string[] {
    const out = new Set<string>();
    const consider = (key: string): void => {
      const slash = key.lastIndexOf('/');
      if (key.slice(slash + 1) !== kind) return;
      const apiVersion = key.slice(0, slash);
      const g = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
      if (g === group) out.add(apiVersion);
    };
    for (const key of Object.keys(this.kubernetesBundle().kinds)) consider(key);
    for (const key of Object.keys(this.gitopsBundle().kinds)) consider(key);
    for (const key of tree?.keys() ?? []) consider(key);
    return [...out].sort();
  }

  /** The compiled validator of a resolved kind (compiled once). */
  validator(resolved: ResolvedKind): ValidateFunction {
    const cached = this.byEntry.get(resolved.entry);
    if (cached) return cached;
    let fn: ValidateFunction;
    if (resolved.entry.definition) {
      fn = this.compile({ $ref: `${K8S_SCHEMA_ID}#/definitions/${resolved.entry.definition}` });
    } else {
      const schema = resolved.entry.schema ?? {};
      const hash = createHash('sha1').update(stableStringify(schema)).digest('hex');
      fn = this.byContent.get(hash) ?? this.compile(schema);
      this.byContent.set(hash, fn);
    }
    this.byEntry.set(resolved.entry, fn);
    return fn;
  }

  private compile(schema: JsonSchema): ValidateFunction {
    this.compiled++;
    return this.ajv.compile(schema);
  }
}

/** List-map keys the API server defaults before comparing items (ports without a protocol are TCP ports). */
const KEY_DEFAULTS: Readonly<Record<string, unknown>> = { protocol: 'TCP' };

/** `x-kubernetes-list-type: map`: no two items may have the same values for the key fields. */
function validateListMapKeys(keys: string[], data: unknown[]): boolean {
  const seen = new Map<string, number>();
  const errors: Partial<ErrorObject>[] = [];
  for (let i = 0; i < data.length; i++) {
    const item = data[i];
    if (!item || typeof item !== 'object') continue;
    const values = keys.map((k) => (item as Record<string, unknown>)[k] ?? KEY_DEFAULTS[k]);
    const id = JSON.stringify(values);
    const first = seen.get(id);
    if (first === undefined) {
      seen.set(id, i);
    } else {
      errors.push({
        keyword: LIST_MAP_KEYS,
        params: { index: i, first, keys },
        message: `duplicate entry: items [${first}] and [${i}] have the same ${keys.map((k, j) => `${k}=${JSON.stringify(values[j]) ?? '(unset)'}`).join(', ')}`,
      });
    }
  }
  (validateListMapKeys as unknown as { errors: Partial<ErrorObject>[] }).errors = errors;
  return errors.length === 0;
}
