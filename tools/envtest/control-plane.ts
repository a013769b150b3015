/**
 * Local Kubernetes control plane (etcd + kube-apiserver) for tests.
 *
 * Uses only Node built-ins. The binaries come from `tools/envtest/build.sh`
 * (or from $KUBEBUILDER_ASSETS). See tools/envtest/README.md.
 *
 *   const cp = await startControlPlane();
 *   try { execFileSync('kubectl', ['--kubeconfig', cp.kubeconfig, 'get', 'ns']); }
 *   finally { await cp.stop(); }
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export interface ControlPlane {
  /** Path of an admin kubeconfig (token auth, the apiserver's self-signed CA, or insecure-skip-tls-verify if that CA could not be read). */
  kubeconfig: string;
  /** API server URL, e.g. https://127.0.0.1:41234 */
  server: string;
  /** Temp dir holding kubeconfig, logs, certs and etcd data; removed by stop(). */
  dir: string;
  /** Bearer token of user "admin" (group system:masters). */
  adminToken: string;
  /** PEM CA bundle that signed the serving cert (undefined if not readable). */
  caCert?: string | undefined;
  /** etcd client URL, e.g. http://127.0.0.1:41235 */
  etcdUrl: string;
  /** Log files (stdout+stderr) of the two processes. */
  logs: { etcd: string; apiserver: string };
  /** Stops both processes (SIGTERM, then SIGKILL after a timeout) and removes `dir`. Idempotent. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Dir containing `etcd` and `kube-apiserver`. Default: findAssets(version). */
  assets?: string;
  /** Kubernetes minor version used to look up assets when `assets` is not given. Default '1.28'. */
  version?: string;
  /** How long to wait for etcd /health and apiserver /readyz. Default 120000 ms. */
  startTimeoutMs?: number;
  /** How long stop() waits after SIGTERM before SIGKILL. Default 10000 ms. */
  stopTimeoutMs?: number;
  /** Extra kube-apiserver flags (appended; later flags win). */
  apiserverArgs?: string[];
  /** Extra etcd flags (appended). */
  etcdArgs?: string[];
}

const BINARIES = ['etcd', 'kube-apiserver'] as const;

function isExecutable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function hasBinaries(dir: string): boolean {
  return BINARIES.every((b) => isExecutable(path.join(dir, b)));
}

/** ${XDG_CACHE_HOME:-$HOME/.cache}/k8s-platform/envtest — where build.sh puts <k8s-version>/{etcd,kube-apiserver}. */
export function assetsCacheRoot(): string {
  const base = process.env['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache');
  return path.join(base, 'k8s-platform', 'envtest');
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Returns the directory holding `etcd` and `kube-apiserver`:
 * $KUBEBUILDER_ASSETS if it contains both, else the newest patch of `version`
 * (e.g. '1.28' -> '1.28.15') in the build.sh cache, else undefined.
 */
export function findAssets(version = '1.28'): string | undefined {
  const env = process.env['KUBEBUILDER_ASSETS'];
  if (env && hasBinaries(env)) return env;
  const root = assetsCacheRoot();
  const want = version.replace(/^v/, '');
  let entries: string[];
  try {
    entries = fs.readdirSync(root);
  } catch {
    return undefined;
  }
  const candidates = entries
    .filter((e) => e === want || e.startsWith(`${want}.`))
    .sort(compareVersions)
    .reverse();
  for (const c of candidates) {
    const dir = path.join(root, c);
    if (hasBinaries(dir)) return dir;
  }
  return undefined;
}

/** Reserves `n` distinct free loopback ports (closed again before returning). */
async function freePorts(n: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < n; i++) {
      const srv = net.createServer();
      servers.push(srv);
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen(0, '127.0.0.1', () => resolve());
      });
      ports.push((srv.address() as net.AddressInfo).port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function tail(file: string, lines = 40): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.split('\n').slice(-lines - 1).join('\n').trimEnd();
  } catch {
    return '(no log)';
  }
}

interface GetResult {
  status: number;
  body: string;
}

