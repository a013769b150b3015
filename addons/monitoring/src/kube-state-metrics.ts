import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import {
  AppIdentity, Placement, PlatformContext, Resources, containerResources, prometheusScrapeAnnotations,
  restrictedContainer, restrictedPod, selectByIdentity, serviceSelects,
} from '@platform/charts';
import { Construct } from 'constructs';
import { IMAGES, image, versionOf } from '../../versions';
import { MONITORING } from './endpoints';

/** UID/GID kube-state-metrics runs as upstream (`nobody`). */
const KSM_UID = 65534;

export interface KubeStateMetricsProps {
  readonly namespace: string;
  readonly resources: Resources;
}

/** list/watch on what kube-state-metrics reports about, as upstream kube-prometheus v0.18 grants it. */
const WATCHED: ReadonlyArray<readonly [apiGroup: string, resources: readonly string[]]> = [
  ['', ['configmaps', 'secrets', 'nodes', 'pods', 'services', 'serviceaccounts', 'resourcequotas', 'replicationcontrollers', 'limitranges', 'persistentvolumeclaims', 'persistentvolumes', 'namespaces', 'endpoints']],
  ['apps', ['statefulsets', 'daemonsets', 'deployments', 'replicasets']],
  ['batch', ['cronjobs', 'jobs']],
  ['autoscaling', ['horizontalpodautoscalers']],
  ['policy', ['poddisruptionbudgets']],
  ['certificates.k8s.io', ['certificatesigningrequests']],
  ['discovery.k8s.io', ['endpointslices']],
  ['storage.k8s.io', ['storageclasses', 'volumeattachments']],
  ['admissionregistration.k8s.io', ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations']],
  ['networking.k8s.io', ['networkpolicies', 'ingressclasses', 'ingresses']],
  ['coordination.k8s.io', ['leases']],
  ['rbac.authorization.k8s.io', ['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles']],
];

/**
 * kube-state-metrics: one replica (it holds the whole cluster state in memory; two would only duplicate every
 * series). Object metrics on :8080 are scraped by the dedicated `kube-state-metrics` job (honor_labels); its own
 * telemetry on :8081 by the `kubernetes-pods` job through the pod annotations.
 */
export class KubeStateMetrics extends Construct {
  readonly identity: AppIdentity;
  readonly serviceAccount: kplus.ServiceAccount;
  readonly clusterRole: k8s.KubeClusterRole;
  readonly clusterRoleBinding: k8s.KubeClusterRoleBinding;
  readonly deployment: kplus.Deployment;
  readonly service: kplus.Service;

  constructor(scope: Construct, id: string, ctx: PlatformContext, props: KubeStateMetricsProps) {
    super(scope, id);
    const { namespace } = props;
    const { port, telemetryPort, service } = MONITORING.kubeStateMetrics;
    const ref = IMAGES.monitoring.kubeStateMetrics;
    this.identity = new AppIdentity({ name: 'kube-state-metrics', component: 'exporter', partOf: 'monitoring', environment: ctx.environment, version: versionOf(ref) });
    const labels = this.identity.labels;

    this.serviceAccount = new kplus.ServiceAccount(this, 'service-account', {
      metadata: { name: 'kube-state-metrics', namespace, labels },
      automountToken: false,
    });
    this.clusterRole = new k8s.KubeClusterRole(this, 'cluster-role', {
      metadata: { name: 'kube-state-metrics', labels },
      rules: WATCHED.map(([apiGroup, resources]) => ({ apiGroups: [apiGroup], resources: [...resources], verbs: ['list', 'watch'] })),
    });
    this.clusterRoleBinding = new k8s.KubeClusterRoleBinding(this, 'cluster-role-binding', {
      metadata: { name: 'kube-state-metrics', labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'kube-state-metrics' },
      subjects: [{ kind: 'ServiceAccount', name: 'kube-state-metrics', namespace }],
    });

    this.deployment = new kplus.Deployment(this, 'deployment', {
      metadata: { name: 'kube-state-metrics', namespace, labels },
      replicas: 1,
      select: false,
      podMetadata: { labels, annotations: prometheusScrapeAnnotations(telemetryPort) },
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: true,
      securityContext: restrictedPod(KSM_UID),
      containers: [{
        name: 'kube-state-metrics',
        image: image(ref),
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        args: [`--port=${port}`, `--telemetry-port=${telemetryPort}`],
        ports: [{ name: 'http-metrics', number: port }, { name: 'telemetry', number: telemetryPort }],
        securityContext: restrictedContainer(),
        resources: containerResources(props.resources),
        // /healthz answers as soon as the server listens; /livez would restart it whenever the API server is down.
        startup: kplus.Probe.fromHttpGet('/healthz', { port, periodSeconds: Duration.seconds(5), failureThreshold: 24 }),
        liveness: kplus.Probe.fromHttpGet('/healthz', { port, periodSeconds: Duration.seconds(10), timeoutSeconds: Duration.seconds(5), failureThreshold: 3 }),
        // /readyz on the telemetry port is ready once the stores are registered.
        readiness: kplus.Probe.fromHttpGet('/readyz', { port: telemetryPort, periodSeconds: Duration.seconds(10), timeoutSeconds: Duration.seconds(5), failureThreshold: 3 }),
      }],
    });
    selectByIdentity(this.deployment, this.identity);
    Placement.core(ctx).applyTo(this.deployment);

    this.service = new kplus.Service(this, 'service', {
      metadata: { name: service, namespace, labels },
      clusterIP: 'None',
      ports: [
        { name: 'http-metrics', port, targetPort: port },
        { name: 'telemetry', port: telemetryPort, targetPort: telemetryPort },
      ],
    });
    serviceSelects(this.service, this.identity);
  }
}
