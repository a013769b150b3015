import { defineAddon } from '@platform/charts';
import { settings } from './settings';
import { Tracing } from './tracing';

export { settings } from './settings';
export type { TracingSettings, TracingSettingsInput } from './settings';
export { Tracing } from './tracing';
export { Jaeger } from './jaeger';
export { OtelCollector } from './otel-collector';

export default defineAddon({
  name: 'tracing',
  description: 'Jaeger v2 and the OpenTelemetry Collector (OTLP endpoint for tenants)',
  // The Jaeger UI Ingress goes through the ingress-nginx admission webhook (failurePolicy Fail).
  dependsOn: ['ingress-nginx'],
  settings,
  render(scope, ctx, resolved) {
    new Tracing(scope, 'tracing', ctx, resolved);
  },
});
