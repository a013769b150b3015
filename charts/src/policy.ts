import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { PLATFORM_DOMAIN } from './labels';

/**
 * Ids of the platform policy rules (`platformctl validate`). An add-on that must break one declares an exception
 * on the object, with the reason; the validation report lists exceptions separately. Tenants cannot declare any.
 */
export const POLICY_RULES = [
  'resources',               // containers have requests and limits
  'probes',                  // long-running containers have readiness and liveness probes
  'run-as-non-root',
  'no-privilege-escalation',
  'drop-capabilities',
  'read-only-root-fs',
  'image-tag',               // explicit tag or digest, never latest
  'no-secret-data',          // no Secret with data/stringData in dist (no exceptions)
  'tenant-namespace',        // PSS restricted labels, default-deny policy, quota, limit range
  'node-placement',          // tenants on worker nodes, add-ons on core nodes (DaemonSets excepted)
  'host-access',             // no hostPath, hostNetwork, hostPID, hostIPC, privileged
  'tenant-rbac',             // tenants get no ClusterRole bindings and no wildcard verbs/resources
  'ingress-tls',             // TLS and a host under the environment's domain
  'service-selector',        // a Service's selector matches a pod template in its namespace
  'pdb-selector',            // a PodDisruptionBudget selects some pods
] as const;
export type PolicyRuleId = (typeof POLICY_RULES)[number];

/** Annotation key of an exception: `policy.platform.example.com/<rule-id>: <reason>`. */
export function policyExceptionKey(rule: PolicyRuleId): string {
  return `policy.${PLATFORM_DOMAIN}/${rule}`;
}

/** Declares on a rendered object that it deliberately breaks `rule`, and why (shown in every validation report). */
export function policyException(construct: IConstruct, rule: PolicyRuleId, reason: string): void {
  if (rule === 'no-secret-data') throw new Error('no-secret-data has no exceptions: secrets never live in git');
  if (reason.trim().length < 10) throw new Error(`policy exception ${rule}: give a real reason`);
  ApiObject.of(construct).metadata.addAnnotation(policyExceptionKey(rule), reason);
}
