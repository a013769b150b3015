import { defineEnvironment } from '@platform/environments';

/** Production: EKS in eu-west-1. Data only — add-ons and tenants read these settings, never the name. */
export default defineEnvironment({
  name: 'prod',
  cluster: {
    name: 'platform-prod',
    provider: { type: 'eks', region: 'eu-west-1', accountId: '123456789012' },
    kubernetesVersion: '1.28',
    apiServerUrl: 'https://api.prod.k8s.example.com',
  },
  domain: 'example.com',
  nodePools: [
    { name: 'core', role: 'core', instanceType: 'm6i.xlarge', minSize: 3, maxSize: 6, taints: [{ key: 'node-type', value: 'core', effect: 'NoSchedule' }] },
    { name: 'worker', role: 'worker', instanceType: 'm6i.2xlarge', minSize: 3, maxSize: 30 },
  ],
  storageClasses: [
    { name: 'gp3', provisioner: 'ebs.csi.aws.com', parameters: { type: 'gp3', encrypted: 'true' }, default: true },
    { name: 'gp3-retain', provisioner: 'ebs.csi.aws.com', parameters: { type: 'gp3', encrypted: 'true' }, reclaimPolicy: 'Retain' },
  ],
  ingress: { clusterIssuer: 'letsencrypt-prod' },
  gitops: {
    repoUrl: 'https://github.com/example/k8s-platform.git',
    revision: 'release/prod',
    engines: ['argocd', 'flux'],
    autoSync: false,
    preview: {
      // EKS 1.28 cannot enable the ValidatingAdmissionPolicy beta: no write guard until the 1.30 upgrade, so RBAC
      // objects are not previewable there (see README, "Reviewing a change").
      writeGuard: 'none',
      customResourceGroups: ['velero.io'],
    },
  },
  addons: {
    'ingress-nginx': {
      // Three zones, three core nodes: one controller per node; a drain keeps two serving.
      replicas: 3,
      pdbMinAvailable: 2,
      resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '2', memory: '1Gi' } },
    },
    logging: {
      // Elasticsearch stays outside the cluster; `elasticsearch.logging.svc` is an ExternalName to it.
      elasticsearch: {
        mode: 'external',
        host: 'logs.es.prod.example.com',
        port: 9200,
        scheme: 'https',
        credentialsSecret: { name: 'elasticsearch-fluentd' },
        kibanaCredentialsSecret: { name: 'elasticsearch-kibana' },
      },
      kibana: { replicas: 2 },
    },
    monitoring: {
      // Prometheus and Alertmanager UIs behind the same SSO (oauth2-proxy) as the other platform UIs.
      ui: {
        expose: 'ingress',
        auth: {
          type: 'external',
          url: 'https://auth.example.com/oauth2/auth',
          signin: 'https://auth.example.com/oauth2/start?rd=https://$host$escaped_request_uri',
        },
      },
      // Two independent Prometheus servers (one per core node), a month of data on 100Gi each.
      prometheus: {
        replicas: 2,
        retention: '30d',
        storage: { size: '100Gi' },
        resources: { requests: { cpu: '1', memory: '4Gi' }, limits: { cpu: '4', memory: '8Gi' } },
      },
      alertmanager: {
        replicas: 2,
        // Secrets alertmanager-slack (key webhook-url) and alertmanager-pagerduty (key routing-key) are created in
        // the monitoring namespace by the platform team; they are not in git.
        receivers: [
          { type: 'slack', name: 'platform-slack', channel: '#platform-alerts', apiUrlSecret: { name: 'alertmanager-slack', key: 'webhook-url' } },
          { type: 'pagerduty', name: 'platform-pagerduty', routingKeySecret: { name: 'alertmanager-pagerduty', key: 'routing-key' } },
        ],
        defaultReceiver: 'platform-slack',
        routes: [
          { matchers: ['severity="critical"'], receiver: 'platform-pagerduty', continue: true },
          { matchers: ['severity=~"critical|warning"'], receiver: 'platform-slack' },
        ],
      },
      grafana: { replicas: 2 },
      kubeStateMetrics: { resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } } },
    },
    tracing: {
      collector: { replicas: 2 },
      jaeger: { replicas: 2 },
      storage: {
        type: 'elasticsearch',
        // The external cluster the logging add-on also writes to. Addressed by its own name (not the logging
        // namespace's ExternalName alias), so the TLS certificate matches.
        serverUrls: ['https://logs.es.prod.example.com:9200'],
        indexPrefix: 'prod',
        retention: '168h',
        credentialsSecret: { name: 'jaeger-elasticsearch' },
      },
      // Same SSO (oauth2-proxy) in front of the UI as the dashboards add-on uses.
      ui: {
        subdomain: 'jaeger',
        auth: {
          type: 'external',
          url: 'https://auth.example.com/oauth2/auth',
          signin: 'https://auth.example.com/oauth2/start?rd=https://$host$escaped_request_uri',
        },
      },
    },
    backups: {
      // S3 in the cluster's region (eu-west-1); EBS snapshots through the AWS plugin.
      locations: [{ name: 'default', bucket: 'example-platform-prod-velero', prefix: 'platform-prod' }],
      credentialsSecret: { name: 'velero-cloud-credentials' },
      schedules: [{ name: 'daily', schedule: '0 2 * * *', ttl: '720h', excludedNamespaces: ['velero'] }],
    },
    dashboards: {
      // SSO in front of the dashboard and kube-ops-view (an oauth2-proxy answering on auth.example.com).
      auth: {
        type: 'external',
        url: 'https://auth.example.com/oauth2/auth',
        signin: 'https://auth.example.com/oauth2/start?rd=https://$host$escaped_request_uri',
      },
      // weave-scope stays off (its default): archived upstream, root on every node.
    },
  },
  tenants: 'all',
});
