import { defineAddon, resourcesSchema } from '@platform/charts';
import { z } from 'zod';
import { DEFAULT_CONTROLLER_RESOURCES } from './controller';
import { configProblems } from './controller-config';
import { IngressNginx } from './ingress-nginx';

export * from './admission-webhook';
export * from './controller';
export * from './controller-config';
export * from './ingress-nginx';
export * from './load-balancer-service';
export * from './names';
export * from './network-policies';
export * from './rbac';

/** Per-environment settings (see README.md). */
export const settings = z.strictObject({
  /** Controller pods. */
  replicas: z.int().min(1).default(2),
  /** PodDisruptionBudget minAvailable of the controller; must be less than replicas. */
  pdbMinAvailable: z.int().min(0).default(1),
  /** Requests and limits of the controller container. */
  resources: resourcesSchema.default(DEFAULT_CONTROLLER_RESOURCES),
  /** Extra LoadBalancer Service annotations, over the provider's. */
  serviceAnnotations: z.record(z.string(), z.string()).default({}),
  /** Controller ConfigMap entries, over the platform defaults. */
  config: z.record(z.string(), z.string()).default({}),
  /** PROXY protocol between load balancer and nginx (openstack/Octavia only). */
  proxyProtocol: z.boolean().default(false),
  /** Fixed load balancer address (openstack: re-attach the kept floating IP; not on eks). */
  loadBalancerIP: z.ipv4().optional(),
}).superRefine((s, ctx) => {
  if (s.pdbMinAvailable >= s.replicas) {
    ctx.addIssue({ code: 'custom', path: ['pdbMinAvailable'], message: `must be less than replicas (${s.replicas}), or node drains block forever` });
  }
  for (const [key, message] of configProblems(s.config)) ctx.addIssue({ code: 'custom', path: ['config', key], message });
});

export default defineAddon({
  name: 'ingress-nginx',
  description: 'ingress-nginx controller (upstream controller-v1.15.1 parity), IngressClass nginx, admission webhook',
  settings,
  render(scope, ctx, s) {
    new IngressNginx(scope, 'ingress-nginx', ctx, s);
  },
});
