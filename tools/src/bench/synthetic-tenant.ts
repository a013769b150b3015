/**
 * A synthetic tenant like the shipped examples (apps/webshop): a web frontend with an Ingress, an API behind /api
 * with autoscaling, metrics and a secret reference, a background worker, a nightly CronJob and an external
 * PostgreSQL — about 35 objects per environment. `variant` changes one replica count (the "one tenant changed" run).
 */
export function syntheticTenant(name: string, index: number, variant = 0): string {
  return `import { defineTenant } from '@platform/charts';

export default defineTenant({
  name: '${name}',
  team: 'team-${index % 50}',
  costCenter: 'cc-${1000 + (index % 200)}',
  owners: { admins: ['${name}-admins'], viewers: ['${name}-developers'] },
  environments: {
    test: { apps: { frontend: { replicas: 1 }, api: { autoscaling: { minReplicas: 1, maxReplicas: 2 } } } },
    prod: {
      quota: { requests: { cpu: '4', memory: '8Gi' }, limits: { cpu: '12', memory: '16Gi' }, pods: 40 },
      apps: { frontend: { replicas: ${2 + variant} }, api: { autoscaling: { minReplicas: 2, maxReplicas: 8 } } },
    },
  },
  apps: [
    {
      kind: 'web',
      name: 'frontend',
      image: 'nginxinc/nginx-unprivileged:1.27.3',
      port: 8080,
      probes: { readiness: { http: '/' } },
      ingress: { host: '${name}' },
    },
    {
      kind: 'web',
      name: 'api',
      image: 'ghcr.io/stefanprodan/podinfo:6.7.1',
      port: 9898,
      resources: 'medium',
      env: { DB_HOST: 'postgres', DB_PASSWORD: { secret: '${name}-db', key: 'password' } },
      autoscaling: { minReplicas: 2, maxReplicas: 6, targetCpuPercent: 75 },
      probes: { readiness: { http: '/readyz' }, liveness: { http: '/healthz' } },
      metrics: { port: 9797 },
      ingress: { host: '${name}', path: '/api' },
    },
    {
      kind: 'worker',
      name: 'worker',
      image: 'busybox:1.37.0',
      command: ['sh', '-c', 'while true; do date > /tmp/heartbeat; sleep 30; done'],
      env: { DB_HOST: 'postgres' },
      probes: { liveness: { command: ['sh', '-c', 'test -f /tmp/heartbeat'], periodSeconds: 30 } },
    },
    {
      kind: 'cron',
      name: 'nightly-report',
      image: 'busybox:1.37.0',
      schedule: '${index % 60} 2 * * *',
      command: ['sh', '-c', 'echo report'],
    },
    { kind: 'external', name: 'postgres', host: '${name}-db.db.example.net', port: 5432, clients: ['api', 'worker'] },
  ],
});
`;
}
