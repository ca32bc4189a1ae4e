/**
 * Rotation: policies, snoozes, "rotated at the provider" confirmations,
 * rollbacks and command rotators. Every operation goes through the vault
 * service's audited door; values are handled only in memory and on the
 * rotator's stdin/stdout.
 *
 * A command rotator runs create → set → test → finish, then revoke:
 *   create  the create command gets the current value on stdin, prints the new one;
 *   set     the new value is stored as a `pending` version (current untouched);
 *   test    the test command gets the new value on stdin and must exit 0;
 *   finish  pending becomes current, current becomes previous;
 *   revoke  the revoke command gets the old value on stdin; if it fails the new
 *           value stays current and the failure is recorded.
 * A failure before finish leaves `current` as it was and keeps the pending value
 * (as history, noted) for inspection; the next run starts afresh with create.
 */
import type { DueItem, RotationOverride, RotationRun, RotationStep, RotatorConfig } from '../../../shared/rotation.js';
import { ROTATION_LIMITS } from '../../../shared/rotation.js';
import { fail, KeywardError } from '../errors.js';
import { currentVersionOf, findCredential, toDetail, trimHistory, type VaultService } from '../service/vault-service.js';
import type { StoredCredential } from '../vault/body.js';
import { dueWithin, effectiveRules, schedule } from './due.js';
import { rotatorEnvironment, runCommand, type CommandResult } from './run-command.js';
import type { CredentialDetail } from '../../../shared/domain.js';

export const DEFAULT_ROTATOR_TIMEOUT_SECONDS = 60;
const RUNS_TO_KEEP = 20;

export type PolicyScope = { credential: string } | { type: string } | { provider: string } | { defaults: true };

export interface RotatorOutcome {
  detail: CredentialDetail;
  /** Set when everything up to finish worked but revoking the old value failed. */
  revokeFailed: boolean;
}

export interface DryRunResult {
  /** Whether each configured command's program could be found. */
  commands: Array<{ step: 'create' | 'test' | 'revoke'; command: string; found: boolean }>;
  /** The test command run against the current value (null when there is none). */
  testOfCurrent: { passed: boolean; exitCode: number | null; timedOut: boolean } | null;
}

function checkDays(value: number | undefined, field: string, min: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min || value > ROTATION_LIMITS.days.max)
    throw fail.badRequest(`${field} must be a whole number of days from ${min} to ${ROTATION_LIMITS.days.max}.`, field);
}

export function validateOverride(o: RotationOverride): RotationOverride {
  checkDays(o.intervalDays, 'intervalDays', ROTATION_LIMITS.days.min);
  checkDays(o.maxAgeDays, 'maxAgeDays', ROTATION_LIMITS.days.min);
  checkDays(o.reminderLeadDays, 'reminderLeadDays', ROTATION_LIMITS.leadDays.min);
  const clean: RotationOverride = {};
  if (o.intervalDays !== undefined) clean.intervalDays = o.intervalDays;
  if (o.maxAgeDays !== undefined) clean.maxAgeDays = o.maxAgeDays;
  if (o.reminderLeadDays !== undefined) clean.reminderLeadDays = o.reminderLeadDays;
  return clean;
}

export class RotationService {
  constructor(
    private readonly svc: VaultService,
    private readonly options: { env?: NodeJS.ProcessEnv; run?: typeof runCommand } = {},
  ) {}

  private get now(): Date {
    return this.svc.deps.clock.now();
  }

  /** One audited change to one credential, applied to the latest state under the write lock. */
  private change(action: string, ref: string, apply: (c: StoredCredential) => void): Promise<CredentialDetail> {
    return this.svc.run(action, ref, async () => {
      const id = findCredential(this.svc.session.state, ref).id;
      return this.svc.session.transact((body) => {
        const c = findCredential(body, id);
        apply(c);
        return toDetail(c);
      });
    });
  }

  due(withinDays?: number): Promise<DueItem[]> {
    return this.svc.run('due', undefined, () => dueWithin(this.svc.session.state, this.now, withinDays));
  }

  schedule(): Promise<DueItem[]> {
    return this.svc.run('schedule', undefined, () => schedule(this.svc.session.state, this.now));
  }

