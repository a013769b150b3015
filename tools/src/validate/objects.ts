import { LABELS, PLATFORM_DOMAIN, PolicyRuleId } from '@platform/charts';
import { UNIT_LABEL } from '../synth/manifest';
import { EnvironmentInfo } from './environments';
import { ObjectRef } from './findings';
import { KindEntry } from './schema/convert';
import { TreeFile } from './tree';

/** Who an object belongs to: decides node placement, RBAC limits and whether it may declare exceptions. */
export type Owner = 'tenant' | 'addon' | 'cluster';

/** Annotation prefix of policy exceptions (charts' policyExceptionKey: `policy.platform.example.com/<rule-id>`). */
export const EXCEPTION_PREFIX = `policy.${PLATFORM_DOMAIN}/`;

type Json = Record<string, unknown>;

/** The pod template of a workload (or the spec of a bare Pod). */
export interface PodTemplate {
  /** The PodSpec. */
  readonly spec: Json;
  /** Path of the PodSpec in the object, e.g. `spec.template.spec`. */
  readonly path: string;
  /** Labels the pods get. */
  readonly labels: Readonly<Record<string, unknown>>;
  /** Deployments, StatefulSets, DaemonSets (and bare pods that restart): containers must have probes. */
  readonly longRunning: boolean;
}

/** One object of the tree, with what the checks need computed once. */
export interface TreeObject {
  readonly file: TreeFile;
  /** Position in the tree (files in sorted order, documents in file order): findings are sorted by it. */
  readonly order: number;
  readonly doc: Json;
  readonly ref: ObjectRef;
  /** `<apiVersion>/<kind>`. */
  readonly key: string;
  readonly labels: Readonly<Record<string, unknown>>;
  readonly annotations: Readonly<Record<string, unknown>>;
  readonly pod: PodTemplate | undefined;
  owner: Owner;
  /** Valid exceptions declared on the object (rule → reason); set by the exception pass. */
  exceptions?: Map<PolicyRuleId, string>;
  /** Exceptions that suppressed a finding. */
  used?: Set<PolicyRuleId>;
}

function asObject(value: unknown): Json | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});

/** Where the pod template of each built-in workload kind is. */
const POD_TEMPLATES: Readonly<Record<string, { path: readonly string[]; longRunning: boolean }>> = {
  'apps/v1/Deployment': { path: ['spec', 'template'], longRunning: true },
  'apps/v1/StatefulSet': { path: ['spec', 'template'], longRunning: true },
  'apps/v1/DaemonSet': { path: ['spec', 'template'], longRunning: true },
  'apps/v1/ReplicaSet': { path: ['spec', 'template'], longRunning: true },
  'v1/ReplicationController': { path: ['spec', 'template'], longRunning: true },
  'batch/v1/Job': { path: ['spec', 'template'], longRunning: false },
  'batch/v1/CronJob': { path: ['spec', 'jobTemplate', 'spec', 'template'], longRunning: false },
};

export function podTemplateOf(key: string, doc: Json): PodTemplate | undefined {
  if (key === 'v1/Pod') {
    const spec = asObject(doc.spec);
    if (!spec) return undefined;
    const restart = spec.restartPolicy ?? 'Always';
    return { spec, path: 'spec', labels: asObject(asObject(doc.metadata)?.labels) ?? EMPTY, longRunning: restart === 'Always' };
  }
  const where = POD_TEMPLATES[key];
  if (!where) return undefined;
  let template: Json | undefined = doc;
  for (const step of where.path) template = asObject(template?.[step]);
  const spec = asObject(template?.spec);
  if (!template || !spec) return undefined;
  return {
    spec,
    path: `${where.path.join('.')}.spec`,
    labels: asObject(asObject(template.metadata)?.labels) ?? EMPTY,
    longRunning: where.longRunning,
  };
}

