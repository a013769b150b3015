import { PlatformContext, PlatformIngress, uiAuthAnnotations } from '@platform/charts';
import { Construct } from 'constructs';
import { Auth } from './settings';

/** nginx annotations that authenticate a user before the request reaches the UI. */
export function authAnnotations(auth: Auth): Record<string, string> {
  return uiAuthAnnotations(auth, 'Platform monitoring');
}

/** Where and behind which authentication a UI without its own login is published. */
export interface UiExposure {
  /** Served on `<subdomain>.<ctx.domain>`. */
  readonly subdomain: string;
  readonly auth: Auth;
}

export interface UiIngressProps extends UiExposure {
  readonly name: string;
  readonly namespace: string;
  readonly servicePort: number;
  readonly labels: Readonly<Record<string, string>>;
}

/** A UI behind the platform's Ingress (class nginx, cert-manager TLS) and an authentication check. */
export class UiIngress extends Construct {
  readonly ingress: PlatformIngress;

  /** The URL users reach the UI at (its --web.external-url, so links in notifications work). */
  static url(ctx: PlatformContext, subdomain: string): string {
    return `https://${subdomain}.${ctx.domain}/`;
  }

  constructor(scope: Construct, id: string, ctx: PlatformContext, props: UiIngressProps) {
    super(scope, id);
    this.ingress = new PlatformIngress(this, 'ingress', ctx, {
      name: props.name,
      namespace: props.namespace,
      host: `${props.subdomain}.${ctx.domain}`,
      serviceName: props.name,
      servicePort: props.servicePort,
      labels: props.labels,
      annotations: authAnnotations(props.auth),
    });
  }
}
