/** The add-on's name: app.kubernetes.io/part-of of everything it renders. */
export const ADDON = 'dashboards';

/** kubernetes-dashboard and kube-ops-view: Pod Security Standard "restricted". */
export const DASHBOARDS_NAMESPACE = 'dashboards';

/** weave-scope alone: its node agent needs host access, so this namespace is "privileged". */
export const WEAVE_SCOPE_NAMESPACE = 'weave-scope';

/** Pod Security Standard enforced on a namespace. */
export function podSecurityLabels(level: 'restricted' | 'baseline' | 'privileged'): Record<string, string> {
  return { 'pod-security.kubernetes.io/enforce': level };
}
