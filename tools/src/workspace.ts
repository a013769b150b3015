import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Where things live in the repository. Every path the tools use comes from here. */
export class Workspace {
  /** Finds the repository root (the directory with environments/ and package.json) from `start` upwards. */
  static find(start: string = process.cwd()): Workspace {
    let dir = resolve(start);
    for (;;) {
      if (existsSync(join(dir, 'environments')) && existsSync(join(dir, 'package.json'))) return new Workspace(dir);
      const parent = dirname(dir);
      if (parent === dir) throw new Error(`no platform repository (a directory with environments/ and package.json) at or above ${start}`);
      dir = parent;
    }
  }

  constructor(readonly root: string, readonly distDir: string = join(root, 'dist')) {}

  get environmentsDir(): string { return join(this.root, 'environments'); }
  get addonsDir(): string { return join(this.root, 'addons'); }
  get appsDir(): string { return join(this.root, 'apps'); }
  /** Scratch space: staging trees, the unit cache, the lock (gitignored). */
  get workDir(): string { return join(this.root, '.synth'); }

  /** A path as the user should read it: relative to the repository root. */
  rel(path: string): string {
    return relative(this.root, path) || '.';
  }

  withDist(distDir: string): Workspace {
    return new Workspace(this.root, resolve(distDir));
  }

  /** environments/<name>.ts, sorted by name. */
  environmentFiles(): string[] {
    return listSorted(this.environmentsDir)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
      .map((f) => join(this.environmentsDir, f));
  }

  /** addons/<name>/ folders that have src/index.ts, sorted by name. */
  addonDirs(): string[] {
    return listSorted(this.addonsDir)
      .map((d) => join(this.addonsDir, d))
      .filter((d) => existsSync(join(d, 'src', 'index.ts')));
  }

  /** apps/<tenant>/tenant.ts files, sorted by tenant name. */
  tenantFiles(): string[] {
    return listSorted(this.appsDir)
      .map((d) => join(this.appsDir, d, 'tenant.ts'))
      .filter((f) => existsSync(f));
  }
}

function listSorted(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => !name.startsWith('.')).sort();
}
