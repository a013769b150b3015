import { tenantSchema } from '../../src';
import { testContext } from '../helpers';
import { problems, prodContext, tenantSpec } from './helpers';

const web = { kind: 'web', name: 'web', image: 'nginxinc/nginx-unprivileged:1.27.3', port: 8080 } as const;

describe('a tenant spec is rejected with the field path and what is allowed', () => {
  test('a name that is not a DNS-1123 label', () => {
    expect(problems(tenantSpec({ name: 'Web_Shop' }))).toEqual([
      'name: must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters (got "Web_Shop")',
    ]);
  });

  test('Kubernetes\' own namespace names', () => {
    expect(problems(tenantSpec({ name: 'kube-system' }))).toEqual(['name: "kube-system" is reserved for Kubernetes (no "default", nothing starting with "kube-")']);
    expect(problems(tenantSpec({ name: 'default' }))).toHaveLength(1);
  });

  test('a malformed quantity', () => {
    expect(problems(tenantSpec({ quota: { requests: { cpu: 'lots' } } }))).toEqual(['quota.requests.cpu: must be a CPU quantity like "250m" or "1.5"']);
    expect(problems(tenantSpec({ apps: [{ ...web, resources: { requests: { cpu: '1', memory: 'much' }, limits: { cpu: '1', memory: '1Gi' } } }] })))
      .toEqual(['apps[0].resources.requests.memory: must be a quantity with a binary suffix like "512Mi", "2Gi" or "1Ti"']);
  });

  test('a port out of range', () => {
    expect(problems(tenantSpec({ apps: [{ ...web, port: 70000 }] }))).toEqual(['apps[0].port: must be a port between 1 and 65535']);
  });

  test('an image without a pinned version', () => {
    const hint = 'must pin a version: "repository/name:1.2.3" or "repository/name@sha256:<64 hex digits>" (no implicit or "latest" tag)';
    expect(problems(tenantSpec({ apps: [{ ...web, image: 'nginx' }] }))).toEqual([`apps[0].image: ${hint} (got "nginx")`]);
    expect(problems(tenantSpec({ apps: [{ ...web, image: 'nginx:latest' }] }))).toEqual([`apps[0].image: ${hint} (got "nginx:latest")`]);
    expect(problems(tenantSpec({ apps: [{ ...web, image: 'registry.example.com:5000/team/app' }] }))).toHaveLength(1);
    expect(problems(tenantSpec({ apps: [{ ...web, image: `ghcr.io/team/app@sha256:${'a'.repeat(64)}` }] }))).toEqual([]);
    expect(problems(tenantSpec({ apps: [{ ...web, image: 'registry.example.com:5000/team/app:2.0.1' }] }))).toEqual([]);
  });

  test('limits below requests', () => {
    expect(problems(tenantSpec({ apps: [{ ...web, resources: { requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '250m', memory: '128Mi' } } }] }))).toEqual([
      'apps[0].resources.limits.cpu: must be >= requests.cpu (500m)',
      'apps[0].resources.limits.memory: must be >= requests.memory (256Mi)',
    ]);
    expect(problems(tenantSpec({ quota: { requests: { cpu: '8' }, limits: { cpu: '4' } } }))).toEqual(['quota.limits.cpu: must be >= requests.cpu (8) (got "4")']);
  });

  test('a resources preset that does not exist', () => {
    expect(problems(tenantSpec({ apps: [{ ...web, resources: 'huge' as never }] })))
      .toEqual(['apps[0].resources: must be a preset ("small", "medium", "large") or { requests: { cpu, memory }, limits: { cpu, memory } }']);
  });

  test('HPA min above max, and replicas next to autoscaling', () => {
    expect(problems(tenantSpec({ apps: [{ ...web, autoscaling: { minReplicas: 5, maxReplicas: 2 } }] }))).toEqual(['apps[0].autoscaling.minReplicas: must be <= maxReplicas (2) (got 5)']);
    expect(problems(tenantSpec({ apps: [{ ...web, replicas: 3, autoscaling: { maxReplicas: 4 } }] }))).toEqual(['apps[0].replicas: cannot be set together with autoscaling (autoscaling.minReplicas is the floor)']);
  });

  test('an unknown app kind', () => {
    expect(problems(tenantSpec({ apps: [{ ...web, kind: 'lambda' } as never] }))).toEqual(["apps[0].kind: Invalid discriminator value. Expected 'web' | 'worker' | 'cron' | 'stateful' | 'external'"]);
  });

  test('a cron schedule that is not cron', () => {
    const cron = { kind: 'cron', name: 'job', image: 'busybox:1.37.0' } as const;
    const hint = 'apps[0].schedule: must be a cron schedule: 5 fields "minute hour day-of-month month day-of-week" like "0 2 * * *", or @hourly, @daily, @weekly, @monthly, @yearly';
    for (const schedule of ['0 25 * * *', '* * * *', '0 0 * * * *', 'TZ=UTC 0 2 * * *', '@every 1h', 'daily', '0 0 * * 7', '5-1 * * * *']) {
      expect(problems(tenantSpec({ apps: [{ ...cron, schedule }] }))).toEqual([hint]);
    }
    for (const schedule of ['0 2 * * *', '*/15 * * * *', '0 9-17 * * MON-FRI', '0 0 1,15 * ?', '@hourly', '@yearly', '30 2 * JAN,JUL SUN']) {
      expect(problems(tenantSpec({ apps: [{ ...cron, schedule }] }))).toEqual([]);
    }
  });

  test('a health check with two kinds of check, or a worker without any', () => {
    expect(problems(tenantSpec({ apps: [{ ...web, probes: { readiness: { http: '/ready', tcp: true } } }] })))
      .toEqual(['apps[0].probes.readiness: must have exactly one of http: "/path", tcp: true, command: [...] (got http and tcp)']);
    expect(problems(tenantSpec({ apps: [{ kind: 'worker', name: 'w', image: 'busybox:1.37.0' }] })))
      .toEqual(['apps[0].probes: a worker has no port to check by default: give probes.liveness (e.g. { command: ["/bin/health"] }) or metrics.port']);
    expect(problems(tenantSpec({ apps: [{ kind: 'worker', name: 'w', image: 'busybox:1.37.0', probes: { liveness: { http: '/healthz' } } }] })))
      .toEqual(['apps[0].probes.liveness.port: is required: this app has no port to check']);
  });

  test('env vars: wrong types, platform-owned names', () => {
    expect(problems(tenantSpec({ apps: [{ ...web, env: { LEVEL: 3 as never } }] }))).toEqual(['apps[0].env.LEVEL: must be a string, or { secret: "<secret name>", key: "<key>" } to read it from a Secret']);
    expect(problems(tenantSpec({ apps: [{ ...web, env: { OTEL_SERVICE_NAME: 'x', '1BAD': 'y' } }] }))).toEqual([
      'apps[0].env.OTEL_SERVICE_NAME: is set by the platform (OpenTelemetry wiring); remove it',
      'apps[0].env["1BAD"]: must be an environment variable name: a letter or "_", then letters, digits, "_", "-" or "."',
    ]);
  });

  test('config files need absolute paths and distinct file names', () => {
    expect(problems(tenantSpec({ apps: [{ ...web, files: { 'app.conf': 'x', '/etc/a/app.yaml': 'y', '/etc/b/app.yaml': 'z' } }] }))).toEqual([
      'apps[0].files["app.conf"]: must be an absolute file path like "/etc/app/config.yaml"',
      'apps[0].files["/etc/b/app.yaml"]: has the same file name as "/etc/a/app.yaml"; file names must be unique per app',
    ]);
  });

  test('an external dependency with both or neither of host and ip', () => {
    const ext = { kind: 'external', name: 'db', port: 5432 } as const;
    expect(problems(tenantSpec({ apps: [{ ...ext }] }))).toEqual(['apps[0]: give exactly one of host (a DNS name) or ip (an IPv4 address)']);
    expect(problems(tenantSpec({ apps: [{ ...ext, host: 'db.example.net', ip: '10.0.0.1' }] }))).toHaveLength(1);
    expect(problems(tenantSpec({ apps: [{ ...ext, ip: '10.0.0.300' }] }))).toEqual(['apps[0].ip: must be an IPv4 address like "10.20.30.40"']);
  });

  test('two apps with one name', () => {
    expect(problems(tenantSpec({ apps: [web, { ...web, port: 9090 }] }))).toEqual(['apps[1].name: "web" is used by another app; app names are unique per tenant']);
  });

  test('environments that are neither a list nor a map', () => {
    expect(problems(tenantSpec({ environments: 'test' as never }))).toEqual(['environments: must be a list of environment names, e.g. ["test", "prod"], or { test: {}, prod: { ...overrides } }']);
    expect(problems(tenantSpec({ environments: [] }))).toEqual(['environments: must list at least one environment']);
    expect(problems(tenantSpec({ environments: ['test', 'test'] }))).toEqual(['environments[1]: "test" is listed twice']);
  });
});

