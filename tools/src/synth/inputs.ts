import { createHash } from 'node:crypto';
import { Dirent, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;
/** `import type …` / `export type …` statements: erased at runtime, so not inputs of the output. */
const TYPE_ONLY = /^\s*(?:import|export)\s+type\s[^;]*?from\s*['"][^'"]+['"]/gm;
const EXTENSIONS = ['.ts', '.tsx', '.js', '.json'];

function sha(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Content hashes of the synth's inputs, for the unit cache: a file's hash, and the hash of a module together with
 * everything it imports (relative paths and this repository's @platform/* packages; npm packages are covered by
 * the lockfile). Memoized for one run; reads each file once.
 */
export class SourceHasher {
  private readonly contents = new Map<string, Buffer | undefined>();
  private readonly fileHashes = new Map<string, string>();
  private readonly folders = new Map<string, readonly string[]>();
  private readonly closures = new Map<string, ReadonlySet<string>>();
  private readonly closureHashes = new Map<string, string>();
  private readonly moduleHashes = new Map<string, string>();
  private readonly packageTargets = new Map<string, string | undefined>();
  private readonly packages: Map<string, WorkspacePackage>;

  constructor(private readonly root: string) {
    this.packages = workspacePackages(root);
  }

  /** A file's bytes (undefined if missing), read once per run: hashing and import scanning share the read. */
  private read(path: string): Buffer | undefined {
    if (this.contents.has(path)) return this.contents.get(path);
    let data: Buffer | undefined;
    try {
      data = readFileSync(path);
    } catch {
      data = undefined;
    }
    this.contents.set(path, data);
    return data;
  }

  /** The imports of a source file, without type-only ones (they are erased at runtime). */
  private imports(file: string): string[] {
    if (!/\.(ts|tsx|js)$/.test(file)) return [];
    const data = this.read(file);
    if (!data) return [];
    return [...data.toString('utf8').replace(TYPE_ONLY, '').matchAll(IMPORT)].map((m) => m[1]);
  }

  /** sha256 of one file's bytes ('' for a missing file). */
  file(path: string): string {
    let h = this.fileHashes.get(path);
    if (h === undefined) {
      const data = this.read(path);
      h = data ? sha(data) : '';
      this.fileHashes.set(path, h);
    }
    return h;
  }

  /** The module and every repository file it imports, transitively. */
  closure(entry: string): ReadonlySet<string> {
    const known = this.closures.get(entry);
    if (known) return known;
    const seen = new Set<string>();
    const stack = [entry];
    while (stack.length) {
      const file = stack.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const cached = this.closures.get(file);
      if (cached && file !== entry) {
        cached.forEach((f) => seen.add(f));
        continue;
      }
      for (const specifier of this.imports(file)) {
        const target = this.resolve(file, specifier);
        if (target && !seen.has(target)) stack.push(target);
      }
    }
    this.closures.set(entry, seen);
    return seen;
  }

  /** One hash for a set of files: their repository-relative paths and contents, sorted. */
  hashFiles(files: Iterable<string>): string {
    const lines = [...new Set(files)].map((f) => `${relative(this.root, f)}\0${this.file(f)}`).sort();
    return sha(lines.join('\n'));
  }

  /** Hash of a module's import closure. */
  closureHash(entry: string): string {
    let h = this.closureHashes.get(entry);
    if (h === undefined) {
      h = this.hashFiles(this.closure(entry));
      this.closureHashes.set(entry, h);
    }
    return h;
  }

  /**
   * Hash of a module and its imports, where an import of a workspace package counts as that package's (memoized)
   * closure hash: the same result for change detection, without re-reading shared code for every tenant.
   */
  moduleHash(entry: string, extraFiles: readonly string[] = []): string {
    const memo = `${entry}\0${extraFiles.join('\0')}`;
    const known = this.moduleHashes.get(memo);
    if (known !== undefined) return known;
    const own = new Set<string>(extraFiles);
    const packages = new Set<string>();
    const stack = [entry];
    while (stack.length) {
      const file = stack.pop()!;
      if (own.has(file) && file !== entry) continue;
      own.add(file);
      for (const specifier of this.imports(file)) {
        const target = this.resolve(file, specifier);
        if (!target) continue;
        if (specifier.startsWith('.')) {
          if (!own.has(target)) stack.push(target);
        } else {
          packages.add(target);
        }
      }
    }
    const shared = [...packages].sort().map((p) => `${relative(this.root, p)}\0${this.closureHash(p)}`);
    const hash = sha(`${this.hashFiles(own)}\n${shared.join('\n')}`);
    this.moduleHashes.set(memo, hash);
    return hash;
  }

  /**
   * Every file under a directory (assets a unit reads at synth time live in its own folder). Memoized for every
   * directory walked: hashing apps/ lists each tenant's folder for the tenant's own hash as well.
   */
  folderFiles(dir: string): readonly string[] {
    const known = this.folders.get(dir);
    if (known) return known;
    const out: string[] = [];
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      entries = []; // a missing folder has no files
    }
    for (const entry of entries) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) out.push(...this.folderFiles(full));
      else out.push(full);
    }
    this.folders.set(dir, out);
    return out;
  }

  private resolve(from: string, specifier: string): string | undefined {
    if (!specifier.startsWith('.')) {
      // A package import resolves the same from everywhere: once per run.
      if (!this.packageTargets.has(specifier)) {
        const [scope, name, ...rest] = specifier.split('/');
        const pkg = this.packages.get(`${scope}/${name}`);
        this.packageTargets.set(specifier, pkg ? this.resolveFile(rest.length ? join(pkg.dir, ...rest) : pkg.main) : undefined);
      }
      return this.packageTargets.get(specifier);
    }
    return this.resolveFile(resolve(dirname(from), specifier));
  }

  private resolveFile(base: string): string | undefined {
    for (const candidate of [base, ...EXTENSIONS.map((e) => base + e), ...EXTENSIONS.map((e) => join(base, `index${e}`))]) {
      if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    }
    return undefined;
  }
}

interface WorkspacePackage { dir: string; main: string }

/** @platform/* packages of the npm workspace: name → folder and main file. */
function workspacePackages(root: string): Map<string, WorkspacePackage> {
  const map = new Map<string, WorkspacePackage>();
  const add = (dir: string): void => {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) return;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; main?: string };
    if (pkg.name) map.set(pkg.name, { dir, main: join(dir, pkg.main ?? 'index.js') });
  };
  // The repository's own packages, wherever the CLI runs from (a fixture workspace links node_modules here).
  const repo = resolve(__dirname, '../../..');
  for (const base of new Set([repo, root])) {
    for (const dir of ['charts', 'environments', 'tools']) add(join(base, dir));
    const addons = join(base, 'addons');
    if (existsSync(addons)) for (const d of readdirSync(addons)) add(join(addons, d));
  }
  return map;
}
