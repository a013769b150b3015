import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AppIdentity, PlatformContext, Resources } from '@platform/charts';
import { IMAGES, versionOf } from '../../versions';
import { AdmissionWebhook } from './admission-webhook';
import { DEFAULT_CONTROLLER_RESOURCES, IngressNginxController } from './controller';
import { controllerConfig } from './controller-config';
import { LoadBalancerService, providerAnnotations } from './load-balancer-service';
import { APP_NAME, CONTROLLER_CLASS, CONTROLLER_COMPONENT, INGRESS_CLASS, NAMESPACE } from './names';
import { IngressNginxNetworkPolicies } from './network-policies';

/** The add-on's name: app.kubernetes.io/part-of of everything it renders. */
export const ADDON = 'ingress-nginx';

export interface IngressNginxProps {
  /** Number of controller pods. @default 2 */
  readonly replicas?: number;
  /** Controller pods a node drain must leave running (PodDisruptionBudget minAvailable); less than `replicas`. @default 1 */
  readonly pdbMinAvailable?: number;
  /** Requests and limits of the controller container. @default DEFAULT_CONTROLLER_RESOURCES */
  readonly resources?: Resources;
  /** Extra annotations of the LoadBalancer Service, over the provider's (e.g. an internal NLB). @default {} */
  readonly serviceAnnotations?: Readonly<Record<string, string>>;
  /** Entries of the controller ConfigMap, over the platform defaults; platform-owned keys are refused. @default {} */
  readonly config?: Readonly<Record<string, string>>;
  /** The load balancer sends the PROXY protocol (openstack only: Octavia pool + use-proxy-protocol). @default false */
  readonly proxyProtocol?: boolean;
  /** Fixed load balancer address, e.g. a kept Octavia floating IP (not on eks). @default - assigned by the cloud */
  readonly loadBalancerIP?: string;
}

/**
 * ingress-nginx at parity with upstream controller-v1.15.1 (deploy/static/provider/cloud|aws): namespace,
 * controller with RBAC, ConfigMap and PDB, the LoadBalancer Service with the provider's annotations, the default
 * IngressClass `nginx`, the admission webhook with its certgen Jobs, and network policies.
 */
export class IngressNginx extends Construct {
  readonly namespace: kplus.Namespace;
  readonly controller: IngressNginxController;
  readonly service: LoadBalancerService;
  readonly ingressClass: k8s.KubeIngressClass;
  readonly admissionWebhook: AdmissionWebhook;

  constructor(scope: Construct, id: string, ctx: PlatformContext, props: IngressNginxProps = {}) {
    super(scope, id);
    const provider = ctx.cluster.provider;
    const proxyProtocol = props.proxyProtocol ?? false;
    if (proxyProtocol && provider.type !== 'openstack') {
      throw new Error(`ingress-nginx: proxyProtocol is only supported on provider "openstack" (Octavia); this cluster is "${provider.type}"`);
    }
    if (props.loadBalancerIP && provider.type === 'eks') {
      throw new Error('ingress-nginx: loadBalancerIP is not supported on provider "eks" (an NLB gets its addresses from AWS)');
    }

    const version = versionOf(IMAGES['ingress-nginx'].controller);
    const controllerId = new AppIdentity({ name: APP_NAME, component: CONTROLLER_COMPONENT, partOf: ADDON, environment: ctx.environment, version });
    const admissionId = new AppIdentity({
      name: APP_NAME, component: 'admission-webhook', partOf: ADDON, environment: ctx.environment, version: versionOf(IMAGES['ingress-nginx'].certgen),
    });
    // Namespace-wide objects carry the add-on's labels without a component.
    const addonLabels = new AppIdentity({ name: APP_NAME, partOf: ADDON, environment: ctx.environment, version }).labels;

    this.namespace = new kplus.Namespace(this, 'namespace', {
      metadata: {
        name: NAMESPACE,
        // restricted holds: the only capability added back is NET_BIND_SERVICE, which the profile allows.
        labels: { ...addonLabels, 'pod-security.kubernetes.io/enforce': 'restricted' },
      },
    });

    const resources = props.resources ?? DEFAULT_CONTROLLER_RESOURCES;
    this.controller = new IngressNginxController(this, 'controller', ctx, {
      identity: controllerId,
      replicas: props.replicas,
      minAvailable: props.pdbMinAvailable,
      resources,
      config: controllerConfig({ overrides: props.config ?? {}, cpuLimit: resources.limits.cpu, proxyProtocol }),
    });

    this.service = new LoadBalancerService(this, 'load-balancer', {
      controller: controllerId,
      labels: controllerId.labels,
      annotations: { ...providerAnnotations(provider, proxyProtocol), ...props.serviceAnnotations },
      loadBalancerIP: props.loadBalancerIP,
    });

    this.ingressClass = new k8s.KubeIngressClass(this, 'ingress-class', {
      metadata: {
        name: INGRESS_CLASS,
        labels: { ...controllerId.labels },
        // New Ingresses without ingressClassName get `nginx` (set by the API server's admission), which is why the
        // controller does not need --watch-ingress-without-class.
        annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' },
      },
      spec: { controller: CONTROLLER_CLASS },
    });

    this.admissionWebhook = new AdmissionWebhook(this, 'admission', ctx, { controller: controllerId, identity: admissionId });

    new IngressNginxNetworkPolicies(this, 'network-policies', { controller: controllerId, admission: admissionId, labels: addonLabels });
  }
}
