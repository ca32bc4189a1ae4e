/**
 * Where the health pipeline's slow half (strength estimates) runs: a port, so the
 * app can run it in a worker thread (electron/app/health-runner.ts) while
 * the CLI, tests and benchmarks run it inline — the same pipeline either way.
 */
import type { CredentialReport } from '../../../shared/health/findings.js';
import type { AgeRules } from './analyze.js';
import { credentialReports, StrengthCache, type HealthItem } from './vault-health.js';

export interface HealthRunner {
  run(items: HealthItem[], now: Date, rules?: AgeRules): Promise<CredentialReport[]>;
  close(): Promise<void>;
}

/** In this thread, with a strength cache that lives as long as the runner. */
export function inlineRunner(): HealthRunner {
  const cache = new StrengthCache();
  return {
    run: async (items, now, rules) => credentialReports(items, now, rules, cache),
    close: async () => undefined,
  };
}
