import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { UserError } from '../errors';

/** One file of a git tree. */
export interface TreeEntry {
  /** Path relative to the directory `git` ran in (the pathspec's directory). */
  readonly path: string;
  /** Blob object id (SHA-1 or SHA-256, as the repository uses). */
  readonly oid: string;
}

function git(cwd: string, args: readonly string[], what: string): string {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? 'git is not installed (diff reads the base revision from git)' : `git ${what}: ${result.error.message}`);
  }
  if (result.status !== 0) {
    const message = result.stderr.trim().split('\n').filter(Boolean).pop() ?? `exit code ${result.status}`;
    throw new UserError(`git ${what}: ${message}`);
  }
  return result.stdout;
}

/** Checks that `dir` is inside a git work tree. */
export function assertGitRepository(dir: string): void {
  const result = spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: dir, encoding: 'utf8' });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new UserError('git is not installed (diff reads the base revision from git)');
  }
  if (result.status !== 0 || result.stdout.trim() !== 'true') {
    throw new UserError(`${dir} is not inside a git repository (diff compares dist/ with a git revision)`);
  }
}

/** The commit a ref names; a clear error when it names nothing. */
export function resolveCommit(dir: string, ref: string): string {
  if (!ref || ref.startsWith('-')) throw new UserError(`--base "${ref}" is not a git revision`);
  const result = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: dir, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new UserError(`--base ${ref}: no such commit in this repository (a branch, tag or commit id; in CI fetch it first, e.g. "git fetch origin main" or checkout with fetch-depth: 0)`);
  }
  return result.stdout.trim();
}

/**
 * Every file under `pathspec` at `commit` (`git ls-tree -r -z`): paths relative to `dir`, symlinks and
 * submodules skipped.
 */
export function listTree(dir: string, commit: string, pathspec: string): TreeEntry[] {
  const out = git(dir, ['ls-tree', '-r', '-z', commit, '--', pathspec], `ls-tree ${commit}`);
  const entries: TreeEntry[] = [];
  for (const record of out.split('\0')) {
    if (!record) continue;
    const tab = record.indexOf('\t');
    const [mode, type, oid] = record.slice(0, tab).split(' ');
    if (type !== 'blob' || mode === '120000') continue;
    entries.push({ path: record.slice(tab + 1), oid });
  }
  return entries;
}

/**
 * Reads blobs through one `git cat-file --batch` process: object ids go in on stdin, contents stream out.
 * Scales to tens of thousands of files (one process, no per-file fork).
 */
export function readBlobs(dir: string, oids: readonly string[]): Promise<Map<string, Buffer>> {
  const unique = [...new Set(oids)];
  const blobs = new Map<string, Buffer>();
  if (unique.length === 0) return Promise.resolve(blobs);
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    let pending: Buffer = Buffer.alloc(0);
    let stderr = '';
    let failure: Error | undefined;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => { stderr += chunk; });
    child.stdout.on('data', (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      for (;;) {
        const newline = pending.indexOf(0x0a);
        if (newline < 0) return;
        const header = pending.subarray(0, newline).toString('utf8');
        const [oid, type, sizeText] = header.split(' ');
        if (type === 'missing') {
          failure ??= new UserError(`git cat-file: object ${oid} is missing (shallow clone? fetch the base revision)`);
          pending = pending.subarray(newline + 1);
          continue;
        }
        const size = Number(sizeText);
        if (!Number.isFinite(size)) {
          failure ??= new Error(`git cat-file: unexpected output "${header.slice(0, 80)}"`);
          child.kill();
          return;
        }
        // Header, content, and the newline git writes after each object.
        if (pending.length < newline + 1 + size + 1) return;
        blobs.set(oid, Buffer.from(pending.subarray(newline + 1, newline + 1 + size)));
        pending = pending.subarray(newline + 1 + size + 1);
      }
    });
    child.on('error', (err) => reject(new UserError(`git cat-file: ${err.message}`)));
    child.on('close', (code) => {
      if (failure) reject(failure);
      else if (code !== 0) reject(new UserError(`git cat-file --batch failed (exit ${code}): ${stderr.trim()}`));
      else resolve(blobs);
    });
    child.stdin.on('error', () => { /* reported through 'close' */ });
    child.stdin.end(`${unique.join('\n')}\n`);
  });
}

/** The object id git gives `content` as a blob (so unchanged files need not be read from git at all). */
export function blobId(content: Buffer, oidLength: number): string {
  const algorithm = oidLength === 64 ? 'sha256' : 'sha1';
  return createHash(algorithm).update(`blob ${content.length}\0`).update(content).digest('hex');
}
