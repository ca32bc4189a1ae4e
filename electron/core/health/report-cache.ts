/**
 * The last vault health report, reused while neither the vault's generation
 * (any save, by any process) nor the hour changed: age findings move with the
 * clock, everything else with the file.
 */
import type { VaultHealth } from '../../../shared/health/findings.js';

export class HealthReportCache {
  private last: { key: string; health: VaultHealth } | null = null;

  private static key(generation: number, now: Date): string {
    return `${generation}|${now.toISOString().slice(0, 13)}`;
  }

  get(generation: number, now: Date): VaultHealth | null {
    return this.last?.key === HealthReportCache.key(generation, now) ? this.last.health : null;
  }

  set(generation: number, now: Date, health: VaultHealth): void {
    this.last = { key: HealthReportCache.key(generation, now), health };
  }
}
