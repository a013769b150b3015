import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  AppIdentity, Placement, PlatformContext, Resources, containerResources, policyException, prometheusScrapeAnnotations,
  restrictedContainer, restrictedPod, selectByIdentity,
} from '@platform/charts';
import { IMAGES, image } from '../../versions';
import { CONTROLLER_CLASS, INGRESS_CLASS, NAMES, NAMESPACE, PORTS, WEBHOOK_CERT_DIR } from './names';
import { CONTROLLER_CLUSTER_ROLE_RULES, CONTROLLER_ROLE_RULES } from './rbac';
import { ServiceAccountWithRbac } from './service-account';

/** The image's `www-data` user and group (upstream's runAsUser/runAsGroup). */
export const CONTROLLER_UID = 101;
export const CONTROLLER_GID = 82;

/** Upstream's requests, plus the limits the platform requires. */
export const DEFAULT_CONTROLLER_RESOURCES: Resources = {
  requests: { cpu: '100m', memory: '90Mi' },
  limits: { cpu: '1', memory: '512Mi' },
};

export interface IngressNginxControllerProps {
  /** Identity of the controller pods; its selector labels include PLATFORM_ENDPOINTS.ingressController.podLabels. */
  readonly identity: AppIdentity;
  /** Number of controller pods. @default 2 */
  readonly replicas?: number;
  /** Controller pods a voluntary disruption (node drain) must leave running; less than `replicas`. @default 1 */
  readonly minAvailable?: number;
  /** Requests and limits of the controller container. @default DEFAULT_CONTROLLER_RESOURCES */
  readonly resources?: Resources;
  /** Data of the controller ConfigMap (see controllerConfig()). @default {} */
  readonly config?: Readonly<Record<string, string>>;
}

/**
 * The ingress-nginx controller: its ServiceAccount and RBAC, ConfigMap, Deployment (upstream's args, ports, probes,
 * security context) spread across core nodes, and a PodDisruptionBudget.
 */
export class IngressNginxController extends Construct {
  readonly deployment: kplus.Deployment;
  readonly configMap: k8s.KubeConfigMap;
  readonly podDisruptionBudget: k8s.KubePodDisruptionBudget;
  readonly rbac: ServiceAccountWithRbac;

