import { POLICY_RULES } from '@platform/charts';
import { POLICY } from '../../src/validate';
import { clone, findingsOf, goodAddon, goodTenant, summarize, validateFiles } from './fixtures';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Files = Record<string, Json>;

const T = 'test/tenants/shop';
const DEPLOY = `${T}/workloads/deployment-web.yaml`;
const POD = 'spec.template.spec';
const C0 = `${POD}.containers[0]`;
const A = 'test/addons/agent';

/** The good tenant and add-on, changed by `edit`. */
function tree(edit: (files: Files) => void = () => {}): Files {
  const files: Files = { ...clone(goodTenant()), ...clone(goodAddon()) };
  edit(files);
  return files;
}

function expectFinding(files: Files, rule: string, file: string, path: string, message?: string | RegExp): void {
  const report = validateFiles(files);
  const hits = findingsOf(report, rule).filter((f) => f.file === file && f.path === path);
  if (hits.length === 0) throw new Error(`no ${rule} finding at ${file} ${path}; got:\n${summarize(report).join('\n')}`);
  if (message) expect(hits.map((h) => h.message).join('\n')).toMatch(message);
  expect(hits[0].severity).toBe('error');
}

function expectClean(files: Files): void {
  const report = validateFiles(files);
  expect(summarize(report)).toEqual([]);
}

