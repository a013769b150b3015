import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';

export interface ServiceAccountWithRbacProps {
  /** Name of the ServiceAccount and of its Role, ClusterRole and bindings. */
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Rules of the namespaced Role (in `namespace`). @default - no Role */
  readonly roleRules?: readonly k8s.PolicyRule[];
  /** Rules of the ClusterRole. @default - no ClusterRole */
  readonly clusterRoleRules?: readonly k8s.PolicyRule[];
}

/** A ServiceAccount with its own Role and ClusterRole, each bound to it under the same name (upstream's layout). */
export class ServiceAccountWithRbac extends Construct {
  readonly serviceAccount: kplus.ServiceAccount;
  readonly role?: k8s.KubeRole;
  readonly clusterRole?: k8s.KubeClusterRole;

  constructor(scope: Construct, id: string, props: ServiceAccountWithRbacProps) {
    super(scope, id);
    const metadata = { name: props.name, labels: { ...props.labels } };
    // Tokens are mounted by the pods that need them (automountServiceAccountToken on the pod spec).
    this.serviceAccount = new kplus.ServiceAccount(this, 'service-account', {
      metadata: { ...metadata, namespace: props.namespace },
      automountToken: true,
    });
    const subjects = [{ kind: 'ServiceAccount', name: props.name, namespace: props.namespace }];
    if (props.roleRules?.length) {
      this.role = new k8s.KubeRole(this, 'role', { metadata: { ...metadata, namespace: props.namespace }, rules: [...props.roleRules] });
      new k8s.KubeRoleBinding(this, 'role-binding', {
        metadata: { ...metadata, namespace: props.namespace },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: props.name },
        subjects,
      });
    }
    if (props.clusterRoleRules?.length) {
      this.clusterRole = new k8s.KubeClusterRole(this, 'cluster-role', { metadata, rules: [...props.clusterRoleRules] });
      new k8s.KubeClusterRoleBinding(this, 'cluster-role-binding', {
        metadata,
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: props.name },
        subjects,
      });
    }
  }
}
