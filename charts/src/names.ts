/** RFC 1123 label: what Kubernetes accepts as a namespace, Service or label-safe name. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS_LABEL_HINT = 'a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters';

/** RFC 1123 subdomain: what Kubernetes accepts as most object names and as host names. */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const DNS_SUBDOMAIN_HINT = 'a DNS-1123 subdomain like "shop.example.com" (lowercase, dot-separated labels)';

export function isDnsLabel(value: string): boolean {
  return value.length <= 63 && DNS_LABEL.test(value);
}

export function isDnsSubdomain(value: string): boolean {
  return value.length <= 253 && DNS_SUBDOMAIN.test(value);
}

/** True when `host` is `domain` itself or a name under it. */
export function isHostUnder(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}