export function makeTreeObject(file: TreeFile, order: number, doc: Json, apiVersion: string, kind: string): TreeObject {
  const metadata = asObject(doc.metadata);
  const name = typeof metadata?.name === 'string' ? metadata.name : '(unnamed)';
  const namespace = typeof metadata?.namespace === 'string' ? metadata.namespace : undefined;
  const key = `${apiVersion}/${kind}`;
  return {
    file,
    order,
    doc,
    ref: namespace === undefined ? { apiVersion, kind, name } : { apiVersion, kind, name, namespace },
    key,
    labels: asObject(metadata?.labels) ?? EMPTY,
    annotations: asObject(metadata?.annotations) ?? EMPTY,
    pod: podTemplateOf(key, doc),
    owner: 'cluster',
  };
}

/** What the cross-object rules need of one environment, indexed by namespace. */
export class EnvIndex {
  /** CRDs rendered into this environment: their custom resources validate against them. */
  readonly crds = new Map<string, KindEntry>();
  /** Namespace objects labelled as a tenant's, by name. */
  readonly tenantNamespaces = new Map<string, TreeObject>();
  /** Objects with a pod template, by namespace. */
  readonly podTemplates = new Map<string, TreeObject[]>();
  readonly defaultDenyNamespaces = new Set<string>();
  readonly quotaNamespaces = new Set<string>();
  readonly limitRangeNamespaces = new Set<string>();
  readonly services: TreeObject[] = [];
  readonly disruptionBudgets: TreeObject[] = [];

  constructor(readonly name: string, readonly info: EnvironmentInfo | undefined) {}

  /** Indexes an object (called once per object, before any rule runs). */
  add(o: TreeObject): void {
    const ns = o.ref.namespace;
    switch (o.key) {
      case 'v1/Namespace':
        if (o.labels[LABELS.tenant] !== undefined) this.tenantNamespaces.set(o.ref.name, o);
        return;
      case 'v1/Service':
        this.services.push(o);
        return;
      case 'policy/v1/PodDisruptionBudget':
        this.disruptionBudgets.push(o);
        return;
      case 'v1/ResourceQuota':
        if (ns) this.quotaNamespaces.add(ns);
        return;
      case 'v1/LimitRange':
        if (ns) this.limitRangeNamespaces.add(ns);
        return;
      case 'networking.k8s.io/v1/NetworkPolicy':
        if (ns && isDefaultDeny(asObject(o.doc.spec))) this.defaultDenyNamespaces.add(ns);
        return;
      default:
        if (o.pod && ns) {
          const list = this.podTemplates.get(ns);
          if (list) list.push(o);
          else this.podTemplates.set(ns, [o]);
        }
    }
  }

  /** tenant.* / addon.* / cluster from the unit label; without one, by the namespace. */
  ownerOf(o: TreeObject): Owner {
    const unit = o.labels[UNIT_LABEL];
    if (typeof unit === 'string') {
      if (unit.startsWith('tenant.')) return 'tenant';
      if (unit.startsWith('addon.')) return 'addon';
      if (unit === 'cluster') return 'cluster';
    }
    if (o.key === 'v1/Namespace' && o.labels[LABELS.tenant] !== undefined) return 'tenant';
    if (o.ref.namespace && this.tenantNamespaces.has(o.ref.namespace)) return 'tenant';
    return 'cluster';
  }
}

/** Empty podSelector, both policy types, no rules: nothing in, nothing out. */
export function isDefaultDeny(spec: Json | undefined): boolean {
  if (!spec) return false;
  const selector = asObject(spec.podSelector);
  if (!selector) return false;
  const labels = asObject(selector.matchLabels);
  const expressions = selector.matchExpressions;
  if ((labels && Object.keys(labels).length) || (Array.isArray(expressions) && expressions.length)) return false;
  const types = Array.isArray(spec.policyTypes) ? spec.policyTypes : [];
  if (!types.includes('Ingress') || !types.includes('Egress')) return false;
  const empty = (rules: unknown): boolean => rules === undefined || rules === null || (Array.isArray(rules) && rules.length === 0);
  return empty(spec.ingress) && empty(spec.egress);
}
