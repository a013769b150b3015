import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { AppIdentity, LABELS } from '../labels';
import { PlatformContext } from '../platform-context';
import { TenantAccess } from './access';
import { STACK_LABEL } from './app-pod';
import { TenantNetworkPolicies } from './network';
import { TenantEnvironmentSpec, TenantNamespace } from './resolve';

/** Props of a tenant namespace's guardrails. */
export interface TenantGuardrailsProps {
  /** The environment. */
  readonly ctx: PlatformContext;
  /** The tenant, resolved for the environment. */
  readonly tenant: TenantEnvironmentSpec;
  /** The namespace. */
  readonly namespace: TenantNamespace;
}

/**
 * What the platform enforces in one tenant namespace (applied with the platform's identity): the Namespace with the
 * tenant/team/cost-center/environment labels and Pod Security "restricted" (enforce, audit, warn), a
 * ResourceQuota, a LimitRange with container defaults, the owners' Roles and RoleBindings, and the NetworkPolicies.
 */
export class TenantGuardrails extends Construct {
  readonly namespace: kplus.Namespace;
  readonly quota: k8s.KubeResourceQuota;
  readonly limitRange: k8s.KubeLimitRange;
  readonly access: TenantAccess;
  readonly networkPolicies: TenantNetworkPolicies;

  constructor(scope: Construct, id: string, props: TenantGuardrailsProps) {
    super(scope, id);
    const { ctx, tenant } = props;
    const name = props.namespace.name;
    const labels = { ...new AppIdentity({ name: tenant.name, partOf: tenant.name, environment: tenant.environment, component: 'guardrails' }).labels, [LABELS.tenant]: tenant.name };
    const pss = `v${ctx.cluster.kubernetesVersion}`;
    this.namespace = new kplus.Namespace(this, 'namespace', {
      metadata: {
        name,
        labels: {
          [LABELS.tenant]: tenant.name,
          [LABELS.team]: tenant.team,
          [LABELS.costCenter]: tenant.costCenter,
          [LABELS.environment]: tenant.environment,
          ...(props.namespace.stack ? { [STACK_LABEL]: props.namespace.stack } : {}),
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': pss,
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/audit-version': pss,
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/warn-version': pss,
        },
      },
    });

    const q = tenant.quota;
    const quantity = (value: string | number) => k8s.Quantity.fromString(String(value));
    this.quota = new k8s.KubeResourceQuota(this, 'quota', {
      metadata: { name: 'tenant-quota', namespace: name, labels },
      spec: {
        hard: {
          'requests.cpu': quantity(q.requests.cpu),
          'requests.memory': quantity(q.requests.memory),
          'limits.cpu': quantity(q.limits.cpu),
          'limits.memory': quantity(q.limits.memory),
          pods: quantity(q.pods),
          'requests.storage': quantity(q.storage),
          persistentvolumeclaims: quantity(q.persistentVolumeClaims),
          'services.loadbalancers': quantity(q.loadBalancers),
          'services.nodeports': quantity(0),
        },
      },
    });

    const d = tenant.containerDefaults;
    this.limitRange = new k8s.KubeLimitRange(this, 'limit-range', {
      metadata: { name: 'tenant-limits', namespace: name, labels },
      spec: {
        limits: [{
          type: 'Container',
          defaultRequest: { cpu: quantity(d.requests.cpu), memory: quantity(d.requests.memory) },
          default: { cpu: quantity(d.limits.cpu), memory: quantity(d.limits.memory) },
        }],
      },
    });

    this.access = new TenantAccess(this, 'access', { namespace: name, admins: tenant.owners.admins, viewers: tenant.owners.viewers, labels });
    this.networkPolicies = new TenantNetworkPolicies(this, 'network-policies', { tenant, namespace: props.namespace, labels });
  }
}
