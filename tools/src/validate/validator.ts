import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { POLICY_RULES, PolicyRuleId } from '@platform/charts';
import { EnvironmentInfo } from './environments';
import { CHECKS, CheckId, ExceptionUse, Finding, ObjectRef, Severity, ValidationReport } from './findings';
import { checkKustomization, isKustomizationFile } from './kustomization';
import { EXCEPTION_PREFIX, EnvIndex, TreeObject, makeTreeObject } from './objects';
import { ENVIRONMENT_RULES, OBJECT_RULES, POLICY_BY_ID, PolicyRule } from './policy/rules';
import { crdKinds } from './schema/convert';
import { minorOf } from './deprecations';
import { checkObjectSchema } from './schema/check';
import { SchemaRegistry } from './schema/registry';
import { TreeFile, layoutOf, listTreeFiles } from './tree';
import { parseManifestText } from './yaml-reader';

export interface ValidateTreeOptions {
  /** A dist root (whose sub-directories are environments) or one environment directory. */
  readonly dir: string;
  /** Only these environment directories of `dir` (the synth's staging tree). @default - worked out from `dir` */
  readonly envs?: readonly string[];
  /** Environments of the repository, by name (cluster version and domain). */
  readonly environments: ReadonlyMap<string, EnvironmentInfo>;
  /** How files are named in the report. @default the absolute path */
  readonly display?: (abs: string) => string;
  /** Compiled schemas to reuse across runs (tests, the synth in watch-like loops). @default the shared registry */
  readonly registry?: SchemaRegistry;
  /** Validate exactly these files (paths under `dir`) instead of walking it, e.g. the files of one unit. */
  readonly files?: readonly TreeFile[];
  /** Contents by absolute path, when the caller has them in memory. @default read from disk */
  readonly read?: (abs: string) => string;
}

let sharedRegistry: SchemaRegistry | undefined;

/** The process-wide registry: schemas are compiled once per process, whatever is validated. */
export function defaultRegistry(): SchemaRegistry {
  sharedRegistry ??= new SchemaRegistry();
  return sharedRegistry;
}

const POLICY_RULE_IDS: ReadonlySet<string> = new Set(POLICY_RULES);
const CRD_KEY = 'apiextensions.k8s.io/v1/CustomResourceDefinition';

interface Ordered extends Finding {
  readonly order: number;
}

/**
 * Validates a rendered tree: reads every YAML file, checks each object against its schema (built-in, CRD) and
 * the platform policy, and returns every finding. Throws only for problems of the invocation itself.
 */
