import { PEERS, policyExceptionKey } from '@platform/charts';
import { IMAGES, image } from '../../versions';
import { settings } from '../src';
import { AUTH, WORKLOAD_KINDS, find, matches, render, renderAll } from './render';

const READ_ONLY = ['get', 'list', 'watch'];
const podSpec = (workload: any) => workload.spec.template.spec;

describe('kubernetes-dashboard access', () => {
  test('users get a viewer role with read verbs only and no access to Secrets', () => {
    const viewer = find(render(), 'ClusterRole', 'kubernetes-dashboard-viewer');
    for (const rule of viewer.rules) {
      expect(rule.verbs.every((v: string) => READ_ONLY.includes(v))).toBe(true);
      expect(rule.resources).not.toContain('secrets');
      expect(rule.resources).not.toContain('*');
      expect(rule.apiGroups).not.toContain('*');
      expect(rule.resources.filter((r: string) => /\/(exec|attach|portforward|proxy|token)$/.test(r))).toEqual([]);
    }
  });

  test('the viewer role is bound to the configured group, and nothing binds cluster-admin', () => {
    const objects = render({ auth: AUTH, weaveScope: { enabled: true }, kubernetesDashboard: { viewerGroup: 'sre-readonly' } });
    const binding = find(objects, 'ClusterRoleBinding', 'kubernetes-dashboard-viewer');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'kubernetes-dashboard-viewer' });
    expect(binding.subjects).toEqual([{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'sre-readonly' }]);
    const bindings = objects.filter((o) => o.kind === 'ClusterRoleBinding' || o.kind === 'RoleBinding');
    expect(bindings.map((b) => b.roleRef.name)).not.toEqual(expect.arrayContaining(['cluster-admin']));
    for (const b of bindings) expect(['cluster-admin', 'admin', 'edit']).not.toContain(b.roleRef.name);
  });

  test('the dashboard requires a token login and cannot be skipped', () => {
    const args = podSpec(find(render(), 'Deployment', 'kubernetes-dashboard')).containers[0].args;
    expect(args).toEqual(expect.arrayContaining(['--enable-skip-login=false', '--authentication-mode=token', '--namespace=dashboards']));
  });

  test('its own ServiceAccount may only keep its key-holder, CSRF and settings objects', () => {
    const rules = find(render(), 'Role', 'kubernetes-dashboard').rules;
    expect(rules).toEqual([
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['kubernetes-dashboard-key-holder', 'kubernetes-dashboard-csrf'], verbs: ['get', 'update', 'delete'] },
      { apiGroups: [''], resources: ['configmaps'], resourceNames: ['kubernetes-dashboard-settings'], verbs: ['get', 'update'] },
    ]);
  });

  test('the Secrets the dashboard fills in exist, without any data in git', () => {
    const secrets = renderAll().filter((o) => o.kind === 'Secret');
    expect(secrets.map((s) => s.metadata.name).sort()).toEqual(['kubernetes-dashboard-csrf', 'kubernetes-dashboard-key-holder']);
    for (const secret of secrets) {
      expect(secret).not.toHaveProperty('data');
      expect(secret).not.toHaveProperty('stringData');
    }
  });
});

describe('read-only RBAC of the tools', () => {
  test('kube-ops-view lists nodes and pods and reads their metrics, nothing else', () => {
    const objects = render();
    const role = find(objects, 'ClusterRole', 'kube-ops-view');
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['nodes', 'pods'], verbs: ['list'] },
      { apiGroups: ['metrics.k8s.io'], resources: ['nodes', 'pods'], verbs: ['get', 'list'] },
    ]);
    expect(find(objects, 'ClusterRoleBinding', 'kube-ops-view').subjects).toEqual([{ kind: 'ServiceAccount', name: 'kube-ops-view', namespace: 'dashboards' }]);
  });

  test('every role the add-on renders reads only, apart from the dashboard keeping its own objects', () => {
    const roles = renderAll().filter((o) => (o.kind === 'ClusterRole' || o.kind === 'Role') && o.metadata.name !== 'kubernetes-dashboard');
    expect(roles.map((r) => r.metadata.name).sort()).toEqual(['dashboard-metrics-scraper', 'kube-ops-view', 'kubernetes-dashboard-viewer', 'weave-scope']);
    for (const role of roles) {
      for (const rule of role.rules) {
        expect(rule.verbs.every((v: string) => READ_ONLY.includes(v))).toBe(true);
        expect(rule.resources).not.toContain('secrets');
      }
    }
  });
});

