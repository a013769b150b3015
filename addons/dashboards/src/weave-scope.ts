import { ApiObject, Duration, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  AppIdentity, KUBE_API_PORTS, NONROOT_UID, NetworkPolicy, PEERS, Placement, PlatformContext, Resources, containerResources,
  policyException, restrictedContainer, restrictedPod, selectByIdentity,
} from '@platform/charts';
import { IMAGES, image, versionOf } from '../../versions';
import { ADDON } from './names';
import { WEAVE_SCOPE_CLUSTER_RULES } from './rbac';
import { clusterIpService, clusterRoleWithBinding, coreDeployment, serviceAccount } from './workload';

export const WEAVE_SCOPE_NAMES = {
  app: 'weave-scope-app',
  agent: 'weave-scope-agent',
  clusterAgent: 'weave-scope-cluster-agent',
  /** ServiceAccount and ClusterRole of the cluster agent (the only part that reads the API). */
  account: 'weave-scope',
} as const;

const APP_PORT = 4040;
const SCOPE_BINARY = '/home/weave/scope';

/**
 * Flags every probe gets: no controls (upstream's UI can exec into any container, open a shell on any node,
 * delete pods and scale deployments through the probes: switched off, the UI only shows), no command lines of
 * processes in the UI (they carry passwords more often than they should; environment variables are omitted by
 * default), no plugins (upstream mounts a hostPath plugin directory for them), no Weave Net integration (we run none).
 */
export const PROBE_HARDENING_ARGS = ['--probe.no-controls=true', '--probe.omit.cmd-args=true', '--probe.plugins.root=', '--weave=false'] as const;

export interface WeaveScopeProps {
  readonly namespace: string;
  /** Addresses the agents send from (their nodes: hostNetwork). */
  readonly agentSourceCidrs: readonly string[];
  /** CRI socket path on the nodes. */
  readonly criSocket: string;
  readonly appResources: Resources;
  readonly agentResources: Resources;
  readonly clusterAgentResources: Resources;
}

/**
 * weave-scope 1.13.2 (upstream examples/k8s): the app, a probe on every node (host access: declared exceptions)
 * and the cluster probe that reads the Kubernetes API, read-only. Never behind an Ingress: reach the app with
 * `kubectl -n weave-scope port-forward svc/weave-scope-app 4040:80`.
 */
export class WeaveScope extends Construct {
  readonly appIdentity: AppIdentity;
  readonly agentIdentity: AppIdentity;
  readonly clusterAgentIdentity: AppIdentity;
  readonly app: kplus.Deployment;
  readonly agent: kplus.DaemonSet;
  readonly clusterAgent: kplus.Deployment;

  constructor(scope: Construct, id: string, ctx: PlatformContext, props: WeaveScopeProps) {
    super(scope, id);
    const namespace = props.namespace;
    const version = versionOf(IMAGES.dashboards.weaveScope);
    const identity = (component: string) => new AppIdentity({ name: 'weave-scope', component, partOf: ADDON, environment: ctx.environment, version });
    this.appIdentity = identity('app');
    this.agentIdentity = identity('agent');
    this.clusterAgentIdentity = identity('cluster-agent');
    const appTarget = `${WEAVE_SCOPE_NAMES.app}.${namespace}.svc.cluster.local.:80`;

    // The app only receives reports and serves the UI: the scope binary directly (upstream starts it as root
    // through a runit entrypoint that writes to /etc), non-root with a read-only root filesystem.
    const appHttp = kplus.Probe.fromHttpGet('/api', { port: APP_PORT, initialDelaySeconds: Duration.seconds(5), timeoutSeconds: Duration.seconds(5) });
    this.app = coreDeployment(this, 'app', ctx, {
      name: WEAVE_SCOPE_NAMES.app,
      namespace,
      identity: this.appIdentity,
      securityContext: restrictedPod(NONROOT_UID),
      containers: [{
        name: 'app',
        image: image(IMAGES.dashboards.weaveScope),
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        command: [SCOPE_BINARY],
        args: ['--mode=app', '--weave=false', `--app.http.address=:${APP_PORT}`],
        ports: [{ name: 'http', number: APP_PORT, protocol: kplus.Protocol.TCP }],
        readiness: appHttp,
        liveness: appHttp,
        resources: containerResources(props.appResources),
        securityContext: restrictedContainer(),
        volumeMounts: [{ path: '/tmp', volume: kplus.Volume.fromEmptyDir(this, 'app-tmp', 'tmp') }],
      }],
    });
    clusterIpService(this, 'app-service', { name: WEAVE_SCOPE_NAMES.app, namespace, identity: this.appIdentity, port: 80, targetPort: APP_PORT, portName: 'app' });

    // The node probe: processes, connections (conntrack/eBPF) and containers of its node. That is host access by
    // design; it reads no Kubernetes API (role "host"), so it gets no ServiceAccount token.
    const criSocket = kplus.Volume.fromHostPath(this, 'cri-socket', 'cri-socket', { path: props.criSocket });
    const kernelDebug = kplus.Volume.fromHostPath(this, 'sys-kernel-debug', 'sys-kernel-debug', { path: '/sys/kernel/debug' });
    this.agent = new kplus.DaemonSet(this, 'agent', {
      metadata: { name: WEAVE_SCOPE_NAMES.agent, namespace, labels: { ...this.agentIdentity.labels } },
      select: false,
      podMetadata: { labels: { ...this.agentIdentity.labels } },
      minReadySeconds: 5,
      automountServiceAccountToken: false,
      hostNetwork: true,
      dns: { policy: kplus.DnsPolicy.CLUSTER_FIRST_WITH_HOST_NET },
      securityContext: { ensureNonRoot: false, user: 0 },
      containers: [{
        name: 'scope-agent',
        image: image(IMAGES.dashboards.weaveScope),
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        command: [SCOPE_BINARY],
        args: [
          '--mode=probe',
          '--probe-only',
          '--probe.kubernetes.role=host',
          // Nodes run containerd: Docker is gone with dockershim (Kubernetes 1.24); containers come from the CRI.
          '--probe.docker=false',
          '--probe.cri=true',
          `--probe.cri.endpoint=unix://${props.criSocket}`,
          ...PROBE_HARDENING_ARGS,
          appTarget,
        ],
        envVariables: { SCOPE_HOSTNAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.NODE_NAME) },
        resources: containerResources(props.agentResources),
        securityContext: { ensureNonRoot: false, user: 0, privileged: true, allowPrivilegeEscalation: true, readOnlyRootFilesystem: false },
        volumeMounts: [
          { path: props.criSocket, volume: criSocket },
          { path: '/sys/kernel/debug', volume: kernelDebug },
        ],
      }],
    });
    selectByIdentity(this.agent, this.agentIdentity);
    Placement.everywhere().applyTo(this.agent);
    // cdk8s-plus has no hostPID. JSON patches run before the L1 maps its camelCase props to API names: `hostPid`.
    ApiObject.of(this.agent).addJsonPatch(JsonPatch.add('/spec/template/spec/hostPid', true));
    policyException(this.agent, 'host-access',
      'weave-scope node probe: hostPID and hostNetwork to map every process and connection of the node, privileged for conntrack/eBPF (/sys/kernel/debug), the CRI socket (hostPath) for container metadata; controls are off (--probe.no-controls)');
    policyException(this.agent, 'run-as-non-root', 'the node probe reads /proc of every process and the CRI socket, which needs root');
    policyException(this.agent, 'no-privilege-escalation', 'privileged container (see host-access): privilege escalation cannot be disabled for it');
    policyException(this.agent, 'drop-capabilities', 'privileged container (see host-access): it holds all capabilities');
    policyException(this.agent, 'read-only-root-fs', 'kept as upstream (no securityContext but privileged): a privileged container can remount anything, so a read-only root filesystem would add no protection');
    policyException(this.agent, 'probes', 'the scope probe serves no health endpoint (its HTTP listener is off unless DEBUG); the kubelet restarts it when it exits');