export function validateTree(options: ValidateTreeOptions): ValidationReport {
  const registry = options.registry ?? defaultRegistry();
  const display = options.display ?? ((abs: string) => abs);
  const layout = options.envs
    ? { envDirs: new Map(options.envs.map((env) => [env, join(options.dir, env)])) }
    : layoutOf(options.dir, new Set(options.environments.keys()));
  const files = options.files ?? listTreeFiles(layout, display);
  const read = options.read ?? ((abs: string) => readFileSync(abs, 'utf8'));
  const listed = new Set(files.map((f) => f.abs));
  const exists = (path: string): boolean => listed.has(path) || existsSync(path);

  const findings: Ordered[] = [];
  let sequence = 0;
  const add = (order: number, file: string, object: ObjectRef | undefined, rule: string, severity: Severity, path: string, message: string, hint: string): void => {
    findings.push({ order, file, ...(object ? { object } : {}), rule, severity, path, message, hint });
  };
  const check = (order: number, file: string, object: ObjectRef | undefined, id: CheckId, path: string, message: string, hint?: string, severity?: Severity): void => {
    add(order, file, object, id, severity ?? CHECKS[id].severity, path, message, hint ?? CHECKS[id].hint);
  };

  const envs = new Map<string, EnvIndex>();
  for (const [env, dir] of layout.envDirs) {
    const info = options.environments.get(env);
    envs.set(env, new EnvIndex(env, info));
    if (!info) {
      check(sequence++, display(dir), undefined, 'environment', '', `"${env}" is not an environment of this repository (known: ${[...options.environments.keys()].join(', ') || 'none'}); the cluster version and domain are unknown, so API deprecations and Ingress domains are not checked`);
    }
  }

  // Pass 1: read every file, index objects per environment (CRDs, namespaces, pod templates...).
  const objects: Array<{ o: TreeObject; env: EnvIndex }> = [];
  for (const file of files) {
    const order = sequence++;
    const env = envs.get(file.env)!;
    const parsed = parseManifestText(read(file.abs));
    if (parsed.error) {
      check(order, file.display, undefined, 'yaml', '', parsed.error);
      continue;
    }
    if (isKustomizationFile(file.abs)) {
      for (const doc of parsed.documents) {
        for (const p of checkKustomization(file.abs, doc, exists)) check(order, file.display, undefined, 'kustomization', p.path, p.message);
      }
      continue;
    }
    parsed.documents.forEach((doc, i) => {
      const where = parsed.documents.length > 1 ? `document ${i + 1}: ` : '';
      if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
        check(order, file.display, undefined, 'yaml', '', `${where}expected a Kubernetes object (a mapping), got ${Array.isArray(doc) ? 'a list' : typeof doc}`);
        return;
      }
      const json = doc as Record<string, unknown>;
      const { apiVersion, kind } = json;
      if (typeof apiVersion !== 'string' || apiVersion === '' || typeof kind !== 'string' || kind === '') {
        check(order, file.display, undefined, 'schema', typeof apiVersion !== 'string' || apiVersion === '' ? 'apiVersion' : 'kind', `${where}every object needs apiVersion and kind (strings)`);
        return;
      }
      const o = makeTreeObject(file, sequence++, json, apiVersion, kind);
      objects.push({ o, env });
      env.add(o);
      if (o.key === CRD_KEY) {
        try {
          for (const { key, entry } of crdKinds(json)) env.crds.set(key, entry);
        } catch {
          // A CRD we cannot read: its own schema check says why; its custom resources will be unknown kinds.
        }
      }
    });
  }

  // Owners need every tenant namespace indexed; exceptions need owners.
  for (const { o, env } of objects) {
    o.owner = env.ownerOf(o);
    readExceptions(o, (path, message, hint) => check(o.order, o.file.display, o.ref, 'policy-exception', path, message, hint));
  }

  // Pass 2: schema and per-object policy.
  const exceptions: ExceptionUse[] = [];
  const reporter = new PolicyReporter((o, rule, path, message, hint) => {
    add(o.order, o.file.display, o.ref, rule.id, rule.severity, path, message, hint ?? rule.hint);
  });
  for (const { o, env } of objects) {
    const order = o.order;
    const minor = env.info ? minorOf(env.info.kubernetesVersion) : NaN;
    checkObjectSchema({ doc: o.doc, apiVersion: o.ref.apiVersion, kind: o.ref.kind }, registry, env.crds, minor,
      (id, path, message, hint, severity) => check(order, o.file.display, o.ref, id, path, message, hint, severity));
    for (const rule of OBJECT_RULES) {
      reporter.rule = rule;
      reporter.object = o;
      rule.object!(o, env, reporter.report);
    }
  }
  // Pass 3: rules across the objects of an environment.
  for (const env of envs.values()) {
    for (const rule of ENVIRONMENT_RULES) {
      reporter.rule = rule;
      rule.environment!(env, reporter.reportOn);
    }
  }
  // Exceptions: the used ones are listed; declared but unused ones are stale.
  for (const { o } of objects) {
    if (!o.exceptions) continue;
    for (const [rule, reason] of o.exceptions) {
      if (o.used?.has(rule)) {
        exceptions.push({ file: o.file.display, object: o.ref, rule, reason });
      } else {
        check(o.order, o.file.display, o.ref, 'policy-exception', `metadata.annotations["${EXCEPTION_PREFIX}${rule}"]`,
          `declares an exception to ${rule}, but the object does not break that rule`, 'remove the stale policyException()', 'warning');
      }
    }
  }

  findings.sort((a, b) => a.order - b.order);
  exceptions.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
  const clean: Finding[] = findings.map(({ order: _order, ...f }) => f);
  return {
    files: files.length,
    objects: objects.length,
    errors: clean.filter((f) => f.severity === 'error').length,
    warnings: clean.filter((f) => f.severity === 'warning').length,
    findings: clean,
    exceptions,
  };
}

/** One reporter for all rule runs (no closure per object and rule): set `rule` and `object`, then call. */
class PolicyReporter {
  rule!: PolicyRule;
  object!: TreeObject;

  constructor(private readonly sink: (o: TreeObject, rule: PolicyRule, path: string, message: string, hint?: string) => void) {}

  readonly report = (path: string, message: string, hint?: string): void => this.reportOn(this.object, path, message, hint);

  readonly reportOn = (o: TreeObject, path: string, message: string, hint?: string): void => {
    const rule = this.rule;
    if (rule.exceptions && o.exceptions?.has(rule.id)) {
      (o.used ??= new Set()).add(rule.id);
      return;
    }
    this.sink(o, rule, path, message, hint);
  };
}

/** Exception annotations of an object: valid ones go to `o.exceptions`, the others are reported. */
function readExceptions(o: TreeObject, report: (path: string, message: string, hint?: string) => void): void {
  for (const key in o.annotations) {
    if (!key.startsWith(EXCEPTION_PREFIX)) continue;
    const rule = key.slice(EXCEPTION_PREFIX.length);
    const reason = o.annotations[key];
    const path = `metadata.annotations["${key}"]`;
    if (!POLICY_RULE_IDS.has(rule)) {
      report(path, `unknown policy rule "${rule}"; rules: ${POLICY_RULES.join(', ')}`, 'use one of the rule ids of charts/src/policy.ts');
    } else if (o.owner === 'tenant') {
      report(path, `a tenant cannot grant itself an exception to ${rule}`, 'fix the object so that it follows the rule; only add-ons declare exceptions');
    } else if (!POLICY_BY_ID.get(rule)!.exceptions) {
      report(path, `${rule} has no exceptions`, 'remove the annotation and fix the object');
    } else if (typeof reason !== 'string' || reason.trim().length < 10) {
      report(path, `the exception to ${rule} gives no reason`, 'say why the object must break the rule (it is shown in every report)');
    } else {
      (o.exceptions ??= new Map()).set(rule as PolicyRuleId, reason);
    }
  }
}

export type { TreeFile };
