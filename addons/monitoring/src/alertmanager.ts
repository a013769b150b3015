import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import {
  AppIdentity, Placement, PlatformContext, Resources, containerResources, prometheusScrapeAnnotations,
  restrictedContainer, restrictedPod, selectByIdentity, serviceSelects,
} from '@platform/charts';
import { Construct } from 'constructs';
import { IMAGES, image, versionOf } from '../../versions';
import { SECRETS_DIR, alertmanagerConfig, receiverSecretNames } from './alertmanager-config';
import { checksum, configYaml } from './config-files';
import { MONITORING } from './endpoints';
import { Receiver, Route } from './settings';
import { UiExposure, UiIngress } from './ui-ingress';
import {
  governingService, podDisruptionBudget, publishNotReadyAddresses, spreadOverNodes,
} from './workload-extras';

/** UID/GID of `nobody`, the user the Alertmanager image runs as. */
const ALERTMANAGER_UID = 65534;
const CONFIG_DIR = '/etc/alertmanager/config';
const DATA_DIR = '/alertmanager';
/** Volume names the pod uses itself; a receiver Secret cannot be called like one of them. */
const RESERVED_VOLUMES = ['config', 'data'];

export interface AlertmanagerProps {
  readonly namespace: string;
  /** Replicas gossip on :9094 to share silences and de-duplicate notifications. @default 1 */
  readonly replicas?: number;
  /** Notification targets; their credentials are Secret references. @default [] */
  readonly receivers?: readonly Receiver[];
  /** Routes, in order. @default [] */
  readonly routes?: readonly Route[];
  /** Receiver of alerts no route matches. @default - dropped ("null" receiver) */
  readonly defaultReceiver?: string;
  readonly resources: Resources;
  /** Publish the UI through an authenticated Ingress. @default - ClusterIP only (kubectl port-forward) */
  readonly ui?: UiExposure;
}

/**
 * Alertmanager as a StatefulSet: replicas need stable DNS names to find their gossip peers
 * (`alertmanager-<n>.alertmanager-cluster`), which a Deployment cannot give. State (silences, notification log)
 * lives in an emptyDir and is re-synced from the peers after a restart. The configuration is a ConfigMap (it
 * holds no credential: receivers read theirs from mounted Secrets through `*_file` fields); a change rolls the
 * pods through a checksum annotation, one at a time.
 */
export class Alertmanager extends Construct {
  readonly identity: AppIdentity;
  readonly serviceAccount: kplus.ServiceAccount;
  readonly config: kplus.ConfigMap;
  readonly statefulSet: kplus.StatefulSet;
  /** ClusterIP Service of the API/UI (port-forward to it; Prometheus discovers the pods through its endpoints). */
  readonly service: kplus.Service;
  /** Governing Service: stable peer names for the gossip cluster. */
  readonly clusterService: kplus.Service;
  readonly podDisruptionBudget?: k8s.KubePodDisruptionBudget;
  readonly ingress?: UiIngress;