function get(url: string, headers: Record<string, string> = {}): Promise<GetResult> {
  return new Promise((resolve, reject) => {
    const mod = url.startsWith('https:') ? https : http;
    const req = mod.get(url, { headers, rejectUnauthorized: false, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

interface Proc {
  name: string;
  child: ChildProcess;
  log: string;
  exited: Promise<void>;
  exitInfo?: string;
}

function startProcess(name: string, bin: string, args: string[], log: string, env: NodeJS.ProcessEnv): Proc {
  const fd = fs.openSync(log, 'a');
  let child: ChildProcess;
  try {
    child = spawn(bin, args, { stdio: ['ignore', fd, fd], env });
  } finally {
    fs.closeSync(fd); // the child has its own copy
  }
  const proc: Proc = { name, child, log, exited: Promise.resolve() };
  proc.exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      proc.exitInfo = signal ? `signal ${signal}` : `exit code ${code}`;
      resolve();
    });
    child.once('error', (err) => {
      proc.exitInfo = `spawn error: ${err.message}`;
      resolve();
    });
  });
  // Do not keep the event loop alive just for the servers: a test that forgets
  // stop() still lets Node exit, and the 'exit' hook below kills them.
  child.unref();
  return proc;
}

function running(p: Proc): boolean {
  return p.exitInfo === undefined && p.child.exitCode === null && p.child.signalCode === null;
}

async function stopProcess(p: Proc, timeoutMs: number): Promise<void> {
  if (!running(p)) return;
  p.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    p.exited.then(() => false),
    new Promise<boolean>((r) => (timer = setTimeout(() => r(true), timeoutMs))),
  ]);
  if (timer) clearTimeout(timer);
  if (timedOut && running(p)) {
    p.child.kill('SIGKILL');
    await p.exited;
  }
}

// --- last-resort cleanup when the test process exits without stop() ---------

const liveCleanups = new Set<() => void>();
let hooksInstalled = false;

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  const cleanupAll = () => {
    for (const c of [...liveCleanups]) c();
  };
  process.on('exit', cleanupAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const handler = () => {
      cleanupAll();
      // Restore default behaviour if nobody else handles the signal.
      if (process.listenerCount(sig) === 1) {
        process.removeListener(sig, handler);
        process.kill(process.pid, sig);
      }
    };
    process.on(sig, handler);
  }
}

function kubeconfigYaml(server: string, token: string, caCert?: string): string {
  const tls = caCert
    ? `    certificate-authority-data: ${Buffer.from(caCert).toString('base64')}`
    : '    insecure-skip-tls-verify: true';
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: envtest',
    '  cluster:',
    `    server: ${server}`,
    tls,
    'users:',
    '- name: envtest-admin',
    '  user:',
    `    token: ${token}`,
    'contexts:',
    '- name: envtest',
    '  context:',
    '    cluster: envtest',
    '    user: envtest-admin',
    'current-context: envtest',
    '',
  ].join('\n');
}

/** The issuing CA of the self-signed serving cert written to --cert-dir (the last cert in apiserver.crt). */
function readServingCa(certDir: string): string | undefined {
  try {
    const pem = fs.readFileSync(path.join(certDir, 'apiserver.crt'), 'utf8');
    const certs = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
    if (!certs || certs.length === 0) return undefined;
    const leafPem = certs[0];
    const ca = certs[certs.length - 1];
    if (!leafPem || !ca) return undefined;
    const x = new crypto.X509Certificate(ca);
    // Only trust it if it really covers 127.0.0.1.
    const leaf = new crypto.X509Certificate(leafPem);
    if (!leaf.checkIP('127.0.0.1')) return undefined;
    if (certs.length > 1 && !leaf.verify(x.publicKey)) return undefined;
    return `${ca}\n`;
  } catch {
    return undefined;
  }
}

