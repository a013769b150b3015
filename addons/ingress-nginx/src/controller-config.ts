import { cpuMillis } from '@platform/charts';

/**
 * Entries of the controller ConfigMap the platform sets unless an environment overrides them.
 * (Keys: https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/configmap/)
 */
export const DEFAULT_CONFIG: Readonly<Record<string, string>> = {
  // The NLB/Octavia in front is L4: X-Forwarded-* headers come from the client and must not be trusted.
  'use-forwarded-headers': 'false',
  // Reject paths that do not match their pathType (default since 1.12; explicit because it is a safety net).
  'strict-validate-path-type': 'true',
  'server-tokens': 'false',
};

/**
 * Entries no environment may change. Snippets let anyone who can write an Ingress inject nginx configuration
 * and read every Secret the controller can read (CVE-2021-25742); "High" keeps the auth-url
 * family of annotations usable and rejects the "Critical" ones (snippets). use-proxy-protocol must match what
 * the load balancer sends, so it follows the `proxyProtocol` setting.
 */
export const PLATFORM_OWNED_KEYS = ['allow-snippet-annotations', 'annotations-risk-level', 'use-proxy-protocol'] as const;

export interface ControllerConfigInput {
  /** Environment entries, merged over DEFAULT_CONFIG. */
  readonly overrides: Readonly<Record<string, string>>;
  /** CPU limit of the controller container; nginx gets one worker per whole core of it. */
  readonly cpuLimit: string;
  /** The load balancer sends the PROXY protocol header. */
  readonly proxyProtocol: boolean;
}

/** Problems with environment overrides, as [key, message] pairs (empty when fine). */
export function configProblems(overrides: Readonly<Record<string, string>>): Array<[string, string]> {
  return Object.keys(overrides)
    .filter((key) => (PLATFORM_OWNED_KEYS as readonly string[]).includes(key))
    .map((key) => [key, `is set by the platform and cannot be overridden (platform-owned keys: ${PLATFORM_OWNED_KEYS.join(', ')})`]);
}

/** The data of the controller ConfigMap. */
export function controllerConfig(input: ControllerConfigInput): Record<string, string> {
  const problems = configProblems(input.overrides);
  if (problems.length) throw new Error(`ingress-nginx config: "${problems[0][0]}" ${problems[0][1]}`);
  return {
    // nginx's "auto" starts one worker per node CPU and is then throttled by the CPU limit; match the limit instead.
    'worker-processes': String(Math.max(1, Math.ceil(cpuMillis(input.cpuLimit) / 1000))),
    ...DEFAULT_CONFIG,
    ...input.overrides,
    'allow-snippet-annotations': 'false',
    'annotations-risk-level': 'High',
    'use-proxy-protocol': String(input.proxyProtocol),
  };
}
