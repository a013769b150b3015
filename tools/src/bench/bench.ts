import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import yaml from 'js-yaml';
import { UserError } from '../errors';
import { KUSTOMIZATION_FILE } from '../gitops/kustomize';
import { Manifest, toYaml } from '../synth/manifest';
import { listFiles } from '../synth/output';
import { syntheticTenant } from './synthetic-tenant';

const REPO_ROOT = resolve(__dirname, '../../..');
const CLI = join(REPO_ROOT, 'tools', 'bin', 'platformctl.js');

/** The benchmark's result; `--json` prints exactly these keys. */
export interface BenchResult {
  readonly tenants: number;
  readonly objects: number;
  readonly bytes: number;
  readonly synthSeconds: number;
  readonly floorSeconds: number;
  readonly ratioToFloor: number;
  /** With `singleAppTimedOut`, the timeout: the naive run took at least this long. */
  readonly singleAppSeconds: number;
  /** With `singleAppTimedOut`, a lower bound. */
  readonly speedupVsSingleApp: number;
  readonly singleAppTimedOut: boolean;
  readonly noopSeconds: number;
  readonly oneTenantSeconds: number;
  readonly peakRssMb: number;
}

interface CliRun {
  readonly seconds: number;
  readonly report: { mode: string; objects: number; bytes: number; rendered: number; peakRssMb: number };
}

/**
 * Flushes dirty pages before a timed phase, so one phase's write-back is not billed to the next (on a VM disk the
 * flush of ~100 MB written by the previous phase otherwise lands in whatever runs after it).
 */
function settle(): void {
  spawnSync('sync', { stdio: 'ignore' });
}

function runSynth(root: string, args: string[], timeoutSeconds?: number): CliRun | undefined {
  const reportFile = join(root, '.bench-report.json');
  rmSync(reportFile, { force: true });
  settle();
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [CLI, 'synth', '--quiet', '--root', root, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, CI: '1', PLATFORMCTL_REPORT: reportFile },
    timeout: timeoutSeconds ? timeoutSeconds * 1000 : undefined,
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') return undefined;
  if (result.status !== 0) throw new UserError(`bench: synth ${args.join(' ')} failed (exit ${result.status}):\n${result.stderr}`);
  return { seconds, report: JSON.parse(readFileSync(reportFile, 'utf8')) };
}

/** A throwaway repository: this repo's environments and add-ons, N synthetic tenants. Never inside the repo. */
export function createBenchWorkspace(tenants: number): string {
  const root = mkdtempSync(join(tmpdir(), 'platform-bench-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'platform-bench', private: true }));
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  symlinkSync(join(REPO_ROOT, 'addons'), join(root, 'addons'), 'dir');
  mkdirSync(join(root, 'environments'));
  for (const f of readdirSync(join(REPO_ROOT, 'environments')).filter((f) => f.endsWith('.ts'))) {
    copyFileSync(join(REPO_ROOT, 'environments', f), join(root, 'environments', f));
  }
  for (let i = 1; i <= tenants; i++) writeTenant(root, i);
  return root;
}

function tenantName(i: number): string {
  return `bench-${String(i).padStart(5, '0')}`;
}

function writeTenant(root: string, i: number, variant = 0): void {
  const dir = join(root, 'apps', tenantName(i));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'tenant.ts'), syntheticTenant(tenantName(i), i, variant));
}

function treeHash(dir: string): string {
  const h = createHash('sha256');
  for (const f of listFiles(dir)) h.update(f).update('\0').update(readFileSync(join(dir, f))).update('\0');
  return h.digest('hex');
}

/**
 * The physical floor of the synth's output work on this machine: the same objects serialized with the same YAML
 * library into the same files, in one thread (the objects are parsed back from dist/ first, untimed).
 */
