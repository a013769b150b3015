import { CONFIG_CHECKSUM_ANNOTATION, LABELS, PLATFORM_ENDPOINTS, STACK_LABEL } from '../../src';
import { container, podSpec, renderTenant, tenantSpec } from './helpers';

const web = { kind: 'web', name: 'web', image: 'nginxinc/nginx-unprivileged:1.27.3', port: 8080 } as const;

/** What every pod of a tenant has, whatever its kind. */
function expectPlatformPod(workload: any, app: string, namespace = 'shop'): void {
  const pod = podSpec(workload);
  const c = container(workload);
  expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([{ matchExpressions: [{ key: 'node-type', operator: 'In', values: ['worker'] }] }]);
  expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532 });
  expect(c.securityContext).toEqual({
    allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' },
  });
  expect(c.resources.requests).toBeDefined();
  expect(c.resources.limits).toBeDefined();
  expect(c.imagePullPolicy).toBe('IfNotPresent');
  expect(pod.serviceAccountName).toBe(app);
  expect(pod.automountServiceAccountToken).toBe(false);
  const env = Object.fromEntries(c.env.map((e: any) => [e.name, e.value]));
  expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe(PLATFORM_ENDPOINTS.otelCollector.endpoint);
  expect(env.OTEL_SERVICE_NAME).toBe(app);
  expect(env.OTEL_RESOURCE_ATTRIBUTES).toContain(`k8s.namespace.name=${namespace}`);
  expect(env.OTEL_RESOURCE_ATTRIBUTES).toContain('deployment.environment.name=test');
  const labels = workload.kind === 'CronJob' ? workload.spec.jobTemplate.spec.template.metadata.labels : workload.spec.template.metadata.labels;
  expect(labels).toMatchObject({ [LABELS.tenant]: 'shop', [LABELS.team]: 'shop-team', [LABELS.costCenter]: 'cc-42', [LABELS.name]: app });
}

describe('web service', () => {
  const r = renderTenant(tenantSpec({
    apps: [{
      ...web,
      servicePort: 8000,
      env: { LEVEL: 'info', DB_PASSWORD: { secret: 'shop-db', key: 'password' } },
      envFromSecrets: ['shop-api-keys'],
      secretFiles: [{ secret: 'shop-tls', path: '/etc/tls' }],
      files: { '/etc/nginx/conf.d/default.conf': 'server {}\n' },
      autoscaling: { minReplicas: 2, maxReplicas: 5, targetCpuPercent: 80 },
      probes: { readiness: { http: '/ready' }, liveness: { http: '/healthz' } },
      metrics: { port: 9113 },
      ingress: { host: 'shop', path: '/' },
    }],
  }));
  const deployment = r.get('Deployment', 'web', 'shop');

  test('a Deployment on worker nodes with the restricted profile, resources and OpenTelemetry wiring', () => {
    expectPlatformPod(deployment, 'web');
    expect(deployment.spec.selector.matchLabels).toEqual({ [LABELS.name]: 'web', [LABELS.instance]: 'shop-web' });
    expect(container(deployment).ports).toEqual([{ containerPort: 8080, name: 'http' }, { containerPort: 9113, name: 'metrics' }]);
  });

  test('probes as declared; startup allows a slow start', () => {
    const c = container(deployment);
    expect(c.readinessProbe.httpGet).toMatchObject({ path: '/ready', port: 8080 });
    expect(c.livenessProbe.httpGet).toMatchObject({ path: '/healthz', port: 8080 });
    expect(c.startupProbe).toMatchObject({ httpGet: { path: '/healthz' }, failureThreshold: 30 });
    const plain = container(renderTenant(tenantSpec()).get('Deployment', 'web'));
    expect(plain.readinessProbe.tcpSocket).toEqual({ port: 8080 });
    expect(plain.livenessProbe.tcpSocket).toEqual({ port: 8080 });
  });

  test('Secrets are referenced by name only: secretKeyRef, envFrom, files; never rendered', () => {
    const c = container(deployment);
    expect(c.env).toContainEqual({ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'shop-db', key: 'password' } } });
    expect(c.envFrom).toEqual([{ secretRef: { name: 'shop-api-keys' } }]);
    expect(podSpec(deployment).volumes).toContainEqual({ name: 'secret-shop-tls', secret: { secretName: 'shop-tls' } });
    expect(c.volumeMounts).toContainEqual({ name: 'secret-shop-tls', mountPath: '/etc/tls', readOnly: true });
    expect(r.all('Secret')).toEqual([]);
  });

  test('config files come from the ConfigMap <app>-files; a checksum rolls the pods when they change', () => {
    expect(r.get('ConfigMap', 'web-files').data).toEqual({ 'default.conf': 'server {}\n' });
    expect(container(deployment).volumeMounts).toContainEqual({ name: 'files', mountPath: '/etc/nginx/conf.d/default.conf', subPath: 'default.conf', readOnly: true });
    const checksum = deployment.spec.template.metadata.annotations[CONFIG_CHECKSUM_ANNOTATION];
    const changed = renderTenant(tenantSpec({ apps: [{ ...web, files: { '/etc/nginx/conf.d/default.conf': 'server { listen 8080; }\n' } }] }));
    expect(changed.get('Deployment', 'web').spec.template.metadata.annotations[CONFIG_CHECKSUM_ANNOTATION]).not.toBe(checksum);
  });

  test('the root filesystem is read-only; /tmp is a writable emptyDir', () => {
    expect(podSpec(deployment).volumes).toContainEqual({ name: 'tmp', emptyDir: {} });
    expect(container(deployment).volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
  });

  test('a ClusterIP Service <app>:<servicePort> selecting the app by its labels', () => {
    expect(r.get('Service', 'web').spec).toMatchObject({ type: 'ClusterIP', ports: [{ name: 'http', port: 8000, targetPort: 8080 }], selector: { [LABELS.name]: 'web', [LABELS.instance]: 'shop-web' } });
  });

  test('an HPA on CPU; the Deployment leaves replicas to it', () => {
    expect(r.get('HorizontalPodAutoscaler', 'web').spec).toMatchObject({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 5,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
    });
    expect(deployment.spec.replicas).toBeUndefined();
  });

  test('a PodDisruptionBudget (maxUnavailable 1 unless told otherwise, none when false)', () => {
    expect(r.get('PodDisruptionBudget', 'web').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { [LABELS.name]: 'web', [LABELS.instance]: 'shop-web' } } });
    expect(renderTenant(tenantSpec({ apps: [{ ...web, disruptionBudget: false }] })).all('PodDisruptionBudget')).toEqual([]);
  });

  test('Prometheus scrape annotations for the metrics port', () => {
    expect(deployment.spec.template.metadata.annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9113', 'prometheus.io/path': '/metrics' });
  });

  test('an Ingress through the platform ingress controller, TLS under the environment domain', () => {
    expect(r.get('Ingress', 'web').spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['shop.test.example.com'], secretName: 'web-tls' }],
      rules: [{ host: 'shop.test.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 8000 } } } }] } }],
    });
    expect(r.get('Ingress', 'web').metadata.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'letsencrypt' });
  });

  test('an app that uses the Kubernetes API gets its token mounted', () => {
    const api = renderTenant(tenantSpec({ apps: [{ ...web, kubernetesApi: true }] }));
    expect(podSpec(api.get('Deployment', 'web')).automountServiceAccountToken).toBe(true);
    expect(api.get('ServiceAccount', 'web').automountServiceAccountToken).toBe(true);
    expect(r.get('ServiceAccount', 'web').automountServiceAccountToken).toBe(false);
  });
});

