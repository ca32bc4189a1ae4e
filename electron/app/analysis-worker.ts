/** Worker-thread entry for vault analysis (bundled as analysis-worker.cjs beside main and the harness). */
import { parentPort } from 'node:worker_threads';
import { analyzeItems, StrengthCache } from '../core/analysis/vault-health.js';
import type { WorkerRequest, WorkerResponse } from './analysis-runner.js';

const cache = new StrengthCache();

parentPort?.on('message', (request: WorkerRequest) => {
  let response: WorkerResponse;
  try {
    response = { id: request.id, ok: true, reports: analyzeItems(request.items, new Date(request.now), request.rules, cache) };
  } catch {
    // No details cross back: an error's text could quote a value.
    response = { id: request.id, ok: false };
  }
  // Drop our references to the values as soon as the reports are out.
  request.items.length = 0;
  parentPort?.postMessage(response);
});
