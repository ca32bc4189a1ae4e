/**
 * Checks sealed segments in parallel: a worker thread takes every other
 * segment while this thread checks the rest (each segment is independent
 * given its seal, trail-verify.ts checkSegment). With no worker file beside
 * the bundle (tests run from source), everything is checked here.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { TrailKeys } from './trail-records.js';
import { checkSegment, checkSegmentsHere, type SegmentChecker, type SegmentJob, type SegmentResult } from './trail-verify.js';

export interface CheckRequest {
  jobs: SegmentJob[];
  /** The MAC key, copied into the worker and wiped there when done. */
  macKey: Uint8Array;
}

export type CheckResponse = { ok: true; results: SegmentResult[] } | { ok: false; message: string };

/** A checker that shares the segments with one worker thread (`workerFile`, the bundled segment-check-worker). */
export function parallelSegmentChecker(workerFile: string): SegmentChecker {
  if (!existsSync(workerFile)) return checkSegmentsHere;
  return async (jobs, keys) => {
    if (jobs.length < 2) return checkSegmentsHere(jobs, keys);
    const theirs = jobs.filter((_, i) => i % 2 === 1);
    const worker = new Worker(workerFile);
    try {
      const answer = new Promise<SegmentResult[]>((resolve, reject) => {
        worker.once('message', (m: CheckResponse) => (m.ok ? resolve(m.results) : reject(new Error(m.message))));
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`the segment check worker stopped (${code})`)));
      });
      // The copy moves into the worker (transferred, so none is left here); the worker wipes it when done.
      const macKey = new Uint8Array(keys.mac);
      worker.postMessage({ jobs: theirs, macKey } satisfies CheckRequest, [macKey.buffer]);
      // This thread's share while the worker does its own.
      const ours = jobs.filter((_, i) => i % 2 === 0).map((job) => checkSegment(job, keys as Pick<TrailKeys, 'mac'>));
      const other = await answer;
      return jobs.map((_, i) => (i % 2 === 0 ? ours[i / 2]! : other[(i - 1) / 2]!));
    } finally {
      void worker.terminate();
    }
  };
}
