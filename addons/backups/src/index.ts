import { defineAddon } from '@platform/charts';
import { Backups } from './backups';
import { settings } from './settings';

export { settings, defaultLocationName } from './settings';
export type { BackupsSettings, BackupsSettingsInput } from './settings';
export { Backups, VELERO_NAMESPACE } from './backups';
export { VeleroServer } from './velero-server';
export { NodeAgent } from './node-agent';
export { VeleroCrds } from './velero-crds';
export { BackupSchedule } from './backup-schedule';
export { VeleroBackupStorageLocation } from './backup-storage-location';
export { VeleroVolumeSnapshotLocation } from './volume-snapshot-location';

export default defineAddon({
  name: 'backups',
  description: 'Velero server, node-agent, backup/snapshot locations and schedules',
  settings,
  render(scope, ctx, resolved) {
    new Backups(scope, 'backups', ctx, resolved);
  },
});
