import { Construct } from 'constructs';
import { VolumeSnapshotLocation } from './imports/velero.io';

export interface VeleroVolumeSnapshotLocationProps {
  readonly namespace: string;
  /** Name of the location; backups refer to it as `<provider>:<name>`. */
  readonly name: string;
  /** Velero snapshot provider (the plugin's name), e.g. "aws" for EBS. */
  readonly provider: string;
  /** Provider configuration, e.g. { region: "eu-west-1" }. */
  readonly config: Readonly<Record<string, string>>;
  readonly labels?: Readonly<Record<string, string>>;
}

/** One VolumeSnapshotLocation: where a snapshot plugin (EBS on eks) takes volume snapshots. */
export class VeleroVolumeSnapshotLocation extends Construct {
  readonly apiObject: VolumeSnapshotLocation;
  /** `<provider>:<name>`, as `velero server --default-volume-snapshot-locations` wants it. */
  readonly reference: string;

  constructor(scope: Construct, id: string, props: VeleroVolumeSnapshotLocationProps) {
    super(scope, id);
    this.reference = `${props.provider}:${props.name}`;
    this.apiObject = new VolumeSnapshotLocation(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels ? { ...props.labels } : undefined },
      spec: { provider: props.provider, config: { ...props.config } },
    });
  }
}