async function startOnce(assets: string, opts: StartOptions): Promise<ControlPlane> {
  const startTimeoutMs = opts.startTimeoutMs ?? 120_000;
  const stopTimeoutMs = opts.stopTimeoutMs ?? 10_000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'envtest-'));
  const procs: Proc[] = [];
  let stopping: Promise<void> | undefined;

  const killSync = () => {
    for (const p of procs) {
      if (running(p)) {
        try {
          p.child.kill('SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
    try {
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      /* best effort */
    }
  };
  installExitHooks();
  liveCleanups.add(killSync);

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      // apiserver first so it does not spin on a vanished etcd
      for (const p of [...procs].reverse()) await stopProcess(p, stopTimeoutMs);
      liveCleanups.delete(killSync);
      fs.rmSync(dir, { recursive: true, force: true });
    })();
    return stopping;
  };

  const fail = async (msg: string, p?: Proc): Promise<never> => {
    const logs = (p ? [p] : procs)
      .map((q) => `--- ${q.name} (${q.exitInfo ?? 'running'}), last lines of ${path.basename(q.log)}:\n${tail(q.log)}`)
      .join('\n');
    await stop();
    throw new Error(`envtest: ${msg}\n${logs}`);
  };

  try {
    const [etcdClient, etcdPeer, apiPort] = await freePorts(3);
    const etcdUrl = `http://127.0.0.1:${etcdClient}`;
    const peerUrl = `http://127.0.0.1:${etcdPeer}`;
    const server = `https://127.0.0.1:${apiPort}`;

    // --- credentials ---
    const adminToken = crypto.randomBytes(32).toString('hex');
    const tokenFile = path.join(dir, 'tokens.csv');
    // token,user,uid,"group1,group2"
    fs.writeFileSync(tokenFile, `${adminToken},admin,admin-uid,"system:masters"\n`, { mode: 0o600 });
    const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    });
    const saPub = path.join(dir, 'sa.pub');
    const saKey = path.join(dir, 'sa.key');
    fs.writeFileSync(saPub, publicKey);
    fs.writeFileSync(saKey, privateKey, { mode: 0o600 });
    const certDir = path.join(dir, 'certs');
    fs.mkdirSync(certDir);

    // etcd reads ETCD_* env vars as flags; do not let the caller's env leak in.
    const etcdEnv: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) {
      if (!k.startsWith('ETCD_') || k === 'ETCD_UNSUPPORTED_ARCH') etcdEnv[k] = v;
    }

    // --- etcd ---
    const etcd = startProcess(
      'etcd',
      path.join(assets, 'etcd'),
      [
        '--name=default',
        `--data-dir=${path.join(dir, 'etcd')}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=default=${peerUrl}`,
        '--unsafe-no-fsync=true', // test data only
        ...(opts.etcdArgs ?? []),
      ],
      path.join(dir, 'etcd.log'),
      etcdEnv,
    );
    procs.push(etcd);

    const deadline = Date.now() + startTimeoutMs;
    for (;;) {
      if (!running(etcd)) return await fail(`etcd exited during startup`, etcd);
      try {
        const r = await get(`${etcdUrl}/health`);
        if (r.status === 200 && /"health":\s*"true"/.test(r.body)) break;
      } catch {
        /* not up yet */
      }
      if (Date.now() > deadline) return await fail(`etcd not healthy after ${startTimeoutMs} ms`, etcd);
      await sleep(100);
    }

    // --- kube-apiserver ---
    const apiserver = startProcess(
      'kube-apiserver',
      path.join(assets, 'kube-apiserver'),
      [
        `--etcd-servers=${etcdUrl}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        `--secure-port=${apiPort}`,
        `--cert-dir=${certDir}`,
        `--token-auth-file=${tokenFile}`,
        '--authorization-mode=RBAC',
        `--service-account-key-file=${saPub}`,
        `--service-account-signing-key-file=${saKey}`,
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        '--service-cluster-ip-range=10.0.0.0/24',
        '--allow-privileged=true',
        // No controller-manager creates "default" ServiceAccounts, so (like
        // controller-runtime's envtest) skip the admission plugin that needs them.
        '--disable-admission-plugins=ServiceAccount',
        // 127.0.0.1 is not a valid Endpoints address; don't try to publish it.
        '--endpoint-reconciler-type=none',
        ...(opts.apiserverArgs ?? []),
      ],
      path.join(dir, 'kube-apiserver.log'),
      process.env,
    );
    procs.push(apiserver);

    let lastReadyz = '';
    for (;;) {
      if (!running(apiserver)) return await fail(`kube-apiserver exited during startup`, apiserver);
      if (!running(etcd)) return await fail(`etcd exited during kube-apiserver startup`);
      try {
        const r = await get(`${server}/readyz`, { Authorization: `Bearer ${adminToken}` });
        if (r.status === 200) break;
        lastReadyz = `HTTP ${r.status}: ${r.body.slice(0, 2000)}`;
      } catch (e) {
        lastReadyz = String(e);
      }
      if (Date.now() > deadline)
        return await fail(`kube-apiserver not ready after ${startTimeoutMs} ms (last /readyz: ${lastReadyz})`);
      await sleep(200);
    }

    const caCert = readServingCa(certDir);
    const kubeconfig = path.join(dir, 'kubeconfig');
    fs.writeFileSync(kubeconfig, kubeconfigYaml(server, adminToken, caCert), { mode: 0o600 });

    return {
      kubeconfig,
      server,
      dir,
      adminToken,
      caCert,
      etcdUrl,
      logs: { etcd: etcd.log, apiserver: apiserver.log },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * Starts etcd + kube-apiserver on free loopback ports with data in a fresh temp
 * dir and waits until /readyz answers 200. Retries (up to 3 times) when a port
 * picked as free was taken by someone else in the meantime.
 */
export async function startControlPlane(opts: StartOptions = {}): Promise<ControlPlane> {
  const assets = opts.assets ?? findAssets(opts.version ?? '1.28');
  if (!assets) {
    throw new Error(
      `envtest: no etcd/kube-apiserver binaries for Kubernetes ${opts.version ?? '1.28'} ` +
        `(looked in $KUBEBUILDER_ASSETS and ${assetsCacheRoot()}); run tools/envtest/build.sh first`,
    );
  }
  if (!hasBinaries(assets)) throw new Error(`envtest: ${assets} does not contain executable etcd and kube-apiserver`);
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(assets, opts);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (attempt < 3 && /address already in use/i.test(msg)) continue;
      throw e;
    }
  }
}
