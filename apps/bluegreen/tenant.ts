import { defineTenant } from '@platform/charts';

/**
 * Blue/green demo: two identical stacks (namespaces bluegreen-blue and bluegreen-green), each with the web app and
 * its own Redis; `web` reaches `redis` in its own stack. The Ingress follows the live stack; each stack can be
 * tried before the switch at blue-bluegreen.<domain> / green-bluegreen.<domain>.
 */
export default defineTenant({
  name: 'bluegreen',
  team: 'platform-demos',
  costCenter: 'cc-0042',
  owners: { admins: ['platform-admins'] },

  environments: {
    // Switched to green in test first; prod follows once green has been verified.
    test: { liveStack: 'green' },
    prod: {},
  },

  stacks: { names: ['blue', 'green'], live: 'blue' },

  apps: [
    {
      kind: 'web',
      name: 'web',
      image: 'ghcr.io/stefanprodan/podinfo:6.7.1',
      command: ['./podinfo', '--port=9898', '--port-metrics=9797', '--cache-server=tcp://redis:6379'],
      port: 9898,
      replicas: 2,
      probes: { readiness: { http: '/readyz' }, liveness: { http: '/healthz' } },
      metrics: { port: 9797 },
      ingress: { host: 'bluegreen' },
    },
    {
      kind: 'stateful',
      name: 'redis',
      image: 'redis:7.4.1-alpine',
      command: ['redis-server', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'],
      port: 6379,
      storage: { size: '1Gi' },
      writablePaths: [],
      probes: { liveness: { command: ['redis-cli', 'ping'] }, readiness: { tcp: true } },
    },
  ],
});
