import YAML from 'yaml';
import { PlatformContext } from '@platform/charts';
import { synth, testChart, testContext } from '../../../charts/test/helpers';
import { MonitoringSettingsInput, renderMonitoring, settings } from '../src';

/** A rendered Kubernetes object (plain JSON). */
export type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [field: string]: any };
  [field: string]: any;
};

/** Renders the add-on with the given settings into plain objects. */
export function render(input: MonitoringSettingsInput = {}, ctx: Partial<PlatformContext> = {}): Manifest[] {
  const chart = testChart();
  renderMonitoring(chart, testContext(ctx), settings.parse(input));
  return synth(chart);
}

export function find(objects: Manifest[], kind: string, name: string, namespace?: string): Manifest {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace));
  if (!found) throw new Error(`no ${kind} ${namespace ? `${namespace}/` : ''}${name} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found;
}

/** Text of one file of a ConfigMap. */
export function configFile(objects: Manifest[], configMap: string, key: string): string {
  const text = find(objects, 'ConfigMap', configMap).data?.[key];
  if (typeof text !== 'string') throw new Error(`ConfigMap ${configMap} has no key ${key}`);
  return text;
}

/** A YAML file of a ConfigMap, parsed. */
export function yamlFile(objects: Manifest[], configMap: string, key: string): any {
  return YAML.parse(configFile(objects, configMap, key));
}

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'];

export function workloads(objects: Manifest[]): Manifest[] {
  return objects.filter((o) => WORKLOAD_KINDS.includes(o.kind));
}

export function podSpec(workload: Manifest): any {
  return workload.spec.template.spec;
}

export function container(workload: Manifest, name?: string): any {
  const containers = podSpec(workload).containers as any[];
  return name ? containers.find((c) => c.name === name) : containers[0];
}
