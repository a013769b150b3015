import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { PlatformContext } from './platform-context';

/**
 * Cluster-wide objects that belong to no add-on or tenant: the environment's storage classes.
 * (Namespaces and CRDs of add-ons and tenants join them in dist/<env>/cluster/.)
 */
export class ClusterBase extends Construct {
  readonly storageClasses: readonly k8s.KubeStorageClass[];

  constructor(scope: Construct, id: string, ctx: PlatformContext) {
    super(scope, id);
    this.storageClasses = ctx.storageClasses.map((sc) => new k8s.KubeStorageClass(this, `storage-class-${sc.name}`, {
      metadata: {
        name: sc.name,
        annotations: { 'storageclass.kubernetes.io/is-default-class': String(sc.default) },
      },
      provisioner: sc.provisioner,
      parameters: Object.keys(sc.parameters).length ? sc.parameters : undefined,
      reclaimPolicy: sc.reclaimPolicy,
      volumeBindingMode: sc.volumeBindingMode,
      allowVolumeExpansion: sc.allowVolumeExpansion,
    }));
  }
}
