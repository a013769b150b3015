import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AppIdentity, Provider, serviceSelects } from '@platform/charts';
import { NAMES, NAMESPACE, PORTS } from './names';

/** Annotations of upstream's deploy/static/provider/aws variant: an NLB (in-tree service controller), TCP to the nodes. */
export const AWS_NLB_ANNOTATIONS: Readonly<Record<string, string>> = {
  'service.beta.kubernetes.io/aws-load-balancer-backend-protocol': 'tcp',
  'service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled': 'true',
  'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb',
};

/**
 * Octavia (openstack-cloud-controller-manager). With externalTrafficPolicy Local only nodes running a controller
 * pod may receive traffic: OCCM then health-checks the Service's healthCheckNodePort over HTTP, but only when a
 * monitor is enabled (its `create-monitor` default is false). The floating IP is what DNS points at: it survives
 * a deletion of the Service and can be re-attached with `loadBalancerIP`.
 */
export const OCTAVIA_ANNOTATIONS: Readonly<Record<string, string>> = {
  'loadbalancer.openstack.org/enable-health-monitor': 'true',
  'loadbalancer.openstack.org/keep-floatingip': 'true',
};

/** Octavia pools speak the PROXY protocol (the controller ConfigMap then sets use-proxy-protocol). */
export const OCTAVIA_PROXY_PROTOCOL_ANNOTATION = 'loadbalancer.openstack.org/proxy-protocol';

/** Annotations the cloud's service controller needs for the edge load balancer. */
export function providerAnnotations(provider: Provider, proxyProtocol: boolean): Record<string, string> {
  switch (provider.type) {
    case 'eks':
      return { ...AWS_NLB_ANNOTATIONS };
    case 'openstack':
      return { ...OCTAVIA_ANNOTATIONS, ...(proxyProtocol ? { [OCTAVIA_PROXY_PROTOCOL_ANNOTATION]: 'true' } : {}) };
    case 'generic':
      return {};
  }
}

export interface LoadBalancerServiceProps {
  /** The controller pods the Service sends traffic to. */
  readonly controller: AppIdentity;
  /** Labels of the Service object. */
  readonly labels: Readonly<Record<string, string>>;
  /** Annotations for the cloud load balancer (provider ones first, environment extras over them). @default {} */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Fixed address (re-attach a kept Octavia floating IP, a MetalLB address). @default - the cloud assigns one */
  readonly loadBalancerIP?: string;
}

/**
 * The edge: a LoadBalancer Service on 80/443 with externalTrafficPolicy Local (as upstream), so nodes without a
 * controller pod fail the load balancer's health check and the client address reaches nginx unchanged.
 */
export class LoadBalancerService extends Construct {
  readonly service: kplus.Service;

  constructor(scope: Construct, id: string, props: LoadBalancerServiceProps) {
    super(scope, id);
    const annotations = props.annotations ?? {};
    this.service = new kplus.Service(this, 'service', {
      metadata: {
        name: NAMES.controller,
        namespace: NAMESPACE,
        labels: { ...props.labels },
        annotations: Object.keys(annotations).length ? { ...annotations } : undefined,
      },
      type: kplus.ServiceType.LOAD_BALANCER,
      ports: [
        { name: 'http', port: 80, targetPort: PORTS.http, protocol: kplus.Protocol.TCP },
        { name: 'https', port: 443, targetPort: PORTS.https, protocol: kplus.Protocol.TCP },
      ],
    });
    serviceSelects(this.service, props.controller);
    // Fields cdk8s-plus does not model.
    const api = ApiObject.of(this.service);
    api.addJsonPatch(
      JsonPatch.add('/spec/externalTrafficPolicy', 'Local'),
      JsonPatch.add('/spec/ports/0/appProtocol', 'http'),
      JsonPatch.add('/spec/ports/1/appProtocol', 'https'),
      JsonPatch.remove('/spec/externalIPs'), // cdk8s-plus renders an empty list
    );
    // Patches run before the L1 maps its props to API names: `loadBalancerIp` becomes spec.loadBalancerIP.
    if (props.loadBalancerIP) api.addJsonPatch(JsonPatch.add('/spec/loadBalancerIp', props.loadBalancerIP));
  }
}
