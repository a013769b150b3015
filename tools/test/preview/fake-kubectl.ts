import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DistObject, parseDistFile } from '../../src/diff/objects';
import { Manifest, toYaml } from '../../src/synth/manifest';

/**
 * One canned answer of the fake kubectl. The first rule whose conditions all hold answers; a `kubectl diff`
 * nobody answers exits 0 (no differences), a `kubectl get` prints an empty List.
 */
export interface FakeRule {
  /** kubectl sub-command: "diff" or "get". */
  readonly command: 'diff' | 'get';
  /** Every string must occur in the YAML on stdin (diff) or in the arguments (get). */
  readonly has?: readonly string[];
  /** None of these may occur. */
  readonly lacks?: readonly string[];
  readonly exit?: number;
  readonly stdout?: string;
  readonly stderr?: string;
  /** For diff: print kubectl's diff output for every object on stdin whose `kind/name` is listed (create if "+"). */
  readonly changed?: readonly string[];
}

export interface FakeCall {
  readonly args: string[];
  readonly stdin: string;
}

/**
 * A stand-in for kubectl that behaves like the real one where the preview cares: `kubectl diff` exits 0 (no
 * differences), 1 (differences, `diff -u -N` output per object named [group.]version.Kind.namespace.name) or
 * 2 (error on stderr); `kubectl get` prints a List. It logs every call (arguments and stdin).
 */
const SCRIPT = `
const fs = require('fs');
const args = process.argv.slice(2);
const stdin = args.includes('-f') ? fs.readFileSync(0, 'utf8') : '';
fs.appendFileSync(LOG, JSON.stringify({ args, stdin }) + '\\n');
const rules = JSON.parse(fs.readFileSync(SCENARIO, 'utf8'));
const command = args.find((a) => a === 'diff' || a === 'get');
const haystack = command === 'diff' ? stdin : args.join(' ');
const rule = rules.find((r) => r.command === command && (r.has || []).every((s) => haystack.includes(s)) && !(r.lacks || []).some((s) => haystack.includes(s)));
if (!rule) {
  if (command === 'get') process.stdout.write(JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [] }));
  process.exit(0);
}
let out = rule.stdout || '';
if (rule.changed) {
  for (const doc of stdin.split(/^---\\n/m)) {
    const field = (re) => (re.exec(doc) || [])[1];
    const apiVersion = field(/^apiVersion: (\\S+)/m);
    const kind = field(/^kind: (\\S+)/m);
    const name = field(/^  name: (\\S+)/m);
    const namespace = field(/^  namespace: (\\S+)/m) || '';
    if (!kind) continue;
    const mark = rule.changed.find((c) => c.replace(/^\\+/, '') === kind + '/' + name);
    if (!mark) continue;
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    const file = (group ? group + '.' : '') + version + '.' + kind + '.' + namespace + '.' + name;
    const create = mark.startsWith('+');
    out += 'diff -u -N /tmp/LIVE-1/' + file + ' /tmp/MERGED-2/' + file + '\\n';
    out += '--- /tmp/LIVE-1/' + file + '\\t2024-01-01 00:00:00.000000000 +0000\\n';
    out += '+++ /tmp/MERGED-2/' + file + '\\t2024-01-01 00:00:00.000000000 +0000\\n';
    out += create
      ? '@@ -0,0 +1,4 @@\\n+apiVersion: ' + apiVersion + '\\n+kind: ' + kind + '\\n+metadata:\\n+  name: ' + name + '\\n'
      : '@@ -1,3 +1,3 @@\\n metadata:\\n-  generation: 1\\n+  generation: 2\\n';
  }
}
process.stdout.write(out);
process.stderr.write(rule.stderr || '');
process.exit(rule.exit === undefined ? (out ? 1 : 0) : rule.exit);
`;

export class FakeKubectl {
  readonly dir: string;
  readonly binary: string;
  private readonly log: string;
  private readonly scenario: string;

  constructor(rules: readonly FakeRule[] = []) {
    this.dir = mkdtempSync(join(tmpdir(), 'fake-kubectl-'));
    this.binary = join(this.dir, 'kubectl');
    this.log = join(this.dir, 'calls.jsonl');
    this.scenario = join(this.dir, 'scenario.json');
    writeFileSync(this.binary, `#!${process.execPath}\nconst LOG = ${JSON.stringify(this.log)};\nconst SCENARIO = ${JSON.stringify(this.scenario)};\n${SCRIPT}`);
    chmodSync(this.binary, 0o755);
    this.setRules(rules);
  }

  setRules(rules: readonly FakeRule[]): void {
    writeFileSync(this.scenario, JSON.stringify(rules));
    writeFileSync(this.log, '');
  }

  calls(): FakeCall[] {
    if (!existsSync(this.log)) return [];
    return readFileSync(this.log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as FakeCall);
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A dist object at `path` (relative to dist/, starting with the environment), as the preview reads it. */
export function distObject(path: string, manifest: Manifest): DistObject {
  return parseDistFile(path, toYaml(manifest), 'test')[0];
}

export function labelled(env: string, unit: string, apiVersion: string, kind: string, name: string, namespace?: string, body: Record<string, unknown> = {}): Manifest {
  return {
    apiVersion,
    kind,
    metadata: {
      name,
      ...(namespace ? { namespace } : {}),
      labels: { 'app.kubernetes.io/managed-by': 'platformctl', 'platform.example.com/environment': env, 'platform.example.com/unit': unit },
    },
    ...body,
  };
}

/** The `kind/name` of every object sent on stdin of one kubectl diff call, in order. */
export function sentObjects(call: FakeCall): string[] {
  return call.stdin.split(/^---\n/m).filter((d) => d.trim()).map((d) => `${/^kind: (\S+)/m.exec(d)?.[1]}/${/^ {2}name: (\S+)/m.exec(d)?.[1]}`);
}
