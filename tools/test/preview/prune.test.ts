import { detectPrune, findPruneCandidates, Kubectl, ownershipSelector, pruneQueryKinds, typeArgument } from '../../src/preview';
import { distObject, FakeKubectl, labelled } from './fake-kubectl';

const ENV = 'prod';

const dist = [
  distObject('prod/addons/monitoring/deployment-grafana.yaml', labelled(ENV, 'addon.monitoring', 'apps/v1', 'Deployment', 'grafana', 'monitoring')),
  distObject('prod/addons/monitoring/servicemonitor-grafana.yaml', labelled(ENV, 'addon.monitoring', 'monitoring.coreos.com/v1', 'ServiceMonitor', 'grafana', 'monitoring')),
  distObject('prod/cluster/namespace-shop.yaml', labelled(ENV, 'tenant.shop', 'v1', 'Namespace', 'shop')),
];

/** What `kubectl get <kinds> -A -l <selector> -o json` prints: a List of whatever carries the labels. */
function liveList(): unknown {
  const item = (apiVersion: string, kind: string, name: string, namespace: string | undefined, unit: string, extra: Record<string, unknown> = {}) => ({
    apiVersion,
    kind,
    metadata: {
      name,
      ...(namespace ? { namespace } : {}),
      labels: { 'app.kubernetes.io/managed-by': 'platformctl', 'platform.example.com/environment': ENV, 'platform.example.com/unit': unit },
      uid: `uid-${name}`,
      resourceVersion: '1',
      ...extra,
    },
  });
  return {
    apiVersion: 'v1',
    kind: 'List',
    items: [
      item('apps/v1', 'Deployment', 'grafana', 'monitoring', 'addon.monitoring'), // still in dist
      item('v1', 'Namespace', 'shop', undefined, 'tenant.shop'), // still in dist
      item('monitoring.coreos.com/v1', 'ServiceMonitor', 'old-exporter', 'monitoring', 'addon.monitoring'), // gone from dist
      item('apps/v1', 'Deployment', 'legacy', 'shop', 'tenant.shop'), // gone from dist
      item('v1', 'ConfigMap', 'dashboards', 'monitoring', 'addon.dashboards'), // a removed add-on
      // Created by a controller from a CronJob we render: never ours to prune.
      item('batch/v1', 'Job', 'backup-28400000', 'backups', 'addon.backups', { ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'backup', uid: 'x', controller: true }] }),
    ],
  };
}

describe('prune detection', () => {
  test('objects in the cluster with this repository\'s labels and no counterpart in dist/ would be pruned', () => {
    expect(findPruneCandidates(liveList(), dist).map((c) => `${c.kind} ${c.namespace ?? ''}/${c.name} (${c.component.kind} ${c.component.name})`)).toEqual([
      'ConfigMap monitoring/dashboards (addon dashboards)',
      'Deployment shop/legacy (tenant shop)',
      'ServiceMonitor monitoring/old-exporter (addon monitoring)',
    ]);
  });

  test('lists the kinds of dist/ plus the common ones, never Secrets, with the ownership selector', async () => {
    const kinds = pruneQueryKinds(dist).map(typeArgument);
    expect(kinds).toEqual(expect.arrayContaining(['ServiceMonitor.v1.monitoring.coreos.com', 'Deployment.v1.apps', 'Namespace.v1.', 'ConfigMap.v1.', 'CronJob.v1.batch', 'ClusterRole.v1.rbac.authorization.k8s.io']));
    expect(kinds.some((k) => k.startsWith('Secret.') || k.startsWith('Pod.') || k.startsWith('ReplicaSet.'))).toBe(false);
    expect(ownershipSelector(ENV)).toBe('app.kubernetes.io/managed-by=platformctl,platform.example.com/environment=prod,platform.example.com/unit');

    const fake = new FakeKubectl([{ command: 'get', has: ['ServiceMonitor.v1.monitoring.coreos.com'], exit: 0, stdout: JSON.stringify(liveList()) }]);
    try {
      const detection = await detectPrune(new Kubectl({ binary: fake.binary }), ENV, dist);
      expect(detection.candidates).toHaveLength(3);
      const [call] = fake.calls();
      expect(call.args).toEqual(['get', kinds.join(','), '--all-namespaces', '-l', ownershipSelector(ENV), '-o', 'json', '--chunk-size=500']);
    } finally {
      fake.dispose();
    }
  });

  test('kinds the cluster does not serve are dropped and the listing retried', async () => {
    const fake = new FakeKubectl([
      { command: 'get', has: ['ServiceMonitor.v1.monitoring.coreos.com'], exit: 1, stderr: 'error: the server doesn\'t have a resource type "ServiceMonitor"\n' },
      { command: 'get', exit: 0, stdout: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [] }) },
    ]);
    try {
      const detection = await detectPrune(new Kubectl({ binary: fake.binary }), ENV, dist);
      expect(detection).toEqual({ candidates: [], unservedTypes: ['ServiceMonitor.v1.monitoring.coreos.com'] });
      expect(fake.calls()).toHaveLength(2);
    } finally {
      fake.dispose();
    }
  });

  test('a forbidden listing is reported as an error of the prune check', async () => {
    const fake = new FakeKubectl([{ command: 'get', exit: 1, stderr: 'Error from server (Forbidden): deployments.apps is forbidden: User "x" cannot list resource "deployments" in API group "apps" at the cluster scope\n' }]);
    try {
      const detection = await detectPrune(new Kubectl({ binary: fake.binary }), ENV, dist);
      expect(detection.error).toMatchObject({ kind: 'forbidden', message: 'forbidden: the identity may not list deployments.apps' });
    } finally {
      fake.dispose();
    }
  });
});
