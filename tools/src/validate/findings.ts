import type { PolicyRuleId } from '@platform/charts';

export type Severity = 'error' | 'warning';

/** The object a finding is about. */
export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

export interface Finding {
  /** File as the user should read it (relative to the repository when inside it). */
  readonly file: string;
  /** The object, or undefined for problems of the file itself (YAML syntax). */
  readonly object?: ObjectRef;
  /** A policy rule id (charts/src/policy.ts POLICY_RULES) or a check id (CHECKS). */
  readonly rule: string;
  readonly severity: Severity;
  /** Field path like `spec.template.spec.containers[0].resources.limits`; "" for the object as a whole. */
  readonly path: string;
  /** What is wrong (and what was found). */
  readonly message: string;
  /** How to fix it. */
  readonly hint: string;
}

/** A policy exception an add-on declared on an object, and that the object needs. */
export interface ExceptionUse {
  readonly file: string;
  readonly object: ObjectRef;
  readonly rule: PolicyRuleId;
  readonly reason: string;
}

export interface ValidationReport {
  readonly files: number;
  readonly objects: number;
  readonly errors: number;
  readonly warnings: number;
  /** Sorted by file, then object, then path. */
  readonly findings: readonly Finding[];
  /** Sorted by file, then rule. */
  readonly exceptions: readonly ExceptionUse[];
}

export interface CheckDoc {
  /** One line: what the check requires. */
  readonly doc: string;
  readonly severity: Severity;
  /** Default fix hint. */
  readonly hint: string;
}

/** Checks that are not policy rules (they have no exceptions). */
export const CHECKS = {
  environment: {
    doc: 'every environment directory of the tree is an environment of environments/',
    severity: 'error',
    hint: 'validate dist/ or dist/<env> of this repository; environments are environments/<name>.ts',
  },
  yaml: {
    doc: 'every file is valid YAML (1.1, as Kubernetes reads it) whose documents are objects',
    severity: 'error',
    hint: 'fix the syntax; files under dist/ are generated: change the TypeScript source and run `npm run synth`',
  },
  schema: {
    doc: 'built-in objects match the Kubernetes 1.28 schema, custom resources their CRD\'s schema (types, enums, required and unknown fields, scope)',
    severity: 'error',
    hint: 'fix the field at this path (check spelling and indentation for unknown fields)',
  },
  'unknown-kind': {
    doc: 'every object is a built-in kind, or a custom resource whose CRD is in the environment\'s tree or is a GitOps engine\'s',
    severity: 'error',
    hint: 'use a Kubernetes 1.28 apiVersion/kind, or render the CRD into dist/<env>/cluster/',
  },
  'deprecated-api': {
    doc: 'no API that the environment\'s Kubernetes version deprecated or removed',
    severity: 'error',
    hint: 'move to the replacement apiVersion',
  },
  kustomization: {
    doc: 'kustomization.yaml files are kustomize.config.k8s.io/v1beta1 Kustomizations whose resources exist',
    severity: 'error',
    hint: 'list files or directories that exist next to the kustomization.yaml',
  },
  'policy-exception': {
    doc: 'policy exceptions are declared by add-ons only, for a known rule, with a reason',
    severity: 'error',
    hint: 'remove the annotation; only add-ons may declare policyException(obj, rule, reason)',
  },
} as const satisfies Record<string, CheckDoc>;

export type CheckId = keyof typeof CHECKS;

export function describeObject(o: ObjectRef): string {
  return `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}
