// Checks some environments of dist/ against the last synth's stamp on its own thread (see distMatches).
'use strict';
require('../../bin/register');
const { parentPort, workerData } = require('node:worker_threads');
const { distMatches } = require('./state.ts');
parentPort.postMessage(distMatches(workerData.distDir, workerData.stamp, workerData.envs));
