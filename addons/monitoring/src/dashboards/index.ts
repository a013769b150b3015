import { clusterDashboard } from './cluster';
import { deploymentDashboard } from './deployment';
import { Dashboard } from './model';
import { nodeDashboard } from './node';
import { podDashboard } from './pod';

export * from './model';

/** A provisioned dashboard and the short name of its ConfigMap (`grafana-dashboard-<name>`). */
export interface ProvisionedDashboard {
  readonly name: string;
  readonly dashboard: Dashboard;
}

/** Every dashboard Grafana provisions into the "Platform" folder. */
export function platformDashboards(): ProvisionedDashboard[] {
  return [
    { name: 'cluster', dashboard: clusterDashboard() },
    { name: 'node', dashboard: nodeDashboard() },
    { name: 'pod', dashboard: podDashboard() },
    { name: 'deployment', dashboard: deploymentDashboard() },
  ];
}
