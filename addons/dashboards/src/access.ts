import { Construct } from 'constructs';
import { PlatformContext, PlatformIngress, uiAuthAnnotations } from '@platform/charts';
import { Auth } from './settings';

/** nginx annotations that authenticate a user before the request reaches the UI. */
export function authAnnotations(auth: Auth): Record<string, string> {
  return uiAuthAnnotations(auth, 'Platform dashboards');
}

export interface UiIngressProps {
  /** Ingress name (and its TLS Secret `<name>-tls`). */
  readonly name: string;
  readonly namespace: string;
  /** `<subdomain>.<environment domain>`. */
  readonly subdomain: string;
  readonly serviceName: string;
  readonly servicePort: number;
  readonly labels: Readonly<Record<string, string>>;
  /** Authentication in front of the UI; an exposed UI without it is refused. */
  readonly auth: Auth | undefined;
  /** Further annotations (e.g. backend-protocol). @default {} */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** A UI behind the platform's Ingress (class nginx, cert-manager TLS) and an authentication check. */
export class UiIngress extends Construct {
  readonly ingress: PlatformIngress;
  readonly host: string;

  constructor(scope: Construct, id: string, ctx: PlatformContext, props: UiIngressProps) {
    super(scope, id);
    if (!props.auth) throw new Error(`dashboards: ${props.name} is exposed through an Ingress but no auth is configured (set auth, or expose: "port-forward")`);
    this.host = `${props.subdomain}.${ctx.domain}`;
    this.ingress = new PlatformIngress(this, 'ingress', ctx, {
      name: props.name,
      namespace: props.namespace,
      host: this.host,
      serviceName: props.serviceName,
      servicePort: props.servicePort,
      labels: props.labels,
      annotations: { ...authAnnotations(props.auth), ...props.annotations },
    });
  }
}
