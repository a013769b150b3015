import { policyExceptionKey } from '@platform/charts';
import { container, find, podSpec, render } from './render';

const objects = render();
const daemonSet = find(objects, 'DaemonSet', 'node-exporter');

describe('node-exporter', () => {
  test('shares the host network and PID namespaces, as upstream', () => {
    expect(podSpec(daemonSet).hostNetwork).toBe(true);
    expect(podSpec(daemonSet).hostPID).toBe(true);
  });

  test('mounts /proc, /sys and / from the host read-only and points the collectors at them', () => {
    const mounts = container(daemonSet).volumeMounts as any[];
    const volumes = podSpec(daemonSet).volumes as any[];
    const hostPathOf = (mountPath: string) => {
      const mount = mounts.find((m) => m.mountPath === mountPath);
      expect(mount).toEqual(expect.objectContaining({ readOnly: true, mountPropagation: 'HostToContainer' }));
      return volumes.find((v) => v.name === mount.name).hostPath.path;
    };
    expect(hostPathOf('/host/proc')).toBe('/proc');
    expect(hostPathOf('/host/sys')).toBe('/sys');
    expect(hostPathOf('/host/root')).toBe('/');
    expect(mounts.every((m) => m.readOnly === true)).toBe(true);
    expect(container(daemonSet).args).toEqual(expect.arrayContaining(['--path.procfs=/host/proc', '--path.sysfs=/host/sys', '--path.rootfs=/host/root']));
  });

  test('runs as nobody with every capability dropped and a read-only root filesystem', () => {
    expect(podSpec(daemonSet).securityContext).toEqual(expect.objectContaining({ runAsNonRoot: true, runAsUser: 65534 }));
    expect(container(daemonSet).securityContext).toEqual(expect.objectContaining({
      allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] },
    }));
  });

  test('declares its host access as a policy exception, with the reason', () => {
    expect(daemonSet.metadata.annotations[policyExceptionKey('host-access')]).toMatch(/hostNetwork.*hostPID.*hostPath/);
  });

  test('lives in its own namespace, the only one that allows privileged pods', () => {
    expect(daemonSet.metadata.namespace).toBe('monitoring-node-exporter');
    const labels = (name: string) => find(objects, 'Namespace', name).metadata.labels;
    expect(labels('monitoring-node-exporter')['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(labels('monitoring')['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('runs on every node, whatever its taints', () => {
    expect(podSpec(daemonSet).tolerations).toEqual([{ operator: 'Exists' }]);
    expect(podSpec(daemonSet).affinity).toBeUndefined();
  });

  test('listens on the node address only and is scraped through its headless Service', () => {
    expect(container(daemonSet).args).toContain('--web.listen-address=[$(POD_IP)]:9100');
    expect(container(daemonSet).ports).toEqual([{ name: 'metrics', containerPort: 9100, hostPort: 9100 }]);
    const service = find(objects, 'Service', 'node-exporter');
    expect(service.spec.clusterIP).toBe('None');
    expect(service.spec.ports).toEqual([{ name: 'metrics', port: 9100, targetPort: 9100 }]);
    // Not annotated: the dedicated node-exporter job scrapes it, so the pods job must not scrape it twice.
    expect(daemonSet.spec.template.metadata.annotations?.['prometheus.io/scrape']).toBeUndefined();
  });
});
