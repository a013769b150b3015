import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { toYaml } from '../../src/synth/manifest';
import type { Manifest } from '../../src/synth/manifest';
import { EnvironmentInfo, Finding, ValidationReport, validateTree } from '../../src/validate';

/** The environments every fixture tree is validated against. */
export const ENVIRONMENTS: ReadonlyMap<string, EnvironmentInfo> = new Map([
  ['test', { name: 'test', kubernetesVersion: '1.28', domain: 'test.example.com' }],
  ['prod', { name: 'prod', kubernetesVersion: '1.28', domain: 'example.com' }],
]);

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function clone<T>(value: T): T {
  return structuredClone(value);
}

function meta(name: string, unit: string, namespace?: string, extra: Json = {}): Json {
  return {
    name,
    ...(namespace ? { namespace } : {}),
    ...extra,
    labels: { 'app.kubernetes.io/managed-by': 'platformctl', 'platform.example.com/unit': unit, ...(extra.labels ?? {}) },
  };
}

const RESTRICTED = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  seccompProfile: { type: 'RuntimeDefault' },
};

function nodeAffinity(role: string): Json {
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: 'node-type', operator: 'In', values: [role] }] }],
      },
    },
  };
}

function container(name: string, image: string): Json {
  return {
    name,
    image,
    ports: [{ containerPort: 8080, name: 'http' }],
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
    readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
    livenessProbe: { httpGet: { path: '/live', port: 'http' } },
    securityContext: clone(RESTRICTED),
  };
}

export function deployment(name: string, namespace: string, unit: string, role: 'worker' | 'core'): Json {
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(name, unit, namespace),
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels: { ...labels, 'app.kubernetes.io/version': '1.2.3' } },
        spec: {
          affinity: nodeAffinity(role),
          automountServiceAccountToken: false,
          containers: [container(name, `registry.example.com/${name}:1.2.3`)],
          securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532 },
        },
      },
    },
  };
}

/**
 * A tenant that follows every rule: namespace with PSS restricted, default-deny policy, quota, limit range;
 * a web app (Deployment, Service, PDB, Ingress with TLS), a Role and a RoleBinding to it.
 */
export function goodTenant(name = 'shop', env = 'test'): Record<string, Json> {
  const unit = `tenant.${name}`;
  const dir = `${env}/tenants/${name}`;
  const domain = ENVIRONMENTS.get(env)!.domain;
  const labels = { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' };
  return {
    [`${env}/cluster/namespace-${name}.yaml`]: {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: meta(name, unit, undefined, { labels: { 'platform.example.com/tenant': name, 'pod-security.kubernetes.io/enforce': 'restricted' } }),
    },
    [`${dir}/guardrails/networkpolicy-default-deny.yaml`]: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta('default-deny', unit, name),
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    },
    [`${dir}/guardrails/resourcequota-quota.yaml`]: {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: meta('quota', unit, name),
      spec: { hard: { 'requests.cpu': '4', 'limits.memory': '8Gi', pods: 20 } },
    },
    [`${dir}/guardrails/limitrange-limits.yaml`]: {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: meta('limits', unit, name),
      spec: { limits: [{ type: 'Container', default: { cpu: '200m', memory: '128Mi' }, defaultRequest: { cpu: '50m', memory: '64Mi' } }] },
    },
    [`${dir}/guardrails/role-developer.yaml`]: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: meta('developer', unit, name),
      rules: [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch', 'patch'] }],
    },
    [`${dir}/guardrails/rolebinding-developer.yaml`]: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta('developer', unit, name),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'developer' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: `${name}-devs` }],
    },
    [`${dir}/workloads/deployment-web.yaml`]: deployment('web', name, unit, 'worker'),
    [`${dir}/workloads/service-web.yaml`]: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta('web', unit, name),
      spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    },
    [`${dir}/workloads/poddisruptionbudget-web.yaml`]: {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: meta('web', unit, name),
      spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
    },
    [`${dir}/workloads/ingress-web.yaml`]: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: meta('web', unit, name),
      spec: {
        ingressClassName: 'nginx',
        rules: [{ host: `${name}.${domain}`, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } }] } }],
        tls: [{ hosts: [`${name}.${domain}`], secretName: `${name}-tls` }],
      },
    },
  };
}

/** An add-on with a node agent that declares its host access, and a core Deployment. */
export function goodAddon(name = 'agent', env = 'test'): Record<string, Json> {
  const unit = `addon.${name}`;
  const dir = `${env}/addons/${name}`;
  const agent = deployment(name, name, unit, 'core');
  agent.kind = 'DaemonSet';
  delete agent.spec.replicas;
  delete agent.spec.template.spec.affinity;
  agent.metadata.annotations = { 'policy.platform.example.com/host-access': 'reads container logs from the node (/var/log, read-only)' };
  agent.spec.template.spec.volumes = [{ name: 'varlog', hostPath: { path: '/var/log' } }];
  agent.spec.template.spec.containers[0].volumeMounts = [{ name: 'varlog', mountPath: '/var/log', readOnly: true }];
  return {
    [`${env}/cluster/namespace-${name}.yaml`]: {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: meta(name, unit, undefined, { labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } }),
    },
    [`${dir}/daemonset-${name}.yaml`]: agent,
    [`${dir}/deployment-${name}-server.yaml`]: deployment(`${name}-server`, name, unit, 'core'),
  };
}

/** A temporary dist tree written from objects (or raw text), validated like `platformctl validate --dir`. */
export class FixtureTree {
  readonly dir = mkdtempSync(join(tmpdir(), 'validate-fixture-'));

  constructor(files: Record<string, Json | string> = {}) {
    this.write(files);
  }

  write(files: Record<string, Json | string>): this {
    for (const [path, content] of Object.entries(files)) {
      const target = join(this.dir, path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, typeof content === 'string' ? content : toYaml(content as Manifest));
    }
    return this;
  }

  validate(dir = this.dir): ValidationReport {
    return validateTree({ dir, environments: ENVIRONMENTS, display: (abs) => abs.slice(this.dir.length + 1) });
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Validates a tree made of `files` and disposes of it. */
export function validateFiles(files: Record<string, Json | string>): ValidationReport {
  const tree = new FixtureTree(files);
  try {
    return tree.validate();
  } finally {
    tree.dispose();
  }
}

/** Findings as compact strings: `rule file path: message` (easy to read in a failed expectation). */
export function summarize(report: ValidationReport): string[] {
  return report.findings.map((f: Finding) => `${f.rule} ${f.file} ${f.path}: ${f.message}`);
}

export function findingsOf(report: ValidationReport, rule: string): Finding[] {
  return report.findings.filter((f) => f.rule === rule);
}
