import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  AppIdentity, Placement, PlatformContext, Resources, containerResources, policyException, prometheusScrapeAnnotations,
  selectByIdentity,
} from '@platform/charts';
import { IMAGES, image, versionOf } from '../../versions';
import { CredentialsSecretRef, VELERO_METRICS_PORT, VELERO_PATHS, credentialsVolume, podResourcesJson, veleroEnv } from './velero-server';

/** Where kubelet keeps every pod's volumes on a node. */
export const HOST_PODS_PATH = '/var/lib/kubelet/pods';
/** Where the node-agent sees them (Velero's fixed path). */
export const HOST_PODS_MOUNT = '/host_pods';

const READ = ['get', 'list', 'watch'];

/**
 * What the node-agent — and the data-mover / pod-volume pods it starts with its ServiceAccount — does cluster-wide,
 * derived from Velero v1.18's node-agent and exposers: find the pods and volumes of its node, expose CSI snapshots
 * as volumes, rebind restored volumes to their claims. No Secrets, no workloads, no RBAC outside its namespace.
 */
const CLUSTER_RULES: k8s.PolicyRule[] = [
  // controller-runtime caches list and watch cluster-wide even when a field selector narrows them to one namespace
  // (DataUploads, PodVolumeBackups, events) or one node (pods): reads only, writes stay in the namespace Role.
  { apiGroups: ['velero.io'], resources: ['*'], verbs: READ },
  { apiGroups: [''], resources: ['events'], verbs: READ },
  { apiGroups: [''], resources: ['pods', 'nodes'], verbs: READ },
  { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: [...READ, 'update', 'patch'] },
  { apiGroups: [''], resources: ['persistentvolumes'], verbs: [...READ, 'update', 'patch', 'delete'] },
  { apiGroups: ['storage.k8s.io'], resources: ['storageclasses', 'volumeattachments', 'csinodes'], verbs: READ },
  { apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshotclasses'], verbs: READ },
  { apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshots'], verbs: [...READ, 'update', 'patch', 'delete'] },
  { apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshotcontents'], verbs: [...READ, 'create', 'update', 'patch', 'delete'] },
];

/** In its own namespace: Velero's resources, the pods/claims/snapshots it creates there, its config and repository secrets. */
const NAMESPACE_RULES: k8s.PolicyRule[] = [
  { apiGroups: ['velero.io'], resources: ['*'], verbs: ['create', 'update', 'patch', 'delete'] },
  { apiGroups: [''], resources: ['pods', 'persistentvolumeclaims'], verbs: ['create', 'delete'] },
  { apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshots'], verbs: ['create'] },
  { apiGroups: [''], resources: ['configmaps', 'secrets'], verbs: READ },
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
  // The pods it starts copy their image, env and volumes from the node-agent DaemonSet.
  { apiGroups: ['apps'], resources: ['daemonsets'], verbs: ['get'] },
];

export interface NodeAgentProps {
  readonly namespace: string;
  /** Velero feature flags, e.g. ["EnableCSI"]. @default [] */
  readonly features?: readonly string[];
  /** @default "info" */
  readonly logLevel?: string;
  readonly credentialsSecret: CredentialsSecretRef;
  /** Requests and limits of the node-agent container. */
  readonly resources: Resources;
  /** Requests and limits of the data-mover / pod-volume pods the node-agent starts. */
  readonly dataPathResources: Resources;
}

/**
 * Velero's node-agent on every node: file-system backups (kopia) of pod volumes, read through the kubelet's pod
 * directory, and the data mover for CSI snapshots. Its own ServiceAccount with a narrow role (upstream shares the
 * server's cluster-admin one), the `node-agent-config` ConfigMap sizing the pods it starts, and the DaemonSet.
 */
export class NodeAgent extends Construct {
  /** Velero looks the DaemonSet up by this name; its pods by the label role=node-agent. */
  static readonly DAEMONSET_NAME = 'node-agent';
  static readonly CONFIG_MAP = 'node-agent-config';

  readonly identity: AppIdentity;
  readonly serviceAccount: kplus.ServiceAccount;
  readonly clusterRole: k8s.KubeClusterRole;
  readonly role: k8s.KubeRole;
  readonly config: kplus.ConfigMap;
  readonly daemonSet: kplus.DaemonSet;

  constructor(scope: Construct, id: string, ctx: PlatformContext, props: NodeAgentProps) {
    super(scope, id);
    const ref = IMAGES.backups.velero;
    this.identity = new AppIdentity({ name: 'velero', component: 'node-agent', partOf: 'backups', environment: ctx.environment, version: versionOf(ref) });
    const labels = this.identity.labels;
    const metadata = (name: string) => ({ name, namespace: props.namespace, labels });
    const name = 'velero-node-agent';

    this.serviceAccount = new kplus.ServiceAccount(this, 'service-account', { metadata: metadata(name), automountToken: true });
    const subjects = [{ kind: 'ServiceAccount', name, namespace: props.namespace }];
    this.clusterRole = new k8s.KubeClusterRole(this, 'cluster-role', { metadata: { name, labels }, rules: CLUSTER_RULES });
    new k8s.KubeClusterRoleBinding(this, 'cluster-role-binding', {
      metadata: { name, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects,
    });
    this.role = new k8s.KubeRole(this, 'role', { metadata: metadata(name), rules: NAMESPACE_RULES });
    new k8s.KubeRoleBinding(this, 'role-binding', {
      metadata: metadata(name),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects,
    });

    this.config = new kplus.ConfigMap(this, 'config', {
      metadata: metadata(NodeAgent.CONFIG_MAP),
      data: { 'node-agent-config.json': JSON.stringify({ podResources: podResourcesJson(props.dataPathResources) }, null, 2) },
    });

    const args = [
      'node-agent',
      'server',
      `--node-agent-configmap=${NodeAgent.CONFIG_MAP}`,
      ...(props.features?.length ? [`--features=${props.features.join(',')}`] : []),
      '--log-format=json',
      `--log-level=${props.logLevel ?? 'info'}`,
    ];
    const hostPods = kplus.Volume.fromHostPath(this, 'host-pods-volume', 'host-pods', { path: HOST_PODS_PATH });

    this.daemonSet = new kplus.DaemonSet(this, 'daemon-set', {
      metadata: metadata(NodeAgent.DAEMONSET_NAME),
      select: false,
      // role/name: the labels Velero itself selects node-agent pods by (not part of our selector).
      podMetadata: { labels: { ...labels, role: 'node-agent', name: 'node-agent' }, annotations: prometheusScrapeAnnotations(VELERO_METRICS_PORT) },
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: true,
      // Root reads and restores files of any owner in any pod's volume (upstream: runAsUser 0).
      securityContext: { ensureNonRoot: false, user: 0, group: 0 },
      terminationGracePeriod: Duration.seconds(30),
      containers: [{
        name: 'node-agent',
        image: image(ref),
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        command: ['/velero'],
        args,
        ports: [{ name: 'http-monitoring', number: VELERO_METRICS_PORT }],
        envVariables: veleroEnv({ NODE_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.NODE_NAME) }),
        liveness: kplus.Probe.fromHttpGet('/metrics', { port: VELERO_METRICS_PORT, initialDelaySeconds: Duration.seconds(10), periodSeconds: Duration.seconds(30), timeoutSeconds: Duration.seconds(5), failureThreshold: 5 }),
        readiness: kplus.Probe.fromHttpGet('/metrics', { port: VELERO_METRICS_PORT, initialDelaySeconds: Duration.seconds(10), periodSeconds: Duration.seconds(30), timeoutSeconds: Duration.seconds(5), failureThreshold: 5 }),
        resources: containerResources(props.resources),
        securityContext: {
          ensureNonRoot: false,
          user: 0,
          group: 0,
          privileged: false,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
        },
        volumeMounts: [
          // Mounts that appear under a pod's directory after the node-agent started (new pods' volumes) must show up
          // in here too: HostToContainer propagation.
          { path: HOST_PODS_MOUNT, volume: hostPods, propagation: kplus.MountPropagation.HOST_TO_CONTAINER },
          { path: VELERO_PATHS.credentials, readOnly: true, volume: credentialsVolume(this, props.credentialsSecret) },
          { path: VELERO_PATHS.scratch, volume: kplus.Volume.fromEmptyDir(this, 'scratch-volume', 'scratch') },
          { path: VELERO_PATHS.home, volume: kplus.Volume.fromEmptyDir(this, 'home-volume', 'home', { sizeLimit: Size.mebibytes(256) }) },
          { path: '/tmp', volume: kplus.Volume.fromEmptyDir(this, 'tmp-volume', 'tmp') },
        ],
      }],
    });
    selectByIdentity(this.daemonSet, this.identity);
    Placement.everywhere().applyTo(this.daemonSet);

    policyException(this.daemonSet, 'host-access',
      `hostPath ${HOST_PODS_PATH} (HostToContainer): file-system backups read and restore pod volumes through the kubelet's pod directory`);
    policyException(this.daemonSet, 'run-as-non-root',
      'runs as root to read and restore files of any owner in any pod volume (upstream default)');
    policyException(this.daemonSet, 'drop-capabilities',
      'keeps the runtime default capabilities (DAC_OVERRIDE, CHOWN, FOWNER) that restoring files with their original owners needs');
  }
}
