/** The worker thread of parallelSegmentChecker (segment-check.ts): checks the segments it is given, then wipes the key. */
import { parentPort } from 'node:worker_threads';
import type { CheckRequest, CheckResponse } from './segment-check.js';
import { checkSegment } from './trail-verify.js';

parentPort?.once('message', (request: CheckRequest) => {
  const mac = Buffer.from(request.macKey.buffer, request.macKey.byteOffset, request.macKey.byteLength);
  let response: CheckResponse;
  try {
    response = { ok: true, results: request.jobs.map((job) => checkSegment(job, { mac })) };
  } catch (err) {
    response = { ok: false, message: err instanceof Error ? err.message : String(err) };
  } finally {
    mac.fill(0);
  }
  parentPort!.postMessage(response);
});
