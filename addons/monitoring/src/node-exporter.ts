import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AppIdentity, Placement, PlatformContext, Resources, containerResources, policyException, restrictedContainer,
  restrictedPod, selectByIdentity, serviceSelects,
} from '@platform/charts';
import { Construct } from 'constructs';
import { IMAGES, image, versionOf } from '../../versions';
import { MONITORING } from './endpoints';
import { daemonSetMaxUnavailable, patchPodSpec } from './workload-extras';

/** UID/GID node-exporter runs as upstream (`nobody`): host access is read-only, root is not needed. */
const NODE_EXPORTER_UID = 65534;

/** Host paths node-exporter reads, mounted read-only under /host. */
const HOST_MOUNTS = [
  { name: 'proc', hostPath: '/proc', path: '/host/proc' },
  { name: 'sys', hostPath: '/sys', path: '/host/sys' },
  { name: 'root', hostPath: '/', path: '/host/root' },
] as const;

/** Interfaces of pod sandboxes (veth pairs, Calico/Cilium style hashes): one series per pod would explode. */
const VIRTUAL_DEVICES = '^(veth.*|[a-f0-9]{15})$';

export interface NodeExporterProps {
  /** Namespace of the DaemonSet (PSS `privileged`: hostNetwork, hostPID and hostPath are needed). */
  readonly namespace: string;
  readonly resources: Resources;
}

/**
 * node-exporter on every node. Like upstream it shares the host's network and PID namespaces and reads /proc,
 * /sys and / read-only, as a non-root user with every capability dropped. Upstream fronts it with
 * kube-rbac-proxy; we do not (see README): it listens on the node's address only, and the metrics carry no secret.
 */
export class NodeExporter extends Construct {
  readonly identity: AppIdentity;
  readonly serviceAccount: kplus.ServiceAccount;
  readonly daemonSet: kplus.DaemonSet;
  /** Headless Service whose endpoints are the scrape targets of the `node-exporter` job. */
  readonly service: kplus.Service;

  constructor(scope: Construct, id: string, ctx: PlatformContext, props: NodeExporterProps) {
    super(scope, id);
    const { namespace } = props;
    const { port, service } = MONITORING.nodeExporter;
    const ref = IMAGES.monitoring.nodeExporter;
    this.identity = new AppIdentity({ name: 'node-exporter', component: 'exporter', partOf: 'monitoring', environment: ctx.environment, version: versionOf(ref) });
    const labels = this.identity.labels;

    this.serviceAccount = new kplus.ServiceAccount(this, 'service-account', {
      metadata: { name: 'node-exporter', namespace, labels },
      automountToken: false,
    });

    this.daemonSet = new kplus.DaemonSet(this, 'daemonset', {
      metadata: { name: 'node-exporter', namespace, labels },
      select: false,
      // No prometheus.io annotations: the dedicated `node-exporter` job scrapes it (instance = node name).
      podMetadata: { labels },
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: false,
      hostNetwork: true,
      securityContext: restrictedPod(NODE_EXPORTER_UID),
      containers: [{
        name: 'node-exporter',
        image: image(ref),
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        args: [
          // The pod IP is the node's IP (host network): listen there only, not on every host interface.
          `--web.listen-address=[$(POD_IP)]:${port}`,
          '--path.procfs=/host/proc',
          '--path.sysfs=/host/sys',
          '--path.rootfs=/host/root',
          '--path.udev.data=/host/root/run/udev/data',
          '--no-collector.wifi',
          '--no-collector.hwmon',
          '--no-collector.btrfs',
          '--collector.filesystem.mount-points-exclude=^/(dev|proc|sys|run/k3s/containerd/.+|var/lib/docker/.+|var/lib/kubelet/pods/.+)($|/)',
          `--collector.netclass.ignored-devices=${VIRTUAL_DEVICES}`,
          `--collector.netdev.device-exclude=${VIRTUAL_DEVICES}`,
        ],
        envVariables: { POD_IP: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_IP) },
        ports: [{ name: 'metrics', number: port, hostPort: port }],
        securityContext: restrictedContainer(),
        resources: containerResources(props.resources),
        startup: kplus.Probe.fromHttpGet('/', { port, periodSeconds: Duration.seconds(5), failureThreshold: 12 }),
        readiness: kplus.Probe.fromHttpGet('/', { port, periodSeconds: Duration.seconds(10), timeoutSeconds: Duration.seconds(3), failureThreshold: 3 }),
        liveness: kplus.Probe.fromHttpGet('/', { port, periodSeconds: Duration.seconds(10), timeoutSeconds: Duration.seconds(3), failureThreshold: 6 }),
        volumeMounts: HOST_MOUNTS.map((m) => ({
          path: m.path,
          volume: kplus.Volume.fromHostPath(this, `${m.name}-volume`, m.name, { path: m.hostPath }),
          readOnly: true,
          // Mounts made on the host later (new volumes, new filesystems) become visible without a restart.
          propagation: kplus.MountPropagation.HOST_TO_CONTAINER,
        })),
      }],
    });
    patchPodSpec(this.daemonSet, { hostPid: true, priorityClassName: 'system-cluster-critical' });
    daemonSetMaxUnavailable(this.daemonSet, '10%');
    selectByIdentity(this.daemonSet, this.identity);
    Placement.everywhere().applyTo(this.daemonSet);
    policyException(this.daemonSet, 'host-access',
      'node-exporter reports node metrics: hostNetwork (node network interfaces and the node address as scrape target), hostPID (host processes), read-only hostPath /proc, /sys and / (CPU, memory, disks, filesystems)');

    this.service = new kplus.Service(this, 'service', {
      metadata: { name: service, namespace, labels },
      clusterIP: 'None',
      ports: [{ name: 'metrics', port, targetPort: port }],
    });
    serviceSelects(this.service, this.identity);
  }
}
