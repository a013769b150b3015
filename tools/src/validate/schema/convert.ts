import { K8S_ENUMS } from './k8s-enums';

/**
 * Conversion of Kubernetes' own schema dialects into JSON Schema (draft-07) that ajv compiles:
 * - the Swagger 2.0 document of the built-in API (`convertSwagger`, at bundle generation time), and
 * - a CRD's structural `openAPIV3Schema` (`convertCrdSchema`, at generation time for the GitOps engines' CRDs
 *   and at validation time for CRDs rendered into the tree).
 * Both are strict about unknown fields, the way the API server is with `fieldValidation=Strict`: an object that
 * declares properties allows no others unless it says `x-kubernetes-preserve-unknown-fields`.
 */

export type JsonSchema = { [keyword: string]: unknown };

/** ajv id of the converted built-in schema document: `k8s#/definitions/<swagger definition name>`. */
export const K8S_SCHEMA_ID = 'k8s';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
export const OBJECT_META_REF = `${K8S_SCHEMA_ID}#/definitions/${META}.ObjectMeta`;

/** `resource.Quantity` as the API server parses it (the regex controller-gen emits for quantities). */
export const QUANTITY_PATTERN = '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';

/** Custom ajv keyword: items of a `x-kubernetes-list-type: map` list are unique by these keys. */
export const LIST_MAP_KEYS = 'x-kubernetes-list-map-keys';

/** A kind the bundle knows: `<apiVersion>/<kind>` → schema and scope. */
export interface KindEntry {
  /** Swagger definition name (built-in kinds). */
  readonly definition?: string;
  /** Converted schema (custom resources). */
  readonly schema?: JsonSchema;
  readonly namespaced: boolean;
  /** The CRD marks this version deprecated (custom resources). */
  readonly deprecated?: boolean;
  readonly deprecationWarning?: string;
  /** The CRD declares this version but does not serve it. */
  readonly served?: boolean;
}

