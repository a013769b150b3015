import { basename } from 'node:path';
import { loadEnvironment } from '../model/load';
import { Workspace } from '../workspace';

/** What the validation needs to know about an environment. */
export interface EnvironmentInfo {
  readonly name: string;
  /** Minor version the cluster runs, e.g. "1.28" (deprecated/removed APIs depend on it). */
  readonly kubernetesVersion: string;
  /** Every Ingress host is under it. */
  readonly domain: string;
}

/** environments/<name>.ts of a workspace, loaded and validated as the synth does. */
export function loadEnvironmentInfo(ws: Workspace): Map<string, EnvironmentInfo> {
  const addonNames = ws.addonDirs().map((dir) => basename(dir));
  const out = new Map<string, EnvironmentInfo>();
  for (const file of ws.environmentFiles()) {
    const { env } = loadEnvironment(ws, file, addonNames);
    out.set(env.name, { name: env.name, kubernetesVersion: env.cluster.kubernetesVersion, domain: env.domain });
  }
  return out;
}
