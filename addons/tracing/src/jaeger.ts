import { createHash } from 'node:crypto';
import { Duration, Size, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  AppIdentity, Placement, PlatformContext, PlatformIngress, Resources, containerResources, defaultStorageClass,
  prometheusScrapeAnnotations, restrictedContainer, restrictedPod, selectByIdentity, serviceSelects, size,
} from '@platform/charts';
import { IMAGES, image, versionOf } from '../../versions';
import {
  BADGER_MOUNT_PATH, ES_PASSWORD_ENV, ES_USERNAME_ENV, JAEGER_HEALTH_PORT, JAEGER_METRICS_PORT, JAEGER_OTLP_GRPC_PORT,
  JAEGER_QUERY_PORT, jaegerConfig,
} from './jaeger-config';
import { StorageSettings } from './settings';

/** UID the jaegertracing/jaeger image runs as (and owns the badger files). */
const JAEGER_UID = 10001;
const CONFIG_KEY = 'config.yaml';
const CONFIG_DIR = '/etc/jaeger';

export interface JaegerUiProps {
  /** Full host name of the UI; must be under the environment's domain. */
  readonly host: string;
  /** ingress-nginx annotations that put authentication in front of the UI. */
  readonly authAnnotations: Readonly<Record<string, string>>;
}

export interface JaegerProps {
  readonly namespace: string;
  /** Trace storage backend. */
  readonly storage: StorageSettings;
  /** Requests and limits of the Jaeger container. */
  readonly resources: Resources;
  /** @default 1 */
  readonly replicas?: number;
  /** Serve the UI on an Ingress. @default - ClusterIP only */
  readonly ui?: JaegerUiProps;
}

/**
 * Jaeger v2 as one Deployment (storage, OTLP receiver and query UI in one binary, configured by an OTel Collector
 * style YAML), its Service `jaeger`, a PVC for badger storage and optionally the UI Ingress.
 */
export class Jaeger extends Construct {
  /** Service name; the collector exports to `<name>.<namespace>.svc.cluster.local:4317`. */
  static readonly SERVICE_NAME = 'jaeger';

  readonly identity: AppIdentity;
  readonly configMap: kplus.ConfigMap;
  readonly deployment: kplus.Deployment;
  readonly service: kplus.Service;
  readonly claim?: kplus.PersistentVolumeClaim;
  readonly ingress?: PlatformIngress;
  readonly configYaml: string;
  /** `host:port` of the OTLP/gRPC receiver. */
  readonly otlpEndpoint: string;

  constructor(scope: Construct, id: string, ctx: PlatformContext, props: JaegerProps) {
    super(scope, id);
    const replicas = props.replicas ?? 1;
    if (replicas > 1 && props.storage.type !== 'elasticsearch') {
      throw new Error(`Jaeger: replicas must be 1 with ${props.storage.type} storage (each replica would keep its own traces); got ${replicas}`);
    }
    const ref = IMAGES.tracing.jaeger;
    this.identity = new AppIdentity({ name: 'jaeger', component: 'server', partOf: 'tracing', environment: ctx.environment, version: versionOf(ref) });
    const labels = this.identity.labels;
    const metadata = (name: string) => ({ name, namespace: props.namespace, labels });
    this.otlpEndpoint = `${Jaeger.SERVICE_NAME}.${props.namespace}.svc.cluster.local:${JAEGER_OTLP_GRPC_PORT}`;

    this.configYaml = Yaml.stringify(jaegerConfig(props.storage));
    this.configMap = new kplus.ConfigMap(this, 'config', { metadata: metadata('jaeger'), data: { [CONFIG_KEY]: this.configYaml } });

    const serviceAccount = new kplus.ServiceAccount(this, 'service-account', { metadata: metadata('jaeger'), automountToken: false });

    const volumeMounts: kplus.VolumeMount[] = [
      { path: CONFIG_DIR, readOnly: true, volume: kplus.Volume.fromConfigMap(this, 'config-volume', this.configMap, { name: 'config' }) },
      { path: '/tmp', volume: kplus.Volume.fromEmptyDir(this, 'tmp-volume', 'tmp', { sizeLimit: Size.mebibytes(64) }) },
    ];
    if (props.storage.type === 'badger') {
      this.claim = new kplus.PersistentVolumeClaim(this, 'badger-claim', {
        metadata: metadata('jaeger-badger'),
        accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE],
        storage: size(props.storage.size),
        storageClassName: props.storage.storageClass ?? defaultStorageClass(ctx),
        volumeMode: kplus.PersistentVolumeMode.FILE_SYSTEM,
      });
      volumeMounts.push({ path: BADGER_MOUNT_PATH, volume: kplus.Volume.fromPersistentVolumeClaim(this, 'badger-volume', this.claim, { name: 'badger' }) });
    }

