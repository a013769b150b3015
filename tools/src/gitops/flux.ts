import { Construct } from 'constructs';
import { FLUX } from './engines';
import { GitRepository } from './imports/source.toolkit.fluxcd.io';
import { Kustomization, KustomizationSpecSourceRefKind } from './imports/kustomize.toolkit.fluxcd.io';

export interface UnitKustomizationProps {
  readonly name: string;
  /** Repository path, e.g. ./dist/prod/addons/monitoring. */
  readonly path: string;
  /** Kustomizations (in flux-system) that must be ready first. @default [] */
  readonly dependsOn?: readonly string[];
  /** Impersonate this ServiceAccount of flux-system (tenants). @default the controller's own identity */
  readonly serviceAccountName?: string;
  /** Wait for every applied object to be ready (health checks). @default true */
  readonly wait?: boolean;
  /** Garbage-collect objects removed from git. @default true */
  readonly prune?: boolean;
  readonly labels?: Record<string, string>;
}

/** One Flux Kustomization per synced directory; order is `dependsOn`, pruning is on. */
export class UnitKustomization extends Construct {
  readonly apiObject: Kustomization;

  constructor(scope: Construct, id: string, props: UnitKustomizationProps) {
    super(scope, id);
    this.apiObject = new Kustomization(this, 'Resource', {
      metadata: { name: props.name, namespace: FLUX.namespace, labels: props.labels },
      spec: {
        interval: '10m',
        retryInterval: '2m',
        timeout: '5m',
        path: props.path,
        prune: props.prune ?? true,
        wait: props.wait ?? true,
        sourceRef: { kind: KustomizationSpecSourceRefKind.GIT_REPOSITORY, name: FLUX.source },
        dependsOn: props.dependsOn?.length ? props.dependsOn.map((name) => ({ name })) : undefined,
        serviceAccountName: props.serviceAccountName,
      },
    });
  }
}

export interface PlatformSourceProps {
  readonly repoUrl: string;
  readonly branch: string;
  /** The only directory Flux needs from the repository, e.g. dist/prod. */
  readonly dir: string;
  readonly labels?: Record<string, string>;
}

/** The GitRepository every Kustomization reads; only this environment's dist/ is fetched into the artifact. */
export class PlatformSource extends Construct {
  readonly apiObject: GitRepository;

  constructor(scope: Construct, id: string, props: PlatformSourceProps) {
    super(scope, id);
    this.apiObject = new GitRepository(this, 'Resource', {
      metadata: { name: FLUX.source, namespace: FLUX.namespace, labels: props.labels },
      spec: {
        interval: '1m',
        url: props.repoUrl,
        ref: { branch: props.branch },
        ignore: `/*\n!/${props.dir}/\n`,
      },
    });
  }
}
