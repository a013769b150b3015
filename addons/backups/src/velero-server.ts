import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  AppIdentity, NONROOT_UID, Placement, PlatformContext, RESOURCE_PRESETS, Resources, containerResources,
  prometheusScrapeAnnotations, restrictedContainer, restrictedPod, selectByIdentity,
} from '@platform/charts';
import { IMAGES, image, versionOf } from '../../versions';

/** Port of Velero's Prometheus metrics (server and node-agent). */
export const VELERO_METRICS_PORT = 8085;

/** Secret holding the cloud credentials file, referenced by name (it is created outside git). */
export interface CredentialsSecretRef {
  readonly name: string;
  /** Key of the credentials file inside the Secret. */
  readonly key: string;
}

/** Mount points and environment shared by the server and the node-agent. */
export const VELERO_PATHS = {
  credentials: '/credentials',
  scratch: '/scratch',
  /** kopia writes its repository config under $HOME/udmrepo: HOME must be writable with a read-only root. */
  home: '/home/velero',
  plugins: '/plugins',
} as const;

/** The podResources JSON Velero's ConfigMaps use for the pods it starts. */
export function podResourcesJson(resources: Resources): Record<string, string> {
  return {
    cpuRequest: resources.requests.cpu,
    memoryRequest: resources.requests.memory,
    cpuLimit: resources.limits.cpu,
    memoryLimit: resources.limits.memory,
  };
}

/** Environment every Velero container reads: its namespace, scratch space, credentials file, a writable HOME. */
export function veleroEnv(extra: Record<string, kplus.EnvValue> = {}): Record<string, kplus.EnvValue> {
  return {
    VELERO_NAMESPACE: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAMESPACE),
    VELERO_SCRATCH_DIR: kplus.EnvValue.fromValue(VELERO_PATHS.scratch),
    AWS_SHARED_CREDENTIALS_FILE: kplus.EnvValue.fromValue(`${VELERO_PATHS.credentials}/cloud`),
    HOME: kplus.EnvValue.fromValue(VELERO_PATHS.home),
    ...extra,
  };
}

/** The credentials Secret mounted read-only as `<credentials>/cloud`, whatever its key is called. */
export function credentialsVolume(scope: Construct, ref: CredentialsSecretRef): kplus.Volume {
  const secret = kplus.Secret.fromSecretName(scope, 'cloud-credentials-secret', ref.name);
  return kplus.Volume.fromSecret(scope, 'cloud-credentials-volume', secret, { name: 'cloud-credentials', items: { [ref.key]: { path: 'cloud' } } });
}

export interface VeleroServerProps {
  readonly namespace: string;
  /** BackupStorageLocation used when a backup names none. */
  readonly defaultBackupStorageLocation: string;
  /** `<provider>:<location>` of the default VolumeSnapshotLocation, when the provider has one. @default - none */
  readonly defaultVolumeSnapshotLocation?: string;
  /** Velero feature flags, e.g. ["EnableCSI"]. @default [] */
  readonly features?: readonly string[];
  /** Back up pod volumes with the node-agent unless a pod opts out. @default false */
  readonly defaultVolumesToFsBackup?: boolean;
  /** @default "info" */
  readonly logLevel?: string;
  readonly credentialsSecret: CredentialsSecretRef;
  /** Requests and limits of the server container. */
  readonly resources: Resources;
  /** Requests and limits of the repository maintenance Jobs the server starts. */
  readonly maintenanceResources: Resources;
  /** Finished maintenance Jobs kept. @default 3 */
  readonly keepLatestMaintenanceJobs?: number;
}

/**
 * The Velero server: ServiceAccount bound to cluster-admin (see README: restores create any kind, including RBAC),
 * the `velero` Deployment with velero-plugin-for-aws as an init container, and the ConfigMap that sizes the
 * repository maintenance Jobs it starts.
 */
export class VeleroServer extends Construct {
  /** Velero finds its own Deployment by this name (maintenance Jobs copy its pod settings). */
  static readonly DEPLOYMENT_NAME = 'velero';
  static readonly MAINTENANCE_CONFIG_MAP = 'velero-repo-maintenance';

  readonly identity: AppIdentity;
  readonly serviceAccount: kplus.ServiceAccount;
  readonly clusterRoleBinding: k8s.KubeClusterRoleBinding;
  readonly maintenanceConfig: kplus.ConfigMap;
  readonly deployment: kplus.Deployment;

