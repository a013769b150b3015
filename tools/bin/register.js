// Loads TypeScript for the CLI, its worker threads, and the tenant and environment files it reads: a require
// hook (pirates) compiles each .ts file with swc, the compiler and options the tests use (jest.config.js), and
// keeps the result in node_modules/.cache; JavaScript, including all of node_modules, loads as plain Node.js.
// No type-checking here: `npm run typecheck` does that.
'use strict';
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { dirname, join, sep } = require('node:path');
const { addHook } = require('pirates');

const SWC_VERSION = require('@swc/core/package.json').version;
const OPTIONS = {
  jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
  module: { type: 'commonjs' },
  swcrc: false,
  configFile: false,
};
// Stack traces point into the .ts files that users write (tenants, environments) through inline source maps. The
// platform's own code is compiled without, and source maps are switched on only while a user's file loads: with
// them on, Node scans every module it loads for a map (cdk8s and its L1 classes are megabytes) and decodes each one
// it finds, which costs more than loading those modules from the cache. The CLI switches them on before it prints
// a stack. PLATFORMCTL_SOURCE_MAPS=1 maps everything (debugging the platform's code).
const REPO = join(__dirname, '..', '..');
const UNMAPPED = ['tools', 'charts', 'addons', join('environments', 'src')].map((d) => join(REPO, d) + sep);
const mapAll = process.env.PLATFORMCTL_SOURCE_MAPS === '1';
const optionsFor = (filename) => (!mapAll && UNMAPPED.some((d) => filename.startsWith(d)) ? OPTIONS : { ...OPTIONS, sourceMaps: 'inline' });
const CACHE = join(dirname(require.resolve('pirates/package.json')), '..', '.cache', 'platformctl', 'ts');
let swc; // loaded on the first cache miss only

function compile(source, filename) {
  const options = optionsFor(filename);
  // Node keeps a module's map only if maps are on while it compiles, which happens right after this hook returns.
  process.setSourceMapsEnabled(options.sourceMaps !== undefined);
  const key = createHash('sha1').update(`${SWC_VERSION}\0${JSON.stringify(options)}\0${filename}\0`).update(source).digest('hex');
  const cached = join(CACHE, `${key}.js`);
  try {
    return readFileSync(cached, 'utf8');
  } catch {
    // not compiled yet
  }
  swc ??= require('@swc/core');
  const { code } = swc.transformSync(source, { ...options, filename });
  try {
    mkdirSync(CACHE, { recursive: true });
    const tmp = `${cached}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(tmp, code);
    renameSync(tmp, cached); // atomic: parallel processes and worker threads never read half a file
  } catch {
    // a read-only cache only costs a compile next time
  }
  return code;
}

if (!process.__platformctlRegistered) {
  process.__platformctlRegistered = true;
  addHook(compile, { exts: ['.ts'], ignoreNodeModules: true });
}
