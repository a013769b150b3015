import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Placement } from '../placement';
import { PlatformContext } from '../platform-context';
import { TenantAppContext } from './app-pod';
import { TenantCronJob } from './cron-job';
import { TenantExternalService } from './external-service';
import { TenantGuardrails } from './guardrails';
import { TenantEnvironmentSpec } from './resolve';
import { TenantStatefulService } from './stateful-service';
import { TenantWebService } from './web-service';
import { TenantWorker } from './worker';

/** The two places a tenant renders into: what the platform enforces, and what the team runs. */
export interface TenantCharts {
  /** Namespace-level guardrails (quota, limits, RBAC, network policies), applied with the platform's identity. */
  readonly guardrails: Chart;
  /** The team's workloads, applied with the tenant's own identity. */
  readonly workloads: Chart;
}

/** An app construct of any kind. */
export type TenantApp = TenantWebService | TenantWorker | TenantCronJob | TenantStatefulService | TenantExternalService;

/**
 * One tenant in one environment: per namespace (one, or one per stack) the guardrails in `charts.guardrails` and
 * every app in `charts.workloads`. The spec is resolved for the environment first (`resolveTenant`); everything
 * here is plain construction, no validation, so that rendering 1000+ tenants stays cheap.
 */
export class Tenant {
  /** Guardrails by namespace name. */
  readonly guardrails = new Map<string, TenantGuardrails>();
  /** App constructs by namespace name, then app name. */
  readonly apps = new Map<string, Map<string, TenantApp>>();

  constructor(charts: TenantCharts, ctx: PlatformContext, spec: TenantEnvironmentSpec) {
    if (spec.environment !== ctx.environment) {
      throw new Error(`tenant ${spec.name} was resolved for environment "${spec.environment}", not "${ctx.environment}"`);
    }
    const placement = Placement.worker(ctx);
    for (const namespace of spec.namespaces) {
      this.guardrails.set(namespace.name, new TenantGuardrails(charts.guardrails, namespace.name, { ctx, tenant: spec, namespace }));
      const scope = new Construct(charts.workloads, namespace.name);
      const context: TenantAppContext = { ctx, tenant: spec, namespace, placement };
      const apps = new Map<string, TenantApp>();
      for (const app of spec.apps) {
        switch (app.kind) {
          case 'web': apps.set(app.name, new TenantWebService(scope, app.name, { context, app })); break;
          case 'worker': apps.set(app.name, new TenantWorker(scope, app.name, { context, app })); break;
          case 'cron': apps.set(app.name, new TenantCronJob(scope, app.name, { context, app })); break;
          case 'stateful': apps.set(app.name, new TenantStatefulService(scope, app.name, { context, app })); break;
          case 'external': apps.set(app.name, new TenantExternalService(scope, app.name, { context, app })); break;
        }
      }
      this.apps.set(namespace.name, apps);
    }
  }
}
