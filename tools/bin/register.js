// Loads TypeScript for the CLI, its worker threads, and the tenant and environment files it reads: a require
// hook (pirates) compiles each .ts file with swc, the compiler and options the tests use (jest.config.js), and
// keeps the result in node_modules/.cache; JavaScript, including all of node_modules, loads as plain Node.js.
// No type-checking here: `npm run typecheck` does that.
'use strict';
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { addHook } = require('pirates');

const SWC_VERSION = require('@swc/core/package.json').version;
const OPTIONS = {
  jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
  swcrc: false,
  configFile: false,
};
const CACHE = join(dirname(require.resolve('pirates/package.json')), '..', '.cache', 'platformctl', 'ts');
let swc; // loaded on the first cache miss only

function compile(source, filename) {
  const key = createHash('sha1').update(`${SWC_VERSION}\0${JSON.stringify(OPTIONS)}\0${filename}\0`).update(source).digest('hex');
  const cached = join(CACHE, `${key}.js`);
  try {
    return readFileSync(cached, 'utf8');
  } catch {
    // not compiled yet
  }
  swc ??= require('@swc/core');
  const { code } = swc.transformSync(source, { ...OPTIONS, filename });
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
  process.setSourceMapsEnabled(true); // stack traces point into the .ts files
  addHook(compile, { exts: ['.ts'], ignoreNodeModules: true });
}
