import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { LABELS, PlatformContext } from '@platform/charts';
import { VeleroBackupStorageLocation } from './backup-storage-location';
import { BackupSchedule } from './backup-schedule';
import { BackupsNetworkPolicies, objectStoragePort } from './backups-network-policies';
import { NodeAgent } from './node-agent';
import { veleroFeatures, volumeSnapshots } from './provider';
import { BackupsSettings, defaultLocationName, locationReferenceProblems } from './settings';
import { VeleroCrds } from './velero-crds';
import { VeleroServer } from './velero-server';
import { VeleroVolumeSnapshotLocation } from './volume-snapshot-location';

/** Velero's namespace (its CLI and docs assume it). */
export const VELERO_NAMESPACE = 'velero';

/**
 * The backups add-on: Velero's CRDs, namespace `velero` (PSS privileged: the node-agent mounts a hostPath), the
 * server, the node-agent, one BackupStorageLocation per configured bucket, the provider's VolumeSnapshotLocation,
 * the schedules and the network policies.
 */
export class Backups extends Construct {
  readonly crds: VeleroCrds;
  readonly namespace: kplus.Namespace;
  readonly server: VeleroServer;
  readonly nodeAgent: NodeAgent;
  readonly storageLocations: VeleroBackupStorageLocation[];
  readonly snapshotLocation?: VeleroVolumeSnapshotLocation;
  readonly schedules: BackupSchedule[];
  readonly networkPolicies: BackupsNetworkPolicies;

  constructor(scope: Construct, id: string, ctx: PlatformContext, settings: BackupsSettings) {
    super(scope, id);
    const problems = locationReferenceProblems(settings.locations, settings.schedules);
    if (problems.length) throw new Error(`backups: ${problems.map((p) => p.message).join('; ')}`);
    const defaultLocation = defaultLocationName(settings.locations)!;
    const namespace = VELERO_NAMESPACE;
    const labels = { [LABELS.partOf]: 'backups', [LABELS.environment]: ctx.environment };
    const provider = ctx.cluster.provider;

    this.crds = new VeleroCrds(this, 'crds');
    this.namespace = new kplus.Namespace(this, 'namespace', {
      // privileged, not baseline: baseline forbids the hostPath volume of the node-agent (and of the pods it starts).
      metadata: { name: namespace, labels: { ...labels, 'pod-security.kubernetes.io/enforce': 'privileged' } },
    });

    this.storageLocations = settings.locations.map((location) => new VeleroBackupStorageLocation(this, `location-${location.name}`, ctx, {
      namespace,
      location,
      isDefault: location.name === defaultLocation,
      labels,
    }));

    const snapshots = volumeSnapshots(provider);
    if (snapshots.kind === 'plugin') {
      this.snapshotLocation = new VeleroVolumeSnapshotLocation(this, 'snapshot-location', { namespace, labels, ...snapshots.location });
    }
    const features = veleroFeatures(provider);

    this.server = new VeleroServer(this, 'server', ctx, {
      namespace,
      defaultBackupStorageLocation: defaultLocation,
      defaultVolumeSnapshotLocation: this.snapshotLocation?.reference,
      features,
      defaultVolumesToFsBackup: settings.defaultVolumesToFsBackup,
      logLevel: settings.logLevel,
      credentialsSecret: settings.credentialsSecret,
      resources: settings.server.resources,
      maintenanceResources: settings.maintenance.resources,
      keepLatestMaintenanceJobs: settings.maintenance.keepLatestJobs,
    });

    this.nodeAgent = new NodeAgent(this, 'node-agent', ctx, {
      namespace,
      features,
      logLevel: settings.logLevel,
      credentialsSecret: settings.credentialsSecret,
      resources: settings.nodeAgent.resources,
      dataPathResources: settings.nodeAgent.dataPathResources,
    });

    const locationNames = settings.locations.map((l) => l.name);
    this.schedules = settings.schedules.map((schedule) => new BackupSchedule(this, `schedule-${schedule.name}`, {
      namespace,
      schedule,
      storageLocations: locationNames,
      defaultStorageLocation: defaultLocation,
      labels,
    }));

    this.networkPolicies = new BackupsNetworkPolicies(this, 'network-policies', {
      namespace,
      labels,
      server: this.server.identity,
      nodeAgent: this.nodeAgent.identity,
      // AWS S3, EC2 (EBS snapshots) and STS are 443; S3-compatible endpoints whatever their URL says.
      objectStoragePorts: settings.locations.map((l) => objectStoragePort(l.s3Url)),
    });
  }
}
