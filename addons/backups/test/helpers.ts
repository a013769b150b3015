import { PlatformContext, Provider } from '@platform/charts';
import { synth, testChart, testContext } from '../../../charts/test/helpers';
import addon, { BackupsSettingsInput, settings } from '../src';

export const EKS: Provider = { type: 'eks', region: 'eu-west-1', accountId: '123456789012' };
export const OPENSTACK: Provider = { type: 'openstack', region: 'RegionOne', authUrl: 'https://keystone.test.example.com:5000/v3' };
export const GENERIC: Provider = { type: 'generic' };

/** A test context on the given cloud provider. */
export function contextOn(provider: Provider): PlatformContext {
  const base = testContext();
  return { ...base, cluster: { ...base.cluster, provider } };
}

/** Settings that are valid on every provider: one S3-compatible location, one daily schedule. */
export const BASE: BackupsSettingsInput = {
  locations: [{ name: 'default', bucket: 'velero-backups', s3Url: 'https://object-store.example.com', region: 'us-east-1' }],
  schedules: [{ name: 'daily', schedule: '0 2 * * *', ttl: '720h' }],
};

/** Renders the add-on as the synth does (settings validated with their defaults). */
export function render(input: BackupsSettingsInput = BASE, ctx: PlatformContext = contextOn(OPENSTACK)): any[] {
  const chart = testChart();
  addon.render(chart, ctx, settings.parse(input));
  return synth(chart);
}

export function find(objects: any[], kind: string, name: string): any {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in [${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}]`);
  return found;
}

export function ofKind(objects: any[], kind: string): any[] {
  return objects.filter((o) => o.kind === kind);
}
