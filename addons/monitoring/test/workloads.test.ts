import { CDK8S_ADDRESS_LABEL, LABELS } from '@platform/charts';
import { IMAGES, image } from '../../versions';
import { Manifest, podSpec, render, workloads } from './render';

const objects = render({ prometheus: { replicas: 2 }, alertmanager: { replicas: 2 }, grafana: { replicas: 2 } });
const all = workloads(objects);
const containers = (w: Manifest): any[] => podSpec(w).containers;
const label = (w: Manifest) => `${w.kind}/${w.metadata.name}`;

describe('workloads', () => {
  test('renders the five components', () => {
    expect(all.map(label).sort()).toEqual([
      'DaemonSet/node-exporter', 'Deployment/grafana', 'Deployment/kube-state-metrics', 'StatefulSet/alertmanager', 'StatefulSet/prometheus',
    ]);
  });

  test.each(all.filter((w) => w.kind !== 'DaemonSet').map((w) => [label(w), w]))('%s runs on core nodes and tolerates their taint', (_name, w) => {
    const terms = podSpec(w).affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
    expect(terms).toEqual([{ matchExpressions: [{ key: LABELS.nodeType, operator: 'In', values: ['core'] }] }]);
    expect(podSpec(w).tolerations).toEqual([{ key: 'node-type', operator: 'Equal', value: 'core', effect: 'NoSchedule' }]);
  });

  test.each(all.map((w) => [label(w), w]))('%s: every container has requests, limits and startup, readiness and liveness probes', (_name, w) => {
    for (const c of containers(w)) {
      expect(Object.keys(c.resources.requests).sort()).toEqual(['cpu', 'memory']);
      expect(Object.keys(c.resources.limits).sort()).toEqual(['cpu', 'memory']);
      for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) expect(c[probe].httpGet).toBeDefined();
    }
  });

  test.each(all.map((w) => [label(w), w]))('%s runs a pinned image from addons/versions.ts', (_name, w) => {
    const pinned = Object.values(IMAGES.monitoring).map(image);
    for (const c of containers(w)) {
      expect(pinned).toContain(c.image);
      expect(c.imagePullPolicy).toBe('IfNotPresent');
    }
  });

  test.each(all.map((w) => [label(w), w]))('%s runs restricted: non-root, no privilege escalation, no capabilities, RuntimeDefault seccomp', (_name, w) => {
    expect(podSpec(w).securityContext.runAsNonRoot).toBe(true);
    for (const c of containers(w)) {
      expect(c.securityContext).toEqual(expect.objectContaining({
        allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true,
        capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
      }));
    }
  });

  test.each(all.map((w) => [label(w), w]))('%s selects its pods by recommended labels, never by construct address', (_name, w) => {
    expect(JSON.stringify(w)).not.toContain(CDK8S_ADDRESS_LABEL);
    expect(w.spec.template.metadata.labels).toEqual(expect.objectContaining(w.spec.selector.matchLabels));
    expect(Object.keys(w.spec.selector.matchLabels)).not.toContain(LABELS.version);
  });

  test('only the components that talk to the API server get a service account token', () => {
    const withToken = all.filter((w) => podSpec(w).automountServiceAccountToken).map(label).sort();
    expect(withToken).toEqual(['Deployment/kube-state-metrics', 'StatefulSet/prometheus']);
    for (const w of all) expect(podSpec(w).serviceAccountName).toBe(w.metadata.name);
  });

  test('every Service selects the pods of one workload in its namespace', () => {
    for (const service of objects.filter((o) => o.kind === 'Service')) {
      const selector = service.spec.selector as Record<string, string>;
      expect(JSON.stringify(selector)).not.toContain(CDK8S_ADDRESS_LABEL);
      const matching = all.filter((w) => w.metadata.namespace === service.metadata.namespace
        && Object.entries(selector).every(([k, v]) => w.spec.template.metadata.labels[k] === v));
      expect({ service: service.metadata.name, matching: matching.length }).toEqual({ service: service.metadata.name, matching: 1 });
    }
  });

  test('every PodDisruptionBudget selects a workload with more than one replica', () => {
    const budgets = objects.filter((o) => o.kind === 'PodDisruptionBudget');
    expect(budgets.map((b) => b.metadata.name).sort()).toEqual(['alertmanager', 'grafana', 'prometheus']);
    for (const budget of budgets) {
      const target = all.find((w) => Object.entries(budget.spec.selector.matchLabels).every(([k, v]) => w.spec.template.metadata.labels[k] === v));
      expect(target?.spec.replicas).toBeGreaterThan(1);
    }
  });

  test('no Secret is rendered: credentials are references to Secrets created outside git', () => {
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
  });
});
