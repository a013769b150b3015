import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import {
  AppIdentity, Placement, PlatformContext, PlatformIngress, Resources, bytes, containerResources, restrictedContainer, restrictedPod,
  selectByIdentity, serviceSelects, uiAuthAnnotations,
} from '@platform/charts';
import { IMAGES, image } from '../../versions';
import { ElasticsearchEndpoint, LOGGING_NAMESPACE, PORTS } from './components';
import { KibanaAuth, SecretCredentials } from './settings';

/** The uid/gid the Kibana image is built for (user `kibana`). */
export const KIBANA_UID = 1000;

export interface KibanaProps {
  /** Labels of the Kibana component. */
  readonly id: AppIdentity;
  /** The Elasticsearch Kibana reads from (and keeps its own .kibana index in). */
  readonly elasticsearch: ElasticsearchEndpoint;
  /** Kibana's Elasticsearch user (a Secret in the logging namespace). @default - no credentials */
  readonly credentials?: SecretCredentials;
  /** @default 1 */
  readonly replicas?: number;
  /** Kibana is served on `<subdomain>.<ctx.domain>`. @default "kibana" */
  readonly subdomain?: string;
  /** Requests and limits of the Kibana container. */
  readonly resources: Resources;
  /** Who may open Kibana (nginx auth on the Ingress). */
  readonly auth: KibanaAuth;
  /** @default "logging" */
  readonly namespace?: string;
}

/** nginx annotations that put the UI behind authentication. */
export function authAnnotations(auth: KibanaAuth): Record<string, string> {
  return uiAuthAnnotations(auth, 'Kibana (logging)');
}

/**
 * Kibana 7 (same version as Elasticsearch): a Deployment on core nodes, a ClusterIP Service, and an Ingress on
 * `kibana.<domain>` with TLS and nginx authentication in front (the in-cluster Elasticsearch has no users of its own).
 */
export class Kibana extends Construct {
  readonly deployment: kplus.Deployment;
  readonly service: kplus.Service;
  readonly ingress: PlatformIngress;
  readonly host: string;
  readonly podDisruptionBudget?: k8s.KubePodDisruptionBudget;

  constructor(scope: Construct, id: string, ctx: PlatformContext, props: KibanaProps) {
    super(scope, id);
    const namespace = props.namespace ?? LOGGING_NAMESPACE;
    const labels = props.id.labels;
    const replicas = props.replicas ?? 1;
    if (!Number.isInteger(replicas) || replicas < 1) throw new Error(`Kibana replicas must be a whole number >= 1 (got ${replicas})`);
    this.host = `${props.subdomain ?? 'kibana'}.${ctx.domain}`;
    const es = props.elasticsearch;
    const port = PORTS.kibana;

    this.deployment = new kplus.Deployment(this, 'deployment', {
      metadata: { name: 'kibana', namespace, labels },
      replicas,
      select: false,
      podMetadata: { labels },
      securityContext: restrictedPod(KIBANA_UID),
      automountServiceAccountToken: false,
    });
    const deployment = this.deployment;
    selectByIdentity(deployment, props.id);
    Placement.core(ctx).applyTo(deployment);

    // The Node.js that Kibana 7.17 ships sizes its default heap from the machine, not the container limit.
    const heapMiB = Math.floor((bytes(props.resources.limits.memory) * 0.75) / 2 ** 20);
    const env: Record<string, kplus.EnvValue> = {
      NODE_OPTIONS: kplus.EnvValue.fromValue(`--max-old-space-size=${heapMiB}`),
      ELASTICSEARCH_HOSTS: kplus.EnvValue.fromValue(`${es.scheme}://${es.host}:${es.port}`),
      SERVER_NAME: kplus.EnvValue.fromValue(this.host),
      SERVER_PUBLICBASEURL: kplus.EnvValue.fromValue(`https://${this.host}`),
      // Kibana may only talk to Elasticsearch (NetworkPolicies): no phoning home.
      TELEMETRY_ENABLED: kplus.EnvValue.fromValue('false'),
      TELEMETRY_OPTIN: kplus.EnvValue.fromValue('false'),
      NEWSFEED_ENABLED: kplus.EnvValue.fromValue('false'),
    };
    if (props.credentials) {
      const secret = kplus.Secret.fromSecretName(this, 'credentials', props.credentials.name);
      env.ELASTICSEARCH_USERNAME = kplus.EnvValue.fromSecretValue({ secret, key: props.credentials.usernameKey });
      env.ELASTICSEARCH_PASSWORD = kplus.EnvValue.fromSecretValue({ secret, key: props.credentials.passwordKey });
    }

    const container = deployment.addContainer({
      name: 'kibana',
      image: image(IMAGES.logging.kibana),
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      ports: [{ name: 'http', number: port }],
      envVariables: env,
      resources: containerResources(props.resources),
      securityContext: restrictedContainer({ user: KIBANA_UID, group: KIBANA_UID }),
      startup: kplus.Probe.fromTcpSocket({ port, periodSeconds: Duration.seconds(10), failureThreshold: 30 }),
      // 200 once Kibana's plugins are up and it can reach Elasticsearch; 503 otherwise.
      readiness: kplus.Probe.fromHttpGet('/api/status', {
        port, periodSeconds: Duration.seconds(10), timeoutSeconds: Duration.seconds(5), failureThreshold: 3,
      }),
      // Not /api/status: an Elasticsearch outage must not restart Kibana.
      liveness: kplus.Probe.fromTcpSocket({ port, periodSeconds: Duration.seconds(20), timeoutSeconds: Duration.seconds(5), failureThreshold: 3 }),
    });
    container.mount('/usr/share/kibana/data', kplus.Volume.fromEmptyDir(this, 'data', 'data'));
    container.mount('/tmp', kplus.Volume.fromEmptyDir(this, 'tmp', 'tmp'));

    this.service = new kplus.Service(this, 'service', {
      metadata: { name: 'kibana', namespace, labels },
      ports: [{ name: 'http', port, targetPort: port }],
    });
    serviceSelects(this.service, props.id);

    this.ingress = new PlatformIngress(this, 'ingress', ctx, {
      name: 'kibana',
      namespace,
      host: this.host,
      serviceName: this.service.name,
      servicePort: port,
      labels,
      annotations: authAnnotations(props.auth),
    });

    if (replicas > 1) {
      this.podDisruptionBudget = new k8s.KubePodDisruptionBudget(this, 'pod-disruption-budget', {
        metadata: { name: 'kibana', namespace, labels: { ...labels } },
        spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: { ...props.id.selectorLabels } } },
      });
    }
  }
}
