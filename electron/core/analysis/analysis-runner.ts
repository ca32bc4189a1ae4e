/**
 * Where the slow half of analysis (strength estimates) runs: a port, so the
 * app can run it in a worker thread (electron/app/analysis-runner.ts) while
 * the CLI, tests and benchmarks run it inline — the same pipeline either way.
 */
import type { CredentialReport } from '../../../shared/analysis/findings.js';
import type { AgeRules } from './analyze.js';
import { analyzeItems, StrengthCache, type AnalysisItem } from './vault-health.js';

export interface AnalysisRunner {
  run(items: AnalysisItem[], now: Date, rules?: AgeRules): Promise<CredentialReport[]>;
  close(): Promise<void>;
}

/** In this thread, with a strength cache that lives as long as the runner. */
export function inlineRunner(): AnalysisRunner {
  const cache = new StrengthCache();
  return {
    run: async (items, now, rules) => analyzeItems(items, now, rules, cache),
    close: async () => undefined,
  };
}
