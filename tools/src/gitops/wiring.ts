import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import type { Environment } from '@platform/environments';
import type { RenderedObject } from '../synth/manifest';
import type { Unit } from '../synth/units';
import { ArgoCdConfig, PLATFORM_CLUSTER_KINDS, Project, SyncSettings, UnitApplication } from './argocd';
import { ARGOCD, FLUX, envPath } from './engines';
import { PlatformSource, UnitKustomization } from './flux';
import type { ApplicationSpecIgnoreDifferences } from './imports/argoproj.io';
import { WAVES, addonDepths } from './layers';
import { TENANT_WORKLOAD_RESOURCES } from './tenant-kinds';
import { PREVIEW_API_GROUPS, PreviewIdentity } from '../preview/identity';

/** API groups of each engine's custom resources that the platform renders. */
const ENGINE_API_GROUPS: Record<'argocd' | 'flux', readonly string[]> = {
  argocd: ['argoproj.io'],
  flux: ['kustomize.toolkit.fluxcd.io', 'source.toolkit.fluxcd.io'],
};

/** Output sections (directories under dist/<env>/) of the engine objects. */
export const GITOPS_SECTIONS = {
  preview: '/bootstrap/preview',
  argocd: '/argocd',
  flux: '/flux',
  argocdBootstrap: '/bootstrap/argocd',
  fluxBootstrap: '/bootstrap/flux',
} as const;

export interface WiringInput {
  readonly unit: Unit;
  readonly env: Environment;
  /** The unit's own rendered objects (namespaces, HPAs, webhooks are read from them). */
  readonly objects: readonly RenderedObject[];
  /** Every add-on enabled in the environment, with the add-ons it depends on. */
  readonly addons: ReadonlyMap<string, readonly string[]>;
  /** Tenants only: identity-provider groups that administer / view the tenant (Argo CD project roles). */
  readonly owners?: { readonly admins: readonly string[]; readonly viewers: readonly string[] };
}

/**
 * Adds the GitOps engine objects of one unit: its Argo CD Application(s) (and project), its Flux
 * Kustomization(s) (and identity). Each unit wires itself, so a unit's output — and its cache entry — is complete
 * on its own. The cluster unit also renders what each engine's bootstrap applies once.
 */
