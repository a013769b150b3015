import { z } from 'zod';
import { PlatformContext } from '@platform/charts';
import { synth, testChart, testContext } from '../../../charts/test/helpers';
import addon from '../src';

export type SettingsInput = z.input<typeof addon.settings>;

/** An Elasticsearch outside the cluster. */
export const EXTERNAL_ES = {
  mode: 'external',
  host: 'logs.es.internal.example.com',
  port: 443,
  scheme: 'https',
  credentialsSecret: { name: 'es-fluentd', usernameKey: 'user', passwordKey: 'pass' },
  kibanaCredentialsSecret: { name: 'es-kibana' },
  egressCidrs: ['10.20.0.0/16'],
} as const satisfies SettingsInput['elasticsearch'];

/** Settings of an environment that keeps Elasticsearch outside the cluster. */
export const EXTERNAL: SettingsInput = { elasticsearch: EXTERNAL_ES };

/** Renders the add-on for one environment and returns its objects. */
export function render(settings: SettingsInput = {}, ctx: PlatformContext = testContext()): any[] {
  const chart = testChart();
  addon.render(chart, ctx, addon.settings.parse(settings));
  return synth(chart);
}

export function find(objects: any[], kind: string, name: string, namespace?: string): any {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace));
  if (!found) throw new Error(`no ${kind} ${namespace ?? '*'}/${name} in ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found;
}

/** The pod spec of a workload (Deployment, StatefulSet, DaemonSet, CronJob). */
export function podSpec(workload: any): any {
  return workload.kind === 'CronJob' ? workload.spec.jobTemplate.spec.template.spec : workload.spec.template.spec;
}

export function fluentdConfig(objects: any[]): string {
  return find(objects, 'ConfigMap', 'fluentd-config').data['fluent.conf'];
}

export function env(container: any): Record<string, any> {
  return Object.fromEntries((container.env ?? []).map((e: any) => [e.name, e.value ?? e.valueFrom]));
}

/** A directive of a fluentd config: `<name arg>` with its parameters and nested directives. */
export interface Directive {
  readonly name: string;
  readonly arg: string;
  readonly params: Record<string, string>;
  readonly children: Directive[];
}

/**
 * Parses fluentd's config syntax far enough to check structure: every section is closed by its own name,
 * parameters are `key value` lines. Throws on anything unbalanced.
 */
export function parseFluentdConfig(text: string): Directive[] {
  const root: Directive = { name: 'root', arg: '', params: {}, children: [] };
  const stack: Directive[] = [root];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const close = /^<\/([a-z_]+)>$/.exec(line);
    const open = /^<([a-z_]+)(?:\s+([^>]*))?>$/.exec(line);
    if (close) {
      const top = stack.pop();
      if (!top || top.name !== close[1]) throw new Error(`line ${i + 1}: </${close[1]}> closes <${top?.name}>`);
    } else if (open) {
      const directive: Directive = { name: open[1], arg: (open[2] ?? '').trim(), params: {}, children: [] };
      stack[stack.length - 1].children.push(directive);
      stack.push(directive);
    } else {
      const param = /^(@?[a-z0-9_]+)\s+(.+)$/.exec(line);
      if (!param) throw new Error(`line ${i + 1}: not a parameter: ${line}`);
      stack[stack.length - 1].params[param[1]] = param[2];
    }
  });
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
  return root.children;
}

/** Every directive in the tree, depth first. */
export function allDirectives(directives: Directive[]): Directive[] {
  return directives.flatMap((d) => [d, ...allDirectives(d.children)]);
}