describe('weave-scope', () => {
  test('is off unless enabled', () => {
    const objects = render();
    expect(objects.filter((o) => o.metadata.namespace === 'weave-scope' || o.metadata.name.startsWith('weave-scope'))).toEqual([]);
  });

  test('its node agent declares its host access, with the reason, and runs on every node', () => {
    const agent = find(renderAll(), 'DaemonSet', 'weave-scope-agent');
    expect(agent.metadata.annotations[policyExceptionKey('host-access')]).toMatch(/hostPID and hostNetwork/);
    const spec = podSpec(agent);
    expect(spec).toMatchObject({ hostPID: true, hostNetwork: true, automountServiceAccountToken: false });
    expect(spec.containers[0].securityContext.privileged).toBe(true);
    expect(spec.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(spec.affinity).toBeUndefined();
  });

  test('lives alone in a privileged namespace; the other tools stay restricted', () => {
    const objects = renderAll();
    expect(find(objects, 'Namespace', 'weave-scope').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(find(objects, 'Namespace', 'dashboards').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const privileged = objects.filter((o) => WORKLOAD_KINDS.includes(o.kind) && podSpec(o).containers.some((c: any) => c.securityContext?.privileged));
    expect(privileged.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['weave-scope/weave-scope-agent']);
  });

  test('its probes cannot exec, attach or change anything, and it is never behind an Ingress', () => {
    const objects = renderAll();
    for (const name of ['weave-scope-agent', 'weave-scope-cluster-agent']) {
      const workload = objects.find((o) => o.metadata.name === name);
      expect(podSpec(workload).containers[0].args).toContain('--probe.no-controls=true');
    }
    expect(objects.filter((o) => o.kind === 'Ingress' && o.metadata.namespace === 'weave-scope')).toEqual([]);
    expect(find(objects, 'Service', 'weave-scope-app').spec.type).toBe('ClusterIP');
  });

  test('the agents reach the app from their nodes, the cluster agent from its pod', () => {
    const objects = render({ auth: AUTH, weaveScope: { enabled: true, agentSourceCidrs: ['10.0.0.0/16'] } });
    const ingress = find(objects, 'NetworkPolicy', 'weave-scope-app').spec.ingress;
    expect(ingress[0]).toEqual({ from: [{ ipBlock: { cidr: '10.0.0.0/16' } }], ports: [{ port: 4040, protocol: 'TCP' }] });
    const clusterAgentPods = find(objects, 'Deployment', 'weave-scope-cluster-agent').spec.template.metadata.labels;
    expect(matches(ingress[1].from[0].podSelector.matchLabels, clusterAgentPods)).toBe(true);
  });
});

describe('disabled tools render nothing', () => {
  test.each([
    ['kubernetesDashboard', ['kubernetes-dashboard', 'dashboard-metrics-scraper']],
    ['kubeOpsView', ['kube-ops-view', 'kube-ops-view-redis']],
  ] as const)('%s off: none of its objects', (tool, names) => {
    const objects = render({ auth: AUTH, [tool]: { enabled: false } });
    expect(objects.filter((o) => names.some((n) => o.metadata.name.startsWith(n)))).toEqual([]);
  });

  test('all off: nothing at all, not even the namespaces', () => {
    expect(render({ kubernetesDashboard: { enabled: false }, kubeOpsView: { enabled: false } })).toEqual([]);
  });
});

describe('exposure', () => {
  test('UIs behind an Ingress on their subdomain, with the SSO check in front', () => {
    const objects = render();
    const dashboard = find(objects, 'Ingress', 'kubernetes-dashboard');
    expect(dashboard.spec.rules[0].host).toBe('dashboard.test.example.com');
    expect(dashboard.metadata.annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/auth-url': AUTH.url,
      'nginx.ingress.kubernetes.io/auth-signin': AUTH.signin,
      'nginx.ingress.kubernetes.io/backend-protocol': 'HTTPS',
    });
    expect(find(objects, 'Ingress', 'kube-ops-view').spec.rules[0].host).toBe('ops.test.example.com');
  });

  test('basic auth is the alternative to SSO', () => {
    const annotations = find(render({ auth: { type: 'basic', secretName: 'dashboards-htpasswd' } }), 'Ingress', 'kube-ops-view').metadata.annotations;
    expect(annotations).toMatchObject({ 'nginx.ingress.kubernetes.io/auth-type': 'basic', 'nginx.ingress.kubernetes.io/auth-secret': 'dashboards-htpasswd' });
  });

  test('an Ingress without authentication is refused', () => {
    const result = settings.safeParse({});
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.message)).toContain('is required: kubernetesDashboard is exposed through an Ingress (or set kubernetesDashboard.expose: "port-forward")');
  });

  test('port-forward only: no Ingress, no auth needed, no ingress from the controller', () => {
    const objects = render({ kubernetesDashboard: { expose: 'port-forward' }, kubeOpsView: { expose: 'port-forward' } });
    expect(objects.filter((o) => o.kind === 'Ingress')).toEqual([]);
    expect(find(objects, 'NetworkPolicy', 'kubernetes-dashboard').spec.ingress).toBeUndefined();
  });
});

