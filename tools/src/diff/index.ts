/**
 * `platformctl diff`: what a change does to the rendered clusters. dist/ as committed at a base revision
 * (read from git objects) against dist/ in the working tree, object by object (identity = API group, kind,
 * namespace, name), summarised per environment and component, secrets redacted.
 */
import type { Workspace } from '../workspace';
import { compareSides, DiffReport } from './compare';
import { loadDistSides } from './snapshot';

export * from './compare';
export * from './fields';
export * from './format';
export * from './objects';
export * from './redact';
export * from './snapshot';

export interface DiffOptions {
  /** Git revision to compare with: branch, tag, commit (e.g. "origin/main"). */
  readonly base: string;
  /** Only these environments. @default all */
  readonly envs?: readonly string[];
}

export async function diffDist(ws: Workspace, options: DiffOptions): Promise<DiffReport> {
  return compareSides(await loadDistSides(ws, options.base, options.envs));
}
