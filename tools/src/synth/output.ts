import { closeSync, existsSync, linkSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { UserError } from '../errors';

/** Lists files under `dir` recursively, as paths relative to `dir`, sorted. */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * All-or-nothing replacement of dist/<env> trees. Files are written to a staging tree beside dist/ (same
 * filesystem), and only when every unit succeeded is each environment directory swapped in with rename(2).
 * On any error before commit, dist/ is untouched. A lock file keeps two synths from interleaving.
 */
export class DistTransaction {
  readonly staging: string;
  private readonly lockFile: string;
  private done = false;

  static begin(distDir: string): DistTransaction {
    return new DistTransaction(distDir);
  }

  private constructor(readonly distDir: string) {
    const parent = dirname(distDir);
    const base = basename(distDir);
    mkdirSync(parent, { recursive: true });
    this.lockFile = join(parent, `.${base}.lock`);
    this.acquireLock();
    try {
      this.staging = mkdtempSync(join(parent, `.${base}.staging-`));
    } catch (err) {
      this.releaseLock();
      throw err;
    }
  }

  private acquireLock(): void {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(this.lockFile, 'wx');
        writeSync(fd, String(process.pid));
        closeSync(fd);
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const pid = Number(readFileSync(this.lockFile, 'utf8'));
        if (pid && processAlive(pid) && pid !== process.pid) {
          throw new UserError(`another synth (pid ${pid}) is writing ${this.distDir}; wait for it or remove ${this.lockFile} if it is gone`);
        }
        rmSync(this.lockFile, { force: true });
      }
    }
    throw new UserError(`could not lock ${this.distDir} (${this.lockFile})`);
  }

  private releaseLock(): void {
    rmSync(this.lockFile, { force: true });
  }

  /**
   * Copies into staging the files of dist/<env> that the units being re-rendered do not own
   * (hard links: cheap, and the originals are replaced by rename, never modified in place).
   */
  carryOver(env: string, keep: (relativePath: string, content: () => string) => boolean): void {
    const from = join(this.distDir, env);
    for (const rel of listFiles(from)) {
      const src = join(from, rel);
      if (!keep(rel, () => readFileSync(src, 'utf8'))) continue;
      const dest = join(this.staging, env, rel);
      mkdirSync(dirname(dest), { recursive: true });
      linkSync(src, dest);
    }
  }

  /**
   * Swaps staging/<env> into dist/<env> for each environment; with `pruneOthers`, any other entry of
   * dist/ (an environment that no longer exists) is removed too.
   */
  commit(envs: readonly string[], pruneOthers: boolean): void {
    const trash = mkdtempSync(join(dirname(this.distDir), `.${basename(this.distDir)}.old-`));
    mkdirSync(this.distDir, { recursive: true });
    for (const env of envs) {
      const next = join(this.staging, env);
      mkdirSync(next, { recursive: true });
      const current = join(this.distDir, env);
      const old = join(trash, env);
      if (existsSync(current)) renameSync(current, old);
      try {
        renameSync(next, current);
      } catch (err) {
        if (existsSync(old)) renameSync(old, current);
        throw err;
      }
    }
    if (pruneOthers) {
      for (const entry of readdirSync(this.distDir)) {
        if (!envs.includes(entry)) renameSync(join(this.distDir, entry), join(trash, entry));
      }
    }
    this.done = true;
    rmSync(trash, { recursive: true, force: true });
    this.close();
  }

  /** Discards staging; dist/ stays exactly as it was. */
  abort(): void {
    if (this.done) return;
    this.done = true;
    this.close();
  }

  private close(): void {
    rmSync(this.staging, { recursive: true, force: true });
    this.releaseLock();
  }
}
