import { LABELS, POLICY_RULES, PolicyRuleId } from '@platform/charts';
import { Severity } from '../findings';
import { EnvIndex, PodTemplate, TreeObject } from '../objects';
import { quantityValue } from './quantity';
import { formatLabels, formatSelector, matchesLabels, matchesSelector } from './selectors';

/**
 * The platform policy: one entry per rule id of charts/src/policy.ts (POLICY_RULES). A rule checks single
 * objects (`object`), or an environment's objects together through its namespace index (`environment`).
 * Findings go through the exception handling of the caller: an add-on object annotated with the rule's
 * exception gets an "exception" entry instead of an error.
 */

type Json = Record<string, unknown>;

/** Reports a violation on the object being checked. */
export type Report = (path: string, message: string, hint?: string) => void;
/** Reports a violation on any object of the environment. */
export type ReportOn = (o: TreeObject, path: string, message: string, hint?: string) => void;

export interface PolicyRule {
  readonly id: PolicyRuleId;
  /** One line: what the rule requires. */
  readonly doc: string;
  readonly severity: Severity;
  /** How to fix a violation. */
  readonly hint: string;
  /** Whether an add-on may declare an exception (tenants never can). */
  readonly exceptions: boolean;
  readonly object?: (o: TreeObject, env: EnvIndex, report: Report) => void;
  readonly environment?: (env: EnvIndex, report: ReportOn) => void;
}

function obj(value: unknown): Json | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Calls `fn` for every container (and init container when `withInit`) of a pod template. */
function eachContainer(pod: PodTemplate, withInit: boolean, fn: (c: Json, path: string, name: string) => void): void {
  if (withInit) {
    const init = list(pod.spec.initContainers);
    for (let i = 0; i < init.length; i++) {
      const c = obj(init[i]);
      if (c) fn(c, `${pod.path}.initContainers[${i}]`, `init container "${String(c.name)}"`);
    }
  }
  const containers = list(pod.spec.containers);
  for (let i = 0; i < containers.length; i++) {
    const c = obj(containers[i]);
    if (c) fn(c, `${pod.path}.containers[${i}]`, `container "${String(c.name)}"`);
  }
}

/** Effective value of a field that exists in both PodSecurityContext and SecurityContext (container wins). */
function effective(pod: PodTemplate, c: Json, field: string): { value: unknown; path: string } | undefined {
  const own = obj(c.securityContext)?.[field];
  if (own !== undefined) return { value: own, path: 'container' };
  const inherited = obj(pod.spec.securityContext)?.[field];
  if (inherited !== undefined) return { value: inherited, path: 'pod' };
  return undefined;
}

const PSS_LABEL = 'pod-security.kubernetes.io';
const WORKER = 'worker';
const CORE = 'core';

/** True when the pod can only be scheduled on nodes labelled node-type=<role>. */
function requiresNodeType(spec: Json, role: string): boolean {
  const selector = obj(spec.nodeSelector);
  if (selector && selector[LABELS.nodeType] === role) return true;
  const terms = list(obj(obj(obj(spec.affinity)?.nodeAffinity)?.requiredDuringSchedulingIgnoredDuringExecution)?.nodeSelectorTerms);
  if (terms.length === 0) return false;
  // Terms are ORed: every term must pin the role.
  return terms.every((term) => list(obj(term)?.matchExpressions).some((e) => {
    const x = obj(e);
    const values = list(x?.values);
    return x?.key === LABELS.nodeType && x.operator === 'In' && values.length > 0 && values.every((v) => v === role);
  }));
}

/** Image reference pinned by tag (not latest) or digest; returns what is wrong, if anything. */
export function imageProblem(image: unknown): string | undefined {
  if (typeof image !== 'string' || image === '') return 'has no image';
  const at = image.indexOf('@');
  if (at !== -1) {
    return /^sha256:[a-f0-9]{64}$/.test(image.slice(at + 1)) ? undefined : `has a malformed digest ("${image}")`;
  }
  const name = image.slice(image.lastIndexOf('/') + 1);
  const colon = name.indexOf(':');
  if (colon === -1) return `has no tag ("${image}" pulls "latest")`;
  const tag = name.slice(colon + 1);
  if (tag === 'latest') return `uses the "latest" tag ("${image}")`;
  if (tag === '') return `has an empty tag ("${image}")`;
  return undefined;
}