  /** Sets (or, with an empty override, clears) rotation rules at one level. */
  setPolicy(scope: PolicyScope, override: RotationOverride): Promise<void> {
    const target = 'credential' in scope ? scope.credential : undefined;
    return this.svc.run('policy.set', target, async () => {
      const clean = validateOverride(override);
      const existing = 'credential' in scope ? findCredential(this.svc.session.state, scope.credential) : null;
      await this.svc.session.transact((body) => {
        if ('defaults' in scope) body.rotation.defaults = { ...body.rotation.defaults, ...clean };
        else if ('type' in scope) body.rotation.byType[scope.type] = clean;
        else if ('provider' in scope) body.rotation.byProvider[scope.provider.trim().toLowerCase()] = clean;
        else {
          const c = findCredential(body, existing!.id);
          c.rotation = { ...c.rotation, override: clean };
        }
        const rules = 'credential' in scope ? effectiveRules(body.rotation, findCredential(body, existing!.id)) : body.rotation.defaults;
        if (rules.maxAgeDays < rules.intervalDays) throw fail.badRequest('The maximum age cannot be shorter than the rotation interval.', 'maxAgeDays');
      });
    });
  }

  /** Sets an explicit expiry date (or clears it with null). */
  setExpiry(ref: string, expiresAt: string | null): Promise<CredentialDetail> {
    return this.svc.update(ref, { expiresAt });
  }

  snooze(ref: string, until: Date | null): Promise<CredentialDetail> {
    return this.change('snooze', ref, (c) => {
      if (until && until.getTime() <= this.now.getTime()) throw fail.badRequest('Snooze until a time in the future.', 'until');
      c.rotation = { ...c.rotation, snoozedUntil: until ? until.toISOString() : null };
    });
  }

  /** "I rotated it at the provider": resets the clock without a new value. */
  markRotated(ref: string): Promise<CredentialDetail> {
    return this.change('rotate.marked', ref, (c) => {
      const now = this.now.toISOString();
      c.lastRotatedAt = now;
      c.updatedAt = now;
      c.rotation = { ...c.rotation, snoozedUntil: null };
      this.recordRun(c, { at: now, kind: 'marked', outcome: 'success' });
    });
  }

  /** Makes `previous` current again (and the rolled-back value previous, so it can be undone). */
  rollback(ref: string): Promise<CredentialDetail> {
    return this.change('rollback', ref, (c) => {
      const previous = c.versions.find((v) => v.stage === 'previous');
      if (!previous) throw fail.notFound(`"${c.name.slice(0, 80)}" has no previous version to roll back to.`);
      currentVersionOf(c).stage = 'previous';
      previous.stage = 'current';
      const now = this.now.toISOString();
      c.updatedAt = now;
      this.recordRun(c, { at: now, kind: 'rollback', outcome: 'success', version: previous.version });
    });
  }

  setRotator(ref: string, config: Omit<RotatorConfig, 'confirmedAt' | 'timeoutSeconds'> & { timeoutSeconds?: number }): Promise<CredentialDetail> {
    const clean = validateRotator(config, this.now);
    return this.change('rotator.set', ref, (c) => {
      c.rotation = { ...c.rotation, rotator: clean };
    });
  }

  clearRotator(ref: string): Promise<CredentialDetail> {
    return this.change('rotator.clear', ref, (c) => {
      c.rotation = { ...c.rotation, rotator: undefined };
    });
  }

  /** Checks a rotator without creating anything: finds its programs and runs only the test command on the current value. */
  dryRun(ref: string): Promise<DryRunResult> {
    return this.svc.run('rotator.dryRun', ref, async () => {
      const c = findCredential(this.svc.session.state, ref);
      const rotator = c.rotation?.rotator;
      if (!rotator) throw fail.notFound(`"${c.name.slice(0, 80)}" has no rotator configured.`);
      const env = rotatorEnvironment(this.options.env ?? process.env, c.name, c.provider);
      const steps = (['create', 'test', 'revoke'] as const).filter((s) => rotator[s]);
      const commands = await Promise.all(steps.map(async (step) => ({ step, command: rotator[step]!, found: await programExists(rotator[step]!, env) })));
      let testOfCurrent: DryRunResult['testOfCurrent'] = null;
      if (rotator.test) {
        const value = await this.svc.reveal(c.id);
        const r = await (this.options.run ?? runCommand)(rotator.test, { stdin: value, env, timeoutMs: rotator.timeoutSeconds * 1000 });
        testOfCurrent = { passed: r.exitCode === 0 && !r.timedOut, exitCode: r.exitCode, timedOut: r.timedOut };
      }
      return { commands, testOfCurrent };
    });
  }