describe('references between parts of the spec are checked', () => {
  test('a network exception naming an unknown app', () => {
    expect(problems(tenantSpec({ network: { allowFrom: [{ tenant: 'data', app: 'nope' }] } }))).toEqual(['network.allowFrom[0].app: unknown app "nope"; apps: web']);
    expect(problems(tenantSpec({ network: { allowTo: [{ tenant: 'data', ports: [80], app: 'nope' }] } }))).toEqual(['network.allowTo[0].app: unknown app "nope"; apps: web']);
  });

  test('a network exception on a port the app does not listen on, or without a peer', () => {
    expect(problems(tenantSpec({ network: { allowFrom: [{ namespace: 'monitoring', app: 'web', port: 9999 }] } }))).toEqual(['network.allowFrom[0].port: "web" listens on 8080 (got 9999)']);
    expect(problems(tenantSpec({ network: { allowFrom: [{ app: 'web' }] } }))).toEqual(['network.allowFrom[0]: give exactly one of tenant or namespace']);
  });

  test('external dependency clients must be apps', () => {
    expect(problems(tenantSpec({ apps: [web, { kind: 'external', name: 'db', host: 'db.example.net', port: 5432, clients: ['api'] }] })))
      .toEqual(['apps[1].clients[0]: unknown app "api"; apps: web, db']);
  });

  test('stacks: the live stack must be one of them', () => {
    expect(problems(tenantSpec({ stacks: { names: ['blue', 'green'], live: 'red' } }))).toEqual(['stacks.live: must be one of the stacks: blue, green (got "red")']);
    expect(problems(tenantSpec({ stacks: { names: ['blue'], live: 'blue' } }))).toEqual(['stacks.names: must list at least two stacks (e.g. ["blue", "green"])']);
  });

  test('overrides must name existing apps and fields that apply to their kind', () => {
    expect(problems(tenantSpec({ environments: { test: { apps: { wbe: { replicas: 1 } } } } }))).toEqual(['environments.test.apps.wbe: unknown app "wbe"; apps: web']);
    expect(problems(tenantSpec({ environments: { test: { apps: { web: { schedule: '@daily' } } } } })))
      .toEqual(['environments.test.apps.web.schedule: does not apply to web apps; a web app can override: enabled, image, replicas, autoscaling, resources, env, ingress']);
    expect(problems(tenantSpec({ environments: { test: { liveStack: 'blue' } } }))).toEqual(['environments.test.liveStack: applies only to tenants with stacks']);
  });

  test('a valid spec gets its defaults', () => {
    const spec = tenantSchema.parse(tenantSpec());
    expect(spec.environments).toEqual(['test']);
    expect(spec.overrides).toEqual({});
    expect(spec.quota).toEqual({ requests: { cpu: '2', memory: '4Gi' }, limits: { cpu: '4', memory: '8Gi' }, pods: 20, storage: '20Gi', persistentVolumeClaims: 10, loadBalancers: 0 });
    expect(spec.apps[0]).toMatchObject({ servicePort: 80, resources: { requests: { cpu: '50m' } }, writablePaths: ['/tmp'], runAsUser: 65532, disruptionBudget: { maxUnavailable: 1 } });
    expect(problems(tenantSpec(), testContext())).toEqual([]);
    expect(problems(tenantSpec(), prodContext())).toEqual([]);
  });
});
