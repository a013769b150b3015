import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { IngressRoute } from './render';

/** A unit's complete output, as cached: enough to write its files again without rendering. */
export interface CachedUnit {
  readonly files: ReadonlyArray<{ readonly path: string; readonly identity: string; readonly content: string }>;
  readonly routes: readonly IngressRoute[];
  readonly objects: number;
}

/**
 * Content-addressed cache of rendered units: `<key>.json`, where the key hashes everything the unit's output depends
 * on (its sources and their imports, the environment file, the synth code, the lockfile). A hit gives the same
 * bytes a render would (tested); a changed input gives a new key, so entries never need invalidating, only pruning.
 */
export class UnitCache {
  constructor(readonly dir: string) {}

  private path(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  get(key: string): CachedUnit | undefined {
    const file = this.path(key);
    if (!existsSync(file)) return undefined;
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as CachedUnit;
    } catch {
      return undefined; // a torn or foreign file is a miss, not an error
    }
  }

  put(key: string, unit: CachedUnit): void {
    const file = this.path(key);
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(tmp, JSON.stringify(unit));
    renameSync(tmp, file);
  }

  /** Deletes entries not in `keep` once the cache holds more than `factor` times as many. */
  prune(keep: ReadonlySet<string>, factor = 3): void {
    if (!existsSync(this.dir)) return;
    const entries = readdirSync(this.dir).flatMap((d) => readdirSync(join(this.dir, d)).map((f) => join(this.dir, d, f)));
    if (entries.length <= Math.max(64, keep.size * factor)) return;
    for (const file of entries) {
      const key = file.slice(file.lastIndexOf('/') + 1).replace(/\.json$/, '');
      if (!keep.has(key)) rmSync(file, { force: true });
    }
  }
}
