import { parentPort, workerData } from 'node:worker_threads';
import { UserError } from '../errors';
import { Model, loadModel } from '../model/load';
import { Workspace } from '../workspace';
import type { WorkerRequest, WorkerResponse, WorkerSetup } from './pool';
import { UnitCache } from './cache';
import { synthUnit } from './render';

const setup = workerData as WorkerSetup;
const ws = new Workspace(setup.root, setup.distDir);
let model: Model | undefined;
const cache = setup.cacheDir ? new UnitCache(setup.cacheDir) : undefined;

parentPort!.on('message', (request: WorkerRequest) => {
  let response: WorkerResponse;
  try {
    model ??= loadModel(ws);
    response = { results: request.tasks.map(({ unit, key }) => synthUnit(ws, model!, unit, setup.staging, cache && { store: cache, key }, setup.validate)) };
  } catch (err) {
    response = { error: { message: err instanceof Error ? err.message : String(err), user: err instanceof UserError } };
  }
  parentPort!.postMessage(response);
});
