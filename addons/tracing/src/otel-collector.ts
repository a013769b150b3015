import { createHash } from 'node:crypto';
import { ApiObject, Duration, JsonPatch, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  AppIdentity, PLATFORM_ENDPOINTS, Placement, PlatformContext, Resources, bytes, containerResources,
  prometheusScrapeAnnotations, restrictedContainer, restrictedPod, selectByIdentity, serviceSelects,
} from '@platform/charts';
import { IMAGES, image, versionOf } from '../../versions';
import { COLLECTOR_HEALTH_PORT, COLLECTOR_METRICS_PORT, otelCollectorConfig } from './otel-collector-config';

/** UID the opentelemetry-collector images run as. */
const COLLECTOR_UID = 10001;
const CONFIG_KEY = 'relay.yaml';
const CONFIG_DIR = '/conf';

export interface OtelCollectorProps {
  /** Namespace to run in; must be PLATFORM_ENDPOINTS.otelCollector.namespace for tenants to find it. */
  readonly namespace: string;
  /** `host:port` of Jaeger's OTLP/gRPC receiver. */
  readonly jaegerEndpoint: string;
  /** @default 2 */
  readonly replicas?: number;
  /** Requests and limits of the collector container. */
  readonly resources: Resources;
  /** Enrich spans with the sender's pod, namespace and deployment (adds a read-only ClusterRole). @default true */
  readonly kubernetesAttributes?: boolean;
}

/**
 * The OpenTelemetry Collector that tenants and add-ons send traces to: Deployment + Service `otel-collector`
 * exactly as PLATFORM_ENDPOINTS.otelCollector announces it (namespace, name, ports 4317/4318, pod labels).
 */
export class OtelCollector extends Construct {
  readonly identity: AppIdentity;
  readonly serviceAccount: kplus.ServiceAccount;
  readonly configMap: kplus.ConfigMap;
  readonly deployment: kplus.Deployment;
  readonly service: kplus.Service;
  /** Present when kubernetesAttributes is on. */
  readonly clusterRole?: ApiObject;
  readonly configYaml: string;

  constructor(scope: Construct, id: string, ctx: PlatformContext, props: OtelCollectorProps) {
    super(scope, id);
    const endpoint = PLATFORM_ENDPOINTS.otelCollector;
    if (props.namespace !== endpoint.namespace) {
      throw new Error(`OtelCollector: namespace must be "${endpoint.namespace}" (PLATFORM_ENDPOINTS.otelCollector), got "${props.namespace}"`);
    }
    const kubernetesAttributes = props.kubernetesAttributes ?? true;
    const ref = IMAGES.tracing.otelCollector;
    this.identity = new AppIdentity({
      name: endpoint.podLabels['app.kubernetes.io/name'],
      component: endpoint.podLabels['app.kubernetes.io/component'],
      partOf: 'tracing',
      environment: ctx.environment,
      version: versionOf(ref),
    });
    const labels = this.identity.labels;
    const metadata = (name: string) => ({ name, namespace: props.namespace, labels });

    this.serviceAccount = new kplus.ServiceAccount(this, 'service-account', {
      metadata: metadata(endpoint.service),
      automountToken: kubernetesAttributes,
    });

    if (kubernetesAttributes) {
      // What the k8s_attributes processor watches to map a connection's IP to a pod, its namespace and deployment.
      this.clusterRole = new k8s.KubeClusterRole(this, 'cluster-role', {
        metadata: { name: 'otel-collector', labels },
        rules: [
          { apiGroups: [''], resources: ['pods', 'namespaces'], verbs: ['get', 'list', 'watch'] },
          { apiGroups: ['apps'], resources: ['replicasets'], verbs: ['get', 'list', 'watch'] },
        ],
      });
      new k8s.KubeClusterRoleBinding(this, 'cluster-role-binding', {
        metadata: { name: 'otel-collector', labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'otel-collector' },
        subjects: [{ kind: 'ServiceAccount', name: endpoint.service, namespace: props.namespace }],
      });
    }

    this.configYaml = Yaml.stringify(otelCollectorConfig({ jaegerEndpoint: props.jaegerEndpoint, kubernetesAttributes }));
    this.configMap = new kplus.ConfigMap(this, 'config', {
      metadata: metadata(endpoint.service),
      data: { [CONFIG_KEY]: this.configYaml },
    });

    this.deployment = new kplus.Deployment(this, 'deployment', {
      metadata: metadata(endpoint.service),
      replicas: props.replicas ?? 2,
      select: false,
      podMetadata: {
        labels,
        annotations: {
          ...prometheusScrapeAnnotations(COLLECTOR_METRICS_PORT),
          // Rolls the pods when the configuration changes (deterministic: a hash of the rendered config).
          'checksum/config': createHash('sha256').update(this.configYaml).digest('hex'),
        },
      },
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: kubernetesAttributes,
      securityContext: restrictedPod(COLLECTOR_UID),
      terminationGracePeriod: Duration.seconds(30),
      containers: [{
        name: 'otel-collector',
        image: image(ref),
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        command: ['/otelcol-k8s'],
        args: [`--config=${CONFIG_DIR}/${CONFIG_KEY}`],
        ports: [
          { name: 'otlp', number: endpoint.grpcPort },
          { name: 'otlp-http', number: endpoint.httpPort },
          { name: 'metrics', number: COLLECTOR_METRICS_PORT },
          { name: 'health', number: COLLECTOR_HEALTH_PORT },
        ],
        envVariables: {
          // The Go runtime starts collecting garbage before the cgroup limit, as the upstream chart does (80%).
          GOMEMLIMIT: kplus.EnvValue.fromValue(`${Math.floor((bytes(props.resources.limits.memory) * 0.8) / 2 ** 20)}MiB`),
        },
        liveness: kplus.Probe.fromHttpGet('/', { port: COLLECTOR_HEALTH_PORT }),
        readiness: kplus.Probe.fromHttpGet('/', { port: COLLECTOR_HEALTH_PORT }),
        resources: containerResources(props.resources),
        securityContext: restrictedContainer({ user: COLLECTOR_UID, group: COLLECTOR_UID }),
        volumeMounts: [{
          path: CONFIG_DIR,
          readOnly: true,
          volume: kplus.Volume.fromConfigMap(this, 'config-volume', this.configMap, { name: 'config' }),
        }],
      }],
    });
    selectByIdentity(this.deployment, this.identity);
    Placement.core(ctx).applyTo(this.deployment);

    this.service = new kplus.Service(this, 'service', {
      metadata: metadata(endpoint.service),
      type: kplus.ServiceType.CLUSTER_IP,
      ports: [
        { name: 'otlp', port: endpoint.grpcPort, targetPort: endpoint.grpcPort },
        { name: 'otlp-http', port: endpoint.httpPort, targetPort: endpoint.httpPort },
      ],
    });
    serviceSelects(this.service, this.identity);
    // Tells meshes and L7 load balancers that 4317 speaks gRPC (cdk8s-plus has no appProtocol field).
    ApiObject.of(this.service).addJsonPatch(JsonPatch.add('/spec/ports/0/appProtocol', 'grpc'));
  }
}