  /** Runs the configured rotator end to end. Throws ROTATION_FAILED (current untouched) when a step before finish fails. */
  runRotator(ref: string): Promise<RotatorOutcome> {
    return this.svc.run('rotate.rotator', ref, async () => {
      // Start from what is on disk: the value fed to create (and later revoked) must be the real current one.
      await this.svc.session.refresh();
      const c = findCredential(this.svc.session.state, ref);
      if (!c.active) throw fail.badRequest(`"${c.name.slice(0, 80)}" is deactivated; deactivated credentials are never rotated.`);
      const rotator = c.rotation?.rotator;
      if (!rotator) throw fail.notFound(`"${c.name.slice(0, 80)}" has no rotator configured. Set one with "keyward rotator set".`);
      const env = rotatorEnvironment(this.options.env ?? process.env, c.name, c.provider);
      const run = this.options.run ?? runCommand;
      const timeoutMs = rotator.timeoutSeconds * 1000;
      const oldValue = await this.svc.reveal(c.id);

      // create
      const created = await run(rotator.create, { stdin: oldValue, env, timeoutMs });
      const newValue = created.stdout.replace(/\r?\n$/, '');
      if (!stepSucceeded(created) || newValue === '') {
        throw await this.failRun(c.id, 'create', describeFailure('create', created, newValue === '' && stepSucceeded(created)));
      }
      if (newValue === oldValue) throw await this.failRun(c.id, 'create', 'The create command printed the current value again, not a new one.');

      // set: store as pending; current is untouched
      let pendingVersion: number;
      try {
        this.svc.resolveValue(c, { value: newValue }, {}, 'manual');
        pendingVersion = await this.svc.session.transact((body) => {
          const cred = findCredential(body, c.id);
          for (const v of cred.versions) if (v.stage === 'pending') Object.assign(v, { stage: 'history', note: v.note ?? 'superseded by a later rotator run' });
          const version = Math.max(...cred.versions.map((v) => v.version)) + 1;
          cred.versions.push({ ...this.svc.sealVersion(body, cred.id, version, newValue, 'rotator', this.now.toISOString()), stage: 'pending' });
          return version;
        });
      } catch (err) {
        const why = err instanceof KeywardError ? err.message : 'The new value could not be stored.';
        throw await this.failRun(c.id, 'set', why);
      }

      // test
      if (rotator.test) {
        const tested = await run(rotator.test, { stdin: newValue, env, timeoutMs });
        if (!stepSucceeded(tested)) throw await this.failRun(c.id, 'test', describeFailure('test', tested, false), pendingVersion);
      }

      // finish
      let detail: CredentialDetail;
      try {
        detail = await this.svc.session.transact((body) => {
          const cred = findCredential(body, c.id);
          for (const v of cred.versions) {
            if (v.stage === 'previous') v.stage = 'history';
            if (v.stage === 'current') v.stage = 'previous';
          }
          cred.versions.find((v) => v.version === pendingVersion)!.stage = 'current';
          trimHistory(cred, body.settings.historyToKeep);
          const now = this.now.toISOString();
          cred.lastRotatedAt = now;
          cred.updatedAt = now;
          cred.rotation = { ...cred.rotation, snoozedUntil: null };
          if (!rotator.revoke) this.recordRun(cred, { at: now, kind: 'rotator', outcome: 'success', version: pendingVersion });
          return toDetail(cred);
        });
      } catch (err) {
        // The file may have been replaced before the error (a failed folder sync): then the rotation did finish.
        const landed = findCredential(this.svc.session.state, c.id).versions.find((v) => v.version === pendingVersion)?.stage === 'current';
        if (landed) throw err;
        throw await this.failRun(c.id, 'finish', err instanceof KeywardError ? err.message : 'The vault could not be saved.', pendingVersion);
      }

      // revoke: after finish, so a failure here never loses the working key
      if (rotator.revoke) {
        const revoked = await run(rotator.revoke, { stdin: oldValue, env, timeoutMs });
        const ok = stepSucceeded(revoked);
        const final = await this.svc.session.transact((body) => {
          const cred = findCredential(body, c.id);
          this.recordRun(cred, {
            at: this.now.toISOString(),
            kind: 'rotator',
            outcome: ok ? 'success' : 'revoke_failed',
            version: pendingVersion,
            ...(ok ? {} : { failedStep: 'revoke' as const, message: describeFailure('revoke', revoked, false) }),
          });
          return toDetail(cred);
        });
        return { detail: final, revokeFailed: !ok };
      }
      return { detail, revokeFailed: false };
    });
  }