export function renderWiring(chart: (section: string) => Chart, input: WiringInput): void {
  const { unit, env } = input;
  const engines = new Set(env.gitops.engines);
  const sync: SyncSettings = { repoUrl: env.gitops.repoUrl, revision: env.gitops.revision, automated: env.gitops.autoSync };
  const argo = engines.has('argocd') ? chart(GITOPS_SECTIONS.argocd) : undefined;
  const flux = engines.has('flux') ? chart(GITOPS_SECTIONS.flux) : undefined;
  const path = (...parts: string[]): string => envPath(env.name, ...parts);

  switch (unit.kind) {
    case 'cluster': {
      previewIdentity(chart(GITOPS_SECTIONS.preview), env);
      if (argo) {
        const boot = chart(GITOPS_SECTIONS.argocdBootstrap);
        new Project(boot, 'project-root', {
          name: 'platform-root', description: 'The root app-of-apps: Applications, AppProjects and Argo CD config only',
          repoUrl: sync.repoUrl, namespaces: [ARGOCD.namespace], clusterKinds: [],
          namespacedKinds: [{ group: 'argoproj.io', kind: 'Application' }, { group: 'argoproj.io', kind: 'AppProject' }, { group: '', kind: 'ConfigMap' }],
        });
        new UnitApplication(boot, 'root', { name: 'platform-root', project: 'platform-root', path: path('argocd'), wave: 0, sync, namespace: ARGOCD.namespace });
        new ArgoCdConfig(boot, 'config', {});
        new Project(argo, 'project-platform', {
          name: 'platform', description: 'Cluster objects and add-ons, rendered from this repository by the platform team',
          repoUrl: sync.repoUrl, namespaces: ['*'], clusterKinds: PLATFORM_CLUSTER_KINDS,
        });
        new UnitApplication(argo, 'app-bootstrap', { name: 'platform-bootstrap', project: 'platform-root', path: path('bootstrap/argocd'), wave: WAVES.bootstrap, sync, namespace: ARGOCD.namespace });
        new UnitApplication(argo, 'app-cluster', { name: 'cluster', project: 'platform', path: path('cluster'), wave: WAVES.cluster, sync });
        new UnitApplication(argo, 'app-preview', { name: 'platform-preview', project: 'platform', path: path('bootstrap/preview'), wave: WAVES.preview, sync });
      }
      if (flux) {
        const boot = chart(GITOPS_SECTIONS.fluxBootstrap);
        new PlatformSource(boot, 'source', { repoUrl: sync.repoUrl, branch: sync.revision, dir: path() });
        new UnitKustomization(boot, 'root', { name: 'platform', path: `./${path('flux')}`, wait: false });
        // Self-management of the bootstrap objects; never pruned, so a bad commit cannot delete the root.
        new UnitKustomization(flux, 'bootstrap', { name: 'bootstrap', path: `./${path('bootstrap/flux')}`, wait: false, prune: false });
        new UnitKustomization(flux, 'cluster', { name: 'cluster', path: `./${path('cluster')}` });
        new UnitKustomization(flux, 'preview', { name: 'preview', path: `./${path('bootstrap/preview')}`, dependsOn: ['cluster'] });
      }
      break;
    }
    case 'addon': {
      const deps = input.addons.get(unit.name) ?? [];
      const wave = WAVES.addons + (addonDepths(input.addons).get(unit.name) ?? 0);
      if (argo) {
        new UnitApplication(argo, 'app', {
          name: `addon-${unit.name}`, project: 'platform', path: path('addons', unit.name), wave, sync,
          ignoreDifferences: injectedFields(input.objects),
        });
      }
      if (flux) {
        new UnitKustomization(flux, 'kustomization', {
          name: `addon-${unit.name}`, path: `./${path('addons', unit.name)}`,
          dependsOn: ['cluster', ...deps.map((d) => `addon-${d}`)],
        });
      }
      break;
    }
    case 'tenant': {
      const t = unit.name;
      const namespaces = input.objects.filter((o) => o.manifest.kind === 'Namespace').map((o) => o.manifest.metadata.name).sort();
      if (argo) {
        new Project(argo, 'project', {
          name: `tenant-${t}`, description: `Workloads of tenant ${t}: its namespaces and kinds only, nothing cluster-wide`,
          repoUrl: sync.repoUrl, namespaces, clusterKinds: [],
          namespacedKinds: TENANT_WORKLOAD_RESOURCES.map(({ group, kind }) => ({ group, kind })),
          owners: { sync: [...(input.owners?.admins ?? [])].sort(), view: [...(input.owners?.viewers ?? [])].sort() },
        });
        new UnitApplication(argo, 'app-guardrails', {
          name: `tenant-${t}-guardrails`, project: 'platform', path: path('tenants', t, 'guardrails'), wave: WAVES.tenantGuardrails, sync, namespace: namespaces[0],
        });
        new UnitApplication(argo, 'app-workloads', {
          name: `tenant-${t}`, project: `tenant-${t}`, path: path('tenants', t, 'workloads'), wave: WAVES.tenantWorkloads, sync,
          namespace: namespaces[0], serverSideApply: true, ignoreDifferences: [...hpaReplicas(input.objects), ...injectedFields(input.objects)],
        });
      }
      if (flux) {
        const identity = `tenant-${t}`;
        new k8s.KubeServiceAccount(flux, 'identity', { metadata: { name: identity, namespace: FLUX.namespace } });
        const guardrails = chart('guardrails');
        for (const ns of namespaces) tenantDeployerRbac(guardrails, ns, identity);
        new UnitKustomization(flux, 'guardrails', {
          name: `tenant-${t}-guardrails`, path: `./${path('tenants', t, 'guardrails')}`,
          dependsOn: ['cluster', ...[...input.addons.keys()].map((a) => `addon-${a}`)],
        });
        new UnitKustomization(flux, 'workloads', {
          name: `tenant-${t}`, path: `./${path('tenants', t, 'workloads')}`,
          dependsOn: [`tenant-${t}-guardrails`], serviceAccountName: identity,
        });
      }
      break;
    }
  }
}

