import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { ARGOCD } from './engines';
import { Application, AppProject, ApplicationSpecIgnoreDifferences } from './imports/argoproj.io';

/** Cluster-scoped kinds the platform project may create; anything else cluster-wide is refused by Argo CD. */
export const PLATFORM_CLUSTER_KINDS: ReadonlyArray<{ group: string; kind: string }> = [
  { group: '', kind: 'Namespace' },
  { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration' },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicy' },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicyBinding' },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration' },
  { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
  { group: 'networking.k8s.io', kind: 'IngressClass' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
  { group: 'scheduling.k8s.io', kind: 'PriorityClass' },
  { group: 'storage.k8s.io', kind: 'StorageClass' },
];

export interface SyncSettings {
  readonly repoUrl: string;
  readonly revision: string;
  /** Sync on every change, pruning and self-healing; false = wait for a person to sync. */
  readonly automated: boolean;
}

export interface UnitApplicationProps {
  readonly name: string;
  readonly project: string;
  /** Repository path, e.g. dist/prod/addons/monitoring. */
  readonly path: string;
  readonly wave: number;
  readonly sync: SyncSettings;
  /** Namespace for objects without one (ours all have one); also the project destination it is checked against. @default - none */
  readonly namespace?: string;
  /** Server-side apply: needed for large objects (CRDs, dashboards) that overflow the last-applied annotation. @default true */
  readonly serverSideApply?: boolean;
  /** Fields other controllers own (HPA replicas, injected CA bundles). @default [] */
  readonly ignoreDifferences?: readonly ApplicationSpecIgnoreDifferences[];
  readonly labels?: Record<string, string>;
}

/**
 * One Application per synced directory. Waves order them under the root app; the resources finalizer deletes an
 * Application's objects when the Application disappears from git (a removed add-on or tenant is pruned).
 */
export class UnitApplication extends Construct {
  readonly apiObject: Application;

  constructor(scope: Construct, id: string, props: UnitApplicationProps) {
    super(scope, id);
    const ignore = props.ignoreDifferences ?? [];
    const syncOptions = [
      'CreateNamespace=false',           // namespaces are rendered in cluster/
      'PruneLast=true',                  // delete only after everything else is healthy
      ...((props.serverSideApply ?? true) ? ['ServerSideApply=true'] : []),
      ...(ignore.length ? ['RespectIgnoreDifferences=true'] : []),
    ];
    this.apiObject = new Application(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: ARGOCD.namespace,
        labels: props.labels,
        annotations: { 'argocd.argoproj.io/sync-wave': String(props.wave) },
        finalizers: ['resources-finalizer.argocd.argoproj.io'],
      },
      spec: {
        project: props.project,
        source: { repoUrl: props.sync.repoUrl, targetRevision: props.sync.revision, path: props.path },
        destination: { server: ARGOCD.inCluster, namespace: props.namespace },
        syncPolicy: {
          automated: props.sync.automated ? { prune: true, selfHeal: true } : undefined,
          syncOptions,
          retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
        },
        ignoreDifferences: ignore.length ? [...ignore] : undefined,
      },
    });
  }
}

export interface ProjectProps {
  readonly name: string;
  readonly description: string;
  readonly repoUrl: string;
  /** Namespaces the project's Applications may deploy into ("*" for all). */
  readonly namespaces: readonly string[];
  /** Cluster-scoped kinds allowed; none when empty. */
  readonly clusterKinds: ReadonlyArray<{ group: string; kind: string }>;
  /** Namespaced kinds allowed. @default every kind */
  readonly namespacedKinds?: ReadonlyArray<{ group: string; kind: string }>;
  /** Argo CD RBAC: groups that may see / sync the project's applications. @default none */
  readonly owners?: { readonly sync: readonly string[]; readonly view: readonly string[] };
  readonly labels?: Record<string, string>;
}

/** An AppProject: what its Applications may deploy, where, and who may operate them. */
export class Project extends Construct {
  readonly apiObject: AppProject;

  constructor(scope: Construct, id: string, props: ProjectProps) {
    super(scope, id);
    const roles = props.owners && [
      { name: 'owners', groups: [...props.owners.sync], policies: [`p, proj:${props.name}:owners, applications, get, ${props.name}/*, allow`, `p, proj:${props.name}:owners, applications, sync, ${props.name}/*, allow`] },
      { name: 'viewers', groups: [...props.owners.view], policies: [`p, proj:${props.name}:viewers, applications, get, ${props.name}/*, allow`] },
    ].filter((r) => r.groups.length > 0);
    this.apiObject = new AppProject(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: ARGOCD.namespace,
        labels: props.labels,
        annotations: { 'argocd.argoproj.io/sync-wave': '-30' },
      },
      spec: {
        description: props.description,
        sourceRepos: [props.repoUrl],
        destinations: props.namespaces.map((namespace) => ({ server: ARGOCD.inCluster, namespace })),
        clusterResourceWhitelist: props.clusterKinds.map((k) => ({ group: k.group, kind: k.kind })),
        namespaceResourceWhitelist: (props.namespacedKinds ?? [{ group: '*', kind: '*' }]).map((k) => ({ group: k.group, kind: k.kind })),
        orphanedResources: { warn: true },
        roles: roles && roles.length ? roles : undefined,
      },
    });
  }
}

/**
 * argocd-cm as the platform needs it: Application health (removed from Argo CD in 1.8 and still opt-in in 3.x),
 * so the root app-of-apps waits for each wave of Applications to be healthy before starting the next.
 */
export class ArgoCdConfig extends Construct {
  constructor(scope: Construct, id: string, labels: Record<string, string>) {
    super(scope, id);
    new k8s.KubeConfigMap(this, 'Resource', {
      metadata: {
        name: 'argocd-cm',
        namespace: ARGOCD.namespace,
        labels: { ...labels, 'app.kubernetes.io/name': 'argocd-cm', 'app.kubernetes.io/part-of': 'argocd' },
      },
      data: {
        'resource.customizations.health.argoproj.io_Application': [
          'hs = { status = "Progressing", message = "" }',
          'if obj.status ~= nil and obj.status.health ~= nil then',
          '  hs.status = obj.status.health.status',
          '  if obj.status.health.message ~= nil then hs.message = obj.status.health.message end',
          'end',
          'return hs',
          '',
        ].join('\n'),
      },
    });
  }
}
