/**
 * Health: the one health pipeline (the app, the CLI and the benchmarks all
 * run this). It decrypts each current value in this process, hands the items
 * to the runner for the slow half (strength estimates), keeps new estimates in
 * the vault so each password is estimated once, ever, and reuses the last
 * report while it is still valid (HealthReportCache).
 */
import type { CredentialReport, ValueCheck, ValueCheckRequest, VaultHealth } from '../../../shared/health/findings.js';
import { inlineRunner, type HealthRunner } from '../health/health-runner.js';
import { valueCheckFrom, valueCheckItem } from '../health/value-check.js';
import { HealthReportCache } from '../health/report-cache.js';
import { collectHealthItems, newStrengths, persistStrengths, summarise } from '../health/vault-health.js';
import { fail } from '../errors.js';
import type { PolicyGate } from '../policy/policy-gate.js';
import type { Clock } from '../ports/clock.js';
import type { VaultSession } from '../vault/vault-session.js';
import { findCredential, type VaultService } from './vault-service.js';

export interface HealthServiceOptions {
  runner?: HealthRunner;
}

export class HealthService {
  readonly #session: VaultSession;
  readonly #credentials: VaultService;
  readonly #policy: PolicyGate;
  readonly #clock: Clock;
  readonly #runner: HealthRunner;
  readonly #cache = new HealthReportCache();

  constructor(session: VaultSession, credentials: VaultService, policy: PolicyGate, clock: Clock, options: HealthServiceOptions = {}) {
    this.#session = session;
    this.#credentials = credentials;
    this.#policy = policy;
    this.#clock = clock;
    this.#runner = options.runner ?? inlineRunner();
  }

  /** The vault's health (it decrypts values, so it is recorded like a reveal). */
  vault(): Promise<VaultHealth> {
    return this.current();
  }

  /** One credential's report, by id or name (recorded under that credential when it is checked for it). */
  async credential(ref: string): Promise<CredentialReport> {
    let id = '';
    // Looked up inside the door, so asking for a credential that does not exist is recorded too.
    const health = await this.current(ref, () => void (id = findCredential(this.#session.state, ref).id));
    const report = health.reports.find((r) => r.id === id);
    if (!report) throw fail.notFound('No such credential.');
    return report;
  }

  /**
   * The cached report, or a new one, recorded as 'analyse' either way (a
   * reused report still tells what the values are like). Everything — the
   * re-read of the file included — runs inside the door, so a failure (a
   * locked or damaged vault) is recorded like any other.
   */
  private current(target?: string, lookUp: () => void = () => undefined): Promise<VaultHealth> {
    return this.#credentials.readForHealth(async () => {
      await this.#session.refresh();
      lookUp();
      const now = this.#clock.now();
      const cached = this.#cache.get(this.#session.info.generation, now);
      if (cached) return cached;
      const health = await this.computeHealth(now);
      // Keyed after the estimates were kept, which saved the vault.
      this.#cache.set(this.#session.info.generation, now, health);
      return health;
    }, target);
  }

  /**
   * What the health pipeline says about a value being typed (not saved), by
   * the same rules, in the same runner. Recorded (without the value): the
   * answer says whether the value is one the vault already holds.
   */
  value(request: ValueCheckRequest): Promise<ValueCheck> {
    return this.#credentials.run('health.checkValue', undefined, async () => {
      const now = this.#clock.now();
      const [report] = await this.#runner.run([valueCheckItem(this.#session, this.#policy, request, now)], now);
      return valueCheckFrom(report!);
    });
  }

  private async computeHealth(now: Date): Promise<VaultHealth> {
    const items = collectHealthItems(this.#session, this.#policy);
    const reports = await this.#runner.run(items, now);
    // Housekeeping: if the estimates cannot be kept now (vault busy), the next run computes them again.
    await persistStrengths(this.#session, newStrengths(items, reports)).catch(() => undefined);
    return summarise(reports, now);
  }
}
