import { describe, expect, it } from 'vitest';
import type { VaultHealth } from '../../../shared/health/findings.js';
import { HealthReportCache } from './report-cache.js';

describe('HealthReportCache', () => {
  it('reuses a report for the same vault generation within the hour, and never after a save or into the next hour', () => {
    const cache = new HealthReportCache();
    const report = { score: 90 } as VaultHealth;
    const at = new Date('2026-12-02T10:05:00Z');
    expect(cache.get(7, at)).toBeNull();
    cache.set(7, at, report);
    expect(cache.get(7, new Date('2026-12-02T10:59:59Z'))).toBe(report);
    expect(cache.get(8, at)).toBeNull();
    expect(cache.get(7, new Date('2026-12-02T11:00:00Z'))).toBeNull();
  });
});
