import { PlatformContext, Provider } from '@platform/charts';
import { LocationSettings } from './settings';

/** Velero's name for the object-store / snapshot provider of velero-plugin-for-aws (S3 and S3-compatible, EBS). */
export const AWS_PLUGIN_PROVIDER = 'aws';

/** How a provider snapshots persistent volumes. */
export type VolumeSnapshots =
  /** A Velero VolumeSnapshotLocation served by a plugin (eks: EBS snapshots through velero-plugin-for-aws). */
  | { readonly kind: 'plugin'; readonly location: { readonly name: string; readonly provider: string; readonly config: Readonly<Record<string, string>> } }
  /** CSI VolumeSnapshots, built into Velero behind the EnableCSI feature (openstack: Cinder CSI). No VolumeSnapshotLocation. */
  | { readonly kind: 'csi' }
  /** No snapshotter: volumes are only backed up by the node-agent (file-system backup). */
  | { readonly kind: 'none' };

export function volumeSnapshots(provider: Provider): VolumeSnapshots {
  switch (provider.type) {
    case 'eks':
      return { kind: 'plugin', location: { name: 'ebs', provider: AWS_PLUGIN_PROVIDER, config: { region: provider.region } } };
    case 'openstack':
      return { kind: 'csi' };
    case 'generic':
      return { kind: 'none' };
  }
}

/** Velero feature flags a provider needs (server and node-agent). */
export function veleroFeatures(provider: Provider): string[] {
  return volumeSnapshots(provider).kind === 'csi' ? ['EnableCSI'] : [];
}

/**
 * The `config` of a BackupStorageLocation served by velero-plugin-for-aws. On eks the bucket is AWS S3 in the
 * cluster's region unless the location says otherwise; elsewhere the location must name its S3-compatible endpoint
 * and the region that endpoint signs with (a wrong region fails every request, so it is never guessed).
 */
export function storageLocationConfig(ctx: PlatformContext, location: LocationSettings): Record<string, string> {
  const provider = ctx.cluster.provider;
  const where = `backup location "${location.name}" on provider "${provider.type}"`;
  if (provider.type !== 'eks') {
    if (!location.s3Url) {
      throw new Error(`${where}: s3Url is required (the S3-compatible endpoint, e.g. Swift's S3 API or Ceph RGW: "https://object-store.example.com")`);
    }
    if (!location.region) {
      throw new Error(`${where}: region is required (the region the S3 endpoint signs with: Swift s3api's "location", "us-east-1" unless changed; RGW: the zonegroup)`);
    }
  }
  const region = location.region ?? (provider.type === 'eks' ? provider.region : undefined);
  const config: Record<string, string> = {};
  if (region) config.region = region;
  if (location.s3Url) {
    config.s3Url = location.s3Url;
    config.s3ForcePathStyle = String(location.s3ForcePathStyle ?? true);
  } else if (location.s3ForcePathStyle !== undefined) {
    config.s3ForcePathStyle = String(location.s3ForcePathStyle);
  }
  return config;
}
