import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-28';

/** Props of a tenant's access rules in one namespace. */
export interface TenantAccessProps {
  /** The namespace. */
  readonly namespace: string;
  /** Groups bound to the admin Role. */
  readonly admins: readonly string[];
  /** Groups bound to the view Role. @default [] */
  readonly viewers?: readonly string[];
  /** Labels of every object. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

const READ = ['get', 'list', 'watch'];

type Grants = ReadonlyArray<readonly [apiGroup: string, resources: readonly string[]]>;

/** What both roles can read. Secrets are missing on purpose: viewers never read them. */
const VISIBLE: Grants = [
  ['', ['pods', 'pods/log', 'services', 'endpoints', 'configmaps', 'persistentvolumeclaims', 'serviceaccounts', 'events', 'resourcequotas', 'limitranges']],
  ['apps', ['deployments', 'replicasets', 'statefulsets']],
  ['batch', ['jobs', 'cronjobs']],
  ['autoscaling', ['horizontalpodautoscalers']],
  ['policy', ['poddisruptionbudgets']],
  ['networking.k8s.io', ['ingresses', 'networkpolicies']],
  ['discovery.k8s.io', ['endpointslices']],
  ['events.k8s.io', ['events']],
  ['rbac.authorization.k8s.io', ['roles', 'rolebindings']],
];

const WRITE = ['create', 'update', 'patch', 'delete'];

/**
 * What admins may change by hand on top of reading: their workload kinds (the same kinds the GitOps engine applies
 * for them), Secrets, and operating pods. Git stays the source of truth (the engine reverts drift on everything it
 * manages); ResourceQuota, LimitRange, NetworkPolicies and RBAC stay read-only: they are the platform's guardrails.
 */
const OPERATE: ReadonlyArray<readonly [verbs: readonly string[], apiGroup: string, resources: readonly string[]]> = [
  [WRITE, '', ['configmaps', 'endpoints', 'persistentvolumeclaims', 'services', 'serviceaccounts']],
  [['get', 'list', 'watch', ...WRITE], '', ['secrets']],
  [['create', 'get'], '', ['pods/exec', 'pods/portforward']],
  [['delete'], '', ['pods']],
  [WRITE, 'apps', ['deployments', 'statefulsets']],
  [['get', 'update', 'patch'], 'apps', ['deployments/scale', 'statefulsets/scale']],
  [WRITE, 'batch', ['cronjobs', 'jobs']],
  [WRITE, 'autoscaling', ['horizontalpodautoscalers']],
  [WRITE, 'policy', ['poddisruptionbudgets']],
  [WRITE, 'networking.k8s.io', ['ingresses']],
];

function resource(apiGroup: string, resourceType: string): kplus.IApiResource {
  return kplus.ApiResource.custom({ apiGroup, resourceType });
}

/**
 * The tenant's owner groups in one namespace: Role `tenant-admin` and Role `tenant-view` with explicit verbs and
 * resources (no wildcards, no ClusterRoles), bound to the owner groups by RoleBindings `tenant-admins` and
 * `tenant-viewers`.
 */
export class TenantAccess extends Construct {
  readonly adminRole: kplus.Role;
  readonly viewRole: kplus.Role;
  readonly adminBinding: kplus.RoleBinding;
  readonly viewBinding?: kplus.RoleBinding;

  constructor(scope: Construct, id: string, props: TenantAccessProps) {
    super(scope, id);
    const metadata = (name: string) => ({ name, namespace: props.namespace, labels: { ...props.labels } });
    const visible = VISIBLE.map(([group, resources]) => ({ verbs: READ, resources: resources.map((r) => resource(group, r)) }));
    this.viewRole = new kplus.Role(this, 'view-role', { metadata: metadata('tenant-view'), rules: visible });
    this.adminRole = new kplus.Role(this, 'admin-role', {
      metadata: metadata('tenant-admin'),
      rules: [...visible, ...OPERATE.map(([verbs, group, resources]) => ({ verbs: [...verbs], resources: resources.map((r) => resource(group, r)) }))],
    });
    this.adminBinding = this.bind('admins', metadata('tenant-admins'), this.adminRole, props.admins);
    if (props.viewers?.length) this.viewBinding = this.bind('viewers', metadata('tenant-viewers'), this.viewRole, props.viewers);
  }

  private bind(id: string, metadata: { name: string; namespace: string }, role: kplus.Role, groups: readonly string[]): kplus.RoleBinding {
    const binding = new kplus.RoleBinding(this, `${id}-binding`, { metadata, role });
    binding.addSubjects(...groups.map((group, i) => kplus.Group.fromName(this, `${id}-group-${i}`, group)));
    return binding;
  }
}
