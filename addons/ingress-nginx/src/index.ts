import { defineAddon } from '@platform/charts';
import { z } from 'zod';

// Skeleton: replaced by the add-on's construct (see addons/README.md).
export const settings = z.strictObject({});

export default defineAddon({
  name: 'ingress-nginx',
  description: 'ingress-nginx controller (upstream controller-v1.15.1 parity), IngressClass nginx, admission webhook',
  settings,
  render() {},
});
