import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AppIdentity, LABELS } from '../labels';
import { Placement } from '../placement';
import { PlatformContext } from '../platform-context';
import { RESOURCE_PRESETS, containerResources } from '../resources';
import { restrictedContainer, restrictedPod } from '../security';
import { selectByIdentity, serviceSelects } from '../workloads';
import { ResolvedTenantSpec } from './spec';

/** The two places a tenant renders into: what the platform enforces, and what the team runs. */
export interface TenantCharts {
  /** Namespace-level guardrails, applied with the platform's identity. */
  readonly guardrails: Chart;
  /** The team's workloads, applied with the tenant's own identity. */
  readonly workloads: Chart;
}

export class Tenant {
  constructor(charts: TenantCharts, ctx: PlatformContext, spec: ResolvedTenantSpec) {
    const namespace = new kplus.Namespace(charts.guardrails, 'namespace', {
      metadata: {
        name: spec.name,
        labels: {
          [LABELS.tenant]: spec.name,
          [LABELS.team]: spec.team,
          [LABELS.costCenter]: spec.costCenter,
          [LABELS.environment]: ctx.environment,
          'pod-security.kubernetes.io/enforce': 'restricted',
        },
      },
    });

    for (const app of spec.apps) {
      const id = new AppIdentity({ name: app.name, partOf: spec.name, environment: ctx.environment, instance: `${spec.name}-${app.name}`, version: app.image.split(':').pop() });
      const deployment = new kplus.Deployment(charts.workloads, `${app.name}-deployment`, {
        metadata: { name: app.name, namespace: namespace.name, labels: id.labels },
        replicas: app.replicas,
        select: false,
        podMetadata: { labels: id.labels },
        securityContext: restrictedPod(),
        containers: [{
          name: app.name,
          image: app.image,
          portNumber: app.port,
          securityContext: restrictedContainer(),
          resources: containerResources(RESOURCE_PRESETS.small),
        }],
      });
      selectByIdentity(deployment, id);
      Placement.worker(ctx).applyTo(deployment);
      const service = new kplus.Service(charts.workloads, `${app.name}-service`, {
        metadata: { name: app.name, namespace: namespace.name, labels: id.labels },
        ports: [{ name: 'http', port: 80, targetPort: app.port }],
      });
      serviceSelects(service, id);
    }
  }
}
