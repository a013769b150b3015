import { z } from 'zod';
import { dnsLabel } from '../platform-context';

const labelValue = z.string().regex(/^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/, { error: 'must be a label value: lowercase letters, digits, "-", "_" or ".", at most 63 characters' }).max(63);
const imageWithTag = z.string().regex(/^[^\s:@]+(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/, { error: 'must be an image reference' })
  .refine((image) => /:[\w][\w.-]*(@|$)|@sha256:/.test(image.replace(/^[^/]*\//, '')), { error: 'must pin a version: "repo/name:1.2.3" or "repo/name@sha256:…" (no implicit latest)' })
  .refine((image) => !/:latest(@|$)/.test(image), { error: 'must not use the "latest" tag; pin a version' });

export const webAppSchema = z.strictObject({
  kind: z.literal('web'),
  name: dnsLabel,
  image: imageWithTag,
  port: z.int().min(1, { error: 'must be a port between 1 and 65535' }).max(65535, { error: 'must be a port between 1 and 65535' }),
  /** @default 2 */
  replicas: z.int().min(0).default(2),
});

export const tenantSchema = z.strictObject({
  /** Tenant name (DNS-1123 label); also its namespace and the folder name under apps/. */
  name: dnsLabel,
  /** Team label, for ownership. */
  team: labelValue,
  /** Cost center label, for billing. */
  costCenter: labelValue,
  /** Groups of the identity provider that administer / view the tenant's namespaces. */
  owners: z.strictObject({
    admins: z.array(z.string().min(1)).min(1, { error: 'must name at least one admin group' }),
    viewers: z.array(z.string().min(1)).default([]),
  }),
  /** Environments the tenant runs in. */
  environments: z.array(dnsLabel).min(1, { error: 'must list at least one environment' }),
  apps: z.array(webAppSchema).default([]),
});

export type TenantSpec = z.input<typeof tenantSchema>;
export type ResolvedTenantSpec = z.output<typeof tenantSchema>;

/** What `apps/<tenant>/tenant.ts` default-exports. The synth validates it and reports errors by field. */
export function defineTenant(spec: TenantSpec): TenantSpec {
  return spec;
}