/**
 * The read-only identity CI previews with (tools/src/preview/identity.ts). Without a write guard, RBAC kinds are
 * left out: with `escalate`/`bind` and no guard, the identity could grant itself anything for real.
 */
function previewIdentity(scope: Chart, env: Environment): void {
  const guard = env.gitops.preview.writeGuard;
  const rbac = 'rbac.authorization.k8s.io';
  const engineGroups = env.gitops.engines.flatMap((e) => ENGINE_API_GROUPS[e]);
  // Without a guard, dry-run rights on RBAC or on the engine's objects would be real rights to grant anything:
  // those groups are only readable (prune detection) and the preview reports their objects as not previewed.
  const identity = new PreviewIdentity(scope, 'preview-identity', {
    writeGuard: guard,
    apiGroups: guard === 'none' ? PREVIEW_API_GROUPS.filter((g) => g !== rbac) : PREVIEW_API_GROUPS,
    customResourceGroups: guard === 'none' ? env.gitops.preview.customResourceGroups : [...env.gitops.preview.customResourceGroups, ...engineGroups],
    readOnlyGroups: guard === 'none' ? [rbac, ...engineGroups] : [],
  });
  // The guard goes in before anything grants the identity permissions.
  for (const guardObject of [identity.policy, identity.policyBinding]) {
    guardObject?.metadata.addAnnotation('argocd.argoproj.io/sync-wave', '-1');
  }
}

/** The deployer Role Flux impersonates for a tenant: exactly the workload kinds, in one namespace. */
function tenantDeployerRbac(scope: Chart, namespace: string, serviceAccount: string): void {
  const byGroup = new Map<string, string[]>();
  for (const r of TENANT_WORKLOAD_RESOURCES) byGroup.set(r.group, [...(byGroup.get(r.group) ?? []), r.resource]);
  new k8s.KubeRole(scope, `gitops-deployer-role-${namespace}`, {
    metadata: { name: 'gitops-deployer', namespace },
    rules: [...byGroup].map(([group, resources]) => ({
      apiGroups: [group], resources: resources.sort(), verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    })),
  });
  new k8s.KubeRoleBinding(scope, `gitops-deployer-binding-${namespace}`, {
    metadata: { name: 'gitops-deployer', namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'gitops-deployer' },
    subjects: [{ kind: 'ServiceAccount', name: serviceAccount, namespace: FLUX.namespace }],
  });
}

/** Replicas of HPA-scaled workloads belong to the HPA, not to git. */
function hpaReplicas(objects: readonly RenderedObject[]): ApplicationSpecIgnoreDifferences[] {
  return objects.filter((o) => o.manifest.kind === 'HorizontalPodAutoscaler').map((o) => {
    const target = (o.manifest.spec as { scaleTargetRef: { apiVersion?: string; kind: string; name: string } }).scaleTargetRef;
    return { group: target.apiVersion?.split('/')[0] ?? 'apps', kind: target.kind, name: target.name, namespace: o.manifest.metadata.namespace, jsonPointers: ['/spec/replicas'] };
  });
}

/** CA bundles that cert jobs or controllers inject into webhook configurations at runtime. */
function injectedFields(objects: readonly RenderedObject[]): ApplicationSpecIgnoreDifferences[] {
  return objects.filter((o) => o.manifest.kind.endsWith('WebhookConfiguration')).map((o) => ({
    group: 'admissionregistration.k8s.io', kind: o.manifest.kind, name: o.manifest.metadata.name,
    jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'],
  }));
}
