import { defineTenant } from '@platform/charts';

/**
 * The web shop: a static frontend, an API behind /api on the same host, a background worker for orders, and the
 * PostgreSQL database, which lives outside the cluster (managed database service).
 */
export default defineTenant({
  name: 'webshop',
  team: 'shop',
  costCenter: 'cc-4711',
  owners: { admins: ['shop-admins'], viewers: ['shop-developers', 'customer-support'] },

  environments: {
    test: {
      apps: {
        frontend: { replicas: 1 },
        api: { autoscaling: { minReplicas: 1, maxReplicas: 2 } },
        postgres: { host: 'webshop-db.test.db.example.net' },
      },
    },
    prod: {
      quota: { requests: { cpu: '4', memory: '8Gi' }, limits: { cpu: '12', memory: '16Gi' }, pods: 40 },
      apps: {
        frontend: { replicas: 3 },
        api: { autoscaling: { minReplicas: 3, maxReplicas: 10 } },
        worker: { replicas: 2 },
        postgres: { cidr: '10.20.0.0/16' },
      },
    },
  },

  apps: [
    {
      kind: 'web',
      name: 'frontend',
      image: 'nginxinc/nginx-unprivileged:1.27.3',
      port: 8080,
      files: {
        '/etc/nginx/conf.d/default.conf': [
          'server {',
          '  listen 8080;',
          '  root /usr/share/nginx/html;',
          '  location = /healthz { access_log off; return 200 "ok\\n"; }',
          '  location / { try_files $uri /index.html; }',
          '}',
          '',
        ].join('\n'),
      },
      probes: { readiness: { http: '/healthz' } },
      ingress: { host: 'shop' },
    },
    {
      kind: 'web',
      name: 'api',
      image: 'ghcr.io/stefanprodan/podinfo:6.7.1',
      command: ['./podinfo', '--port=9898', '--port-metrics=9797', '--level=info'],
      port: 9898,
      resources: 'medium',
      env: {
        DB_HOST: 'postgres',
        DB_PORT: '5432',
        DB_NAME: 'shop',
        DB_USER: 'shop_api',
        DB_PASSWORD: { secret: 'webshop-db', key: 'password' },
      },
      autoscaling: { minReplicas: 2, maxReplicas: 6, targetCpuPercent: 75 },
      probes: { readiness: { http: '/readyz' }, liveness: { http: '/healthz' } },
      metrics: { port: 9797 },
      ingress: { host: 'shop', path: '/api' },
    },
    {
      kind: 'worker',
      name: 'worker',
      image: 'busybox:1.37.0',
      command: ['sh', '-c', 'while true; do date > /tmp/heartbeat; echo "processing pending orders"; sleep 30; done'],
      env: { DB_HOST: 'postgres', DB_PASSWORD: { secret: 'webshop-db', key: 'password' } },
      probes: {
        // Alive while the loop keeps touching its heartbeat file.
        liveness: { command: ['sh', '-c', 'test $(( $(date +%s) - $(stat -c %Y /tmp/heartbeat) )) -lt 120'], periodSeconds: 30 },
      },
    },
    {
      kind: 'external',
      name: 'postgres',
      host: 'webshop-db.prod.db.example.net',
      port: 5432,
      clients: ['api', 'worker'],
    },
  ],

  network: {
    // The data team's nightly export reads the API directly (see apps/data-team).
    allowFrom: [{ tenant: 'data-team', app: 'api' }],
  },
});