function measureFloor(distDir: string, outDir: string): number {
  const files = listFiles(distDir).map((f) => ({ f, object: yaml.load(readFileSync(join(distDir, f), 'utf8')) as Manifest }));
  settle();
  const started = process.hrtime.bigint();
  const dirs = new Set<string>();
  for (const { f, object } of files) {
    const target = join(outDir, f);
    const dir = dirname(target);
    if (!dirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      dirs.add(dir);
    }
    writeFileSync(target, f.endsWith(KUSTOMIZATION_FILE) ? yaml.dump(object, { lineWidth: -1 }) : toYaml(object));
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}

export interface BenchOptions {
  readonly tenants: number;
  /** Give up on the naive single-App run after this long (it is quadratic). @default 1800 */
  readonly singleAppTimeoutSeconds?: number;
  readonly keep?: boolean;
  readonly log?: (line: string) => void;
}

export function runBench(options: BenchOptions): BenchResult {
  const log = options.log ?? (() => {});
  const root = createBenchWorkspace(options.tenants);
  try {
    log(`workspace ${root} with ${options.tenants} tenants`);
    const cold = runSynth(root, [])!;
    log(`full synth ${cold.seconds.toFixed(2)}s (${cold.report.objects} objects)`);
    const floorSeconds = measureFloor(join(root, 'dist'), join(root, 'floor'));
    if (treeHash(join(root, 'floor')) !== treeHash(join(root, 'dist'))) throw new Error('floor output differs from the synth output');
    log(`floor ${floorSeconds.toFixed(2)}s`);
    const noop = runSynth(root, [])!;
    if (noop.report.mode !== 'up-to-date') throw new Error(`second synth was ${noop.report.mode}, expected up-to-date`);
    log(`no-op synth ${noop.seconds.toFixed(2)}s`);
    writeTenant(root, 1, 1);
    const one = runSynth(root, [])!;
    if (one.report.mode !== 'incremental') throw new Error(`synth after one change was ${one.report.mode}, expected incremental`);
    log(`one tenant changed ${one.seconds.toFixed(2)}s`);
    writeTenant(root, 1, 0);
    runSynth(root, []);
    const singleTimeout = options.singleAppTimeoutSeconds ?? 1800;
    const single = runSynth(root, ['--single-app', '--no-cache', '--out', join(root, 'single')], singleTimeout);
    if (single && treeHash(join(root, 'single')) !== treeHash(join(root, 'dist'))) throw new Error('the single-App output differs from the per-unit output');
    log(single ? `single App ${single.seconds.toFixed(2)}s (byte-identical output)` : `single App stopped after ${singleTimeout}s (quadratic; the speed-up is a lower bound)`);
    const round = (n: number, d = 3): number => Number(n.toFixed(d));
    return {
      tenants: options.tenants,
      objects: cold.report.objects,
      bytes: cold.report.bytes,
      synthSeconds: round(cold.seconds),
      floorSeconds: round(floorSeconds),
      ratioToFloor: round(cold.seconds / floorSeconds, 2),
      singleAppSeconds: round(single ? single.seconds : singleTimeout),
      speedupVsSingleApp: round((single ? single.seconds : singleTimeout) / cold.seconds, 2),
      singleAppTimedOut: !single,
      noopSeconds: round(noop.seconds),
      oneTenantSeconds: round(one.seconds),
      peakRssMb: Math.round(cold.report.peakRssMb),
    };
  } finally {
    if (!options.keep) rmSync(root, { recursive: true, force: true });
  }
}

export function describeMachine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}`;
}

export function formatBench(r: BenchResult): string {
  const rows: Array<[string, string]> = [
    ['tenants', String(r.tenants)],
    ['objects', String(r.objects)],
    ['bytes', `${(r.bytes / 2 ** 20).toFixed(1)} MiB`],
    ['full synth', `${r.synthSeconds.toFixed(2)} s`],
    ['floor (serialize + write)', `${r.floorSeconds.toFixed(2)} s`],
    ['ratio to floor', `${r.ratioToFloor.toFixed(2)} ×  (target ≤ 2.5)`],
    ['single cdk8s App', `${r.singleAppTimedOut ? '> ' : ''}${r.singleAppSeconds.toFixed(2)} s${r.singleAppTimedOut ? ' (stopped at the timeout)' : ''}`],
    ['speed-up vs single App', `${r.singleAppTimedOut ? '≥ ' : ''}${r.speedupVsSingleApp.toFixed(1)} ×  (target ≥ 5)`],
    ['no-op synth', `${r.noopSeconds.toFixed(2)} s  (target ≤ 0.5)`],
    ['one tenant changed', `${r.oneTenantSeconds.toFixed(2)} s  (target ≤ 1.0)`],
    ['peak RSS', `${r.peakRssMb} MB`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return [`machine: ${describeMachine()}`, ...rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`)].join('\n');
}
