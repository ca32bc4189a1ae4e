/**
 * Runs the health pipeline's slow half (strength estimates) off the main
 * thread in the app, so IPC stays responsive while 10k credentials are
 * analysed. The worker keeps its strength cache between runs, keyed by
 * keyed fingerprints, so an unchanged vault re-analyses quickly.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { CredentialReport } from '../../shared/health/findings.js';
import type { AgeRules } from '../core/health/analyze.js';
import { inlineRunner, type HealthRunner } from '../core/health/health-runner.js';
import type { HealthItem } from '../core/health/vault-health.js';


export interface WorkerRequest {
  id: number;
  items: HealthItem[];
  now: string;
  rules?: AgeRules;
}

export type WorkerResponse = { id: number; ok: true; reports: CredentialReport[] } | { id: number; ok: false };

/** A worker-thread runner when the bundled worker exists beside us; otherwise inline. */
export function workerRunner(workerFile: string): HealthRunner {
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
      else p?.reject(new Error('health check failed'));
    });
    w.on('error', () => undefined);
    w.on('exit', () => {
      worker = null;
      for (const p of waiting.values()) p.reject(new Error('health worker stopped'));
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
