import { PlatformContext, clusterSchema, dnsLabel, dnsSubdomain, ingressSchema, nodePoolSchema, storageClassSchema } from '@platform/charts';
import { z } from 'zod';
import type { AddonSettings } from './addons';

const gitRepoUrl = z.string().regex(/^(https:\/\/[^\s]+|ssh:\/\/[^\s]+|git@[^\s:]+:[^\s]+)$/, {
  error: 'must be a git URL like "https://github.com/acme/platform.git" or "git@github.com:acme/platform.git"',
});

export const GITOPS_ENGINES = ['argocd', 'flux'] as const;

export const gitopsSchema = z.strictObject({
  /** This repository, as the GitOps engine clones it. */
  repoUrl: gitRepoUrl,
  /** Branch or tag the cluster follows (e.g. test follows "main", prod a promotion branch). */
  revision: z.string().min(1),
  /** Engines running in the cluster; each gets its objects in dist/<env>/<engine>/. @default ["argocd"] */
  engines: z.array(z.enum(GITOPS_ENGINES)).min(1).default(['argocd']),
  /** Sync automatically (with prune and self-heal) or wait for a manual sync. @default true */
  autoSync: z.boolean().default(true),
  /** The read-only identity CI uses for live previews (dist/<env>/bootstrap/preview/). */
  preview: z.strictObject({
    /**
     * What keeps the identity from writing for real (RBAC cannot tell dry-runs apart): a ValidatingAdmissionPolicy
     * "v1" (Kubernetes >= 1.30), "v1beta1" (1.28/1.29 with the feature gate enabled), or "none" (then RBAC objects
     * are not previewable, so the identity cannot grant itself anything).
     */
    writeGuard: z.enum(['v1', 'v1beta1', 'none']),
    /** API groups of custom resources rendered in this environment (previewable). @default [] */
    customResourceGroups: z.array(dnsSubdomain).default([]),
  }),
});

export const environmentSchema = z.strictObject({
  /** Environment name; must equal the file name (environments/<name>.ts). */
  name: dnsLabel,
  cluster: clusterSchema,
  /** Base domain; every Ingress host is under it. */
  domain: dnsSubdomain,
  nodePools: z.array(nodePoolSchema).min(1).superRefine((pools, ctx) => {
    for (const role of ['core', 'worker'] as const) {
      if (!pools.some((p) => p.role === role)) {
        ctx.addIssue({ code: 'custom', message: `must contain a pool with role "${role}" (core runs add-ons, worker runs tenants)` });
      }
    }
    duplicates(pools.map((p) => p.name)).forEach((name) => ctx.addIssue({ code: 'custom', message: `pool name "${name}" is used twice` }));
  }),
  storageClasses: z.array(storageClassSchema).min(1).superRefine((classes, ctx) => {
    const defaults = classes.filter((c) => c.default).map((c) => c.name);
    if (defaults.length !== 1) {
      ctx.addIssue({ code: 'custom', message: `exactly one storage class must have default: true (found ${defaults.length ? defaults.join(', ') : 'none'})` });
    }
    duplicates(classes.map((c) => c.name)).forEach((name) => ctx.addIssue({ code: 'custom', message: `storage class "${name}" is declared twice` }));
  }),
  ingress: ingressSchema,
  gitops: gitopsSchema,
  /** Per-add-on settings; an add-on runs in this environment when its key is present. */
  addons: z.record(z.string(), z.unknown()).default({}),
  /** Tenants allowed here: "all" (every tenant that lists this environment) or an explicit list. @default "all" */
  tenants: z.union([z.literal('all'), z.array(dnsLabel)]).default('all'),
}).superRefine((env, ctx) => {
  const minor = Number(env.cluster.kubernetesVersion.split('.')[1]);
  if (env.gitops.preview.writeGuard === 'v1' && minor < 30) {
    ctx.addIssue({ code: 'custom', path: ['gitops', 'preview', 'writeGuard'], message: `"v1" needs Kubernetes >= 1.30 (this cluster runs ${env.cluster.kubernetesVersion}); use "v1beta1" where the API server enables the ValidatingAdmissionPolicy gate, else "none"` });
  }
  if (env.gitops.preview.writeGuard === 'v1beta1' && minor >= 32) {
    ctx.addIssue({ code: 'custom', path: ['gitops', 'preview', 'writeGuard'], message: `use "v1" on Kubernetes ${env.cluster.kubernetesVersion} (admissionregistration v1beta1 is removed)` });
  }
});

function duplicates(values: readonly string[]): string[] {
  return [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];
}

/** What an environment file declares (defaults may be omitted). */
export type EnvironmentSpec = Omit<z.input<typeof environmentSchema>, 'addons'> & {
  /** Add-ons that run here, with their settings (see addons/<name>/README.md). */
  readonly addons: AddonSettings;
};

/** An environment after validation, with defaults applied. */
export type Environment = Omit<z.output<typeof environmentSchema>, 'addons'> & {
  readonly addons: Readonly<Record<string, unknown>>;
};

/** Typing aid for environment files: `export default defineEnvironment({ ... })`. */
export function defineEnvironment(spec: EnvironmentSpec): EnvironmentSpec {
  return spec;
}

/** The part of an environment every construct may read. */
export function platformContext(env: Environment): PlatformContext {
  return {
    environment: env.name,
    domain: env.domain,
    cluster: env.cluster,
    nodePools: env.nodePools,
    storageClasses: env.storageClasses,
    ingress: env.ingress,
  };
}
