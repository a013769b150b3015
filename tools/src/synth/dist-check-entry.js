// Checks environments of dist/ against the last synth's stamp on its own thread (see distMatches): one answer per
// message (a list of environments), in order.
'use strict';
require('../../bin/register');
const { parentPort, workerData } = require('node:worker_threads');
const { distMatches } = require('./state.ts');
parentPort.on('message', (envs) => parentPort.postMessage(distMatches(workerData.distDir, workerData.stamp, envs)));
