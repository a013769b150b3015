import { dnsLabel, dnsSubdomain, resourcesSchema } from '@platform/charts';
import { z } from 'zod';
import { CRON_HINT, cronProblem } from './cron';

/** A Velero duration (Go syntax, whole hours/minutes/seconds): "720h", "168h", "36h30m". */
export const duration = z.string().regex(/^(?=\d)(\d+h)?(\d+m)?(\d+s)?$/, { error: 'must be a duration like "720h" (30 days) or "36h30m"' });

export const cronSchedule = z.string().superRefine((value, ctx) => {
  const problem = cronProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: `must be ${CRON_HINT}: ${problem}` });
});

/** An S3(-compatible) bucket Velero writes backups to: one BackupStorageLocation. */
export const locationSchema = z.strictObject({
  /** Name of the BackupStorageLocation; schedules refer to it. */
  name: dnsLabel,
  /** Bucket name. */
  bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: 'must be an S3 bucket name (3-63 lowercase letters, digits, "." and "-")' }),
  /** Folder inside the bucket, so several clusters can share it. @default - the bucket root */
  prefix: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/, { error: 'must be a path like "platform-prod" (no leading or trailing "/")' }).optional(),
  /** Region the endpoint signs requests with. @default - the cluster's region on eks; required elsewhere */
  region: z.string().min(1).optional(),
  /** S3-compatible endpoint (Swift's S3 API, Ceph RGW, MinIO). @default - AWS S3 (eks); required elsewhere */
  s3Url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL like "https://object-store.example.com"' }).optional(),
  /** Path-style bucket addressing (most S3-compatible stores need it). @default true when s3Url is set */
  s3ForcePathStyle: z.boolean().optional(),
  /** The location backups go to when they name none; needed when there is more than one location. @default false */
  default: z.boolean().default(false),
  /** ReadOnly for a location restores read from but nothing writes to (e.g. another cluster's). @default "ReadWrite" */
  accessMode: z.enum(['ReadWrite', 'ReadOnly']).default('ReadWrite'),
});
export type LocationSettings = z.output<typeof locationSchema>;

/** A Velero Schedule: a cron, a TTL and what to back up. */
export const scheduleSchema = z.strictObject({
  /** Name of the Schedule (backups are named `<name>-<timestamp>`). */
  name: dnsLabel,
  /** When, in the cluster's time zone (UTC on managed clusters). */
  schedule: cronSchedule,
  /** How long each backup is kept before Velero deletes it. */
  ttl: duration,
  /** BackupStorageLocation to write to; must be one of `locations`. @default - the default location */
  storageLocation: dnsLabel.optional(),
  /** @default ["*"] */
  includedNamespaces: z.array(z.string().min(1)).min(1).default(['*']),
  /** @default [] */
  excludedNamespaces: z.array(z.string().min(1)).default([]),
  /** Take volume snapshots (EBS / CSI). @default - Velero's default (yes, where a snapshotter exists) */
  snapshotVolumes: z.boolean().optional(),
  /** Copy the data of CSI snapshots into the backup location (survives the loss of the storage system). @default false */
  snapshotMoveData: z.boolean().default(false),
  /** Back up every pod volume with the node-agent (kopia) unless the pod opts out. @default - the server default */
  defaultVolumesToFsBackup: z.boolean().optional(),
  /** @default false */
  paused: z.boolean().default(false),
});
export type ScheduleSettings = z.output<typeof scheduleSchema>;

/** The location backups go to when they name none: the only one, or the one marked default. */
export function defaultLocationName(locations: readonly Pick<LocationSettings, 'name' | 'default'>[]): string | undefined {
  if (locations.length === 1) return locations[0].name;
  const defaults = locations.filter((l) => l.default);
  return defaults.length === 1 ? defaults[0].name : undefined;
}

