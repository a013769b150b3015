import { z } from 'zod';
import { dnsSubdomain } from './platform-context';

/**
 * Who may pass an Ingress in front of a UI that has no login of its own (Kibana, Jaeger, Prometheus, the
 * dashboards): ingress-nginx asks before proxying. One vocabulary for every add-on's settings.
 */
export const uiAuthSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('external'),
    /** nginx auth-url: an SSO endpoint answering 2xx for logged-in users (e.g. oauth2-proxy's /oauth2/auth). */
    url: z.url({ protocol: /^https?$/ }),
    /** nginx auth-signin: where users who are not logged in are sent. */
    signin: z.url({ protocol: /^https?$/ }),
  }),
  z.strictObject({
    type: z.literal('basic'),
    /** Secret in the UI's namespace (created outside git) with an htpasswd file under key `auth`. */
    secretName: dnsSubdomain,
  }),
], { error: 'must be { type: "external", url, signin } or { type: "basic", secretName }' });
export type UiAuth = z.output<typeof uiAuthSchema>;

/** The ingress-nginx annotations that authenticate a user before the request reaches the UI. */
export function uiAuthAnnotations(auth: UiAuth, realm: string): Record<string, string> {
  switch (auth.type) {
    case 'external':
      return {
        'nginx.ingress.kubernetes.io/auth-url': auth.url,
        'nginx.ingress.kubernetes.io/auth-signin': auth.signin,
      };
    case 'basic':
      return {
        'nginx.ingress.kubernetes.io/auth-type': 'basic',
        'nginx.ingress.kubernetes.io/auth-secret': auth.secretName,
        'nginx.ingress.kubernetes.io/auth-realm': realm,
      };
  }
}