/** `apps/v1` + `Deployment` → `apps/v1/Deployment`; the key of every kind table. */
export function gvkKey(apiVersion: string, kind: string): string {
  return `${apiVersion}/${kind}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Built-in API (Swagger 2.0)

const DEF = '#/definitions/';
const JSON_SCHEMA_PROPS = `${DEF}io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps`;

/** Definitions whose Swagger form does not describe what the API server accepts. */
const SPECIAL_DEFINITIONS: Readonly<Record<string, JsonSchema>> = {
  // Swagger says `type: string, format: int-or-string`; JSON carries either.
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { type: ['integer', 'string'] },
  // Swagger says string; the API server also accepts JSON numbers (`cpu: 1`).
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { type: ['string', 'number'], pattern: QUANTITY_PATTERN },
  // RFC 3339; null is what an unset time serializes to (`creationTimestamp: null`).
  [`${META}.Time`]: { type: ['string', 'null'], format: 'date-time' },
  [`${META}.MicroTime`]: { type: ['string', 'null'], format: 'date-time' },
  // Opaque payloads.
  'io.k8s.apimachinery.pkg.runtime.RawExtension': { type: 'object' },
  [`${META}.FieldsV1`]: { type: 'object' },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON': {},
  // Go types with custom JSON (un)marshalling; Swagger leaves them empty.
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray': {
    anyOf: [{ $ref: JSON_SCHEMA_PROPS }, { type: 'array', items: { $ref: JSON_SCHEMA_PROPS } }],
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool': {
    anyOf: [{ type: 'boolean' }, { $ref: JSON_SCHEMA_PROPS }],
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray': {
    anyOf: [{ $ref: JSON_SCHEMA_PROPS }, { type: 'array', items: { type: 'string' } }],
  },
};

/** Formats whose ajv-formats meaning matches the API server's. */
const K8S_FORMATS = new Set(['int32', 'int64', 'double', 'byte', 'date-time']);

/** Keywords copied as they are (both dialects). */
const PLAIN_KEYWORDS = [
  'type', 'required', 'enum', 'minimum', 'maximum', 'multipleOf', 'minLength', 'maxLength',
  'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties',
] as const;

interface SwaggerDocument {
  readonly definitions: Record<string, JsonSchema>;
  readonly paths: Record<string, Record<string, { 'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string } }>>;
}

export interface KubernetesBundle {
  readonly kinds: Record<string, KindEntry>;
  readonly definitions: Record<string, JsonSchema>;
}

/**
 * The built-in kinds of a Swagger document and the definitions they reach. A kind is every object one can
 * create (a POST on a collection path carries its group/version/kind); its scope is whether that path is under
 * `/namespaces/{namespace}/`.
 */
export function convertSwagger(swagger: SwaggerDocument): KubernetesBundle {
  const kinds: Record<string, KindEntry> = {};
  const byGvk = new Map<string, string>();
  for (const [name, def] of Object.entries(swagger.definitions)) {
    const gvks = def['x-kubernetes-group-version-kind'] as Array<{ group: string; version: string; kind: string }> | undefined;
    if (gvks?.length === 1) byGvk.set(gvkKey(apiVersionOf(gvks[0].group, gvks[0].version), gvks[0].kind), name);
  }
  for (const [path, operations] of Object.entries(swagger.paths)) {
    const gvk = operations.post?.['x-kubernetes-group-version-kind'];
    if (!gvk || /\{name\}/.test(path)) continue;
    const key = gvkKey(apiVersionOf(gvk.group, gvk.version), gvk.kind);
    const definition = byGvk.get(key);
    if (!definition) continue;
    kinds[key] = { definition, namespaced: path.includes('/namespaces/{namespace}/') };
  }

  const definitions: Record<string, JsonSchema> = {};
  const pending = Object.values(kinds).map((k) => k.definition!);
  while (pending.length) {
    const name = pending.pop()!;
    if (definitions[name]) continue;
    const source = swagger.definitions[name];
    if (!source) throw new Error(`swagger: $ref to missing definition ${name}`);
    const converted = SPECIAL_DEFINITIONS[name] ? structuredClone(SPECIAL_DEFINITIONS[name]) : convertSwaggerNode(source, name);
    definitions[name] = converted;
    for (const ref of refsOf(converted)) if (!definitions[ref]) pending.push(ref);
  }
  return { kinds, definitions };
}

function apiVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

function refsOf(schema: unknown, out: string[] = []): string[] {
  if (Array.isArray(schema)) {
    for (const item of schema) refsOf(item, out);
  } else if (schema && typeof schema === 'object') {
    for (const [key, value] of Object.entries(schema)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith(DEF)) out.push(value.slice(DEF.length));
      else refsOf(value, out);
    }
  }
  return out;
}

function convertSwaggerNode(node: JsonSchema, definitionName?: string): JsonSchema {
  if (typeof node.$ref === 'string') return { $ref: node.$ref };
  const out: JsonSchema = {};
  for (const keyword of PLAIN_KEYWORDS) if (node[keyword] !== undefined) out[keyword] = node[keyword];
  if (typeof node.pattern === 'string') out.pattern = node.pattern;
  if (typeof node.format === 'string' && K8S_FORMATS.has(node.format)) out.format = node.format;
  if (node.items && typeof node.items === 'object') out.items = convertSwaggerNode(node.items as JsonSchema);
  if (node.additionalProperties !== undefined) {
    out.additionalProperties = typeof node.additionalProperties === 'object'
      ? convertSwaggerNode(node.additionalProperties as JsonSchema)
      : node.additionalProperties;
  }
  applyListType(node, out);
  if (node.properties) {
    const enums = definitionName ? K8S_ENUMS[definitionName] : undefined;
    const properties: Record<string, JsonSchema> = {};
    for (const [name, child] of Object.entries(node.properties as Record<string, JsonSchema>)) {
      properties[name] = convertSwaggerNode(child);
    }
    for (const [name, values] of Object.entries(enums ?? {})) {
      const target = properties[name];
      if (!target) throw new Error(`k8s-enums: ${definitionName} has no property "${name}"`);
      if (target.type === 'array') target.items = { ...(target.items as JsonSchema), enum: [...values] };
      else properties[name] = { ...target, enum: [...values] };
    }
    out.properties = properties;
    if (out.additionalProperties === undefined && node['x-kubernetes-preserve-unknown-fields'] !== true) {
      out.additionalProperties = false;
    }
  }
  return out;
}

/** `x-kubernetes-list-type`: `set` items are unique, `map` items are unique by their keys, `atomic` is free. */
function applyListType(node: JsonSchema, out: JsonSchema): void {
  const listType = node['x-kubernetes-list-type'];
  if (listType === 'set') out.uniqueItems = true;
  if (listType === 'map' && Array.isArray(node[LIST_MAP_KEYS]) && (node[LIST_MAP_KEYS] as unknown[]).length) {
    out[LIST_MAP_KEYS] = [...(node[LIST_MAP_KEYS] as string[])];
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Custom resources (structural openAPIV3Schema)

/** Formats the API server validates for CRDs whose ajv-formats meaning matches; others are ignored, as there. */
const CRD_FORMATS = new Set(['date-time', 'date', 'byte', 'int32', 'int64', 'float', 'double', 'uuid', 'ipv4', 'ipv6', 'hostname']);

/**
 * A CRD version's `openAPIV3Schema` as ajv JSON Schema. `metadata` is validated as ObjectMeta (the API server
 * does that for every object); identical sub-schemas (ApplicationSet nests the Application spec dozens of
 * times) are hoisted into local definitions so ajv compiles each once.
 */
export function convertCrdSchema(openAPIV3Schema: JsonSchema): JsonSchema {
  const root = convertStructural(openAPIV3Schema, false, false);
  const properties = { ...(root.properties as Record<string, JsonSchema> | undefined) };
  properties.apiVersion = { type: 'string' };
  properties.kind = { type: 'string' };
  properties.metadata = { $ref: OBJECT_META_REF };
  root.properties = properties;
  root.type = 'object';
  return hoistRepeatedSubschemas(root);
}

function effectivePreserve(node: JsonSchema, inherited: boolean): boolean {
  if (node['x-kubernetes-preserve-unknown-fields'] === true) return true;
  // Preservation is inherited "until nested properties or additionalProperties are specified".
  return inherited && node.properties === undefined && node.additionalProperties === undefined;
}

function convertStructural(node: JsonSchema, inherited: boolean, inJunctor: boolean): JsonSchema {
  const preserve = effectivePreserve(node, inherited);
  const out: JsonSchema = {};
  for (const keyword of PLAIN_KEYWORDS) if (node[keyword] !== undefined) out[keyword] = node[keyword];
  if (typeof node.pattern === 'string' && compilesInJs(node.pattern)) out.pattern = node.pattern;
  if (typeof node.format === 'string' && CRD_FORMATS.has(node.format)) out.format = node.format;
  // OpenAPI 3.0's boolean exclusiveMinimum/Maximum is draft-07's numeric one.
  if (node.exclusiveMinimum === true && typeof node.minimum === 'number') { out.exclusiveMinimum = node.minimum; delete out.minimum; }
  if (node.exclusiveMaximum === true && typeof node.maximum === 'number') { out.exclusiveMaximum = node.maximum; delete out.maximum; }
  applyListType(node, out);

  if (node.properties) {
    const properties: Record<string, JsonSchema> = {};
    for (const [name, child] of Object.entries(node.properties as Record<string, JsonSchema>)) {
      properties[name] = convertStructural(child, preserve, inJunctor);
    }
    out.properties = properties;
  }
  if (node.items !== undefined) {
    out.items = Array.isArray(node.items)
      ? node.items.map((item: JsonSchema) => convertStructural(item, preserve, inJunctor))
      : convertStructural(node.items as JsonSchema, preserve, inJunctor);
  }
  if (node.additionalProperties !== undefined) {
    out.additionalProperties = typeof node.additionalProperties === 'object'
      ? convertStructural(node.additionalProperties as JsonSchema, preserve, inJunctor)
      : node.additionalProperties;
  }
  for (const junctor of ['allOf', 'anyOf', 'oneOf'] as const) {
    if (Array.isArray(node[junctor])) out[junctor] = (node[junctor] as JsonSchema[]).map((n) => convertStructural(n, preserve, true));
  }
  if (node.not && typeof node.not === 'object') out.not = convertStructural(node.not as JsonSchema, preserve, true);

  if (node['x-kubernetes-int-or-string'] === true) {
    // Structural form: `anyOf: [{type: integer}, {type: string}]` (possibly inside allOf); say it with a union type.
    const isTypeOnly = (n: JsonSchema): boolean => Object.keys(n).length === 1 && typeof n.type === 'string';
    if (Array.isArray(out.anyOf) && (out.anyOf as JsonSchema[]).every(isTypeOnly)) delete out.anyOf;
    if (Array.isArray(out.allOf)) {
      out.allOf = (out.allOf as JsonSchema[]).filter((n) => !(Array.isArray(n.anyOf) && Object.keys(n).length === 1 && (n.anyOf as JsonSchema[]).every(isTypeOnly)));
      if ((out.allOf as JsonSchema[]).length === 0) delete out.allOf;
    }
    out.type = ['integer', 'string'];
  }
  if (node['x-kubernetes-embedded-resource'] === true) {
    // The API server requires apiVersion and kind of an embedded object and validates its metadata.
    out.type = 'object';
    out.properties = {
      ...(out.properties as Record<string, JsonSchema> | undefined),
      apiVersion: { type: 'string', minLength: 1 },
      kind: { type: 'string', minLength: 1 },
      metadata: { $ref: OBJECT_META_REF },
    };
    out.required = [...new Set([...((out.required as string[] | undefined) ?? []), 'apiVersion', 'kind'])];
  }
  if (node.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (Array.isArray(out.type)) out.type = [...(out.type as string[]), 'null'];
    if (Array.isArray(out.enum)) out.enum = [...(out.enum as unknown[]), null];
  }
  // Unknown fields of an object that is not preserving are pruned by the API server: for us they are errors.
  // Schemas under allOf/anyOf/oneOf/not only add value validations; pruning follows the main structure.
  const isObject = out.type === 'object' || out.properties !== undefined;
  if (!inJunctor && isObject && out.additionalProperties === undefined && !preserve) out.additionalProperties = false;
  return out;
}

function compilesInJs(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

/** Sub-schemas this large (in canonical JSON characters) that occur twice or more become local definitions. */
const HOIST_MIN_SIZE = 400;

function hoistRepeatedSubschemas(root: JsonSchema): JsonSchema {
  const counts = new Map<string, number>();
  const canonical = new Map<unknown, string>();
  const measure = (node: unknown): string => {
    const text = stableStringify(node);
    if (node && typeof node === 'object') canonical.set(node, text);
    return text;
  };
  const walk = (node: unknown, countIt: boolean): void => {
    if (Array.isArray(node)) { node.forEach((n) => walk(n, true)); return; }
    if (!node || typeof node !== 'object') return;
    const text = measure(node);
    if (countIt && text.length >= HOIST_MIN_SIZE) counts.set(text, (counts.get(text) ?? 0) + 1);
    for (const [key, value] of Object.entries(node)) {
      if (key === 'properties' && value && typeof value === 'object') {
        for (const child of Object.values(value)) walk(child, true);
      } else if (key === 'enum' || key === 'required' || key === LIST_MAP_KEYS) {
        continue;
      } else {
        walk(value, key === 'items' || key === 'additionalProperties' || key === 'not');
      }
    }
  };
  walk(root, false);
  const names = new Map<string, string>();
  const definitions: Record<string, JsonSchema> = {};
  const sorted = [...counts.entries()].filter(([, n]) => n > 1).map(([text]) => text).sort();
  sorted.forEach((text, i) => names.set(text, `s${i}`));
  const replace = (node: unknown, top: boolean): unknown => {
    if (Array.isArray(node)) return node.map((n) => replace(n, false));
    if (!node || typeof node !== 'object') return node;
    const text = canonical.get(node) ?? stableStringify(node);
    const name = names.get(text);
    if (name && !top) {
      if (!definitions[name]) definitions[name] = {}; // placeholder: filled below (avoids recursion on itself)
      return { $ref: `#/definitions/${name}` };
    }
    const out: JsonSchema = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === 'properties') {
        out.properties = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, replace(v, false)]));
      } else if (key === 'enum' || key === 'required' || key === LIST_MAP_KEYS) {
        out[key] = value;
      } else {
        out[key] = replace(value, false);
      }
    }
    return out;
  };
  const result = replace(root, true) as JsonSchema;
  // Definitions themselves may contain smaller repeated schemas: replace inside them too (their own top excluded).
  const byName = new Map([...names.entries()].map(([text, name]) => [name, text]));
  const done = new Set<string>();
  let pending = Object.keys(definitions);
  while (pending.length) {
    for (const name of pending) {
      const original = JSON.parse(byName.get(name)!);
      definitions[name] = replace(original, true) as JsonSchema;
      done.add(name);
    }
    pending = Object.keys(definitions).filter((n) => !done.has(n));
  }
  if (Object.keys(definitions).length) result.definitions = sortKeys(definitions);
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// CRD objects

