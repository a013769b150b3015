import { defineAddon } from '@platform/charts';
import { z } from 'zod';

// Skeleton: replaced by the add-on's construct (see addons/README.md).
export const settings = z.strictObject({});

export default defineAddon({
  name: 'dashboards',
  description: 'kubernetes-dashboard (read-only), kube-ops-view, weave-scope',
  settings,
  render() {},
});