/** Problems in how schedules refer to locations, with the path of the offending field; shared by schema and constructs. */
export function locationReferenceProblems(
  locations: readonly Pick<LocationSettings, 'name' | 'default'>[],
  schedules: readonly Pick<ScheduleSettings, 'name' | 'storageLocation'>[],
): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  const names = locations.map((l) => l.name);
  const defined = names.map((n) => `"${n}"`).join(', ');
  names.forEach((n, i) => {
    if (names.indexOf(n) !== i) problems.push({ path: ['locations', i, 'name'], message: `location "${n}" is defined twice` });
  });
  const defaults = locations.filter((l) => l.default);
  if (defaults.length > 1) {
    problems.push({ path: ['locations'], message: `only one location may be the default (found ${defaults.map((l) => `"${l.name}"`).join(', ')})` });
  } else if (locations.length > 1 && defaults.length === 0) {
    problems.push({ path: ['locations'], message: `with several locations (${defined}), mark one default: true` });
  }
  const scheduleNames = schedules.map((s) => s.name);
  schedules.forEach((s, i) => {
    if (scheduleNames.indexOf(s.name) !== i) problems.push({ path: ['schedules', i, 'name'], message: `schedule "${s.name}" is defined twice` });
    if (s.storageLocation !== undefined && !names.includes(s.storageLocation)) {
      problems.push({
        path: ['schedules', i, 'storageLocation'],
        message: `schedule "${s.name}" refers to storage location "${s.storageLocation}", which is not defined; defined locations: ${defined}`,
      });
    }
  });
  return problems;
}

export const settings = z.strictObject({
  /** Backup storage locations (at least one). */
  locations: z.array(locationSchema).min(1, { error: 'must define at least one backup storage location' }),
  /**
   * Secret in namespace velero (created outside git) holding the cloud credentials file Velero's AWS plugin reads,
   * in AWS shared-credentials format ([default] aws_access_key_id=... aws_secret_access_key=...).
   */
  credentialsSecret: z.strictObject({
    /** @default "velero-cloud-credentials" */
    name: dnsSubdomain.default('velero-cloud-credentials'),
    /** @default "cloud" */
    key: z.string().regex(/^[-._a-zA-Z0-9]+$/, { error: 'must be a Secret key ([-._a-zA-Z0-9]+)' }).default('cloud'),
  }).prefault({}),
  /** Scheduled backups. @default [] */
  schedules: z.array(scheduleSchema).default([]),
  /** Back up pod volumes with the node-agent unless a pod opts out (the only volume backup where no snapshotter exists). @default false */
  defaultVolumesToFsBackup: z.boolean().default(false),
  /** @default "info" */
  logLevel: z.enum(['debug', 'info', 'warning', 'error']).default('info'),
  server: z.strictObject({
    /** @default { requests: 500m / 128Mi, limits: 1 / 512Mi } (upstream's suggestion) */
    resources: resourcesSchema.default({ requests: { cpu: '500m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } }),
  }).prefault({}),
  nodeAgent: z.strictObject({
    /** The node-agent on every node. @default { requests: 50m / 128Mi, limits: 500m / 512Mi } */
    resources: resourcesSchema.default({ requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } }),
    /** The data-mover / pod-volume pods the node-agent starts per volume. @default { requests: 100m / 256Mi, limits: 1 / 2Gi } */
    dataPathResources: resourcesSchema.default({ requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '2Gi' } }),
  }).prefault({}),
  maintenance: z.strictObject({
    /** The kopia repository maintenance Jobs the server starts. @default { requests: 100m / 256Mi, limits: 1 / 2Gi } */
    resources: resourcesSchema.default({ requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '2Gi' } }),
    /** Finished maintenance Jobs kept for their logs. @default 3 */
    keepLatestJobs: z.int().min(0).max(10).default(3),
  }).prefault({}),
}).superRefine((s, ctx) => {
  for (const problem of locationReferenceProblems(s.locations, s.schedules)) ctx.addIssue({ code: 'custom', ...problem });
});

export type BackupsSettings = z.output<typeof settings>;
export type BackupsSettingsInput = z.input<typeof settings>;
