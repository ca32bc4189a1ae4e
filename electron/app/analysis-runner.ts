/**
 * Runs the slow half of vault analysis (strength estimates) off the main
 * thread in the app, so IPC stays responsive while 10k credentials are
 * analysed. The worker keeps its strength cache between runs, keyed by
 * keyed fingerprints, so an unchanged vault re-analyses quickly.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { CredentialReport } from '../../shared/analysis/findings.js';
import type { AgeRules } from '../core/analysis/analyze.js';
import { inlineRunner, type AnalysisRunner } from '../core/analysis/analysis-runner.js';
import type { AnalysisItem } from '../core/analysis/vault-health.js';


export interface WorkerRequest {
  id: number;
  items: AnalysisItem[];
  now: string;
  rules?: AgeRules;
}

export type WorkerResponse = { id: number; ok: true; reports: CredentialReport[] } | { id: number; ok: false };

/** A worker-thread runner when the bundled worker exists beside us; otherwise inline. */
export function workerRunner(workerFile: string): AnalysisRunner {
  if (!existsSync(workerFile)) return inlineRunner();
  let worker: Worker | null = null;
  let next = 0;
  const waiting = new Map<number, { resolve: (r: CredentialReport[]) => void; reject: (e: Error) => void }>();
  const start = () => {
    const w = new Worker(workerFile);
    w.unref();
    w.on('message', (m: WorkerResponse) => {
      const p = waiting.get(m.id);
      waiting.delete(m.id);
      if (m.ok) p?.resolve(m.reports);
      else p?.reject(new Error('analysis failed'));
    });
    w.on('error', () => undefined);
    w.on('exit', () => {
      worker = null;
      for (const p of waiting.values()) p.reject(new Error('analysis worker stopped'));
      waiting.clear();
    });
    return w;
  };
  return {
    run(items, now, rules) {
      worker ??= start();
      const id = next++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker!.postMessage({ id, items, now: now.toISOString(), rules } satisfies WorkerRequest);
      });
    },
    async close() {
      await worker?.terminate();
      worker = null;
    },
  };
}
