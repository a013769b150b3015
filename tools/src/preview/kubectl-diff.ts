import type { DistObject } from '../diff/objects';

/** One object in `kubectl diff` output: what the server-side dry-run apply would do to it. */
export interface LiveChange {
  /** kubectl's name for it: `[group.]version.Kind.namespace.name`, e.g. "apps.v1.Deployment.shop.web". */
  readonly name: string;
  /** create: the object does not exist in the cluster; update: it exists and would change. */
  readonly action: 'create' | 'update';
  /** The unified diff hunks (live → merged), without kubectl's temp-file headers. */
  readonly diff: string;
}

/** The file name kubectl diff gives an object: `[group.]version.Kind.namespace.name`. */
export function kubectlDiffName(o: Pick<DistObject, 'group' | 'version' | 'kind' | 'namespace' | 'name'>): string {
  return `${o.group ? `${o.group}.` : ''}${o.version}.${o.kind}.${o.namespace ?? ''}.${o.name}`;
}

/** Best-effort split of kubectl's name when it matches no object we sent (e.g. a defaulted namespace). */
export function parseKubectlDiffName(name: string): { group: string; version: string; kind: string; namespace: string; name: string } | undefined {
  const m = /^(?:(.+)\.)?(v\d+(?:(?:alpha|beta)\d+)?)\.([A-Z][A-Za-z0-9]*)\.([a-z0-9-]*)\.(.+)$/.exec(name);
  if (!m) return undefined;
  return { group: m[1] ?? '', version: m[2], kind: m[3], namespace: m[4], name: m[5] };
}

/**
 * Splits `kubectl diff` output (kubectl runs `diff -u -N LIVE-dir/<name> MERGED-dir/<name>` per object) into
 * one entry per object. An object whose live side is empty (`@@ -0,0 ...`) would be created.
 */
export function parseKubectlDiff(stdout: string): LiveChange[] {
  const changes: LiveChange[] = [];
  let current: { name: string; lines: string[] } | undefined;
  const flush = () => {
    if (!current) return;
    const hunks = current.lines.filter((l, i) => !(i < 2 && (l.startsWith('--- ') || l.startsWith('+++ '))));
    while (hunks.length && hunks[hunks.length - 1] === '') hunks.pop();
    const firstHunk = hunks.find((l) => l.startsWith('@@'));
    changes.push({ name: current.name, action: firstHunk?.startsWith('@@ -0,0 ') ? 'create' : 'update', diff: hunks.join('\n') });
  };
  for (const line of stdout.split('\n')) {
    const header = /^diff (?:-[-\w]+ )*(\S+) (\S+)$/.exec(line);
    if (header) {
      flush();
      const live = header[1];
      current = { name: live.slice(live.lastIndexOf('/') + 1), lines: [] };
      continue;
    }
    current?.lines.push(line);
  }
  flush();
  return changes;
}
