import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-28';
import { selectByIdentity } from '../workloads';
import { CronAppSpec } from './app-spec';
import { TenantAppIdentity, TenantAppProps, appPod } from './app-pod';
import { toCron } from './cron';

/** Props of a tenant's cron job. */
export interface TenantCronJobProps extends TenantAppProps<CronAppSpec> {}

const CONCURRENCY: Record<CronAppSpec['concurrencyPolicy'], kplus.ConcurrencyPolicy> = {
  Forbid: kplus.ConcurrencyPolicy.FORBID,
  Allow: kplus.ConcurrencyPolicy.ALLOW,
  Replace: kplus.ConcurrencyPolicy.REPLACE,
};

/** A scheduled job of a tenant: a CronJob whose pods run to completion on worker nodes (no probes: not long-running). */
export class TenantCronJob extends Construct {
  readonly identity: TenantAppIdentity;
  readonly cronJob: kplus.CronJob;

  constructor(scope: Construct, id: string, props: TenantCronJobProps) {
    super(scope, id);
    const { context: c, app } = props;
    this.identity = new TenantAppIdentity(c, app);
    this.cronJob = new kplus.CronJob(this, 'cron-job', {
      metadata: this.identity.metadata(app.name, c.namespace.name),
      schedule: toCron(app.schedule),
      timeZone: app.timeZone,
      concurrencyPolicy: CONCURRENCY[app.concurrencyPolicy],
      startingDeadline: Duration.seconds(app.startingDeadlineSeconds),
      suspend: app.suspend,
      successfulJobsRetained: app.successfulJobsHistoryLimit,
      failedJobsRetained: app.failedJobsHistoryLimit,
      backoffLimit: app.backoffLimit,
      activeDeadline: app.activeDeadlineSeconds === undefined ? undefined : Duration.seconds(app.activeDeadlineSeconds),
      ...appPod(this, c, app, this.identity),
    });
    selectByIdentity(this.cronJob, this.identity.id);
    c.placement.applyTo(this.cronJob);
  }
}
