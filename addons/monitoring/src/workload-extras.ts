import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { AppIdentity, CDK8S_ADDRESS_LABEL, serviceSelects } from '@platform/charts';
import { Construct } from 'constructs';

/**
 * Small pieces cdk8s-plus 28 does not model (volumeClaimTemplates, hostPID, priorityClassName, session
 * affinity) or models in a way the platform must correct. Each is a JSON patch on the rendered object, kept here
 * so the component files read as "what", not "how".
 */

/** JSON-pointer escaping of a map key (`a/b` → `a~1b`). */
function pointerKey(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Makes `service` the governing Service of `statefulSet` selecting by identity only. cdk8s-plus' StatefulSet
 * adds its construct-address label to the Service's selector, which the platform rejects.
 */
export function governingService(service: kplus.Service, id: AppIdentity): void {
  serviceSelects(service, id);
  ApiObject.of(service).addJsonPatch(JsonPatch.remove(`/spec/selector/${pointerKey(CDK8S_ADDRESS_LABEL)}`));
}

export interface VolumeClaimTemplateProps {
  /** Claim (and volume) name; pods get `<name>-<statefulset>-<ordinal>`. */
  readonly name: string;
  /** Requested size, e.g. "50Gi". */
  readonly size: string;
  readonly storageClassName: string;
  /** Where the first container mounts the volume. */
  readonly mountPath: string;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * One ReadWriteOnce volume per StatefulSet pod, mounted into its first container. (JSON patches apply before
 * cdk8s serialises the L1 props, so values use the L1 types: the size is a k8s.Quantity.)
 */
export function addVolumeClaimTemplate(statefulSet: kplus.StatefulSet, props: VolumeClaimTemplateProps): void {
  const api = ApiObject.of(statefulSet);
  api.addJsonPatch(JsonPatch.add('/spec/volumeClaimTemplates', [{
    metadata: { name: props.name, labels: { ...props.labels } },
    spec: {
      accessModes: ['ReadWriteOnce'],
      storageClassName: props.storageClassName,
      resources: { requests: { storage: k8s.Quantity.fromString(props.size) } },
    },
  }]));
  api.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/volumeMounts/-', { name: props.name, mountPath: props.mountPath }));
}

/**
 * Pod-spec fields cdk8s-plus 28 has no property for. The patch targets the L1 props, whose names are cdk8s'
 * camel-case spellings (`hostPid` renders as `hostPID`).
 */
export function patchPodSpec(workload: kplus.Workload, fields: { hostPid?: boolean; priorityClassName?: string }): void {
  const api = ApiObject.of(workload);
  for (const [field, value] of Object.entries(fields)) {
    if (value !== undefined) api.addJsonPatch(JsonPatch.add(`/spec/template/spec/${field}`, value));
  }
}

/** Lets a DaemonSet roll over a share of the nodes at once (one node at a time is slow on big clusters). */
export function daemonSetMaxUnavailable(daemonSet: kplus.DaemonSet, maxUnavailable: string): void {
  ApiObject.of(daemonSet).addJsonPatch(JsonPatch.add('/spec/updateStrategy', {
    type: 'RollingUpdate',
    rollingUpdate: { maxUnavailable: k8s.IntOrString.fromString(maxUnavailable) },
  }));
}

/** Keeps a client on one backend (two Prometheus replicas hold slightly different data; graphs must not flap). */
export function clientIpAffinity(service: kplus.Service): void {
  ApiObject.of(service).addJsonPatch(JsonPatch.add('/spec/sessionAffinity', 'ClientIP'));
}

/** Headless Service that publishes pods before they are ready (peers must find each other to become ready). */
export function publishNotReadyAddresses(service: kplus.Service): void {
  ApiObject.of(service).addJsonPatch(JsonPatch.add('/spec/publishNotReadyAddresses', true));
}

/** Prefers spreading the workload's replicas over nodes (a node drain takes one replica, not all). */
export function spreadOverNodes(scope: Construct, workload: kplus.Workload, id: AppIdentity): void {
  workload.scheduling.separate(kplus.Pods.select(scope, `${id.name}-peers`, { labels: { ...id.selectorLabels } }), {
    topology: kplus.Topology.HOSTNAME,
    weight: 100,
  });
}

/** At most one pod of the identity voluntarily evicted at a time (only meaningful with two or more replicas). */
export function podDisruptionBudget(scope: Construct, namespace: string, id: AppIdentity): k8s.KubePodDisruptionBudget {
  return new k8s.KubePodDisruptionBudget(scope, `${id.name}-pdb`, {
    metadata: { name: id.name, namespace, labels: { ...id.labels } },
    spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: { ...id.selectorLabels } } },
  });
}