    // The cluster probe: Deployments, Services and the like from the API server; no host access at all
    // (upstream mounts the hostPath plugin directory into it, dropped with the plugins).
    const clusterAccount = serviceAccount(this, 'service-account', WEAVE_SCOPE_NAMES.account, namespace, this.clusterAgentIdentity.labels);
    clusterRoleWithBinding(this, 'rbac', {
      name: WEAVE_SCOPE_NAMES.account,
      labels: this.clusterAgentIdentity.labels,
      rules: WEAVE_SCOPE_CLUSTER_RULES,
      subjects: [{ kind: 'ServiceAccount', name: WEAVE_SCOPE_NAMES.account, namespace }],
    });
    this.clusterAgent = coreDeployment(this, 'cluster-agent', ctx, {
      name: WEAVE_SCOPE_NAMES.clusterAgent,
      namespace,
      identity: this.clusterAgentIdentity,
      serviceAccount: clusterAccount,
      securityContext: restrictedPod(NONROOT_UID),
      containers: [{
        name: 'scope-cluster-agent',
        image: image(IMAGES.dashboards.weaveScope),
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        command: [SCOPE_BINARY],
        args: ['--mode=probe', '--probe-only', '--probe.kubernetes.role=cluster', ...PROBE_HARDENING_ARGS, appTarget],
        resources: containerResources(props.clusterAgentResources),
        securityContext: restrictedContainer(),
        volumeMounts: [{ path: '/tmp', volume: kplus.Volume.fromEmptyDir(this, 'cluster-agent-tmp', 'tmp') }],
      }],
    });
    policyException(this.clusterAgent, 'probes', 'the scope probe serves no health endpoint (its HTTP listener is off unless DEBUG); the kubelet restarts it when it exits');

    const labels = this.appIdentity.labels;
    new NetworkPolicy(this, 'app-policy', {
      name: WEAVE_SCOPE_NAMES.app,
      namespace,
      podLabels: this.appIdentity.selectorLabels,
      labels,
      ingress: [
        // Node probes run in the host network: they arrive from node addresses, which no pod selector matches.
        { peers: props.agentSourceCidrs.map((cidr) => ({ cidr })), ports: [{ port: APP_PORT }] },
        { peers: [{ podLabels: this.clusterAgentIdentity.selectorLabels }], ports: [{ port: APP_PORT }] },
      ],
      egress: [],
    });
    new NetworkPolicy(this, 'cluster-agent-policy', {
      name: WEAVE_SCOPE_NAMES.clusterAgent,
      namespace,
      podLabels: this.clusterAgentIdentity.selectorLabels,
      labels: this.clusterAgentIdentity.labels,
      ingress: [],
      egress: [
        { peers: [PEERS.kubeApi], ports: KUBE_API_PORTS },
        { peers: [{ podLabels: this.appIdentity.selectorLabels }], ports: [{ port: APP_PORT }] },
      ],
    });
    // The node probes are hostNetwork pods: network policies do not apply to them (CNI-dependent, mostly not).
  }
}
