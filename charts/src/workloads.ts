import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AppIdentity } from './labels';

/** cdk8s-plus' construct-address label; the platform selects pods by recommended labels instead. */
export const CDK8S_ADDRESS_LABEL = kplus.Pod.ADDRESS_LABEL;

const POD_TEMPLATE_LABELS: Record<string, string> = {
  CronJob: '/spec/jobTemplate/spec/template/metadata/labels',
  Pod: '/metadata/labels',
};

/**
 * Makes a workload select its pods by the identity's selector labels (create it with `select: false` and
 * `podMetadata: { labels: id.labels }`), and drops cdk8s' address label, which would tie pod labels to
 * construct paths: renaming a construct must not change what a selector matches.
 */
export function selectByIdentity(workload: kplus.Workload | kplus.CronJob | kplus.Job, id: AppIdentity): void {
  if (workload instanceof kplus.Workload) {
    workload.select(kplus.LabelSelector.of({ labels: { ...id.selectorLabels } }));
  }
  const api = ApiObject.of(workload);
  const labels = POD_TEMPLATE_LABELS[api.kind] ?? '/spec/template/metadata/labels';
  api.addJsonPatch(JsonPatch.remove(`${labels}/${CDK8S_ADDRESS_LABEL.replace('/', '~1')}`));
}

/** Points a Service at the pods of one identity. */
export function serviceSelects(service: kplus.Service, id: AppIdentity): void {
  for (const [key, value] of Object.entries(id.selectorLabels)) service.selectLabel(key, value);
}
