import { defineAddon } from '@platform/charts';
import { z } from 'zod';

// Skeleton: replaced by the add-on's construct (see addons/README.md).
export const settings = z.strictObject({});

export default defineAddon({
  name: 'tracing',
  description: 'Jaeger v2 and the OpenTelemetry Collector (OTLP endpoint for tenants)',
  settings,
  render() {},
});
