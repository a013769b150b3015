#!/usr/bin/env node
// The CLI is TypeScript loaded through a require hook (./register.js: swc, cached on disk), so tenant and
// environment files are loaded as written, with no build step before `synth`.
'use strict';
require('./register');
require('../src/cli').main(process.argv).then(
  (code) => { process.exitCode = code; },
  (err) => {
    process.setSourceMapsEnabled(true); // the stack is formatted now: through the maps of the files that have one
    process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 1;
  },
);
