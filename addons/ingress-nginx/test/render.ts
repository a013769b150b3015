import { PlatformContext, Provider } from '@platform/charts';
import { z } from 'zod';
import { synth, testChart, testContext } from '../../../charts/test/helpers';
import addon, { settings } from '../src';

export const PROVIDERS: Record<Provider['type'], Provider> = {
  eks: { type: 'eks', region: 'eu-west-1', accountId: '123456789012' },
  openstack: { type: 'openstack', region: 'RegionOne', authUrl: 'https://keystone.example.com:5000/v3' },
  generic: { type: 'generic' },
};

/** A context on the given provider (the rest as charts' testContext). */
export function contextOn(provider: Provider['type'], overrides: Partial<PlatformContext> = {}): PlatformContext {
  const base = testContext(overrides);
  return { ...base, cluster: { ...base.cluster, provider: PROVIDERS[provider] } };
}

/** Renders the add-on as the synth does: settings parsed by the add-on's schema, then render(). */
export function render(input: z.input<typeof settings> = {}, ctx: PlatformContext = contextOn('generic')): any[] {
  const chart = testChart();
  addon.render(chart, ctx, settings.parse(input));
  return synth(chart);
}

export function find(objects: any[], kind: string, name: string): any {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} among: ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found;
}

/** Whether `labels` has every key/value of `selector`. */
export function matches(selector: Record<string, string>, labels: Record<string, string> = {}): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}
