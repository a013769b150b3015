import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import {
  AppIdentity, PLATFORM_DOMAIN, Placement, Resources, containerResources, policyException, prometheusScrapeAnnotations,
  restrictedContainer, selectByIdentity,
} from '@platform/charts';
import { IMAGES, image } from '../../versions';
import { AGENT_NAMESPACE, PORTS } from './components';
import { CREDENTIAL_ENV, FLUENTD_CONFIG_DIR, FLUENTD_STATE_DIR, FluentdConfig } from './fluentd-config';
import { SecretCredentials } from './settings';

/** Pod template annotation carrying the config's sha256: a config change rolls the DaemonSet. */
export const CONFIG_HASH_ANNOTATION = `${PLATFORM_DOMAIN}/config-sha256`;

export interface FluentdProps {
  /** Labels of the fluentd component. */
  readonly id: AppIdentity;
  /** The ConfigMap with fluent.conf. */
  readonly config: FluentdConfig;
  /** Requests and limits of the fluentd container. */
  readonly resources: Resources;
  /** Elasticsearch user and password (a Secret in the agent namespace). @default - no credentials */
  readonly credentials?: SecretCredentials;
  /** @default "logging-agent" */
  readonly namespace?: string;
}

/**
 * fluentd on every node: tails the node's container logs (hostPath /var/log, read-only), keeps its positions and
 * its output buffer on the node (hostPath /var/lib/logging-agent), enriches records with pod metadata from the
 * API server (read-only RBAC on pods and namespaces, like upstream's) and ships them to Elasticsearch.
 */
export class Fluentd extends Construct {
  readonly serviceAccount: kplus.ServiceAccount;
  readonly clusterRole: k8s.KubeClusterRole;
  readonly clusterRoleBinding: k8s.KubeClusterRoleBinding;
  readonly daemonSet: kplus.DaemonSet;

  constructor(scope: Construct, id: string, props: FluentdProps) {
    super(scope, id);
    const namespace = props.namespace ?? AGENT_NAMESPACE;
    const labels = props.id.labels;

    this.serviceAccount = new kplus.ServiceAccount(this, 'service-account', {
      metadata: { name: 'fluentd', namespace, labels },
      automountToken: true,
    });
    // The kubernetes_metadata filter looks up and watches the pods whose logs it reads, and their namespaces.
    this.clusterRole = new k8s.KubeClusterRole(this, 'cluster-role', {
      metadata: { name: 'logging-fluentd', labels: { ...labels } },
      rules: [{ apiGroups: [''], resources: ['pods', 'namespaces'], verbs: ['get', 'list', 'watch'] }],
    });
    this.clusterRoleBinding = new k8s.KubeClusterRoleBinding(this, 'cluster-role-binding', {
      metadata: { name: 'logging-fluentd', labels: { ...labels } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: this.clusterRole.name },
      subjects: [{ kind: 'ServiceAccount', name: this.serviceAccount.name, namespace }],
    });

    this.daemonSet = new kplus.DaemonSet(this, 'daemon-set', {
      metadata: { name: 'fluentd', namespace, labels },
      select: false,
      podMetadata: {
        labels,
        annotations: { ...prometheusScrapeAnnotations(PORTS.fluentdMetrics), [CONFIG_HASH_ANNOTATION]: props.config.hash },
      },
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: true,
      terminationGracePeriod: Duration.seconds(30),
      // Root (uid 0) to read the node's log files (root-owned, 0640) and write its state directory; no capabilities.
      securityContext: { ensureNonRoot: false, user: 0, group: 0 },
    });
    const ds = this.daemonSet;
    selectByIdentity(ds, props.id);
    Placement.everywhere().applyTo(ds);

    const varLog = kplus.Volume.fromHostPath(this, 'var-log', 'varlog', { path: '/var/log', type: kplus.HostPathVolumeType.DIRECTORY });
    const state = kplus.Volume.fromHostPath(this, 'state', 'state', { path: FLUENTD_STATE_DIR, type: kplus.HostPathVolumeType.DIRECTORY_OR_CREATE });
    const config = kplus.Volume.fromConfigMap(this, 'config', props.config.configMap, { name: 'config' });
    const tmp = kplus.Volume.fromEmptyDir(this, 'tmp', 'tmp');

    const metricsProbe = (failureThreshold: number, periodSeconds: number): kplus.Probe => kplus.Probe.fromHttpGet('/metrics', {
      port: PORTS.fluentdMetrics,
      periodSeconds: Duration.seconds(periodSeconds),
      timeoutSeconds: Duration.seconds(5),
      failureThreshold,
    });

    const env: Record<string, kplus.EnvValue> = {
      // The entrypoint would `sed -i` the config to drop unset credentials; it is a read-only ConfigMap.
      FLUENT_ELASTICSEARCH_SED_DISABLE: kplus.EnvValue.fromValue('true'),
      // The kubernetes_metadata filter then watches only this node's pods.
      K8S_NODE_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.NODE_NAME),
    };
    if (props.credentials) {
      const secret = kplus.Secret.fromSecretName(this, 'credentials', props.credentials.name);
      env[CREDENTIAL_ENV.username] = kplus.EnvValue.fromSecretValue({ secret, key: props.credentials.usernameKey });
      env[CREDENTIAL_ENV.password] = kplus.EnvValue.fromSecretValue({ secret, key: props.credentials.passwordKey });
    }

    const container = ds.addContainer({
      name: 'fluentd',
      image: image(IMAGES.logging.fluentd),
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      ports: [{ name: 'metrics', number: PORTS.fluentdMetrics }],
      envVariables: env,
      resources: containerResources(props.resources),
      securityContext: restrictedContainer({ ensureNonRoot: false, user: 0, group: 0 }),
      startup: metricsProbe(30, 5),
      liveness: metricsProbe(3, 15),
      readiness: metricsProbe(3, 10),
    });
    container.mount('/var/log', varLog, { readOnly: true });
    container.mount(FLUENTD_STATE_DIR, state);
    container.mount(FLUENTD_CONFIG_DIR, config, { readOnly: true });
    container.mount('/tmp', tmp);

    policyException(ds, 'host-access',
      'node log agent: reads container logs from the node (hostPath /var/log, read-only) and keeps tail positions and its '
      + `output buffer on the node (hostPath ${FLUENTD_STATE_DIR}) so nothing is lost or re-sent when the pod restarts`);
    policyException(ds, 'run-as-non-root',
      'runs as uid 0 (with every capability dropped) because containerd writes the log files as root with mode 0640 and '
      + 'the state directory on the node is root-owned; no non-root uid can read them');
  }
}