    const envVariables: Record<string, kplus.EnvValue> = {};
    if (props.storage.type === 'elasticsearch' && props.storage.credentialsSecret) {
      const creds = props.storage.credentialsSecret;
      const secret = kplus.Secret.fromSecretName(this, 'es-credentials', creds.name);
      envVariables[ES_USERNAME_ENV] = kplus.EnvValue.fromSecretValue({ secret, key: creds.usernameKey });
      envVariables[ES_PASSWORD_ENV] = kplus.EnvValue.fromSecretValue({ secret, key: creds.passwordKey });
    }

    this.deployment = new kplus.Deployment(this, 'deployment', {
      metadata: metadata('jaeger'),
      replicas,
      // A badger volume is ReadWriteOnce and locked by one process: the old pod must be gone before the new one starts.
      strategy: props.storage.type === 'badger' ? kplus.DeploymentStrategy.recreate() : kplus.DeploymentStrategy.rollingUpdate(),
      select: false,
      podMetadata: {
        labels,
        annotations: {
          ...prometheusScrapeAnnotations(JAEGER_METRICS_PORT),
          'checksum/config': createHash('sha256').update(this.configYaml).digest('hex'),
        },
      },
      serviceAccount,
      automountServiceAccountToken: false,
      securityContext: restrictedPod(JAEGER_UID),
      terminationGracePeriod: Duration.seconds(30),
      containers: [{
        name: 'jaeger',
        image: image(ref),
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        args: ['--config', `${CONFIG_DIR}/${CONFIG_KEY}`],
        ports: [
          { name: 'query-http', number: JAEGER_QUERY_PORT },
          { name: 'otlp-grpc', number: JAEGER_OTLP_GRPC_PORT },
          { name: 'metrics', number: JAEGER_METRICS_PORT },
          { name: 'health', number: JAEGER_HEALTH_PORT },
        ],
        envVariables,
        liveness: kplus.Probe.fromHttpGet('/status', { port: JAEGER_HEALTH_PORT, initialDelaySeconds: Duration.seconds(5), periodSeconds: Duration.seconds(15), failureThreshold: 5 }),
        readiness: kplus.Probe.fromHttpGet('/status', { port: JAEGER_HEALTH_PORT, initialDelaySeconds: Duration.seconds(1), periodSeconds: Duration.seconds(10), failureThreshold: 3 }),
        resources: containerResources(props.resources),
        securityContext: restrictedContainer({ user: JAEGER_UID, group: JAEGER_UID }),
        volumeMounts,
      }],
    });
    selectByIdentity(this.deployment, this.identity);
    Placement.core(ctx).applyTo(this.deployment);

    this.service = new kplus.Service(this, 'service', {
      metadata: metadata(Jaeger.SERVICE_NAME),
      type: kplus.ServiceType.CLUSTER_IP,
      ports: [
        { name: 'query-http', port: JAEGER_QUERY_PORT, targetPort: JAEGER_QUERY_PORT },
        { name: 'otlp-grpc', port: JAEGER_OTLP_GRPC_PORT, targetPort: JAEGER_OTLP_GRPC_PORT },
      ],
    });
    serviceSelects(this.service, this.identity);

    if (props.ui) {
      this.ingress = new PlatformIngress(this, 'ingress', ctx, {
        name: 'jaeger',
        namespace: props.namespace,
        host: props.ui.host,
        serviceName: Jaeger.SERVICE_NAME,
        servicePort: JAEGER_QUERY_PORT,
        labels,
        annotations: props.ui.authAnnotations,
      });
    }
  }
}