describe('policy rules', () => {
  test('every rule id of charts/src/policy.ts has a doc, a severity, a hint and a check', () => {
    expect(POLICY.map((r) => r.id)).toEqual([...POLICY_RULES]);
    for (const rule of POLICY) {
      expect(rule.doc.length).toBeGreaterThan(10);
      expect(rule.hint.length).toBeGreaterThan(10);
      expect(['error', 'warning']).toContain(rule.severity);
      expect(Boolean(rule.object) || Boolean(rule.environment)).toBe(true);
    }
  });

  test('a tenant and an add-on that follow every rule validate clean; the add-on\'s exception is listed', () => {
    const report = validateFiles(tree());
    expect(summarize(report)).toEqual([]);
    expect(report.exceptions).toEqual([{
      file: `${A}/daemonset-agent.yaml`,
      object: { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', namespace: 'agent' },
      rule: 'host-access',
      reason: 'reads container logs from the node (/var/log, read-only)',
    }]);
  });

  describe('resources', () => {
    test('a container without limits is reported at its resources.limits', () => {
      expectFinding(tree((f) => { delete f[DEPLOY].spec.template.spec.containers[0].resources.limits; }), 'resources', DEPLOY, `${C0}.resources.limits`, 'container "web" has no resource limits');
    });
    test('an init container without resources is reported too', () => {
      expectFinding(tree((f) => { f[DEPLOY].spec.template.spec.initContainers = [{ name: 'init', image: 'busybox:1.36', securityContext: clone(f[DEPLOY].spec.template.spec.containers[0].securityContext) }]; }),
        'resources', DEPLOY, `${POD}.initContainers[0].resources`, 'init container "init" has no resource requests or limits');
    });
    test('a missing memory request and a request above its limit are reported by field', () => {
      const files = tree((f) => {
        const r = f[DEPLOY].spec.template.spec.containers[0].resources;
        delete r.requests.memory;
        r.requests.cpu = '1';
        r.limits.cpu = '500m';
      });
      expectFinding(files, 'resources', DEPLOY, `${C0}.resources.requests.memory`);
      expectFinding(files, 'resources', DEPLOY, `${C0}.resources.requests.cpu`, /requests more cpu \(1\) than its limit \(500m\)/);
    });
    test('numbers are quantities too', () => {
      expectClean(tree((f) => { f[DEPLOY].spec.template.spec.containers[0].resources = { requests: { cpu: 0.5, memory: '1Gi' }, limits: { cpu: 1, memory: '1Gi' } }; }));
    });
  });

  describe('probes', () => {
    test('a Deployment container without a readiness probe is reported', () => {
      expectFinding(tree((f) => { delete f[DEPLOY].spec.template.spec.containers[0].readinessProbe; }), 'probes', DEPLOY, `${C0}.readinessProbe`);
    });
    test('a DaemonSet container without a liveness probe is reported', () => {
      const file = `${A}/daemonset-agent.yaml`;
      expectFinding(tree((f) => { delete f[file].spec.template.spec.containers[0].livenessProbe; }), 'probes', file, `${POD}.containers[0].livenessProbe`);
    });
    test('Jobs and CronJobs need no probes', () => {
      expectClean(tree((f) => {
        const pod = clone(f[DEPLOY].spec.template);
        delete pod.spec.containers[0].readinessProbe;
        delete pod.spec.containers[0].livenessProbe;
        pod.spec.restartPolicy = 'OnFailure';
        f[`${T}/workloads/cronjob-report.yaml`] = {
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          metadata: { ...clone(f[DEPLOY].metadata), name: 'report' },
          spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: pod } } },
        };
      }));
    });
  });

  describe('security context', () => {
    test('runAsNonRoot: pod-level is enough; missing on both levels is reported at the container', () => {
      expectClean(tree((f) => { delete f[DEPLOY].spec.template.spec.containers[0].securityContext.runAsNonRoot; }));
      expectFinding(tree((f) => {
        delete f[DEPLOY].spec.template.spec.containers[0].securityContext.runAsNonRoot;
        delete f[DEPLOY].spec.template.spec.securityContext.runAsNonRoot;
      }), 'run-as-non-root', DEPLOY, `${C0}.securityContext.runAsNonRoot`);
    });
    test('runAsUser 0 is root whatever runAsNonRoot says', () => {
      expectFinding(tree((f) => { f[DEPLOY].spec.template.spec.securityContext.runAsUser = 0; }), 'run-as-non-root', DEPLOY, `${POD}.securityContext.runAsUser`, 'runs as UID 0');
    });
    test('allowPrivilegeEscalation must be false', () => {
      expectFinding(tree((f) => { delete f[DEPLOY].spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation; }), 'no-privilege-escalation', DEPLOY, `${C0}.securityContext.allowPrivilegeEscalation`);
    });
    test('capabilities: ALL dropped; NET_BIND_SERVICE may be added, nothing else', () => {
      expectClean(tree((f) => { f[DEPLOY].spec.template.spec.containers[0].securityContext.capabilities.add = ['NET_BIND_SERVICE']; }));
      const files = tree((f) => { f[DEPLOY].spec.template.spec.containers[0].securityContext.capabilities = { drop: ['NET_RAW'], add: ['SYS_ADMIN'] }; });
      expectFinding(files, 'drop-capabilities', DEPLOY, `${C0}.securityContext.capabilities.drop`);
      expectFinding(files, 'drop-capabilities', DEPLOY, `${C0}.securityContext.capabilities.add[0]`, 'adds capability SYS_ADMIN');
    });
    test('the root filesystem must be read-only', () => {
      expectFinding(tree((f) => { f[DEPLOY].spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false; }), 'read-only-root-fs', DEPLOY, `${C0}.securityContext.readOnlyRootFilesystem`);
    });
  });

  describe('image-tag', () => {
    test.each([
      ['registry.example.com/web', 'has no tag'],
      ['registry.example.com:5000/web', 'has no tag'],
      ['registry.example.com/web:latest', 'uses the "latest" tag'],
    ])('%s is reported', (image, message) => {
      expectFinding(tree((f) => { f[DEPLOY].spec.template.spec.containers[0].image = image; }), 'image-tag', DEPLOY, `${C0}.image`, message);
    });
    test.each([
      'registry.example.com:5000/web:1.2.3',
      `registry.example.com/web@sha256:${'a'.repeat(64)}`,
      `registry.example.com/web:latest@sha256:${'b'.repeat(64)}`,
    ])('%s is pinned', (image) => {
      expectClean(tree((f) => { f[DEPLOY].spec.template.spec.containers[0].image = image; }));
    });
  });

  describe('no-secret-data', () => {
    const secret = (extra: Json, unit = 'addon.agent'): Json => ({
      apiVersion: 'v1', kind: 'Secret', type: 'Opaque',
      metadata: { name: 'creds', namespace: 'agent', labels: { 'platform.example.com/unit': unit } },
      ...extra,
    });
    test('a Secret with data or stringData is reported, even with an exception', () => {
      const file = `${A}/secret-creds.yaml`;
      const files = tree((f) => {
        f[file] = secret({ data: { password: 'aHVudGVyMg==' }, stringData: { user: 'admin' } });
        f[file].metadata.annotations = { 'policy.platform.example.com/no-secret-data': 'the chart needs a static password here' };
      });
      expectFinding(files, 'no-secret-data', file, 'data', 'Secret carries data (password) in git');
      expectFinding(files, 'no-secret-data', file, 'stringData');
      expectFinding(files, 'policy-exception', file, 'metadata.annotations["policy.platform.example.com/no-secret-data"]', 'no-secret-data has no exceptions');
    });
    test('a Secret without data (filled in-cluster) is fine', () => {
      expectClean(tree((f) => { f[`${A}/secret-creds.yaml`] = secret({}); }));
    });
  });

  describe('tenant-namespace', () => {
    const NS = 'test/cluster/namespace-shop.yaml';
    test('PSS enforce must be restricted', () => {
      expectFinding(tree((f) => { f[NS].metadata.labels['pod-security.kubernetes.io/enforce'] = 'baseline'; }),
        'tenant-namespace', NS, 'metadata.labels["pod-security.kubernetes.io/enforce"]', 'must enforce the restricted Pod Security Standard (got "baseline")');
    });
    test('missing default-deny, quota and limit range are reported on the namespace', () => {
      const files = tree((f) => {
        f[`${T}/guardrails/networkpolicy-default-deny.yaml`].spec.ingress = [{ from: [{ podSelector: {} }] }];
        delete f[`${T}/guardrails/resourcequota-quota.yaml`];
        delete f[`${T}/guardrails/limitrange-limits.yaml`];
      });
      const messages = findingsOf(validateFiles(files), 'tenant-namespace').map((x) => `${x.file} ${x.message}`);
      expect(messages).toEqual([
        `${NS} tenant namespace "shop" has no default-deny NetworkPolicy (podSelector {}, policyTypes [Ingress, Egress], no rules)`,
        `${NS} tenant namespace "shop" has no ResourceQuota`,
        `${NS} tenant namespace "shop" has no LimitRange`,
      ]);
    });
    test('a default-deny policy with only one policy type is not default-deny', () => {
      expectFinding(tree((f) => { f[`${T}/guardrails/networkpolicy-default-deny.yaml`].spec.policyTypes = ['Ingress']; }), 'tenant-namespace', NS, '', /no default-deny NetworkPolicy/);
    });
  });

  describe('node-placement', () => {
    test('a tenant Deployment without placement is reported', () => {
      expectFinding(tree((f) => { delete f[DEPLOY].spec.template.spec.affinity; }), 'node-placement', DEPLOY,
        `${POD}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution`, 'tenant pods must be pinned to worker nodes');
    });
    test('a tenant pinned to core nodes is reported; nodeSelector node-type=worker is fine', () => {
      expectFinding(tree((f) => { delete f[DEPLOY].spec.template.spec.affinity; f[DEPLOY].spec.template.spec.nodeSelector = { 'node-type': 'core' }; }),
        'node-placement', DEPLOY, `${POD}.nodeSelector["node-type"]`, 'not core');
      expectClean(tree((f) => { delete f[DEPLOY].spec.template.spec.affinity; f[DEPLOY].spec.template.spec.nodeSelector = { 'node-type': 'worker' }; }));
    });
    test('an add-on Deployment on worker nodes is reported; add-on DaemonSets run everywhere', () => {
      const file = `${A}/deployment-agent-server.yaml`;
      expectFinding(tree((f) => { f[file].spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values = ['worker']; }),
        'node-placement', file, `${POD}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution`, 'platform pods must be pinned to core nodes');
    });
  });

  describe('host-access', () => {
    test('hostNetwork, hostPID, hostIPC, hostPath and privileged are each reported', () => {
      const files = tree((f) => {
        const pod = f[DEPLOY].spec.template.spec;
        Object.assign(pod, { hostNetwork: true, hostPID: true, hostIPC: true, volumes: [{ name: 'root', hostPath: { path: '/' } }] });
        pod.containers[0].securityContext.privileged = true;
      });
      for (const path of [`${POD}.hostNetwork`, `${POD}.hostPID`, `${POD}.hostIPC`, `${POD}.volumes[0].hostPath`, `${C0}.securityContext.privileged`]) {
        expectFinding(files, 'host-access', DEPLOY, path);
      }
    });
    test('without its exception the add-on\'s node agent is reported', () => {
      const file = `${A}/daemonset-agent.yaml`;
      expectFinding(tree((f) => { delete f[file].metadata.annotations; }), 'host-access', file, `${POD}.volumes[0].hostPath`, 'mounts the node\'s /var/log');
    });
  });

  describe('tenant-rbac', () => {
    test('ClusterRoleBindings and ClusterRoles of a tenant are reported', () => {
      const crb = `${T}/guardrails/clusterrolebinding-shop.yaml`;
      const files = tree((f) => {
        f[crb] = {
          apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding',
          metadata: { name: 'shop', labels: { 'platform.example.com/unit': 'tenant.shop' } },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
          subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'shop-devs' }],
        };
      });
      expectFinding(files, 'tenant-rbac', crb, '', 'tenants get no ClusterRoleBindings');
    });
    test('a RoleBinding to a ClusterRole is reported at roleRef.kind', () => {
      const rb = `${T}/guardrails/rolebinding-developer.yaml`;
      expectFinding(tree((f) => { f[rb].roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' }; }), 'tenant-rbac', rb, 'roleRef.kind', 'binds ClusterRole "edit"');
    });
    test('wildcard verbs and resources in a tenant Role are reported', () => {
      const role = `${T}/guardrails/role-developer.yaml`;
      const files = tree((f) => { f[role].rules = [{ apiGroups: [''], resources: ['pods', '*'], verbs: ['*'] }]; });
      expectFinding(files, 'tenant-rbac', role, 'rules[0].verbs[0]', 'wildcard verb "*"');
      expectFinding(files, 'tenant-rbac', role, 'rules[0].resources[1]', 'wildcard resource "*"');
    });
    test('add-ons may have ClusterRoles with wildcards (they are not tenants)', () => {
      expectClean(tree((f) => {
        f[`${A}/clusterrole-agent.yaml`] = {
          apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole',
          metadata: { name: 'agent', labels: { 'platform.example.com/unit': 'addon.agent' } },
          rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch'] }],
        };
      }));
    });
  });

  describe('ingress-tls', () => {
    const ING = `${T}/workloads/ingress-web.yaml`;
    test('an Ingress without TLS is reported', () => {
      expectFinding(tree((f) => { delete f[ING].spec.tls; }), 'ingress-tls', ING, 'spec.tls', 'no TLS');
    });
    test('a host outside the environment\'s domain, and a host TLS does not cover, are reported', () => {
      const files = tree((f) => {
        f[ING].spec.rules.push({ host: 'shop.example.org', http: clone(f[ING].spec.rules[0].http) });
        f[ING].spec.rules.push({ host: 'api.test.example.com', http: clone(f[ING].spec.rules[0].http) });
      });
      expectFinding(files, 'ingress-tls', ING, 'spec.rules[1].host', '"shop.example.org" is not under the environment\'s domain "test.example.com"');
      expectFinding(files, 'ingress-tls', ING, 'spec.rules[2].host', '"api.test.example.com" has no TLS');
    });
    test('a wildcard TLS host covers one level of sub-domains', () => {
      expectClean(tree((f) => { f[ING].spec.tls = [{ hosts: ['*.test.example.com'], secretName: 'wildcard' }]; }));
    });
  });

  describe('service-selector', () => {
    test('a Service selecting no pod template of its namespace is reported', () => {
      const svc = `${T}/workloads/service-web.yaml`;
      expectFinding(tree((f) => { f[svc].spec.selector['app.kubernetes.io/name'] = 'wbe'; }), 'service-selector', svc, 'spec.selector', /selects no pods: no pod template in namespace "shop" has the labels .*app.kubernetes.io\/name=wbe/);
    });
    test('pods of another namespace do not count', () => {
      const svc = `${T}/workloads/service-web.yaml`;
      expectFinding(tree((f) => { f[svc].metadata.namespace = 'agent'; f[svc].metadata.labels['platform.example.com/unit'] = 'addon.agent'; }), 'service-selector', svc, 'spec.selector');
    });
  });

  describe('pdb-selector', () => {
    const PDB = `${T}/workloads/poddisruptionbudget-web.yaml`;
    test('a PodDisruptionBudget selecting no pods is reported', () => {
      expectFinding(tree((f) => { f[PDB].spec.selector = { matchLabels: { 'app.kubernetes.io/name': 'api' } }; }), 'pdb-selector', PDB, 'spec.selector', 'app.kubernetes.io/name=api');
    });
    test('matchExpressions are understood', () => {
      expectClean(tree((f) => { f[PDB].spec.selector = { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: ['api', 'web'] }] }; }));
      expectFinding(tree((f) => { f[PDB].spec.selector = { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'NotIn', values: ['web'] }] }; }), 'pdb-selector', PDB, 'spec.selector');
    });
  });

  describe('exceptions', () => {
    test('a tenant cannot grant itself an exception: the annotation is an error and the violation stays', () => {
      const files = tree((f) => {
        f[DEPLOY].metadata.annotations = { 'policy.platform.example.com/read-only-root-fs': 'our app writes to /app/cache all the time' };
        f[DEPLOY].spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false;
      });
      expectFinding(files, 'policy-exception', DEPLOY, 'metadata.annotations["policy.platform.example.com/read-only-root-fs"]', 'a tenant cannot grant itself an exception to read-only-root-fs');
      expectFinding(files, 'read-only-root-fs', DEPLOY, `${C0}.securityContext.readOnlyRootFilesystem`);
      expect(validateFiles(files).exceptions).toEqual([
        expect.objectContaining({ rule: 'host-access' }),
      ]);
    });
    test('an exception for an unknown rule is an error; one the object does not need is a warning', () => {
      const file = `${A}/deployment-agent-server.yaml`;
      const report = validateFiles(tree((f) => {
        f[file].metadata.annotations = {
          'policy.platform.example.com/no-root': 'typo in the rule id, should be run-as-non-root',
          'policy.platform.example.com/probes': 'the server has no health endpoint at all, really',
        };
      }));
      expect(summarize(report)).toEqual([
        `policy-exception ${file} metadata.annotations["policy.platform.example.com/no-root"]: unknown policy rule "no-root"; rules: ${POLICY_RULES.join(', ')}`,
        `policy-exception ${file} metadata.annotations["policy.platform.example.com/probes"]: declares an exception to probes, but the object does not break that rule`,
      ]);
      expect(report.findings.map((x) => x.severity)).toEqual(['error', 'warning']);
    });
    test('exceptions are listed with rule, object and reason, and suppress only their rule', () => {
      const file = `${A}/deployment-agent-server.yaml`;
      const report = validateFiles(tree((f) => {
        f[file].metadata.annotations = { 'policy.platform.example.com/read-only-root-fs': 'the server rewrites its config file in place at every reload' };
        f[file].spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false;
        f[file].spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation = true;
      }));
      expect(summarize(report)).toEqual([
        `no-privilege-escalation ${file} ${C0}.securityContext.allowPrivilegeEscalation: container "agent-server" allows privilege escalation (true)`,
      ]);
      expect(report.exceptions.map((e) => `${e.rule} ${e.object.kind} ${e.object.namespace}/${e.object.name}: ${e.reason}`)).toEqual([
        'host-access DaemonSet agent/agent: reads container logs from the node (/var/log, read-only)',
        'read-only-root-fs Deployment agent/agent-server: the server rewrites its config file in place at every reload',
      ]);
    });
  });
});
