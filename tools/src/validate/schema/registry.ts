import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Ajv, { ValidateFunction, _ } from 'ajv';
import addFormats from 'ajv-formats';
import standaloneCode from 'ajv/dist/standalone';
import { JsonSchema, K8S_SCHEMA_ID, KindEntry, LIST_MAP_KEYS, stableStringify } from './convert';
import { validateListMapKeys } from './list-map-keys';

/** The committed bundle written by tools/scripts/generate-schemas.ts. */
export const SCHEMA_DIR = join(__dirname, '..', '..', '..', 'schemas');

/**
 * Compiled validators as JavaScript modules (ajv's standalone code), next to the installed packages like other
 * tools' caches: compiling the Pod template schemas costs about half a second per process, loading them a few ms.
 */
export const VALIDATOR_CACHE = join(dirname(require.resolve('ajv/package.json')), '..', '.cache', 'platformctl', 'validators');

const FORMATS = ['date-time', 'date', 'byte', 'int32', 'int64', 'float', 'double', 'uuid', 'ipv4', 'ipv6', 'hostname'] as const;

/**
 * Part of every cache key: bump the version when the ajv options change. The modules require our keyword by
 * absolute path, so the path is part of the key too (another checkout sharing node_modules compiles its own).
 */
const VALIDATOR_FORMAT = `platformctl-validator-v2 ajv-${(require('ajv/package.json') as { version: string }).version} ${require.resolve('./list-map-keys')}`;

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
  private bundleHash: string | undefined;
  /** Validators compiled by ajv so far, and validators loaded from the cache (for tests). */
  compiled = 0;
  loaded = 0;

  /** @param cacheDir where compiled validators are kept; `false` compiles in memory only */
  constructor(private readonly schemaDir: string = SCHEMA_DIR, private readonly cacheDir: string | false = VALIDATOR_CACHE) {}

  private get ajv(): Ajv {
    if (!this.ajvInstance) {
      const ajv = new Ajv({
        // the source is kept so a compiled validator can be written out as a module (formats come from ajv-formats)
        code: { source: true, formats: _`require("ajv-formats/dist/formats").fullFormats` },
        allErrors: true,
        verbose: true, // errors carry the offending value: messages can say what was found
        strict: true,
        strictTypes: false, // Kubernetes schemas put `properties` on nodes without `type: object`, legitimately
        strictTuples: false,
        strictRequired: false,
        allowUnionTypes: true,
        validateSchema: false, // generated and converted schemas are draft-07 by construction
      });
      addFormats(ajv, [...FORMATS]);
      // Registered in the scope first, with the code that loads it, so standalone validators can require it.
      ajv.scope.value('keyword', { ref: validateListMapKeys, code: _`require(${require.resolve('./list-map-keys')}).validateListMapKeys` });
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

  /** The compiled validator of a resolved kind (compiled or loaded once per process). */
  validator(resolved: ResolvedKind): ValidateFunction {
    const cached = this.byEntry.get(resolved.entry);
    if (cached) return cached;
    const schema: JsonSchema = resolved.entry.definition
      ? { $ref: `${K8S_SCHEMA_ID}#/definitions/${resolved.entry.definition}` }
      : resolved.entry.schema ?? {};
    // A $ref into the Kubernetes bundle depends on the whole bundle; a CRD schema only on itself.
    const key = createHash('sha256').update(VALIDATOR_FORMAT).update('\0')
      .update(resolved.entry.definition ? this.kubernetesBundleHash() : '').update('\0')
      .update(stableStringify(schema)).digest('hex');
    const fn = this.byContent.get(key) ?? this.load(key) ?? this.compile(schema, key);
    this.byContent.set(key, fn);
    this.byEntry.set(resolved.entry, fn);
    return fn;
  }

  private kubernetesBundleHash(): string {
    this.bundleHash ??= createHash('sha256').update(readFileSync(join(this.schemaDir, 'kubernetes-1.28.json'))).digest('hex');
    return this.bundleHash;
  }

  private cacheFile(key: string): string | undefined {
    return this.cacheDir ? join(this.cacheDir, `${key}.js`) : undefined;
  }

  private load(key: string): ValidateFunction | undefined {
    const file = this.cacheFile(key);
    if (!file || !existsSync(file)) return undefined;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const fn = require(file) as ValidateFunction;
      this.loaded++;
      return fn;
    } catch {
      return undefined; // a damaged entry is compiled again (and rewritten)
    }
  }

  private compile(schema: JsonSchema, key: string): ValidateFunction {
    this.compiled++;
    const fn = this.ajv.compile(schema);
    const file = this.cacheFile(key);
    if (file) {
      try {
        mkdirSync(dirname(file), { recursive: true });
        const tmp = `${file}.${process.pid}.${this.compiled}.tmp`;
        writeFileSync(tmp, standaloneCode(this.ajv, fn)
          // ajv calls `validate` keywords with the instance as `this` (`self` in its generated code); a standalone
          // module has no instance, and ours does not use it.
          .replace(/^"use strict";/, '"use strict";const self = undefined;')
          // ajv's runtime helpers and the formats, by absolute path: the module works wherever the cache is.
          .replace(/require\("(ajv(?:-formats)?\/[^"]+)"\)/g, (_match, id: string) => `require(${JSON.stringify(require.resolve(id))})`));
        renameSync(tmp, file); // atomic: concurrent synths (and worker threads) never see half a module
      } catch {
        // a read-only or full disk only costs the next process a compile
      }
    }
    return fn;
  }
}