function hostUnder(host: string, domain: string): boolean {
  const bare = host.startsWith('*.') ? host.slice(2) : host;
  return bare === domain || bare.endsWith(`.${domain}`);
}

function tlsCovers(pattern: unknown, host: string): boolean {
  if (typeof pattern !== 'string') return false;
  if (pattern === host) return true;
  if (!pattern.startsWith('*.')) return false;
  const suffix = pattern.slice(1);
  return host.endsWith(suffix) && !host.slice(0, -suffix.length).includes('.');
}

const RBAC = 'rbac.authorization.k8s.io/v1';

const RULES: { readonly [id in PolicyRuleId]: Omit<PolicyRule, 'id'> } = {
  resources: {
    doc: 'every container and init container has cpu and memory requests and limits (requests <= limits)',
    severity: 'error',
    hint: 'set resources.requests and resources.limits (cpu and memory), e.g. containerResources(RESOURCE_PRESETS.small)',
    exceptions: true,
    object(o, _env, report) {
      if (!o.pod) return;
      eachContainer(o.pod, true, (c, path, name) => {
        const resources = obj(c.resources);
        const requests = obj(resources?.requests);
        const limits = obj(resources?.limits);
        if (!requests && !limits) {
          report(`${path}.resources`, `${name} has no resource requests or limits`);
          return;
        }
        for (const [what, block] of [['requests', requests], ['limits', limits]] as const) {
          if (!block) {
            report(`${path}.resources.${what}`, `${name} has no resource ${what}`);
            continue;
          }
          for (const resource of ['cpu', 'memory']) {
            if (block[resource] === undefined) report(`${path}.resources.${what}.${resource}`, `${name} has no ${resource} ${what === 'requests' ? 'request' : 'limit'}`);
          }
        }
        for (const resource of ['cpu', 'memory']) {
          const request = quantityValue(requests?.[resource]);
          const limit = quantityValue(limits?.[resource]);
          if (request !== undefined && limit !== undefined && request > limit) {
            report(`${path}.resources.requests.${resource}`, `${name} requests more ${resource} (${String(requests![resource])}) than its limit (${String(limits![resource])}); the API server rejects it`);
          }
        }
      });
    },
  },

  probes: {
    doc: 'long-running containers (Deployment, StatefulSet, DaemonSet) have a readiness and a liveness probe',
    severity: 'error',
    hint: 'add readinessProbe and livenessProbe (httpGet on the health endpoint, or tcpSocket on the serving port)',
    exceptions: true,
    object(o, _env, report) {
      if (!o.pod?.longRunning) return;
      eachContainer(o.pod, false, (c, path, name) => {
        if (!c.readinessProbe) report(`${path}.readinessProbe`, `${name} has no readiness probe`);
        if (!c.livenessProbe) report(`${path}.livenessProbe`, `${name} has no liveness probe`);
      });
    },
  },

  'run-as-non-root': {
    doc: 'containers run as non-root: runAsNonRoot true on the pod or the container, never runAsUser 0',
    severity: 'error',
    hint: 'use restrictedPod() and restrictedContainer() (runAsNonRoot: true, a non-zero runAsUser)',
    exceptions: true,
    object(o, _env, report) {
      const pod = o.pod;
      if (!pod) return;
      eachContainer(pod, true, (c, path, name) => {
        const user = effective(pod, c, 'runAsUser');
        if (user?.value === 0) {
          report(user.path === 'pod' ? `${pod.path}.securityContext.runAsUser` : `${path}.securityContext.runAsUser`, `${name} runs as UID 0 (root)`);
          return;
        }
        const nonRoot = effective(pod, c, 'runAsNonRoot');
        if (nonRoot?.value !== true) {
          report(nonRoot?.path === 'pod' ? `${pod.path}.securityContext.runAsNonRoot` : `${path}.securityContext.runAsNonRoot`,
            `${name} may run as root: runAsNonRoot is ${nonRoot ? String(nonRoot.value) : 'not set'} (on the container or the pod)`);
        }
      });
    },
  },

  'no-privilege-escalation': {
    doc: 'containers set allowPrivilegeEscalation: false',
    severity: 'error',
    hint: 'use restrictedContainer() (allowPrivilegeEscalation: false)',
    exceptions: true,
    object(o, _env, report) {
      if (!o.pod) return;
      eachContainer(o.pod, true, (c, path, name) => {
        const value = obj(c.securityContext)?.allowPrivilegeEscalation;
        if (value !== false) report(`${path}.securityContext.allowPrivilegeEscalation`, `${name} allows privilege escalation (${value === undefined ? 'not set' : String(value)})`);
      });
    },
  },

  'drop-capabilities': {
    doc: 'containers drop ALL capabilities and add none but NET_BIND_SERVICE',
    severity: 'error',
    hint: 'use restrictedContainer() (capabilities: { drop: [ALL] })',
    exceptions: true,
    object(o, _env, report) {
      if (!o.pod) return;
      eachContainer(o.pod, true, (c, path, name) => {
        const capabilities = obj(obj(c.securityContext)?.capabilities);
        if (!list(capabilities?.drop).includes('ALL')) report(`${path}.securityContext.capabilities.drop`, `${name} does not drop ALL capabilities`);
        list(capabilities?.add).forEach((cap, i) => {
          if (cap !== 'NET_BIND_SERVICE') report(`${path}.securityContext.capabilities.add[${i}]`, `${name} adds capability ${String(cap)}`);
        });
      });
    },
  },

  'read-only-root-fs': {
    doc: 'containers have a read-only root filesystem (writable paths are volumes)',
    severity: 'error',
    hint: 'use restrictedContainer() (readOnlyRootFilesystem: true) and mount an emptyDir where the process writes',
    exceptions: true,
    object(o, _env, report) {
      if (!o.pod) return;
      eachContainer(o.pod, true, (c, path, name) => {
        if (obj(c.securityContext)?.readOnlyRootFilesystem !== true) report(`${path}.securityContext.readOnlyRootFilesystem`, `${name} has a writable root filesystem`);
      });
    },
  },

  'image-tag': {
    doc: 'images are pinned by an explicit tag or digest, never latest',
    severity: 'error',
    hint: 'pin a version ("repo/name:1.2.3" or "repo/name@sha256:…"); add-ons take images from addons/versions.ts',
    exceptions: true,
    object(o, _env, report) {
      if (!o.pod) return;
      eachContainer(o.pod, true, (c, path, name) => {
        const problem = imageProblem(c.image);
        if (problem) report(`${path}.image`, `${name} ${problem}`);
      });
    },
  },

  'no-secret-data': {
    doc: 'no Secret carries data or stringData: secrets never live in git (no exceptions)',
    severity: 'error',
    hint: 'create the Secret outside git (sealed/external secrets, the cloud\'s secret store) and reference it by name',
    exceptions: false,
    object(o, _env, report) {
      if (o.key !== 'v1/Secret') return;
      for (const field of ['data', 'stringData']) {
        const value = obj(o.doc[field]);
        if (value && Object.keys(value).length) report(field, `Secret carries ${field} (${Object.keys(value).sort().join(', ')}) in git`);
      }
    },
  },

  'tenant-namespace': {
    doc: 'a tenant namespace enforces PSS restricted and has a default-deny NetworkPolicy, a ResourceQuota and a LimitRange',
    severity: 'error',
    hint: 'render the tenant\'s guardrails (PSS labels, NetworkPolicy.defaultDeny, ResourceQuota, LimitRange) into the namespace',
    exceptions: true,
    environment(env, report) {
      for (const [name, ns] of env.tenantNamespaces) {
        const enforce = ns.labels[`${PSS_LABEL}/enforce`];
        if (enforce !== 'restricted') {
          report(ns, `metadata.labels["${PSS_LABEL}/enforce"]`, `tenant namespace "${name}" must enforce the restricted Pod Security Standard (got ${enforce === undefined ? 'no label' : JSON.stringify(enforce)})`);
        }
        for (const mode of ['audit', 'warn']) {
          const value = ns.labels[`${PSS_LABEL}/${mode}`];
          if (value !== undefined && value !== 'restricted') {
            report(ns, `metadata.labels["${PSS_LABEL}/${mode}"]`, `tenant namespace "${name}" must ${mode} at restricted, not ${JSON.stringify(value)}`);
          }
        }
        if (!env.defaultDenyNamespaces.has(name)) report(ns, '', `tenant namespace "${name}" has no default-deny NetworkPolicy (podSelector {}, policyTypes [Ingress, Egress], no rules)`);
        if (!env.quotaNamespaces.has(name)) report(ns, '', `tenant namespace "${name}" has no ResourceQuota`);
        if (!env.limitRangeNamespaces.has(name)) report(ns, '', `tenant namespace "${name}" has no LimitRange`);
      }
    },
  },

  'node-placement': {
    doc: 'tenant pods run on worker nodes, add-on pods on core nodes (node-type label; DaemonSets of add-ons excepted)',
    severity: 'error',
    hint: 'use Placement.worker(ctx) for tenants, Placement.core(ctx) for add-ons (required node affinity on node-type)',
    exceptions: true,
    object(o, _env, report) {
      const pod = o.pod;
      if (!pod) return;
      const tenant = o.owner === 'tenant';
      if (!tenant && o.ref.kind === 'DaemonSet') return;
      const role = tenant ? WORKER : CORE;
      if (requiresNodeType(pod.spec, role)) return;
      const pinned = obj(pod.spec.nodeSelector)?.[LABELS.nodeType];
      if (pinned !== undefined) {
        report(`${pod.path}.nodeSelector["${LABELS.nodeType}"]`, `${tenant ? 'tenant' : 'platform'} pods must run on ${role} nodes, not ${String(pinned)}`);
      } else {
        report(`${pod.path}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution`, `${tenant ? 'tenant' : 'platform'} pods must be pinned to ${role} nodes (${LABELS.nodeType}=${role} by nodeSelector or required node affinity)`);
      }
    },
  },

  'host-access': {
    doc: 'no hostPath volumes, hostNetwork, hostPID, hostIPC or privileged containers',
    severity: 'error',
    hint: 'remove the host access; a node agent that needs it declares policyException(obj, \'host-access\', reason) and its README says why',
    exceptions: true,
    object(o, _env, report) {
      const pod = o.pod;
      if (!pod) return;
      for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) {
        if (pod.spec[field] === true) report(`${pod.path}.${field}`, `pods share the node's ${field.slice(4) === 'Network' ? 'network' : field.slice(4)} namespace`);
      }
      list(pod.spec.volumes).forEach((v, i) => {
        const hostPath = obj(obj(v)?.hostPath);
        if (hostPath) report(`${pod.path}.volumes[${i}].hostPath`, `volume "${String(obj(v)?.name)}" mounts the node's ${String(hostPath.path)}`);
      });
      eachContainer(pod, true, (c, path, name) => {
        if (obj(c.securityContext)?.privileged === true) report(`${path}.securityContext.privileged`, `${name} runs privileged`);
      });
    },
  },

  'tenant-rbac': {
    doc: 'tenants get no ClusterRoles or ClusterRoleBindings, no RoleBindings to ClusterRoles, no wildcard verbs or resources',
    severity: 'error',
    hint: 'grant tenants Roles in their namespace, with the verbs and resources they need spelled out',
    exceptions: true,
    object(o, _env, report) {
      if (o.owner !== 'tenant') return;
      switch (o.key) {
        case `${RBAC}/ClusterRoleBinding`:
          report('', 'tenants get no ClusterRoleBindings (cluster-wide permissions)');
          return;
        case `${RBAC}/ClusterRole`:
          report('', 'tenants get no ClusterRoles (cluster-wide permissions, and aggregation into admin/edit/view)');
          return;
        case `${RBAC}/RoleBinding`: {
          const roleRef = obj(o.doc.roleRef);
          if (roleRef?.kind === 'ClusterRole') report('roleRef.kind', `binds ClusterRole "${String(roleRef.name)}"; tenants bind Roles of their namespace`);
          return;
        }
        case `${RBAC}/Role`:
          list(o.doc.rules).forEach((rule, i) => {
            list(obj(rule)?.verbs).forEach((verb, j) => {
              if (typeof verb === 'string' && verb.includes('*')) report(`rules[${i}].verbs[${j}]`, `wildcard verb "${verb}"`);
            });
            list(obj(rule)?.resources).forEach((resource, j) => {
              if (typeof resource === 'string' && resource.includes('*')) report(`rules[${i}].resources[${j}]`, `wildcard resource "${resource}"`);
            });
          });
          return;
        default:
      }
    },
  },

  'ingress-tls': {
    doc: 'every Ingress has TLS for all its hosts, and every host is under the environment\'s domain',
    severity: 'error',
    hint: 'use PlatformIngress (host under ctx.domain, cert-manager TLS for that host)',
    exceptions: true,
    object(o, env, report) {
      if (o.key !== 'networking.k8s.io/v1/Ingress') return;
      const spec = obj(o.doc.spec) ?? {};
      const domain = env.info?.domain;
      const tls = list(spec.tls);
      if (tls.length === 0) report('spec.tls', 'no TLS: every Ingress serves HTTPS');
      tls.forEach((entry, i) => list(obj(entry)?.hosts).forEach((host, j) => {
        if (domain && typeof host === 'string' && !hostUnder(host, domain)) report(`spec.tls[${i}].hosts[${j}]`, `"${host}" is not under the environment's domain "${domain}"`);
      }));
      const rules = list(spec.rules);
      if (rules.length === 0 && spec.defaultBackend) report('spec.defaultBackend', 'a default backend answers for every host name, not only hosts under the environment\'s domain');
      rules.forEach((rule, i) => {
        const host = obj(rule)?.host;
        if (typeof host !== 'string' || host === '') {
          report(`spec.rules[${i}].host`, 'a rule without host answers for every host name');
          return;
        }
        if (domain && !hostUnder(host, domain)) report(`spec.rules[${i}].host`, `"${host}" is not under the environment's domain "${domain}"`);
        if (tls.length && !tls.some((entry) => list(obj(entry)?.hosts).some((pattern) => tlsCovers(pattern, host)))) {
          report(`spec.rules[${i}].host`, `"${host}" has no TLS: no spec.tls[].hosts entry covers it`);
        }
      });
    },
  },

  'service-selector': {
    doc: 'a Service with a selector selects the pods of some workload in its namespace',
    severity: 'error',
    hint: 'select pods with serviceSelects(service, identity) using the workload\'s AppIdentity',
    exceptions: true,
    environment(env, report) {
      for (const service of env.services) {
        const spec = obj(service.doc.spec);
        const selector = obj(spec?.selector);
        if (!selector || Object.keys(selector).length === 0 || spec?.type === 'ExternalName') continue;
        const ns = service.ref.namespace ?? '';
        const templates = env.podTemplates.get(ns) ?? [];
        if (!templates.some((t) => matchesLabels(selector, t.pod!.labels))) {
          report(service, 'spec.selector', `selects no pods: no pod template in namespace "${ns}" has the labels ${formatLabels(selector)}${templates.length ? '' : ' (the namespace has no workloads in this tree)'}`);
        }
      }
    },
  },

  'pdb-selector': {
    doc: 'a PodDisruptionBudget selects the pods of some workload in its namespace',
    severity: 'error',
    hint: 'use the workload\'s selector labels (AppIdentity.selectorLabels) in spec.selector.matchLabels',
    exceptions: true,
    environment(env, report) {
      for (const pdb of env.disruptionBudgets) {
        const selector = obj(obj(pdb.doc.spec)?.selector);
        const ns = pdb.ref.namespace ?? '';
        if (!selector) {
          report(pdb, 'spec.selector', 'has no selector: the budget protects no pods');
          continue;
        }
        const templates = env.podTemplates.get(ns) ?? [];
        if (!templates.some((t) => matchesSelector(selector, t.pod!.labels))) {
          report(pdb, 'spec.selector', `selects no pods: no pod template in namespace "${ns}" matches ${formatSelector(selector)}`);
        }
      }
    },
  },
};

/** Every policy rule, in the order of POLICY_RULES. */
export const POLICY: readonly PolicyRule[] = POLICY_RULES.map((id) => ({ id, ...RULES[id] }));
export const POLICY_BY_ID: ReadonlyMap<string, PolicyRule> = new Map(POLICY.map((r) => [r.id, r]));
export const OBJECT_RULES = POLICY.filter((r) => r.object);
export const ENVIRONMENT_RULES = POLICY.filter((r) => r.environment);
