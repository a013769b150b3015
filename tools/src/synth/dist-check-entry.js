// Walks dist/ against the last synth's stamp on its own thread, sharing the work with whichever other thread
// takes items from the same counter (see walkDistPart): one answer per message.
'use strict';
require('../../bin/register');
const { parentPort, workerData } = require('node:worker_threads');
const { walkDistPart } = require('./state.ts');
parentPort.on('message', ({ envs, counter }) => parentPort.postMessage(walkDistPart(workerData.distDir, workerData.stamp, envs, counter)));
