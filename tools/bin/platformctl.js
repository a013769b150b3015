#!/usr/bin/env node
// The CLI is TypeScript run through tsx's CommonJS loader (esbuild transforms, cached on disk), so
// tenant and environment files are loaded as written, with no build step before `synth`.
'use strict';
require('tsx/cjs/api').register();
require('../src/cli').main(process.argv).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`${err && err.stack ? err.stack : err}\n`); process.exitCode = 1; },
);