  constructor(scope: Construct, id: string, ctx: PlatformContext, props: IngressNginxControllerProps) {
    super(scope, id);
    const replicas = props.replicas ?? 2;
    const minAvailable = props.minAvailable ?? 1;
    if (!Number.isInteger(replicas) || replicas < 1) throw new Error(`ingress-nginx: replicas must be an integer >= 1 (got ${replicas})`);
    if (!Number.isInteger(minAvailable) || minAvailable < 0 || minAvailable >= replicas) {
      throw new Error(`ingress-nginx: PDB minAvailable must be an integer from 0 to replicas - 1 = ${replicas - 1} (got ${minAvailable}); otherwise node drains block forever`);
    }
    const identity = props.identity;
    const labels = identity.labels;

    this.rbac = new ServiceAccountWithRbac(this, 'rbac', {
      name: NAMES.controllerAccount,
      namespace: NAMESPACE,
      labels,
      roleRules: CONTROLLER_ROLE_RULES,
      clusterRoleRules: CONTROLLER_CLUSTER_ROLE_RULES,
    });

    this.configMap = new k8s.KubeConfigMap(this, 'config', {
      metadata: { name: NAMES.controller, namespace: NAMESPACE, labels: { ...labels } },
      data: { ...props.config },
    });

    // Written by the certgen Job at install time; never in git.
    const webhookCert = kplus.Volume.fromSecret(this, 'webhook-cert',
      kplus.Secret.fromSecretName(this, 'webhook-cert-secret', NAMES.admission), { name: 'webhook-cert' });

    const httpGetHealthz = (failureThreshold: number): kplus.Probe => kplus.Probe.fromHttpGet('/healthz', {
      port: PORTS.metrics,
      initialDelaySeconds: Duration.seconds(10),
      periodSeconds: Duration.seconds(10),
      timeoutSeconds: Duration.seconds(1),
      successThreshold: 1,
      failureThreshold,
    });

    this.deployment = new kplus.Deployment(this, 'deployment', {
      metadata: { name: NAMES.controller, namespace: NAMESPACE, labels: { ...labels } },
      replicas,
      select: false,
      podMetadata: { labels: { ...labels }, annotations: prometheusScrapeAnnotations(PORTS.metrics) },
      strategy: kplus.DeploymentStrategy.rollingUpdate({ maxUnavailable: kplus.PercentOrAbsolute.absolute(1) }),
      serviceAccount: this.rbac.serviceAccount,
      automountServiceAccountToken: true,
      securityContext: restrictedPod(CONTROLLER_UID, { group: CONTROLLER_GID, fsGroup: CONTROLLER_GID }),
      // Upstream: /wait-shutdown lets nginx finish in-flight requests (worker-shutdown-timeout 240s) before exit.
      terminationGracePeriod: Duration.seconds(300),
      containers: [{
        name: 'controller',
        image: image(IMAGES['ingress-nginx'].controller),
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        args: [
          '/nginx-ingress-controller',
          `--publish-service=$(POD_NAMESPACE)/${NAMES.controller}`,
          `--election-id=${NAMES.electionId}`,
          `--controller-class=${CONTROLLER_CLASS}`,
          `--ingress-class=${INGRESS_CLASS}`,
          `--configmap=$(POD_NAMESPACE)/${NAMES.controller}`,
          `--validating-webhook=:${PORTS.webhook}`,
          `--validating-webhook-certificate=${WEBHOOK_CERT_DIR}/cert`,
          `--validating-webhook-key=${WEBHOOK_CERT_DIR}/key`,
          // The default, made explicit: Prometheus scrapes /metrics on the status port.
          '--enable-metrics=true',
        ],
        envVariables: {
          POD_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME),
          POD_NAMESPACE: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAMESPACE),
          LD_PRELOAD: kplus.EnvValue.fromValue('/usr/local/lib/libmimalloc.so'),
        },
        ports: [
          { name: 'http', number: PORTS.http, protocol: kplus.Protocol.TCP },
          { name: 'https', number: PORTS.https, protocol: kplus.Protocol.TCP },
          { name: 'webhook', number: PORTS.webhook, protocol: kplus.Protocol.TCP },
          { name: 'metrics', number: PORTS.metrics, protocol: kplus.Protocol.TCP },
        ],
        liveness: httpGetHealthz(5),
        readiness: httpGetHealthz(3),
        lifecycle: { preStop: kplus.Handler.fromCommand(['/wait-shutdown']) },
        resources: containerResources(props.resources ?? DEFAULT_CONTROLLER_RESOURCES),
        securityContext: restrictedContainer({
          user: CONTROLLER_UID,
          group: CONTROLLER_GID,
          readOnlyRootFilesystem: false,
          capabilities: { drop: [kplus.Capability.ALL], add: [kplus.Capability.NET_BIND_SERVICE] },
        }),
        volumeMounts: [{ path: WEBHOOK_CERT_DIR, volume: webhookCert, readOnly: true }],
      }],
    });
    selectByIdentity(this.deployment, identity);
    Placement.core(ctx).applyTo(this.deployment);
    // Preferred, not required: with fewer core nodes (or zones) than replicas, or during a node outage, a
    // co-located replica still serves traffic, whereas a required rule would leave it Pending.
    const controllerPods = kplus.Pods.select(this, 'controller-pods', { labels: { ...identity.selectorLabels } });
    this.deployment.scheduling.separate(controllerPods, { topology: kplus.Topology.HOSTNAME, weight: 100 });
    this.deployment.scheduling.separate(controllerPods, { topology: kplus.Topology.ZONE, weight: 50 });
    policyException(this.deployment, 'read-only-root-fs',
      'the controller rewrites /etc/nginx/nginx.conf and keeps Lua/temp state under /etc/nginx and /tmp at every reload; upstream sets readOnlyRootFilesystem: false');

    this.podDisruptionBudget = new k8s.KubePodDisruptionBudget(this, 'pdb', {
      metadata: { name: NAMES.controller, namespace: NAMESPACE, labels: { ...labels } },
      spec: {
        minAvailable: k8s.IntOrString.fromNumber(minAvailable),
        selector: { matchLabels: { ...identity.selectorLabels } },
      },
    });
  }
}
