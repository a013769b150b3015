// Checks dist/ against the last synth's state on its own thread, while the main thread plans and renders.
'use strict';
require('tsx/cjs/api').register();
const { parentPort, workerData } = require('node:worker_threads');
const { distMatches, loadState } = require('./state.ts');
const state = loadState(workerData.statePath);
parentPort.postMessage(Boolean(state) && distMatches(workerData.distDir, state, state.envs));
