import { defineEnvironment } from '@platform/environments';

/** Test: a smaller OpenStack cluster that follows main; fewer replicas, shorter retention, smaller volumes. */
export default defineEnvironment({
  name: 'test',
  cluster: {
    name: 'platform-test',
    provider: { type: 'openstack', region: 'RegionOne', authUrl: 'https://keystone.test.example.com:5000/v3' },
    kubernetesVersion: '1.28',
    apiServerUrl: 'https://api.test.k8s.example.com:6443',
  },
  domain: 'test.example.com',
  nodePools: [
    { name: 'core', role: 'core', instanceType: 'm1.large', minSize: 1, maxSize: 3, taints: [{ key: 'node-type', value: 'core', effect: 'NoSchedule' }] },
    { name: 'worker', role: 'worker', instanceType: 'm1.xlarge', minSize: 2, maxSize: 6 },
  ],
  storageClasses: [
    { name: 'standard', provisioner: 'cinder.csi.openstack.org', parameters: { type: 'standard' }, default: true },
  ],
  ingress: { clusterIssuer: 'letsencrypt-staging' },
  gitops: {
    repoUrl: 'https://github.com/example/k8s-platform.git',
    revision: 'main',
    engines: ['argocd', 'flux'],
    autoSync: true,
    preview: {
      // The test control plane runs with --feature-gates=ValidatingAdmissionPolicy=true (and the v1beta1 API).
      writeGuard: 'v1beta1',
      customResourceGroups: ['velero.io'],
    },
  },
  addons: {
    'ingress-nginx': {
      // Two, not one: the admission webhook fails closed, so a single pod would block Ingress writes on every rollout.
      replicas: 2,
      pdbMinAvailable: 1,
    },
    logging: {
      // Single-node Elasticsearch in the cluster: small heap and volume, short retention.
      elasticsearch: { mode: 'in-cluster', heap: '512Mi', storage: { size: '10Gi' }, retentionDays: 3 },
      kibana: { replicas: 1 },
    },
    monitoring: {
      // Prometheus and Alertmanager UIs behind the same SSO (oauth2-proxy) as the other platform UIs.
      ui: {
        expose: 'ingress',
        auth: {
          type: 'external',
          url: 'https://auth.test.example.com/oauth2/auth',
          signin: 'https://auth.test.example.com/oauth2/start?rd=https://$host$escaped_request_uri',
        },
      },
      // One Prometheus, a week of data: test is rebuilt often and nobody looks further back.
      prometheus: {
        retention: '7d',
        storage: { size: '20Gi' },
        resources: { requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '1', memory: '2Gi' } },
      },
      alertmanager: {
        // Secret alertmanager-slack (key webhook-url) is created in the monitoring namespace, not in git.
        receivers: [
          { type: 'slack', name: 'platform-slack', channel: '#platform-alerts-test', apiUrlSecret: { name: 'alertmanager-slack', key: 'webhook-url' } },
        ],
        defaultReceiver: 'platform-slack',
      },
    },
    tracing: {
      collector: { replicas: 1, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } } },
      jaeger: { resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } } },
      storage: { type: 'badger', retention: '48h', size: '5Gi' },
      // Same SSO (oauth2-proxy) in front of the UI as the dashboards add-on uses.
      ui: {
        subdomain: 'jaeger',
        auth: {
          type: 'external',
          url: 'https://auth.test.example.com/oauth2/auth',
          signin: 'https://auth.test.example.com/oauth2/start?rd=https://$host$escaped_request_uri',
        },
      },
    },
    backups: {
      // Swift's S3 API; "us-east-1" is the region s3api signs with unless the cloud changed its "location".
      locations: [{
        name: 'default',
        bucket: 'platform-test-velero',
        s3Url: 'https://object-store.test.example.com',
        region: 'us-east-1',
      }],
      credentialsSecret: { name: 'velero-cloud-credentials' },
      schedules: [{ name: 'weekly', schedule: '0 3 * * 0', ttl: '168h', excludedNamespaces: ['velero'] }],
      server: { resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } } },
      nodeAgent: {
        resources: { requests: { cpu: '25m', memory: '64Mi' }, limits: { cpu: '250m', memory: '256Mi' } },
        dataPathResources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '1Gi' } },
      },
      maintenance: { resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '1Gi' } } },
    },
    dashboards: {
      auth: {
        type: 'external',
        url: 'https://auth.test.example.com/oauth2/auth',
        signin: 'https://auth.test.example.com/oauth2/start?rd=https://$host$escaped_request_uri',
      },
      // Evaluated here only (port-forward, controls off); never enabled in prod while it is archived upstream.
      weaveScope: { enabled: true },
    },
  },
  tenants: 'all',
});
