import { spawn } from 'node:child_process';

/** What a kubectl run returned. `code` is -1 when kubectl could not be started at all. */
export interface KubectlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface KubectlOptions {
  /** The kubectl binary. @default $PLATFORMCTL_KUBECTL, else "kubectl" on PATH */
  readonly binary?: string;
  /** kubeconfig context. @default the kubeconfig's current context */
  readonly context?: string;
  /** kubeconfig file. @default $KUBECONFIG or ~/.kube/config */
  readonly kubeconfig?: string;
}

/** Environment variable that names the kubectl binary (tests point it at a fake). */
export const KUBECTL_ENV = 'PLATFORMCTL_KUBECTL';

/** Runs kubectl with the chosen context and kubeconfig; never throws for a non-zero exit. */
export class Kubectl {
  readonly binary: string;
  readonly context?: string;
  readonly kubeconfig?: string;
  /** Every argument list run so far (the preview reports how many calls it took; tests check the order). */
  readonly calls: string[][] = [];

  constructor(options: KubectlOptions = {}) {
    this.binary = options.binary ?? process.env[KUBECTL_ENV] ?? 'kubectl';
    this.context = options.context;
    this.kubeconfig = options.kubeconfig;
  }

  private globalArgs(): string[] {
    return [
      ...(this.kubeconfig ? ['--kubeconfig', this.kubeconfig] : []),
      ...(this.context ? ['--context', this.context] : []),
    ];
  }

  run(args: readonly string[], input?: string): Promise<KubectlResult> {
    const argv = [...this.globalArgs(), ...args];
    this.calls.push(argv);
    // kubectl diff runs $KUBECTL_EXTERNAL_DIFF when set; the preview parses plain `diff -u -N` output.
    const env = { ...process.env };
    delete env.KUBECTL_EXTERNAL_DIFF;
    return new Promise((resolve) => {
      const child = spawn(this.binary, argv, { env, stdio: ['pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let spawnError: Error | undefined;
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      child.on('error', (e) => { spawnError = e; });
      child.on('close', (code, signal) => {
        if (spawnError) {
          const missing = (spawnError as NodeJS.ErrnoException).code === 'ENOENT';
          resolve({ code: -1, stdout: '', stderr: missing ? `kubectl not found: ${this.binary} (install kubectl or set ${KUBECTL_ENV})` : `cannot run ${this.binary}: ${spawnError.message}` });
          return;
        }
        resolve({
          code: code ?? (signal ? 128 : -1),
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8') + (signal ? `\nkubectl was killed by ${signal}` : ''),
        });
      });
      child.stdin.on('error', () => { /* kubectl may exit before reading everything; its exit code tells */ });
      child.stdin.end(input ?? '');
    });
  }
}
