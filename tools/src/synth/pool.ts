import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { UserError } from '../errors';
import type { UnitResult } from './render';
import type { Unit } from './units';

export interface WorkerSetup {
  readonly root: string;
  readonly distDir: string;
  readonly staging: string;
  /** Unit cache directory; rendered units are stored there. @default no caching */
  readonly cacheDir?: string;
  /** Run the validation gate on each rendered unit. */
  readonly validate: boolean;
}
/** A unit to render and the key its output is cached under. */
export interface UnitTask {
  readonly unit: Unit;
  readonly key: string;
}
export interface WorkerRequest { readonly tasks: readonly UnitTask[] }
export type WorkerResponse =
  | { readonly results: readonly UnitResult[]; readonly error?: undefined }
  | { readonly error: { readonly message: string; readonly user: boolean } };

/** Below this many units, starting workers (each loads cdk8s and the model) costs more than it saves. */
export const WORKER_THRESHOLD = 64;
const BATCH = 8;

export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism());
}

/**
 * Renders units on worker threads, handing out small batches to whichever worker is idle. Results are
 * returned in the order of `units`, so the output does not depend on scheduling.
 */
export function renderInWorkers(setup: WorkerSetup, units: readonly UnitTask[], workers: number, onProgress: (done: number) => void): Promise<UnitResult[]> {
  return new Promise((resolve, reject) => {
    const results: UnitResult[][] = [];
    let next = 0;
    let done = 0;
    let failed = false;
    const pool: Worker[] = [];
    const finish = (err?: Error): void => {
      if (failed) return;
      if (err) failed = true;
      if (err || done === units.length) {
        for (const w of pool) void w.terminate();
        if (err) reject(err);
        else resolve(results.flat());
      }
    };
    const dispatch = (worker: Worker): void => {
      if (next >= units.length) return;
      const start = next;
      next = Math.min(units.length, next + BATCH);
      worker.once('message', (response: WorkerResponse) => {
        if (response.error) {
          finish(response.error.user ? new UserError(response.error.message) : new Error(response.error.message));
          return;
        }
        results[start / BATCH] = [...response.results];
        done += response.results.length;
        onProgress(done);
        if (done === units.length) finish();
        else dispatch(worker);
      });
      worker.postMessage({ tasks: units.slice(start, next) } satisfies WorkerRequest);
    };
    const count = Math.max(1, Math.min(workers, Math.ceil(units.length / BATCH)));
    for (let i = 0; i < count; i++) {
      const worker = new Worker(join(__dirname, 'worker-entry.js'), { workerData: setup });
      worker.on('error', (err) => finish(err));
      worker.on('exit', (code) => { if (code !== 0 && done < units.length) finish(new Error(`synth worker exited with code ${code}`)); });
      pool.push(worker);
      dispatch(worker);
    }
  });
}
