import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { ExternalAppSpec } from './app-spec';
import { TenantAppIdentity, TenantAppProps } from './app-pod';

/** Props of a tenant's external dependency. */
export interface TenantExternalServiceProps extends TenantAppProps<ExternalAppSpec> {}

/**
 * A dependency outside the cluster under a local name: `host` → a Service of type ExternalName (cluster DNS answers
 * `<name>` with a CNAME to the host); `ip` → a ClusterIP Service without selector plus an Endpoints object with the
 * address. Egress to it is allowed by the tenant's network policies (see TenantNetworkPolicies).
 */
export class TenantExternalService extends Construct {
  readonly service: kplus.Service;
  readonly endpoints?: k8s.KubeEndpoints;

  constructor(scope: Construct, id: string, props: TenantExternalServiceProps) {
    super(scope, id);
    const { context: c, app } = props;
    const identity = new TenantAppIdentity(c, app);
    const metadata = identity.metadata(app.name, c.namespace.name);
    if (app.host !== undefined) {
      this.service = new kplus.Service(this, 'service', { metadata, externalName: app.host });
      return;
    }
    this.service = new kplus.Service(this, 'service', { metadata, ports: [{ name: 'tcp', port: app.port, targetPort: app.port }] });
    this.endpoints = new k8s.KubeEndpoints(this, 'endpoints', {
      metadata,
      subsets: [{ addresses: [{ ip: app.ip! }], ports: [{ name: 'tcp', port: app.port, protocol: 'TCP' }] }],
    });
  }
}
