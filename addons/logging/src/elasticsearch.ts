import { ApiObject, Duration, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import {
  AppIdentity, CDK8S_ADDRESS_LABEL, Placement, PlatformContext, Resources, containerResources, defaultStorageClass, restrictedContainer, restrictedPod,
  selectByIdentity, serviceSelects,
} from '@platform/charts';
import { IMAGES, image } from '../../versions';
import { ELASTICSEARCH_HOST, ELASTICSEARCH_SERVICE, ElasticsearchEndpoint, LOGGING_NAMESPACE, PORTS } from './components';

/** The uid/gid the Elasticsearch image is built for (user `elasticsearch`). */
export const ELASTICSEARCH_UID = 1000;
const HOME = '/usr/share/elasticsearch';

export interface ElasticsearchProps {
  /** Labels of the Elasticsearch component. */
  readonly id: AppIdentity;
  /** Size of the data volume, e.g. "10Gi". */
  readonly storageSize: string;
  /** Storage class of the data volume; must be one of the environment's. @default - the environment's default class */
  readonly storageClass?: string;
  /** JVM heap, e.g. "512Mi" (rendered as -Xms/-Xmx). */
  readonly heap: string;
  /** Requests and limits of the Elasticsearch container. */
  readonly resources: Resources;
  /** @default "logging" */
  readonly namespace?: string;
}

/** "512Mi" → "512m", "2Gi" → "2g": a Kubernetes quantity as a JVM size. */
function jvmSize(quantity: string): string {
  const match = /^(\d+)(Mi|Gi)$/.exec(quantity);
  if (!match) throw new Error(`Elasticsearch heap "${quantity}" must be in Mi or Gi, e.g. "512Mi" or "2Gi"`);
  return `${match[1]}${match[2] === 'Mi' ? 'm' : 'g'}`;
}

/**
 * A single-node Elasticsearch 7 as a StatefulSet with a PersistentVolumeClaim, a headless Service (the
 * StatefulSet's) and the client Service `elasticsearch` that fluentd and Kibana use. Security (x-pack) is off:
 * only fluentd and Kibana can reach it (NetworkPolicies). No privileged sysctl init container: mmap is disabled
 * (`node.store.allow_mmap: false`), so the node's vm.max_map_count does not matter.
 */
export class Elasticsearch extends Construct {
  readonly statefulSet: kplus.StatefulSet;
  readonly headlessService: kplus.Service;
  readonly service: kplus.Service;
  readonly endpoint: ElasticsearchEndpoint = { host: ELASTICSEARCH_HOST, port: PORTS.elasticsearchHttp, scheme: 'http' };
  /** The storage class the data volume is claimed from. */
  readonly storageClass: string;

  constructor(scope: Construct, id: string, ctx: PlatformContext, props: ElasticsearchProps) {
    super(scope, id);
    const namespace = props.namespace ?? LOGGING_NAMESPACE;
    const labels = props.id.labels;
    this.storageClass = props.storageClass ?? defaultStorageClass(ctx);
    const known = ctx.storageClasses.map((sc) => sc.name);
    if (!known.includes(this.storageClass)) {
      throw new Error(`Elasticsearch storage class "${this.storageClass}" is not one of environment ${ctx.environment}'s: ${known.join(', ')}`);
    }

    this.headlessService = new kplus.Service(this, 'headless-service', {
      metadata: { name: `${ELASTICSEARCH_SERVICE}-headless`, namespace, labels },
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      ports: [
        { name: 'http', port: PORTS.elasticsearchHttp, targetPort: PORTS.elasticsearchHttp },
        { name: 'transport', port: PORTS.elasticsearchTransport, targetPort: PORTS.elasticsearchTransport },
      ],
    });
    serviceSelects(this.headlessService, props.id);

    this.service = new kplus.Service(this, 'service', {
      metadata: { name: ELASTICSEARCH_SERVICE, namespace, labels },
      ports: [{ name: 'http', port: PORTS.elasticsearchHttp, targetPort: PORTS.elasticsearchHttp }],
    });
    serviceSelects(this.service, props.id);

    // The image writes into its config directory at startup (keystore): it gets a writable copy, so the root
    // filesystem stays read-only.
    const config = kplus.Volume.fromEmptyDir(this, 'config', 'config');
    const logs = kplus.Volume.fromEmptyDir(this, 'logs', 'logs');
    const tmp = kplus.Volume.fromEmptyDir(this, 'tmp', 'tmp');

    this.statefulSet = new kplus.StatefulSet(this, 'stateful-set', {
      metadata: { name: 'elasticsearch', namespace, labels },
      service: this.headlessService,
      replicas: 1,
      select: false,
      podMetadata: { labels },
      securityContext: restrictedPod(ELASTICSEARCH_UID),
      automountServiceAccountToken: false,
      terminationGracePeriod: Duration.seconds(120),
    });
    const sts = this.statefulSet;
    selectByIdentity(sts, props.id);
    // cdk8s-plus makes the StatefulSet's Service select its pods by construct address; it selects by identity above.
    ApiObject.of(this.headlessService).addJsonPatch(JsonPatch.remove(`/spec/selector/${CDK8S_ADDRESS_LABEL.replace('/', '~1')}`));
    Placement.core(ctx).applyTo(sts);

    const initConfig = sts.addInitContainer({
      name: 'copy-config',
      image: image(IMAGES.logging.elasticsearch),
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      command: ['cp', '-R', `${HOME}/config/.`, '/mnt/config/'],
      resources: containerResources({ requests: { cpu: '50m', memory: '32Mi' }, limits: { cpu: '200m', memory: '64Mi' } }),
      securityContext: restrictedContainer({ user: ELASTICSEARCH_UID, group: ELASTICSEARCH_UID }),
    });
    initConfig.mount('/mnt/config', config);

    const http = PORTS.elasticsearchHttp;
    const heap = jvmSize(props.heap);
    const es = sts.addContainer({
      name: 'elasticsearch',
      image: image(IMAGES.logging.elasticsearch),
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      ports: [{ name: 'http', number: http }, { name: 'transport', number: PORTS.elasticsearchTransport }],
      envVariables: {
        'ES_JAVA_OPTS': kplus.EnvValue.fromValue(`-Xms${heap} -Xmx${heap}`),
        'cluster.name': kplus.EnvValue.fromValue('logging'),
        'discovery.type': kplus.EnvValue.fromValue('single-node'),
        // niofs instead of mmap: no vm.max_map_count requirement on the node, so no privileged sysctl init container.
        'node.store.allow_mmap': kplus.EnvValue.fromValue('false'),
        // Reachable only by fluentd and Kibana (NetworkPolicies); see README.
        'xpack.security.enabled': kplus.EnvValue.fromValue('false'),
        'xpack.ml.enabled': kplus.EnvValue.fromValue('false'),
        // The GeoIP downloader calls out to the internet, which the NetworkPolicies deny.
        'ingest.geoip.downloader.enabled': kplus.EnvValue.fromValue('false'),
      },
      resources: containerResources(props.resources),
      securityContext: restrictedContainer({ user: ELASTICSEARCH_UID, group: ELASTICSEARCH_UID }),
      startup: kplus.Probe.fromHttpGet('/_cluster/health?local=true', {
        port: http, periodSeconds: Duration.seconds(10), timeoutSeconds: Duration.seconds(5), failureThreshold: 30,
      }),
      readiness: kplus.Probe.fromHttpGet('/_cluster/health?wait_for_status=yellow&timeout=1s', {
        port: http, periodSeconds: Duration.seconds(10), timeoutSeconds: Duration.seconds(5), failureThreshold: 3,
      }),
      liveness: kplus.Probe.fromTcpSocket({
        port: http, periodSeconds: Duration.seconds(20), timeoutSeconds: Duration.seconds(5), failureThreshold: 6,
      }),
    });
    es.mount(`${HOME}/config`, config);
    es.mount(`${HOME}/logs`, logs);
    es.mount('/tmp', tmp);

    // cdk8s-plus has no volumeClaimTemplates: add the claim and its mount to the rendered object. The L1 object
    // serializes the patched JSON once more, so the size goes in as a Quantity.
    const api = ApiObject.of(sts);
    api.addJsonPatch(JsonPatch.add('/spec/volumeClaimTemplates', [{
      metadata: { name: 'data', labels: { ...props.id.selectorLabels } },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: this.storageClass,
        resources: { requests: { storage: k8s.Quantity.fromString(props.storageSize) } },
      },
    }]));
    api.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/volumeMounts/-', { name: 'data', mountPath: `${HOME}/data` }));
  }
}
