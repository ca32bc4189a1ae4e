/**
 * The one audit wrapper. Every operation of every core service — credential
 * operations and vault lifecycle alike — runs through `AuditDoor.run`, which
 * records who (the actor the entry point passed in), what, which credential,
 * and the outcome with its error code. Never a value, never a password.
 */
import type { ErrorCode } from '../../../shared/errors.js';
import { KeywardError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { AuditActor, AuditSink } from './audit-sink.js';

/** What an operation was about: a credential, by id when known, else by the name asked for. */
export interface AuditTarget {
  id?: string;
  name?: string;
}

export class AuditDoor {
  // `#` fields: no caller outside can swap the sink or the clock an operation is recorded with.
  readonly #sink: AuditSink;
  readonly #clock: Clock;
  readonly actor: AuditActor;

  constructor(sink: AuditSink, clock: Clock, actor: AuditActor) {
    this.#sink = sink;
    this.#clock = clock;
    this.actor = actor;
  }

  /**
   * Runs `work` and records one event, success or failure. `produced` names the
   * target from the result when it was not known before (an added credential);
   * `failedBy` tells a result that reports a failure without throwing (a
   * verification that found problems) and its code.
   */
  async run<T>(
    action: string,
    target: AuditTarget | undefined,
    work: () => T | Promise<T>,
    produced?: (result: T) => AuditTarget | undefined,
    failedBy?: (result: T) => ErrorCode | undefined,
  ): Promise<T> {
    let result: T;
    try {
      result = await work();
    } catch (err) {
      await this.record(action, target, 'failure', err instanceof KeywardError ? err.code : 'INTERNAL');
      throw err;
    }
    const failure = failedBy?.(result);
    await this.record(action, target?.id ? target : (produced?.(result) ?? target), failure ? 'failure' : 'success', failure);
    return result;
  }

  private async record(action: string, target: AuditTarget | undefined, outcome: 'success' | 'failure', errorCode?: ErrorCode): Promise<void> {
    await this.#sink.record({
      at: this.#clock.now().toISOString(),
      actor: this.actor,
      action,
      ...(target?.id ? { credentialId: target.id } : {}),
      ...(target?.name ? { credentialName: target.name } : {}),
      outcome,
      ...(errorCode ? { errorCode } : {}),
    });
  }
}
