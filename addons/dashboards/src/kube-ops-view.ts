import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  AppIdentity, KUBE_API_PORTS, NetworkPolicy, PEERS, PlatformContext, Resources, containerResources, restrictedContainer, restrictedPod,
} from '@platform/charts';
import { IMAGES, image, versionOf } from '../../versions';
import { UiIngress } from './access';
import { ADDON } from './names';
import { KUBE_OPS_VIEW_CLUSTER_RULES } from './rbac';
import { Auth, Expose } from './settings';
import { clusterIpService, clusterRoleWithBinding, coreDeployment, serviceAccount } from './workload';

export const KUBE_OPS_VIEW_NAMES = { frontend: 'kube-ops-view', redis: 'kube-ops-view-redis' } as const;

/** Users the images run as (upstream's runAsUser; the redis image's `redis` user and group). */
export const KUBE_OPS_VIEW_UID = 1000;
export const REDIS_UID = 999;
export const REDIS_GID = 1000;

const PORT = 8080;
const REDIS_PORT = 6379;

export interface KubeOpsViewProps {
  readonly namespace: string;
  /** How users reach the UI. */
  readonly expose: Expose;
  /** With expose "ingress": served on `<subdomain>.<domain>`. */
  readonly subdomain: string;
  /** With expose "ingress": authentication in front of the UI (it has none of its own). */
  readonly auth?: Auth;
  readonly resources: Resources;
  readonly redisResources: Resources;
}

/**
 * kube-ops-view 20.4.0 (upstream deploy/): the frontend with read-only RBAC (list nodes and pods, read their metrics)
 * and the Redis it keeps its state in, cache only (no persistence).
 */
export class KubeOpsView extends Construct {
  readonly identity: AppIdentity;
  readonly redisIdentity: AppIdentity;
  readonly deployment: kplus.Deployment;
  readonly redis: kplus.Deployment;

  constructor(scope: Construct, id: string, ctx: PlatformContext, props: KubeOpsViewProps) {
    super(scope, id);
    const namespace = props.namespace;
    this.identity = new AppIdentity({
      name: KUBE_OPS_VIEW_NAMES.frontend, component: 'frontend', partOf: ADDON, environment: ctx.environment, version: versionOf(IMAGES.dashboards.kubeOpsView),
    });
    this.redisIdentity = new AppIdentity({
      name: KUBE_OPS_VIEW_NAMES.redis, component: 'redis', partOf: ADDON, environment: ctx.environment, version: versionOf(IMAGES.dashboards.redis),
    });
    const labels = this.identity.labels;

    const account = serviceAccount(this, 'service-account', KUBE_OPS_VIEW_NAMES.frontend, namespace, labels);
    clusterRoleWithBinding(this, 'rbac', {
      name: KUBE_OPS_VIEW_NAMES.frontend,
      labels,
      rules: KUBE_OPS_VIEW_CLUSTER_RULES,
      subjects: [{ kind: 'ServiceAccount', name: KUBE_OPS_VIEW_NAMES.frontend, namespace }],
    });

    const health = kplus.Probe.fromHttpGet('/health', { port: PORT, initialDelaySeconds: Duration.seconds(5), timeoutSeconds: Duration.seconds(1) });
    this.deployment = coreDeployment(this, 'deployment', ctx, {
      name: KUBE_OPS_VIEW_NAMES.frontend,
      namespace,
      identity: this.identity,
      serviceAccount: account,
      securityContext: restrictedPod(KUBE_OPS_VIEW_UID),
      containers: [{
        name: 'service',
        image: image(IMAGES.dashboards.kubeOpsView),
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        args: [`--redis-url=redis://${KUBE_OPS_VIEW_NAMES.redis}:${REDIS_PORT}`],
        ports: [{ name: 'http', number: PORT, protocol: kplus.Protocol.TCP }],
        readiness: health,
        liveness: health,
        resources: containerResources(props.resources),
        securityContext: restrictedContainer({ user: KUBE_OPS_VIEW_UID }),
        volumeMounts: [{ path: '/tmp', volume: kplus.Volume.fromEmptyDir(this, 'tmp', 'tmp') }],
      }],
    });
    const service = clusterIpService(this, 'service', { name: KUBE_OPS_VIEW_NAMES.frontend, namespace, identity: this.identity, port: 80, targetPort: PORT });

    const redisUp = kplus.Probe.fromTcpSocket({ port: REDIS_PORT, initialDelaySeconds: Duration.seconds(5), periodSeconds: Duration.seconds(10) });
    this.redis = coreDeployment(this, 'redis-deployment', ctx, {
      name: KUBE_OPS_VIEW_NAMES.redis,
      namespace,
      identity: this.redisIdentity,
      securityContext: restrictedPod(REDIS_UID, { group: REDIS_GID, fsGroup: REDIS_GID }),
      containers: [{
        name: 'redis',
        image: image(IMAGES.dashboards.redis),
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        // A cache that kube-ops-view refills in seconds: nothing to save.
        args: ['--save', '', '--appendonly', 'no'],
        ports: [{ name: 'redis', number: REDIS_PORT, protocol: kplus.Protocol.TCP }],
        readiness: redisUp,
        liveness: redisUp,
        resources: containerResources(props.redisResources),
        securityContext: restrictedContainer({ user: REDIS_UID, group: REDIS_GID }),
        volumeMounts: [{ path: '/data', volume: kplus.Volume.fromEmptyDir(this, 'redis-data', 'data') }],
      }],
    });
    clusterIpService(this, 'redis-service', {
      name: KUBE_OPS_VIEW_NAMES.redis, namespace, identity: this.redisIdentity, port: REDIS_PORT, targetPort: REDIS_PORT, portName: 'redis',
    });

    const exposed = props.expose === 'ingress';
    if (exposed) {
      new UiIngress(this, 'ingress', ctx, {
        name: KUBE_OPS_VIEW_NAMES.frontend,
        namespace,
        subdomain: props.subdomain,
        serviceName: service.name,
        servicePort: 80,
        labels,
        auth: props.auth,
      });
    }

    new NetworkPolicy(this, 'frontend-policy', {
      name: KUBE_OPS_VIEW_NAMES.frontend,
      namespace,
      podLabels: this.identity.selectorLabels,
      labels,
      ingress: exposed ? [{ peers: [PEERS.ingressController], ports: [{ port: PORT }] }] : undefined,
      egress: [
        { peers: [PEERS.kubeApi], ports: KUBE_API_PORTS },
        { peers: [{ podLabels: this.redisIdentity.selectorLabels }], ports: [{ port: REDIS_PORT }] },
      ],
    });
    new NetworkPolicy(this, 'redis-policy', {
      name: KUBE_OPS_VIEW_NAMES.redis,
      namespace,
      podLabels: this.redisIdentity.selectorLabels,
      labels: this.redisIdentity.labels,
      ingress: [{ peers: [{ podLabels: this.identity.selectorLabels }], ports: [{ port: REDIS_PORT }] }],
      egress: [],
    });
  }
}
