import { defineAddon } from '@platform/charts';
import { Dashboards } from './dashboards';
import { settings } from './settings';

export * from './access';
export * from './dashboards';
export * from './kube-ops-view';
export * from './kubernetes-dashboard';
export * from './names';
export * from './rbac';
export * from './settings';
export * from './weave-scope';

export default defineAddon({
  name: 'dashboards',
  description: 'kubernetes-dashboard (read-only), kube-ops-view, weave-scope',
  settings,
  // Its Ingresses need the nginx IngressClass and pass the controller's admission webhook (which fails closed).
  dependsOn: ['ingress-nginx'],
  render(scope, ctx, s) {
    new Dashboards(scope, 'dashboards', ctx, s);
  },
});
