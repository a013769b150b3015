import { Construct } from 'constructs';
import { PlatformContext } from '@platform/charts';
import { BackupStorageLocation, BackupStorageLocationSpecAccessMode } from './imports/velero.io';
import { AWS_PLUGIN_PROVIDER, storageLocationConfig } from './provider';
import { LocationSettings } from './settings';

export interface VeleroBackupStorageLocationProps {
  readonly namespace: string;
  /** The bucket, endpoint and region of the location. */
  readonly location: LocationSettings;
  /** Backups that name no location go here. @default location.default */
  readonly isDefault?: boolean;
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * One BackupStorageLocation, served by velero-plugin-for-aws: AWS S3 on eks, an S3-compatible endpoint (Swift's S3
 * API, Ceph RGW, MinIO) elsewhere. Credentials come from the server's mounted credentials file, never from here.
 */
export class VeleroBackupStorageLocation extends Construct {
  readonly apiObject: BackupStorageLocation;

  constructor(scope: Construct, id: string, ctx: PlatformContext, props: VeleroBackupStorageLocationProps) {
    super(scope, id);
    const { location } = props;
    this.apiObject = new BackupStorageLocation(this, 'Resource', {
      metadata: { name: location.name, namespace: props.namespace, labels: props.labels ? { ...props.labels } : undefined },
      spec: {
        provider: AWS_PLUGIN_PROVIDER,
        objectStorage: { bucket: location.bucket, prefix: location.prefix },
        config: storageLocationConfig(ctx, location),
        default: props.isDefault ?? location.default,
        accessMode: location.accessMode === 'ReadOnly' ? BackupStorageLocationSpecAccessMode.READ_ONLY : BackupStorageLocationSpecAccessMode.READ_WRITE,
      },
    });
  }
}
