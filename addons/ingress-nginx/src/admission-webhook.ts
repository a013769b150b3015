import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  AppIdentity, NONROOT_UID, Placement, PlatformContext, RESOURCE_PRESETS, containerResources, restrictedContainer, restrictedPod,
  selectByIdentity, serviceSelects,
} from '@platform/charts';
import { IMAGES, image } from '../../versions';
import { NAMES, NAMESPACE, PORTS } from './names';
import { ADMISSION_CLUSTER_ROLE_RULES, ADMISSION_ROLE_RULES } from './rbac';
import { ServiceAccountWithRbac } from './service-account';

/**
 * Fail: an Ingress the controller cannot load (bad annotation, duplicate host/path) is rejected before it breaks
 * nginx reloads for every tenant. The price: while no controller pod is ready, Ingress creates/updates are refused
 * cluster-wide, hence several replicas, a PDB and anti-affinity. The patch Job writes the same value.
 */
export const FAILURE_POLICY = 'Fail';

/** The path the controller serves admission reviews on (upstream). */
export const WEBHOOK_PATH = '/networking/v1/ingresses';

/**
 * The certgen Jobs run once and stay (no ttlSecondsAfterFinished): a finished Job that disappeared would be
 * re-created by the GitOps engine at every reconcile. Their pod template is immutable, so each engine is told to
 * re-create them instead of failing when it changes (e.g. a certgen upgrade); both commands are idempotent.
 */
export const JOB_GITOPS_ANNOTATIONS: Readonly<Record<string, string>> = {
  // Argo CD: delete + create on every sync of the add-on (like Helm's pre/post-upgrade hooks).
  'argocd.argoproj.io/sync-options': 'Force=true,Replace=true',
  // Flux: delete + create when the apply fails on an immutable field.
  'kustomize.toolkit.fluxcd.io/force': 'enabled',
};

export interface AdmissionWebhookProps {
  /** The controller pods, which serve the webhook on PORTS.webhook. */
  readonly controller: AppIdentity;
  /** Identity of the certgen Jobs and of the webhook objects. */
  readonly identity: AppIdentity;
}

/**
 * The controller's validating admission webhook, as upstream: a ClusterIP Service in front of the controller's
 * webhook port, the ValidatingWebhookConfiguration, and two kube-webhook-certgen Jobs: `create` makes a CA and
 * serving certificate into Secret `ingress-nginx-admission` (skips if it exists), `patch` writes the CA into the
 * webhook's caBundle. The Secret is created in the cluster, never rendered.
 */
export class AdmissionWebhook extends Construct {
  readonly service: kplus.Service;
  readonly webhook: k8s.KubeValidatingWebhookConfiguration;
  readonly createJob: kplus.Job;
  readonly patchJob: kplus.Job;

  constructor(scope: Construct, id: string, ctx: PlatformContext, props: AdmissionWebhookProps) {
    super(scope, id);
    const labels = props.identity.labels;

    this.service = new kplus.Service(this, 'service', {
      metadata: { name: NAMES.admissionService, namespace: NAMESPACE, labels: { ...props.controller.labels } },
      type: kplus.ServiceType.CLUSTER_IP,
      ports: [{ name: 'https-webhook', port: 443, targetPort: PORTS.webhook }],
    });
    serviceSelects(this.service, props.controller);
    ApiObject.of(this.service).addJsonPatch(
      JsonPatch.add('/spec/ports/0/appProtocol', 'https'),
      JsonPatch.remove('/spec/externalIPs'), // cdk8s-plus renders an empty list
    );

    this.webhook = new k8s.KubeValidatingWebhookConfiguration(this, 'webhook', {
      metadata: { name: NAMES.admission, labels: { ...labels } },
      webhooks: [{
        name: 'validate.nginx.ingress.kubernetes.io',
        admissionReviewVersions: ['v1'],
        // No caBundle here: the patch Job writes it, and neither Argo CD's three-way diff nor Flux's server-side
        // apply touches a field this manifest does not set.
        clientConfig: { service: { name: NAMES.admissionService, namespace: NAMESPACE, path: WEBHOOK_PATH, port: 443 } },
        failurePolicy: FAILURE_POLICY,
        matchPolicy: 'Equivalent',
        rules: [{ apiGroups: ['networking.k8s.io'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['ingresses'] }],
        sideEffects: 'None',
      }],
    });

    const rbac = new ServiceAccountWithRbac(this, 'rbac', {
      name: NAMES.admission,
      namespace: NAMESPACE,
      labels,
      roleRules: ADMISSION_ROLE_RULES,
      clusterRoleRules: ADMISSION_CLUSTER_ROLE_RULES,
    });

    const certgenJob = (command: 'create' | 'patch', args: string[]): kplus.Job => {
      const name = `${NAMES.admission}-${command}`;
      const job = new kplus.Job(this, `${command}-job`, {
        metadata: { name, namespace: NAMESPACE, labels: { ...labels }, annotations: { ...JOB_GITOPS_ANNOTATIONS } },
        podMetadata: { labels: { ...labels } },
        // Retried with backoff: on a first install `patch` may start before the webhook or the Secret exists.
        backoffLimit: 6,
        restartPolicy: kplus.RestartPolicy.ON_FAILURE,
        serviceAccount: rbac.serviceAccount,
        automountServiceAccountToken: true,
        securityContext: restrictedPod(NONROOT_UID),
        containers: [{
          name: command,
          image: image(IMAGES['ingress-nginx'].certgen),
          imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
          args: [command, ...args],
          envVariables: { POD_NAMESPACE: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAMESPACE) },
          resources: containerResources(RESOURCE_PRESETS.small),
          securityContext: restrictedContainer(),
        }],
      });
      selectByIdentity(job, props.identity);
      Placement.core(ctx).applyTo(job);
      return job;
    };

    this.createJob = certgenJob('create', [
      `--host=${NAMES.admissionService},${NAMES.admissionService}.$(POD_NAMESPACE).svc`,
      '--namespace=$(POD_NAMESPACE)',
      `--secret-name=${NAMES.admission}`,
    ]);
    this.patchJob = certgenJob('patch', [
      `--webhook-name=${NAMES.admission}`,
      '--namespace=$(POD_NAMESPACE)',
      '--patch-mutating=false',
      `--secret-name=${NAMES.admission}`,
      `--patch-failure-policy=${FAILURE_POLICY}`,
    ]);
  }
}
