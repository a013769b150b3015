import { defineAddon } from '@platform/charts';
import { z } from 'zod';

// Skeleton: replaced by the add-on's construct (see addons/README.md).
export const settings = z.strictObject({});

export default defineAddon({
  name: 'backups',
  description: 'Velero server, node-agent, backup/snapshot locations and schedules',
  settings,
  render() {},
});