  constructor(scope: Construct, id: string, ctx: PlatformContext, props: VeleroServerProps) {
    super(scope, id);
    const ref = IMAGES.backups.velero;
    this.identity = new AppIdentity({ name: 'velero', component: 'server', partOf: 'backups', environment: ctx.environment, version: versionOf(ref) });
    const labels = this.identity.labels;
    const metadata = (name: string) => ({ name, namespace: props.namespace, labels });

    this.serviceAccount = new kplus.ServiceAccount(this, 'service-account', { metadata: metadata('velero-server'), automountToken: true });
    this.clusterRoleBinding = new k8s.KubeClusterRoleBinding(this, 'cluster-admin', {
      metadata: { name: 'velero-server', labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'ServiceAccount', name: 'velero-server', namespace: props.namespace }],
    });

    this.maintenanceConfig = new kplus.ConfigMap(this, 'maintenance-config', {
      metadata: metadata(VeleroServer.MAINTENANCE_CONFIG_MAP),
      data: {
        global: JSON.stringify({
          podResources: podResourcesJson(props.maintenanceResources),
          keepLatestMaintenanceJobs: props.keepLatestMaintenanceJobs ?? 3,
        }, null, 2),
      },
    });

    const plugins = kplus.Volume.fromEmptyDir(this, 'plugins-volume', 'plugins');
    const args = [
      'server',
      '--uploader-type=kopia',
      `--default-backup-storage-location=${props.defaultBackupStorageLocation}`,
      ...(props.defaultVolumeSnapshotLocation ? [`--default-volume-snapshot-locations=${props.defaultVolumeSnapshotLocation}`] : []),
      ...(props.features?.length ? [`--features=${props.features.join(',')}`] : []),
      ...(props.defaultVolumesToFsBackup ? ['--default-volumes-to-fs-backup'] : []),
      `--repo-maintenance-job-configmap=${VeleroServer.MAINTENANCE_CONFIG_MAP}`,
      '--log-format=json',
      `--log-level=${props.logLevel ?? 'info'}`,
    ];

    this.deployment = new kplus.Deployment(this, 'deployment', {
      metadata: metadata(VeleroServer.DEPLOYMENT_NAME),
      replicas: 1,
      // One server at a time: two would run the same backups and restores.
      strategy: kplus.DeploymentStrategy.recreate(),
      select: false,
      podMetadata: { labels, annotations: prometheusScrapeAnnotations(VELERO_METRICS_PORT) },
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: true,
      securityContext: restrictedPod(NONROOT_UID),
      // In-flight backups get an hour to finish on a rollout, as upstream.
      terminationGracePeriod: Duration.hours(1),
      initContainers: [{
        name: 'velero-plugin-for-aws',
        image: image(IMAGES.backups.pluginForAws),
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        // The image's entrypoint copies the plugin binary into /target.
        volumeMounts: [{ path: '/target', volume: plugins }],
        resources: containerResources(RESOURCE_PRESETS.small),
        securityContext: restrictedContainer({ user: NONROOT_UID, group: NONROOT_UID }),
      }],
      containers: [{
        name: 'velero',
        image: image(ref),
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        command: ['/velero'],
        args,
        ports: [{ name: 'http-monitoring', number: VELERO_METRICS_PORT }],
        envVariables: veleroEnv({ LD_LIBRARY_PATH: kplus.EnvValue.fromValue(VELERO_PATHS.plugins) }),
        liveness: kplus.Probe.fromHttpGet('/metrics', {
          port: VELERO_METRICS_PORT, initialDelaySeconds: Duration.seconds(10), periodSeconds: Duration.seconds(30), timeoutSeconds: Duration.seconds(5), failureThreshold: 5,
        }),
        readiness: kplus.Probe.fromHttpGet('/metrics', {
          port: VELERO_METRICS_PORT, initialDelaySeconds: Duration.seconds(10), periodSeconds: Duration.seconds(30), timeoutSeconds: Duration.seconds(5), failureThreshold: 5,
        }),
        resources: containerResources(props.resources),
        securityContext: restrictedContainer({ user: NONROOT_UID, group: NONROOT_UID }),
        volumeMounts: [
          { path: VELERO_PATHS.plugins, volume: plugins },
          { path: VELERO_PATHS.credentials, readOnly: true, volume: credentialsVolume(this, props.credentialsSecret) },
          { path: VELERO_PATHS.scratch, volume: kplus.Volume.fromEmptyDir(this, 'scratch-volume', 'scratch') },
          { path: VELERO_PATHS.home, volume: kplus.Volume.fromEmptyDir(this, 'home-volume', 'home', { sizeLimit: Size.mebibytes(256) }) },
          { path: '/tmp', volume: kplus.Volume.fromEmptyDir(this, 'tmp-volume', 'tmp') },
        ],
      }],
    });
    selectByIdentity(this.deployment, this.identity);
    Placement.core(ctx).applyTo(this.deployment);
  }
}
