/**
 * The GitOps engines, pinned. Bootstrapping a cluster installs exactly these versions (README: "Bootstrapping a
 * cluster"); the typed constructs in ./imports are generated from the same releases' CRDs
 * (tools/scripts/import-gitops-crds.sh).
 */
export const ARGOCD = {
  version: 'v3.5.1',
  namespace: 'argocd',
  installManifest: 'https://raw.githubusercontent.com/argoproj/argo-cd/v3.5.1/manifests/install.yaml',
  /** Destination server of in-cluster Applications. */
  inCluster: 'https://kubernetes.default.svc',
} as const;

export const FLUX = {
  version: 'v2.9.4',
  namespace: 'flux-system',
  installManifest: 'https://github.com/fluxcd/flux2/releases/download/v2.9.4/install.yaml',
  /** The GitRepository every Kustomization reads from. */
  source: 'platform',
} as const;

/** Directory of an environment's tree in the repository, as the engines see it. */
export function envPath(env: string, ...parts: string[]): string {
  return ['dist', env, ...parts].join('/');
}
