import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { LABELS, NetworkPolicy, PlatformContext } from '@platform/charts';
import { KubeOpsView } from './kube-ops-view';
import { KubernetesDashboard } from './kubernetes-dashboard';
import { ADDON, DASHBOARDS_NAMESPACE, WEAVE_SCOPE_NAMESPACE, podSecurityLabels } from './names';
import { DashboardsSettings } from './settings';
import { WeaveScope } from './weave-scope';

/** A namespace of the add-on with its Pod Security level, default-deny and DNS policies. */
function addonNamespace(scope: Construct, ctx: PlatformContext, name: string, level: 'restricted' | 'privileged'): kplus.Namespace {
  const labels = { [LABELS.partOf]: ADDON, [LABELS.environment]: ctx.environment };
  const namespace = new kplus.Namespace(scope, `namespace-${name}`, { metadata: { name, labels: { ...labels, ...podSecurityLabels(level) } } });
  NetworkPolicy.defaultDeny(scope, name, labels);
  NetworkPolicy.allowDns(scope, name, labels);
  return namespace;
}

/**
 * Cluster dashboards, each optional: kubernetes-dashboard (read-only for its users) and kube-ops-view in namespace
 * `dashboards` (PSS restricted); weave-scope, whose node probe needs host access, alone in `weave-scope` (PSS
 * privileged). A disabled tool renders nothing, and a namespace nobody uses is not rendered either.
 */
export class Dashboards extends Construct {
  readonly kubernetesDashboard?: KubernetesDashboard;
  readonly kubeOpsView?: KubeOpsView;
  readonly weaveScope?: WeaveScope;

  constructor(scope: Construct, id: string, ctx: PlatformContext, settings: DashboardsSettings) {
    super(scope, id);
    const dashboard = settings.kubernetesDashboard;
    const opsView = settings.kubeOpsView;
    const weaveScope = settings.weaveScope;

    if (dashboard.enabled || opsView.enabled) addonNamespace(this, ctx, DASHBOARDS_NAMESPACE, 'restricted');
    if (dashboard.enabled) {
      this.kubernetesDashboard = new KubernetesDashboard(this, 'kubernetes-dashboard', ctx, {
        namespace: DASHBOARDS_NAMESPACE,
        viewerGroup: dashboard.viewerGroup,
        expose: dashboard.expose,
        subdomain: dashboard.subdomain,
        auth: settings.auth,
        resources: dashboard.resources,
        metricsScraperResources: dashboard.metricsScraperResources,
      });
    }
    if (opsView.enabled) {
      this.kubeOpsView = new KubeOpsView(this, 'kube-ops-view', ctx, {
        namespace: DASHBOARDS_NAMESPACE,
        expose: opsView.expose,
        subdomain: opsView.subdomain,
        auth: settings.auth,
        resources: opsView.resources,
        redisResources: opsView.redisResources,
      });
    }

    if (weaveScope.enabled) {
      // privileged: the node probe uses hostPID, hostNetwork, a privileged container and hostPath volumes,
      // which even "baseline" forbids. Nothing else runs in this namespace.
      addonNamespace(this, ctx, WEAVE_SCOPE_NAMESPACE, 'privileged');
      this.weaveScope = new WeaveScope(this, 'weave-scope', ctx, {
        namespace: WEAVE_SCOPE_NAMESPACE,
        agentSourceCidrs: weaveScope.agentSourceCidrs,
        criSocket: weaveScope.criSocket,
        appResources: weaveScope.appResources,
        agentResources: weaveScope.agentResources,
        clusterAgentResources: weaveScope.clusterAgentResources,
      });
    }
  }
}
