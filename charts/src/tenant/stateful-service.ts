import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { CDK8S_ADDRESS_LABEL, selectByIdentity, serviceSelects } from '../workloads';
import { StatefulAppSpec } from './app-spec';
import { TenantAppIdentity, TenantAppProps, appDisruptionBudget, appPod } from './app-pod';

/** Props of a tenant's stateful service. */
export interface TenantStatefulServiceProps extends TenantAppProps<StatefulAppSpec> {}

/** Name of the volume claim template (and of each replica's PVC prefix: `data-<app>-<n>`). */
export const DATA_VOLUME = 'data';

/**
 * A stateful service of a tenant: a headless Service `<app>` (stable pod DNS `<app>-0.<app>`), a StatefulSet on
 * worker nodes with one PersistentVolumeClaim per replica from a volumeClaimTemplate on the resolved storage class,
 * and a PodDisruptionBudget. cdk8s-plus has no volumeClaimTemplates, so the claim and its mount are JSON patches.
 */
export class TenantStatefulService extends Construct {
  readonly identity: TenantAppIdentity;
  readonly service: kplus.Service;
  readonly statefulSet: kplus.StatefulSet;
  readonly disruptionBudget?: k8s.KubePodDisruptionBudget;

  constructor(scope: Construct, id: string, props: TenantStatefulServiceProps) {
    super(scope, id);
    const { context: c, app } = props;
    const namespace = c.namespace.name;
    this.identity = new TenantAppIdentity(c, app);
    this.service = new kplus.Service(this, 'service', {
      metadata: this.identity.metadata(app.name, namespace),
      clusterIP: 'None',
      ports: [{ name: 'tcp', port: app.port, targetPort: app.port }],
    });
    serviceSelects(this.service, this.identity.id);

    const pod = appPod(this, c, app, this.identity);
    this.statefulSet = new kplus.StatefulSet(this, 'stateful-set', {
      metadata: this.identity.metadata(app.name, namespace),
      service: this.service,
      replicas: app.replicas,
      ...pod,
    });
    selectByIdentity(this.statefulSet, this.identity.id);
    c.placement.applyTo(this.statefulSet);
    // cdk8s-plus' StatefulSet makes its Service select the construct-address label too; the identity is enough.
    ApiObject.of(this.service).addJsonPatch(JsonPatch.remove(`/spec/selector/${CDK8S_ADDRESS_LABEL.replace('/', '~1')}`));

    const api = ApiObject.of(this.statefulSet);
    api.addJsonPatch(JsonPatch.add('/spec/volumeClaimTemplates', [{
      metadata: { name: DATA_VOLUME, labels: { ...this.identity.labels } },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: app.storage.storageClass,
        // The L1 StatefulSet serializes claim templates through its typed mapping, which reads Quantity objects.
        resources: { requests: { storage: k8s.Quantity.fromString(app.storage.size) } },
      },
    }]));
    const mount = { name: DATA_VOLUME, mountPath: app.storage.path };
    const hasMounts = (pod.containers[0].volumeMounts?.length ?? 0) > 0;
    api.addJsonPatch(hasMounts
      ? JsonPatch.add('/spec/template/spec/containers/0/volumeMounts/-', mount)
      : JsonPatch.add('/spec/template/spec/containers/0/volumeMounts', [mount]));

    this.disruptionBudget = appDisruptionBudget(this, c, app, this.identity);
  }
}
