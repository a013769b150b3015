import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AppIdentity, Placement, PlatformContext, selectByIdentity, serviceSelects } from '@platform/charts';

export interface CoreDeploymentProps {
  readonly name: string;
  readonly namespace: string;
  readonly identity: AppIdentity;
  readonly containers: kplus.ContainerProps[];
  readonly securityContext: kplus.PodSecurityContextProps;
  /** Its own ServiceAccount when the pod talks to the API server. @default - none, and no token mounted */
  readonly serviceAccount?: kplus.IServiceAccount;
  /** @default [] */
  readonly volumes?: kplus.Volume[];
}

/** One replica of a platform UI component on core nodes, selected by its identity. */
export function coreDeployment(scope: Construct, id: string, ctx: PlatformContext, props: CoreDeploymentProps): kplus.Deployment {
  const deployment = new kplus.Deployment(scope, id, {
    metadata: { name: props.name, namespace: props.namespace, labels: { ...props.identity.labels } },
    replicas: 1,
    select: false,
    podMetadata: { labels: { ...props.identity.labels } },
    serviceAccount: props.serviceAccount,
    automountServiceAccountToken: props.serviceAccount !== undefined,
    securityContext: props.securityContext,
    containers: props.containers,
    volumes: props.volumes,
  });
  selectByIdentity(deployment, props.identity);
  Placement.core(ctx).applyTo(deployment);
  return deployment;
}

export interface ClusterIpServiceProps {
  readonly name: string;
  readonly namespace: string;
  readonly identity: AppIdentity;
  readonly port: number;
  readonly targetPort: number;
  /** @default "http" */
  readonly portName?: string;
}

/** A ClusterIP Service in front of one component's pods. */
export function clusterIpService(scope: Construct, id: string, props: ClusterIpServiceProps): kplus.Service {
  const service = new kplus.Service(scope, id, {
    metadata: { name: props.name, namespace: props.namespace, labels: { ...props.identity.labels } },
    type: kplus.ServiceType.CLUSTER_IP,
    ports: [{ name: props.portName ?? 'http', port: props.port, targetPort: props.targetPort, protocol: kplus.Protocol.TCP }],
  });
  serviceSelects(service, props.identity);
  ApiObject.of(service).addJsonPatch(JsonPatch.remove('/spec/externalIPs')); // cdk8s-plus renders an empty list
  return service;
}

/** A ServiceAccount for pods that call the API server (the pod spec mounts the token). */
export function serviceAccount(scope: Construct, id: string, name: string, namespace: string, labels: Readonly<Record<string, string>>): kplus.ServiceAccount {
  return new kplus.ServiceAccount(scope, id, { metadata: { name, namespace, labels: { ...labels } }, automountToken: false });
}

/** A ClusterRole and its binding to subjects, under one name. */
export function clusterRoleWithBinding(scope: Construct, id: string, props: {
  name: string; labels: Readonly<Record<string, string>>; rules: readonly k8s.PolicyRule[]; subjects: k8s.Subject[];
}): k8s.KubeClusterRole {
  const metadata = { name: props.name, labels: { ...props.labels } };
  const role = new k8s.KubeClusterRole(scope, `${id}-cluster-role`, { metadata, rules: [...props.rules] });
  new k8s.KubeClusterRoleBinding(scope, `${id}-cluster-role-binding`, {
    metadata,
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: props.name },
    subjects: props.subjects,
  });
  return role;
}