describe('worker', () => {
  const r = renderTenant(tenantSpec({ apps: [{ kind: 'worker', name: 'jobs', image: 'busybox:1.37.0', command: ['sh', '-c', 'sleep 3600'], probes: { liveness: { command: ['true'] } } }] }));

  test('a Deployment without Service or Ingress, one replica by default, a command probe', () => {
    const deployment = r.get('Deployment', 'jobs');
    expectPlatformPod(deployment, 'jobs');
    expect(deployment.spec.replicas).toBe(1);
    expect(container(deployment).ports).toBeUndefined();
    expect(container(deployment).livenessProbe.exec).toEqual({ command: ['true'] });
    expect(container(deployment).readinessProbe.exec).toEqual({ command: ['true'] });
    expect(r.all('Service')).toEqual([]);
    expect(r.all('Ingress')).toEqual([]);
  });
});

describe('cron job', () => {
  const r = renderTenant(tenantSpec({
    apps: [{ kind: 'cron', name: 'export', image: 'curlimages/curl:8.11.1', schedule: '@daily', timeZone: 'Europe/Berlin', concurrencyPolicy: 'Replace', successfulJobsHistoryLimit: 5, activeDeadlineSeconds: 600 }],
  }));
  const cron = r.get('CronJob', 'export');

  test('schedule, time zone, concurrency and history limits', () => {
    expect(cron.spec).toMatchObject({
      schedule: '0 0 * * *', timeZone: 'Europe/Berlin', concurrencyPolicy: 'Replace', successfulJobsHistoryLimit: 5, failedJobsHistoryLimit: 1,
      startingDeadlineSeconds: 300, suspend: false,
    });
    expect(cron.spec.jobTemplate.spec).toMatchObject({ backoffLimit: 2, activeDeadlineSeconds: 600 });
  });

  test('pods run to completion on worker nodes, restricted, without probes', () => {
    expectPlatformPod(cron, 'export');
    expect(podSpec(cron).restartPolicy).toBe('Never');
    expect(container(cron).livenessProbe).toBeUndefined();
    expect(JSON.stringify(cron)).not.toContain('cdk8s.io/metadata.addr');
  });
});

