import { defineAddon } from '@platform/charts';
import { z } from 'zod';

// Skeleton: replaced by the add-on's construct (see addons/README.md).
export const settings = z.strictObject({});

export default defineAddon({
  name: 'logging',
  description: 'fluentd DaemonSet shipping container logs to Elasticsearch, Kibana',
  settings,
  render() {},
});
