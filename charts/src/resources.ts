import * as kplus from 'cdk8s-plus-28';
import { z } from 'zod';
import { BYTES_HINT, BYTES_PATTERN, CPU_HINT, CPU_PATTERN, bytes, cpu, cpuMillis, size } from './quantity';

export const cpuQuantity = z.string().regex(CPU_PATTERN, { error: `must be ${CPU_HINT}` });
export const bytesQuantity = z.string().regex(BYTES_PATTERN, { error: `must be ${BYTES_HINT}` });

/** Requests and limits of one container, in Kubernetes quantities. */
export const resourcesSchema = z.strictObject({
  requests: z.strictObject({ cpu: cpuQuantity, memory: bytesQuantity }),
  limits: z.strictObject({ cpu: cpuQuantity, memory: bytesQuantity }),
}).superRefine((r, ctx) => {
  // zod runs this refinement even when a quantity failed its pattern; compare well-formed quantities only.
  const cpuOk = CPU_PATTERN.test(r.requests.cpu) && CPU_PATTERN.test(r.limits.cpu);
  const memoryOk = BYTES_PATTERN.test(r.requests.memory) && BYTES_PATTERN.test(r.limits.memory);
  if (cpuOk && cpuMillis(r.limits.cpu) < cpuMillis(r.requests.cpu)) {
    ctx.addIssue({ code: 'custom', path: ['limits', 'cpu'], message: `must be >= requests.cpu (${r.requests.cpu})` });
  }
  if (memoryOk && bytes(r.limits.memory) < bytes(r.requests.memory)) {
    ctx.addIssue({ code: 'custom', path: ['limits', 'memory'], message: `must be >= requests.memory (${r.requests.memory})` });
  }
});
export type Resources = z.output<typeof resourcesSchema>;

/** Sizes to start from; pick one and override where a workload knows better. */
export const RESOURCE_PRESETS = {
  small: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
  medium: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
  large: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } },
} as const satisfies Record<string, Resources>;

/** cdk8s-plus container resources from quantities. */
export function containerResources(r: Resources): kplus.ContainerResources {
  return {
    cpu: { request: cpu(r.requests.cpu), limit: cpu(r.limits.cpu) },
    memory: { request: size(r.requests.memory), limit: size(r.limits.memory) },
  };
}