describe('stateful service', () => {
  const r = renderTenant(tenantSpec({
    apps: [{ kind: 'stateful', name: 'redis', image: 'redis:7.4.1-alpine', port: 6379, replicas: 2, storage: { size: '5Gi' }, writablePaths: [], probes: { liveness: { command: ['redis-cli', 'ping'] } } }],
  }));
  const sts = r.get('StatefulSet', 'redis');

  test('a StatefulSet with a headless Service named after the app', () => {
    expectPlatformPod(sts, 'redis');
    expect(sts.spec).toMatchObject({ replicas: 2, serviceName: 'redis' });
    expect(r.get('Service', 'redis').spec).toMatchObject({ clusterIP: 'None', ports: [{ name: 'tcp', port: 6379, targetPort: 6379 }] });
    expect(r.get('Service', 'redis').spec.selector).toEqual({ [LABELS.name]: 'redis', [LABELS.instance]: 'shop-redis' });
  });

  test('one PVC per replica from a volumeClaimTemplate on the environment\'s default storage class', () => {
    expect(sts.spec.volumeClaimTemplates).toEqual([expect.objectContaining({
      metadata: expect.objectContaining({ name: 'data' }),
      spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'standard', resources: { requests: { storage: '5Gi' } } },
    })]);
    expect(container(sts).volumeMounts).toEqual([{ name: 'data', mountPath: '/data' }]);
    expect(podSpec(sts).volumes).toBeUndefined();
  });
});

describe('external dependency', () => {
  test('a DNS name becomes an ExternalName Service', () => {
    const r = renderTenant(tenantSpec({ apps: [web, { kind: 'external', name: 'postgres', host: 'db.example.net', port: 5432 }] }));
    expect(r.get('Service', 'postgres').spec).toEqual({ type: 'ExternalName', externalName: 'db.example.net' });
    expect(r.all('Endpoints')).toEqual([]);
  });

  test('an IP becomes a Service without selector plus Endpoints', () => {
    const r = renderTenant(tenantSpec({ apps: [web, { kind: 'external', name: 'legacy', ip: '10.1.2.3', port: 8443 }] }));
    expect(r.get('Service', 'legacy').spec).toMatchObject({ type: 'ClusterIP', ports: [{ name: 'tcp', port: 8443, targetPort: 8443 }] });
    expect(r.get('Service', 'legacy').spec.selector ?? {}).toEqual({});
    expect(r.get('Endpoints', 'legacy').subsets).toEqual([{ addresses: [{ ip: '10.1.2.3' }], ports: [{ name: 'tcp', port: 8443, protocol: 'TCP' }] }]);
  });
});

describe('side-by-side stacks', () => {
  const r = renderTenant(tenantSpec({
    stacks: { names: ['blue', 'green'], live: 'green' },
    apps: [
      { ...web, ingress: { host: 'shop' } },
      { kind: 'stateful', name: 'redis', image: 'redis:7.4.1-alpine', port: 6379, storage: { size: '1Gi' }, writablePaths: [] },
    ],
  }));

  test('one namespace per stack, each with every app and its own Services', () => {
    expect(r.all('Namespace').map((n) => n.metadata.name)).toEqual(['shop-blue', 'shop-green']);
    expect(r.get('Namespace', 'shop-blue').metadata.labels[STACK_LABEL]).toBe('blue');
    for (const ns of ['shop-blue', 'shop-green']) {
      expect(r.get('Deployment', 'web', ns)).toBeDefined();
      expect(r.get('Service', 'redis', ns)).toBeDefined();
      expect(r.get('Service', 'web', ns)).toBeDefined();
      expect(r.get('ResourceQuota', 'tenant-quota', ns)).toBeDefined();
      expect(r.get('NetworkPolicy', 'default-deny', ns)).toBeDefined();
    }
    expect(r.get('Deployment', 'web', 'shop-green').spec.template.metadata.labels[STACK_LABEL]).toBe('green');
  });

  test('the Ingress follows the live stack; every stack has a preview host', () => {
    const live = r.all('Ingress').filter((i) => i.metadata.name === 'web');
    expect(live.map((i) => [i.metadata.namespace, i.spec.rules[0].host])).toEqual([['shop-green', 'shop.test.example.com']]);
    expect(r.all('Ingress').filter((i) => i.metadata.name === 'web-preview').map((i) => [i.metadata.namespace, i.spec.rules[0].host]))
      .toEqual([['shop-blue', 'blue-shop.test.example.com'], ['shop-green', 'green-shop.test.example.com']]);
  });

  test('no previews when switched off', () => {
    const s = renderTenant(tenantSpec({ stacks: { names: ['blue', 'green'], live: 'blue', previewHosts: false }, apps: [{ ...web, ingress: { host: 'shop' } }] }));
    expect(s.all('Ingress').map((i) => `${i.metadata.namespace}/${i.metadata.name}`)).toEqual(['shop-blue/web']);
    expect(s.all('NetworkPolicy').filter((p) => p.metadata.name === 'allow-ingress-controller-web').map((p) => p.metadata.namespace)).toEqual(['shop-blue']);
  });
});
