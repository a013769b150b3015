import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { selectByIdentity } from '../workloads';
import { WorkerAppSpec } from './app-spec';
import { TenantAppIdentity, TenantAppProps, appAutoscaler, appDisruptionBudget, appPod } from './app-pod';

/** Props of a tenant's worker. */
export interface TenantWorkerProps extends TenantAppProps<WorkerAppSpec> {}

/** A background worker of a tenant: a Deployment with no Service or Ingress (+ HPA, PodDisruptionBudget). */
export class TenantWorker extends Construct {
  readonly identity: TenantAppIdentity;
  readonly deployment: kplus.Deployment;
  readonly autoscaler?: kplus.HorizontalPodAutoscaler;
  readonly disruptionBudget?: k8s.KubePodDisruptionBudget;

  constructor(scope: Construct, id: string, props: TenantWorkerProps) {
    super(scope, id);
    const { context: c, app } = props;
    this.identity = new TenantAppIdentity(c, app);
    this.deployment = new kplus.Deployment(this, 'deployment', {
      metadata: this.identity.metadata(app.name, c.namespace.name),
      replicas: app.autoscaling ? undefined : app.replicas ?? 1,
      ...appPod(this, c, app, this.identity),
    });
    selectByIdentity(this.deployment, this.identity.id);
    c.placement.applyTo(this.deployment);
    this.autoscaler = appAutoscaler(this, c, app, this.identity, this.deployment);
    this.disruptionBudget = appDisruptionBudget(this, c, app, this.identity);
  }
}
