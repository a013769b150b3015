import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { LABELS, PLATFORM_ENDPOINTS, PlatformContext, uiAuthAnnotations as sharedUiAuthAnnotations } from '@platform/charts';
import { BackendEndpoint, backendEndpoint } from './backend-endpoint';
import { Jaeger, JaegerUiProps } from './jaeger';
import { OtelCollector } from './otel-collector';
import { TracingSettings } from './settings';
import { TracingNetworkPolicies } from './tracing-network-policies';

/** nginx annotations that authenticate UI users before the request reaches Jaeger. */
export function uiAuthAnnotations(auth: Exclude<TracingSettings['ui'], false>['auth']): Record<string, string> {
  return sharedUiAuthAnnotations(auth, 'Jaeger');
}

function uniqueEndpoints(endpoints: readonly BackendEndpoint[]): BackendEndpoint[] {
  const seen = new Map<string, BackendEndpoint>();
  for (const e of endpoints) seen.set(JSON.stringify(e), e);
  return [...seen.values()];
}

/**
 * The tracing add-on: namespace `tracing` (PSS restricted), Jaeger v2, the OpenTelemetry Collector tenants send to
 * (PLATFORM_ENDPOINTS.otelCollector) and the network policies between them.
 */
export class Tracing extends Construct {
  readonly namespace: kplus.Namespace;
  readonly jaeger: Jaeger;
  readonly collector: OtelCollector;
  readonly networkPolicies: TracingNetworkPolicies;

  constructor(scope: Construct, id: string, ctx: PlatformContext, settings: TracingSettings) {
    super(scope, id);
    const name = PLATFORM_ENDPOINTS.otelCollector.namespace;
    const labels = { [LABELS.partOf]: 'tracing', [LABELS.environment]: ctx.environment };
    this.namespace = new kplus.Namespace(this, 'namespace', {
      metadata: { name, labels: { ...labels, 'pod-security.kubernetes.io/enforce': 'restricted' } },
    });

    const ui: JaegerUiProps | undefined = settings.ui
      ? { host: `${settings.ui.subdomain}.${ctx.domain}`, authAnnotations: uiAuthAnnotations(settings.ui.auth) }
      : undefined;
    this.jaeger = new Jaeger(this, 'jaeger', ctx, {
      namespace: name,
      storage: settings.storage,
      resources: settings.jaeger.resources,
      replicas: settings.jaeger.replicas,
      ui,
    });

    this.collector = new OtelCollector(this, 'otel-collector', ctx, {
      namespace: name,
      jaegerEndpoint: this.jaeger.otlpEndpoint,
      replicas: settings.collector.replicas,
      resources: settings.collector.resources,
      kubernetesAttributes: settings.collector.kubernetesAttributes,
    });

    this.networkPolicies = new TracingNetworkPolicies(this, 'network-policies', {
      namespace: name,
      labels,
      collector: this.collector.identity,
      jaeger: this.jaeger.identity,
      collectorUsesKubeApi: settings.collector.kubernetesAttributes,
      uiIngress: ui !== undefined,
      storageEndpoints: settings.storage.type === 'elasticsearch' ? uniqueEndpoints(settings.storage.serverUrls.map(backendEndpoint)) : [],
    });
  }
}
