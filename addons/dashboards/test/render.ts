import { z } from 'zod';
import { synth, testChart, testContext } from '../../../charts/test/helpers';
import addon, { settings } from '../src';

/** SSO in front of the exposed UIs, as environments configure it. */
export const AUTH = { type: 'external', url: 'https://auth.test.example.com/oauth2/auth', signin: 'https://auth.test.example.com/oauth2/start' } as const;

/** Renders the add-on as the synth does: settings parsed by the add-on's schema, then render(). */
export function render(input: z.input<typeof settings> = { auth: AUTH }): any[] {
  const chart = testChart();
  addon.render(chart, testContext(), settings.parse(input));
  return synth(chart);
}

/** Every tool on. */
export function renderAll(): any[] {
  return render({ auth: AUTH, weaveScope: { enabled: true } });
}

export function find(objects: any[], kind: string, name: string, namespace?: string): any {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace));
  if (!found) throw new Error(`no ${kind} ${name} among: ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found;
}

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'];

/** Whether `labels` has every key/value of `selector`. */
export function matches(selector: Record<string, string>, labels: Record<string, string> = {}): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}