  constructor(scope: Construct, id: string, ctx: PlatformContext, props: AlertmanagerProps) {
    super(scope, id);
    const replicas = props.replicas ?? 1;
    const receivers = props.receivers ?? [];
    const { namespace } = props;
    const { port, clusterPort, clusterService } = MONITORING.alertmanager;
    const secretNames = receiverSecretNames(receivers);
    const clash = secretNames.find((name) => RESERVED_VOLUMES.includes(name));
    if (clash) throw new Error(`alertmanager: a receiver Secret cannot be named "${clash}" (reserved volume names: ${RESERVED_VOLUMES.join(', ')})`);

    const ref = IMAGES.monitoring.alertmanager;
    this.identity = new AppIdentity({ name: 'alertmanager', component: 'alert-router', partOf: 'monitoring', environment: ctx.environment, version: versionOf(ref) });
    const labels = this.identity.labels;

    this.serviceAccount = new kplus.ServiceAccount(this, 'service-account', {
      metadata: { name: 'alertmanager', namespace, labels },
      automountToken: false,
    });

    const configText = configYaml(
      alertmanagerConfig({ receivers, routes: props.routes ?? [], defaultReceiver: props.defaultReceiver }),
      `Alertmanager configuration, rendered by platformctl from addons/monitoring.\nCredentials are files under ${SECRETS_DIR}/<secret>/<key>, mounted from Secrets that are not in git.`,
    );
    this.config = new kplus.ConfigMap(this, 'config', {
      metadata: { name: 'alertmanager-config', namespace, labels },
      data: { 'alertmanager.yml': configText },
    });

    this.clusterService = new kplus.Service(this, 'cluster-service', {
      metadata: { name: clusterService, namespace, labels },
      clusterIP: 'None',
      ports: [
        { name: 'cluster-tcp', port: clusterPort, targetPort: clusterPort, protocol: kplus.Protocol.TCP },
        { name: 'cluster-udp', port: clusterPort, targetPort: clusterPort, protocol: kplus.Protocol.UDP },
      ],
    });
    publishNotReadyAddresses(this.clusterService);

    const peers = Array.from({ length: replicas }, (_, i) => `--cluster.peer=alertmanager-${i}.${clusterService}.${namespace}.svc:${clusterPort}`);
    const clusterArgs = replicas > 1
      ? [
        `--cluster.listen-address=[$(POD_IP)]:${clusterPort}`,
        // Explicit: Alertmanager refuses to guess an advertise address outside RFC 1918 (e.g. 100.64/10 pod CIDRs).
        `--cluster.advertise-address=[$(POD_IP)]:${clusterPort}`,
        '--cluster.reconnect-timeout=5m',
        ...peers,
      ]
      // A single replica has no peer: gossip off, as the operator does.
      : ['--cluster.listen-address='];

    this.statefulSet = new kplus.StatefulSet(this, 'statefulset', {
      metadata: { name: 'alertmanager', namespace, labels },
      replicas,
      service: this.clusterService,
      podManagementPolicy: kplus.PodManagementPolicy.PARALLEL,
      select: false,
      podMetadata: {
        labels,
        annotations: { ...prometheusScrapeAnnotations(port), 'checksum/config': checksum(configText) },
      },
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: false,
      securityContext: restrictedPod(ALERTMANAGER_UID),
      containers: [{
        name: 'alertmanager',
        image: image(ref),
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        args: [
          `--config.file=${CONFIG_DIR}/alertmanager.yml`,
          `--storage.path=${DATA_DIR}`,
          `--web.listen-address=:${port}`,
          // Links in notifications (silence, alert) point where users can open them.
          ...(props.ui ? [`--web.external-url=${UiIngress.url(ctx, props.ui.subdomain)}`, '--web.route-prefix=/'] : []),
          ...clusterArgs,
        ],
        envVariables: { POD_IP: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_IP) },
        ports: [
          { name: 'http', number: port },
          { name: 'cluster-tcp', number: clusterPort, protocol: kplus.Protocol.TCP },
          { name: 'cluster-udp', number: clusterPort, protocol: kplus.Protocol.UDP },
        ],
        securityContext: restrictedContainer(),
        resources: containerResources(props.resources),
        startup: kplus.Probe.fromHttpGet('/-/ready', { port, periodSeconds: Duration.seconds(5), failureThreshold: 24 }),
        readiness: kplus.Probe.fromHttpGet('/-/ready', { port, periodSeconds: Duration.seconds(10), timeoutSeconds: Duration.seconds(3), failureThreshold: 3 }),
        liveness: kplus.Probe.fromHttpGet('/-/healthy', { port, periodSeconds: Duration.seconds(10), timeoutSeconds: Duration.seconds(3), failureThreshold: 6 }),
        volumeMounts: [
          { path: CONFIG_DIR, volume: kplus.Volume.fromConfigMap(this, 'config-volume', this.config, { name: 'config' }), readOnly: true },
          { path: DATA_DIR, volume: kplus.Volume.fromEmptyDir(this, 'data-volume', 'data') },
          ...secretNames.map((name) => ({
            path: `${SECRETS_DIR}/${name}`,
            volume: kplus.Volume.fromSecret(this, `secret-${name}`, kplus.Secret.fromSecretName(this, `secret-ref-${name}`, name), { name }),
            readOnly: true,
          })),
        ],
      }],
    });
    selectByIdentity(this.statefulSet, this.identity);
    governingService(this.clusterService, this.identity);
    Placement.core(ctx).applyTo(this.statefulSet);

    this.service = new kplus.Service(this, 'service', {
      metadata: { name: MONITORING.alertmanager.service, namespace, labels },
      ports: [{ name: 'http', port, targetPort: port }],
    });
    serviceSelects(this.service, this.identity);

    if (props.ui) {
      this.ingress = new UiIngress(this, 'ui', ctx, { ...props.ui, name: MONITORING.alertmanager.service, namespace, servicePort: port, labels });
    }
    if (replicas > 1) {
      spreadOverNodes(this, this.statefulSet, this.identity);
      this.podDisruptionBudget = podDisruptionBudget(this, namespace, this.identity);
    }
  }
}
