import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { PlatformIngress } from '../ingress';
import { selectByIdentity, serviceSelects } from '../workloads';
import { WebAppSpec } from './app-spec';
import { TenantAppIdentity, TenantAppProps, appAutoscaler, appDisruptionBudget, appPod } from './app-pod';
import { previewHost } from './resolve';

/** Props of a tenant's web service. */
export interface TenantWebServiceProps extends TenantAppProps<WebAppSpec> {}

/**
 * A web service of a tenant: ServiceAccount, config files, Deployment on worker nodes, ClusterIP Service
 * `<app>:<servicePort>`, optional HorizontalPodAutoscaler, PodDisruptionBudget, and an Ingress through the
 * platform ingress controller (in the live namespace; `<stack>-<host>` previews in every stack when enabled).
 */
export class TenantWebService extends Construct {
  readonly identity: TenantAppIdentity;
  readonly deployment: kplus.Deployment;
  readonly service: kplus.Service;
  readonly autoscaler?: kplus.HorizontalPodAutoscaler;
  readonly disruptionBudget?: k8s.KubePodDisruptionBudget;
  readonly ingress?: PlatformIngress;
  readonly previewIngress?: PlatformIngress;

  constructor(scope: Construct, id: string, props: TenantWebServiceProps) {
    super(scope, id);
    const { context: c, app } = props;
    const namespace = c.namespace.name;
    this.identity = new TenantAppIdentity(c, app);
    this.deployment = new kplus.Deployment(this, 'deployment', {
      metadata: this.identity.metadata(app.name, namespace),
      replicas: app.autoscaling ? undefined : app.replicas ?? 2,
      ...appPod(this, c, app, this.identity),
    });
    selectByIdentity(this.deployment, this.identity.id);
    c.placement.applyTo(this.deployment);

    this.service = new kplus.Service(this, 'service', {
      metadata: this.identity.metadata(app.name, namespace),
      ports: [{ name: 'http', port: app.servicePort, targetPort: app.port }],
    });
    serviceSelects(this.service, this.identity.id);

    this.autoscaler = appAutoscaler(this, c, app, this.identity, this.deployment);
    this.disruptionBudget = appDisruptionBudget(this, c, app, this.identity);

    if (app.ingress) {
      const route = { namespace, path: app.ingress.path, serviceName: app.name, servicePort: app.servicePort, labels: this.identity.labels };
      if (c.namespace.live) {
        this.ingress = new PlatformIngress(this, 'ingress', c.ctx, { ...route, name: app.name, host: app.ingress.host });
      }
      if (c.namespace.stack && c.tenant.previewHosts) {
        this.previewIngress = new PlatformIngress(this, 'preview-ingress', c.ctx, { ...route, name: `${app.name}-preview`, host: previewHost(app.ingress.host, c.namespace.stack) });
      }
    }
  }
}
