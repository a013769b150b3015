import { defineAddon } from '@platform/charts';
import { z } from 'zod';

// Skeleton: replaced by the add-on's construct (see addons/README.md).
export const settings = z.strictObject({});

export default defineAddon({
  name: 'monitoring',
  description: 'Prometheus, Alertmanager, kube-state-metrics, node-exporter, Grafana with dashboards',
  settings,
  render() {},
});
