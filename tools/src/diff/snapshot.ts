import { existsSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { UserError } from '../errors';
import { listFiles } from '../synth/output';
import type { Workspace } from '../workspace';
import { assertGitRepository, blobId, listTree, readBlobs, resolveCommit } from './git';
import { DistObject, isObjectFile, parseDistFile } from './objects';

/** Both sides of a diff: dist/ at a git revision and dist/ in the working tree, as objects. */
export interface DistSides {
  /** The revision as given (e.g. "origin/main"). */
  readonly baseRef: string;
  /** The commit it names. */
  readonly baseCommit: string;
  /** Objects at the base revision, except those in files identical on both sides. */
  readonly base: readonly DistObject[];
  /** Objects in the working tree, except those in files identical on both sides. */
  readonly head: readonly DistObject[];
  /** Environments present on either side (after the --env filter), sorted. */
  readonly environments: readonly string[];
  /** Object files compared (on either side), identical ones included. */
  readonly files: number;
}

function envOf(path: string): string {
  const slash = path.indexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

function selected(path: string, envs: readonly string[] | undefined): boolean {
  return isObjectFile(path) && path.includes('/') && (!envs || envs.includes(envOf(path)));
}

/**
 * Reads dist/ at `ref` from git objects (no checkout: `git ls-tree` + one `git cat-file --batch`) and dist/ in
 * the working tree. Files with the same path and content on both sides are left out of both (they cannot
 * contribute a change), so only changed, moved, added and removed files are parsed.
 */
export async function loadDistSides(ws: Workspace, ref: string, envs?: readonly string[]): Promise<DistSides> {
  assertGitRepository(ws.root);
  const baseCommit = resolveCommit(ws.root, ref);
  const distRel = relative(ws.root, ws.distDir).split(sep).join('/');
  if (!distRel || distRel.startsWith('..')) {
    throw new UserError(`${ws.distDir} is not inside the repository ${ws.root}; diff reads its base from git`);
  }

  const allBase = listTree(ws.root, baseCommit, distRel)
    .map((e) => ({ path: e.path.startsWith(`${distRel}/`) ? e.path.slice(distRel.length + 1) : e.path, oid: e.oid }))
    .filter((e) => selected(e.path, undefined));
  const allHead = listFiles(ws.distDir).map((p) => p.split(sep).join('/')).filter((p) => selected(p, undefined));
  const available = [...new Set([...allBase.map((e) => envOf(e.path)), ...allHead.map(envOf)])].sort();
  for (const env of envs ?? []) {
    if (!available.includes(env)) {
      throw new UserError(`--env ${env}: no ${distRel}/${env}/ at ${ref} nor in the working tree; environments: ${available.join(', ') || '(none)'}`);
    }
  }
  const baseEntries = allBase.filter((e) => selected(e.path, envs));
  const headPaths = allHead.filter((p) => selected(p, envs));
  const environments = available.filter((env) => !envs || envs.includes(env));

  const oidLength = baseEntries[0]?.oid.length ?? 40;
  const baseByPath = new Map(baseEntries.map((e) => [e.path, e.oid]));
  const identical = new Set<string>();
  const head: DistObject[] = [];
  for (const path of headPaths) {
    const content = readFileSync(join(ws.distDir, path));
    const oid = baseByPath.get(path);
    if (oid !== undefined && oid === blobId(content, oidLength)) {
      identical.add(path);
      continue;
    }
    head.push(...parseDistFile(path, content.toString('utf8'), 'working tree'));
  }

  const toRead = baseEntries.filter((e) => !identical.has(e.path));
  const blobs = await readBlobs(ws.root, toRead.map((e) => e.oid));
  const base: DistObject[] = [];
  for (const entry of toRead) {
    base.push(...parseDistFile(entry.path, blobs.get(entry.oid)!.toString('utf8'), ref));
  }
  const files = new Set([...baseEntries.map((e) => e.path), ...headPaths]).size;
  return { baseRef: ref, baseCommit, base, head, environments, files };
}

/** Every object of dist/<env>/ in the working tree (what `preview` sends to the cluster). */
export function readEnvironment(ws: Workspace, env: string): DistObject[] {
  const dir = join(ws.distDir, env);
  if (!existsSync(dir)) {
    throw new UserError(`no ${ws.rel(dir)}/ (run "npm run synth" first, or pick another --env)`);
  }
  const objects: DistObject[] = [];
  for (const file of listFiles(dir)) {
    const path = `${env}/${file.split(sep).join('/')}`;
    if (!isObjectFile(path)) continue;
    objects.push(...parseDistFile(path, readFileSync(join(dir, file), 'utf8'), 'working tree'));
  }
  return objects;
}