export interface CrdVersionSchema {
  readonly key: string;
  readonly entry: KindEntry;
}

/** Every version a CRD declares, with its converted schema (schemaless versions preserve everything). */
export function crdKinds(crd: { spec?: Record<string, unknown> }): CrdVersionSchema[] {
  const spec = crd.spec ?? {};
  const group = spec.group as string;
  const kind = (spec.names as { kind?: string } | undefined)?.kind;
  if (typeof group !== 'string' || typeof kind !== 'string' || !Array.isArray(spec.versions)) return [];
  const namespaced = spec.scope !== 'Cluster';
  return (spec.versions as Array<Record<string, unknown>>).filter((v) => typeof v.name === 'string').map((v) => {
    const openAPIV3Schema = (v.schema as { openAPIV3Schema?: JsonSchema } | undefined)?.openAPIV3Schema
      ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    const entry: KindEntry = {
      schema: convertCrdSchema(openAPIV3Schema),
      namespaced,
      ...(v.served === false ? { served: false } : {}),
      ...(v.deprecated === true ? { deprecated: true } : {}),
      ...(typeof v.deprecationWarning === 'string' ? { deprecationWarning: v.deprecationWarning } : {}),
    };
    return { key: gvkKey(`${group}/${v.name as string}`, kind), entry };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Deterministic JSON

/** Recursively sorted object keys (arrays keep their order). */
export function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as T;
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
  return out as T;
}

/** JSON with sorted keys: equal schemas give equal text. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}
