/** Worker-thread entry for the health pipeline's slow half (bundled as health-worker.cjs beside main and the harness). */
import { parentPort } from 'node:worker_threads';
import { credentialReports, StrengthCache } from '../core/health/vault-health.js';
import type { WorkerRequest, WorkerResponse } from './health-runner.js';

const cache = new StrengthCache();

parentPort?.on('message', (request: WorkerRequest) => {
  let response: WorkerResponse;
  try {
    response = { id: request.id, ok: true, reports: credentialReports(request.items, new Date(request.now), request.rules, cache) };
  } catch {
    // No details cross back: an error's text could quote a value.
    response = { id: request.id, ok: false };
  }
  // Drop our references to the values as soon as the reports are out.
  request.items.length = 0;
  parentPort?.postMessage(response);
});