describe('workloads', () => {
  test('run on core nodes, except the DaemonSet that runs everywhere', () => {
    const workloads = renderAll().filter((o) => WORKLOAD_KINDS.includes(o.kind));
    expect(workloads.length).toBe(7);
    for (const w of workloads.filter((o) => o.kind !== 'DaemonSet')) {
      expect(podSpec(w).affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms)
        .toEqual([{ matchExpressions: [{ key: 'node-type', operator: 'In', values: ['core'] }] }]);
    }
  });

  test('every container has requests and limits, and a pinned image from the version table', () => {
    const pinned = Object.values(IMAGES.dashboards).map(image);
    for (const w of renderAll().filter((o) => WORKLOAD_KINDS.includes(o.kind))) {
      for (const c of podSpec(w).containers) {
        expect(c.resources.requests).toBeDefined();
        expect(c.resources.limits).toBeDefined();
        expect(pinned).toContain(c.image);
      }
    }
  });

  test('redis is the patched 7.4 line and keeps nothing on disk', () => {
    const redis = podSpec(find(render(), 'Deployment', 'kube-ops-view-redis')).containers[0];
    expect(redis.image).toBe('docker.io/library/redis:7.4.6-alpine');
    expect(redis.args).toEqual(['--save', '', '--appendonly', 'no']);
    expect(redis.securityContext).toMatchObject({ runAsUser: 999, runAsNonRoot: true, readOnlyRootFilesystem: true });
  });

  test('every Service selects the pods of one component in its namespace', () => {
    const objects = renderAll();
    const templates = objects.filter((o) => WORKLOAD_KINDS.includes(o.kind));
    for (const svc of objects.filter((o) => o.kind === 'Service')) {
      const targets = templates.filter((w) => w.metadata.namespace === svc.metadata.namespace && matches(svc.spec.selector, w.spec.template.metadata.labels));
      expect([svc.metadata.name, targets.length]).toEqual([svc.metadata.name, 1]);
    }
  });
});

describe('network policies', () => {
  const spec = (objects: any[], name: string, namespace?: string) => find(objects, 'NetworkPolicy', name, namespace).spec;

  test('deny by default in each namespace', () => {
    const objects = renderAll();
    for (const ns of ['dashboards', 'weave-scope']) expect(spec(objects, 'default-deny', ns)).toMatchObject({ podSelector: {}, ingress: [], egress: [] });
  });

  test('the dashboard talks to its scraper, kube-ops-view to its redis, and nobody else reaches them', () => {
    const objects = render();
    const dashboardPods = find(objects, 'Deployment', 'kubernetes-dashboard').spec.template.metadata.labels;
    const opsViewPods = find(objects, 'Deployment', 'kube-ops-view').spec.template.metadata.labels;
    const scraperIn = spec(objects, 'dashboard-metrics-scraper').ingress;
    expect(scraperIn).toHaveLength(1);
    expect(matches(scraperIn[0].from[0].podSelector.matchLabels, dashboardPods)).toBe(true);
    const redisIn = spec(objects, 'kube-ops-view-redis').ingress;
    expect(redisIn).toHaveLength(1);
    expect(matches(redisIn[0].from[0].podSelector.matchLabels, opsViewPods)).toBe(true);
    expect(spec(objects, 'kube-ops-view-redis').egress).toEqual([]);
  });

  test('exposed UIs accept traffic from the ingress controller only', () => {
    const objects = render();
    for (const [name, port] of [['kubernetes-dashboard', 8443], ['kube-ops-view', 8080]] as const) {
      expect(spec(objects, name).ingress).toEqual([{
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': PEERS.ingressController.namespace } }, podSelector: { matchLabels: PEERS.ingressController.podLabels } }],
        ports: [{ port, protocol: 'TCP' }],
      }]);
    }
  });
});
