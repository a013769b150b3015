import { defineTenant } from '@platform/charts';

/**
 * The data team's batch jobs: a nightly export of the shop's catalogue to object storage and an hourly aggregation
 * into Redis, which keeps its data on a persistent volume.
 */
export default defineTenant({
  name: 'data-team',
  team: 'data',
  costCenter: 'cc-2001',
  owners: { admins: ['data-admins'], viewers: ['data-analysts'] },

  environments: {
    test: {
      apps: {
        'hourly-aggregation': { suspend: true },
        'nightly-export': { env: { S3_HOST: 'objects.test.example.net' } },
        'object-storage': { host: 'objects.test.example.net' },
      },
    },
    prod: {
      quota: { storage: '50Gi' },
      apps: { redis: { storage: { size: '20Gi', storageClass: 'gp3-retain' }, resources: 'medium' } },
    },
  },

  apps: [
    {
      kind: 'cron',
      name: 'nightly-export',
      image: 'curlimages/curl:8.11.1',
      schedule: '30 2 * * *',
      timeZone: 'Europe/Berlin',
      activeDeadlineSeconds: 3600,
      command: ['sh', '-c', [
        'set -eu',
        'curl -fsS http://api.webshop.svc.cluster.local/api/info -o /tmp/catalogue.json',
        'curl -fsS --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" -T /tmp/catalogue.json "https://$S3_HOST/exports/catalogue-$(date +%F).json"',
      ].join('\n')],
      // HTTPS: call the real host name (its certificate names it); `object-storage` below opens the egress to it.
      env: { S3_HOST: 's3.eu-west-1.amazonaws.com' },
      envFromSecrets: ['export-s3-credentials'],
    },
    {
      kind: 'cron',
      name: 'hourly-aggregation',
      image: 'redis:7.4.1-alpine',
      schedule: '@hourly',
      concurrencyPolicy: 'Replace',
      command: ['redis-cli', '-h', 'redis', 'INCR', 'aggregations:runs'],
    },
    {
      kind: 'stateful',
      name: 'redis',
      image: 'redis:7.4.1-alpine',
      command: ['redis-server', '--dir', '/data', '--appendonly', 'yes', '--protected-mode', 'no'],
      port: 6379,
      storage: { size: '5Gi' },
      writablePaths: [],
      probes: { liveness: { command: ['redis-cli', 'ping'] }, readiness: { tcp: true } },
    },
    {
      kind: 'external',
      name: 'object-storage',
      host: 's3.eu-west-1.amazonaws.com',
      port: 443,
      clients: ['nightly-export'],
    },
  ],

  network: {
    allowTo: [{ tenant: 'webshop', ports: [9898], app: 'nightly-export' }],
  },
});