  private recordRun(c: StoredCredential, run: RotationRun): void {
    const runs = [...(c.rotation?.runs ?? []), run].slice(-RUNS_TO_KEEP);
    c.rotation = { ...c.rotation, runs };
  }

  /** Records a failed run (keeping any pending value as noted history) and returns the error to throw. */
  private async failRun(id: string, step: RotationStep, message: string, pendingVersion?: number): Promise<KeywardError> {
    await this.svc.session
      .transact((body) => {
        const cred = findCredential(body, id);
        if (pendingVersion !== undefined) {
          const pending = cred.versions.find((v) => v.version === pendingVersion);
          if (pending?.stage === 'pending') Object.assign(pending, { stage: 'history', note: `rotator run failed at the ${step} step` });
        }
        this.recordRun(cred, { at: this.now.toISOString(), kind: 'rotator', outcome: 'failure', failedStep: step, message, ...(pendingVersion ? { version: pendingVersion } : {}) });
      })
      .catch(() => undefined);
    return new KeywardError('ROTATION_FAILED', `Rotation failed at the ${step} step: ${message} The current value is unchanged.`, { step });
  }
}

function stepSucceeded(r: CommandResult): boolean {
  return !r.failedToStart && !r.timedOut && r.exitCode === 0;
}

function describeFailure(step: string, r: CommandResult, emptyOutput: boolean): string {
  // Never quote the command's output: it may be (or contain) a secret.
  if (r.failedToStart) return `The ${step} command could not be started.`;
  if (r.timedOut) return `The ${step} command did not finish within its timeout and was stopped.`;
  if (emptyOutput) return `The ${step} command printed no new value.`;
  return `The ${step} command exited with code ${r.exitCode}.`;
}

function validateRotator(config: { create: string; test?: string; revoke?: string; timeoutSeconds?: number }, now: Date): RotatorConfig {
  const cmd = (value: unknown, field: string, required: boolean): string | undefined => {
    if (value === undefined || value === '') {
      if (required) throw fail.badRequest(`The ${field} command is required.`, field);
      return undefined;
    }
    if (typeof value !== 'string' || value.length > 4096 || /[\0\r\n]/.test(value)) throw fail.badRequest(`The ${field} command must be one line of at most 4096 characters.`, field);
    return value.trim();
  };
  const timeoutSeconds = config.timeoutSeconds ?? DEFAULT_ROTATOR_TIMEOUT_SECONDS;
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 3600) throw fail.badRequest('The timeout must be 1–3600 seconds.', 'timeoutSeconds');
  const clean: RotatorConfig = { create: cmd(config.create, 'create', true)!, timeoutSeconds, confirmedAt: now.toISOString() };
  const test = cmd(config.test, 'test', false);
  const revoke = cmd(config.revoke, 'revoke', false);
  if (test) clean.test = test;
  if (revoke) clean.revoke = revoke;
  return clean;
}

/** Whether the first word of a command (unquoted, as the shell would read it) names a program the shell can find. */
async function programExists(command: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  const first = /^\s*(?:"([^"]*)"|'([^']*)'|(\S+))/.exec(command);
  const program = first?.[1] ?? first?.[2] ?? first?.[3] ?? '';
  if (!program) return false;
  const r = await runCommand(`command -v -- '${program.replace(/'/g, `'\\''`)}' >/dev/null 2>&1`, { stdin: '', env, timeoutMs: 5_000 });
  return r.exitCode === 0;
}
