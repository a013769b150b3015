import { Construct } from 'constructs';
import { CRON_HINT, cronProblem } from './cron';
import { Schedule } from './imports/velero.io';
import { ScheduleSettings } from './settings';

export interface BackupScheduleProps {
  readonly namespace: string;
  /** The schedule (cron, TTL, scope). */
  readonly schedule: ScheduleSettings;
  /** Names of the BackupStorageLocations that exist; the schedule's location must be one of them. */
  readonly storageLocations: readonly string[];
  /** Location used when the schedule names none. */
  readonly defaultStorageLocation: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * A Velero Schedule. Checked here as well as in the settings, so the construct is safe on its own: the cron must
 * parse and the storage location must be one that is rendered (a Schedule pointing at a missing location only
 * fails at backup time, silently, in the cluster).
 */
export class BackupSchedule extends Construct {
  readonly apiObject: Schedule;

  constructor(scope: Construct, id: string, props: BackupScheduleProps) {
    super(scope, id);
    const s = props.schedule;
    const problem = cronProblem(s.schedule);
    if (problem) throw new Error(`schedule "${s.name}": "${s.schedule}" is not ${CRON_HINT}: ${problem}`);
    const storageLocation = s.storageLocation ?? props.defaultStorageLocation;
    if (!props.storageLocations.includes(storageLocation)) {
      throw new Error(`schedule "${s.name}" refers to storage location "${storageLocation}", which is not defined; defined locations: ${props.storageLocations.map((l) => `"${l}"`).join(', ')}`);
    }
    this.apiObject = new Schedule(this, 'Resource', {
      metadata: { name: s.name, namespace: props.namespace, labels: props.labels ? { ...props.labels } : undefined },
      spec: {
        schedule: s.schedule,
        paused: s.paused,
        useOwnerReferencesInBackup: false,
        template: {
          ttl: s.ttl,
          storageLocation,
          includedNamespaces: [...s.includedNamespaces],
          excludedNamespaces: s.excludedNamespaces.length ? [...s.excludedNamespaces] : undefined,
          snapshotVolumes: s.snapshotVolumes,
          snapshotMoveData: s.snapshotMoveData || undefined,
          defaultVolumesToFsBackup: s.defaultVolumesToFsBackup,
        },
      },
    });
  }
}
