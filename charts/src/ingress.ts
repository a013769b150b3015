import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { isHostUnder } from './names';
import { PLATFORM_ENDPOINTS } from './platform-endpoints';
import { PlatformContext } from './platform-context';

export interface PlatformIngressProps {
  readonly name: string;
  readonly namespace: string;
  /** Full host name; must be under the environment's domain. */
  readonly host: string;
  /** @default "/" */
  readonly path?: string;
  readonly serviceName: string;
  readonly servicePort: number;
  readonly labels?: Readonly<Record<string, string>>;
  /** Extra annotations (e.g. nginx auth-url for UIs behind SSO). @default {} */
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * An Ingress the platform way: class `nginx`, TLS for its host with a certificate issued by the environment's
 * cert-manager ClusterIssuer into Secret `<name>-tls` (created in the cluster, never in git), host checked to
 * be under the environment's domain.
 */
export class PlatformIngress extends Construct {
  readonly apiObject: k8s.KubeIngress;
  readonly tlsSecretName: string;

  constructor(scope: Construct, id: string, ctx: PlatformContext, props: PlatformIngressProps) {
    super(scope, id);
    if (!isHostUnder(props.host, ctx.domain)) {
      throw new Error(`Ingress ${props.namespace}/${props.name}: host "${props.host}" is not under the environment's domain "${ctx.domain}"`);
    }
    this.tlsSecretName = `${props.name}-tls`;
    this.apiObject = new k8s.KubeIngress(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: props.labels ? { ...props.labels } : undefined,
        annotations: { 'cert-manager.io/cluster-issuer': ctx.ingress.clusterIssuer, ...props.annotations },
      },
      spec: {
        ingressClassName: PLATFORM_ENDPOINTS.ingressController.ingressClass,
        tls: [{ hosts: [props.host], secretName: this.tlsSecretName }],
        rules: [{
          host: props.host,
          http: {
            paths: [{
              path: props.path ?? '/',
              pathType: 'Prefix',
              backend: { service: { name: props.serviceName, port: { number: props.servicePort } } },
            }],
          },
        }],
      },
    });
  }
}
