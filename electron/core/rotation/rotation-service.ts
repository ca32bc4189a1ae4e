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
 *
 * A value create printed is never thrown away: the provider may already have
 * replaced the old key with it. If it breaks the policy (or the 1 MiB limit) it
 * is still stored, as noted history, and the run fails at set naming the rule;
 * the user may `promote` it on purpose. If the vault cannot be written at all
 * (locked while create ran, busy, a disk error) it is held sealed in memory
 * (`RescuedValues`) and written by `flushRescued` at the next unlock.
 *
 * Programs are stored as absolute paths, resolved when the rotator is
 * configured (see program-path.ts), and every step runs in one fixed folder.
 */
import { hostname } from 'node:os';
import type { CredentialDetail, CredentialRotation } from '../../../shared/domain.js';
import type { RotationStatus, RotationTimeline, RotationTimelineRequest } from '../../../shared/ipc/rotation.js';
import { TIMELINE_GROUPS, TIMELINE_PAGE, type TimelineGroup } from '../../../shared/rotation.js';
import type { ErrorCode } from '../../../shared/errors.js';
import type { DueItem, RotationOverride, RotationPolicySettings, RotationRun, RotationStep, RotatorConfig } from '../../../shared/rotation.js';
import { ROTATION_LIMITS } from '../../../shared/rotation.js';
import { fail, KeywardError } from '../errors.js';
import type { PolicyGate, PolicyViolation, ValueContext } from '../policy/policy-gate.js';
import type { Clock } from '../ports/clock.js';
import { currentVersionOf, editFound, findCredential, MAX_VALUE_BYTES, sealVersion, toDetail, trimHistory, type VaultService } from '../service/vault-service.js';
import { internalsOf } from '../service/service-internals.js';
import type { StoredCredential } from '../vault/body.js';
import type { VaultSession } from '../vault/vault-session.js';
import { dueItemFor, dueWithin, effectiveRules, reminderCountPaced, scheduleViewPaced, timelinePaced, vaultKeyDueAt } from './due.js';
import { absoluteProgramOf, isExecutableFile, quoteForShell, resolveCommand, rotatorWorkDir, type ResolveContext } from './program-path.js';
import { RescuedValues } from './rescued-values.js';
import type { MarkedEntry, UndoBuffer } from '../service/undo-buffer.js';
import { rotatorEnvironment, runCommand, type CommandResult } from './run-command.js';
import type { Random } from '../ports/random.js';
import { credentialById } from '../vault/credential-index.js';
import { processIsAlive } from '../vault/write-lock.js';

export const DEFAULT_ROTATOR_TIMEOUT_SECONDS = 60;
const RUNS_TO_KEEP = 20;
/**
 * How much a create command may print. More than a value may be (1 MiB), so
 * that a too-large value the provider has already minted is still kept (as
 * noted history) rather than lost; beyond this, the output is discarded.
 */
export const CREATE_OUTPUT_CAP_BYTES = 4 * 1024 * 1024;
/** The rule a value over MAX_VALUE_BYTES breaks: a hard limit, not overridable with force. */
export const MAX_SIZE_RULE = 'max_size';

export interface RotationOptions {
  /** The environment rotators inherit (minus KEYWARD_*); bare program names are looked up in its PATH. */
  env?: NodeJS.ProcessEnv;
  /** Runs one step (tests wrap it). */
  run?: typeof runCommand;
  /**
   * The folder a relative program is resolved against when a rotator is
   * configured: the CLI passes the folder it was started in. Without it,
   * relative programs are refused.
   */
  cwd?: string;
  /** The fixed folder every step runs in (default: the user's home folder). Never the process's current folder. */
  workDir?: string;
  /** Where values that could not be written wait for the next unlock. Share one per process and call `flushRescued` after unlocking. */
  rescued?: RescuedValues;
  /** Keeps what "rotated at the provider" overwrote, so it can be undone (share one per session). */
  undo?: UndoBuffer;
}

/** What `flushRescued` wrote, so the caller can tell the user. */
export interface FlushReport {
  written: Array<{ credentialId: string; name: string; at: string; hadValue: boolean; version?: number }>;
  /** Entries for this vault still held (they could not be written now). */
  left: number;
  /** Why the first entry left could not be written. */
  error?: ErrorCode;
}

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

interface RunContext {
  vaultId: string;
  id: string;
  name: string;
  /** The run's hold on the credential (startRun), once taken. */
  lease?: string;
}

export interface RotationOverview {
  items: DueItem[];
  policy: RotationPolicySettings;
  vaultKeyDueAt: string | null;
  reminders: number;
}

/** When the session's vault key is due for rotation, as the screens show it (null: its schedule is off). */
function vaultKeyDueIso(session: VaultSession): string | null {
  return vaultKeyDueAt(session.state, session.info.createdAt)?.toISOString() ?? null;
}

export class RotationService {
  readonly rescued: RescuedValues;

  // `#` fields: the session behind the credential service stays unreachable from outside the core.
  readonly #svc: VaultService;
  readonly #session: VaultSession;
  readonly #clock: Clock;
  readonly #policy: PolicyGate;
  readonly #random: Random;
  readonly #options: RotationOptions;

  constructor(svc: VaultService, options: RotationOptions = {}) {
    const internals = internalsOf(svc);
    this.#svc = svc;
    this.#session = internals.session;
    this.#clock = internals.deps.clock;
    this.#policy = internals.deps.policy;
    this.#random = internals.deps.random;
    this.#options = options;
    this.rescued = options.rescued ?? new RescuedValues();
  }

  private get workDir(): string {
    return this.#options.workDir ?? rotatorWorkDir();
  }

  private get now(): Date {
    return this.#clock.now();
  }

  /** One audited change to one credential, applied to the latest state under the write lock. */
  private change(action: string, ref: string, apply: (c: StoredCredential) => void): Promise<CredentialDetail> {
    return this.#svc.run(action, ref, async () => {
      const id = findCredential(this.#session.state, ref).id;
      return this.#session.transact((body) => {
        const c = editFound(body, id);
        apply(c);
        return toDetail(c);
      });
    });
  }

  due(withinDays?: number): Promise<DueItem[]> {
    return this.#svc.run('due', undefined, () => dueWithin(this.#session.state, this.now, withinDays));
  }

  schedule(): Promise<DueItem[]> {
    return this.#svc.run('schedule', undefined, async () => (await scheduleViewPaced(this.#session.state, this.now)).items);
  }

  /** The Rotation screen: every credential's due state, the policy, the vault key's next rotation and how many reminders are due. */
  overview(): Promise<RotationOverview> {
    return this.#svc.run('schedule', undefined, async () => {
      const { state } = this.#session;
      const now = this.now;
      // In paced steps: ~0.3 s of work at 100k that the app's main process must not spend in one go.
      const { items, reminders } = await scheduleViewPaced(state, now);
      return {
        items,
        policy: state.rotation,
        vaultKeyDueAt: vaultKeyDueIso(this.#session),
        reminders,
      };
    });
  }

  /** The Rotation screen: each group's count and first items (TIMELINE_PAGE unless asked otherwise), in one paced pass. */
  timeline(request: RotationTimelineRequest = {}): Promise<RotationTimeline> {
    return this.#svc.run('schedule', undefined, async () => {
      const { state } = this.#session;
      const limits = Object.fromEntries(TIMELINE_GROUPS.map((g) => [g, request.limits?.[g] ?? TIMELINE_PAGE])) as Record<TimelineGroup, number>;
      const { groups, reminders } = await timelinePaced(state, this.now, { limits, keep: request.keep ?? [] });
      return { groups, policy: state.rotation, vaultKeyDueAt: vaultKeyDueIso(this.#session), reminders };
    });
  }

  /**
   * What the app shows outside the Rotation screen: how many reminders show
   * and when the vault key is due. A count, not the schedule: at 100k the
   * schedule is 35 MB to send, and the app asks for this after every change.
   */
  status(): Promise<RotationStatus> {
    return this.#svc.run('schedule', undefined, async () => {
      return { reminders: await reminderCountPaced(this.#session.state, this.now), vaultKeyDueAt: vaultKeyDueIso(this.#session) };
    });
  }

  /** One credential's due state (its detail panel); null while it is deactivated, since it is then never due. */
  dueOf(ref: string): Promise<DueItem | null> {
    return this.#svc.run('due', ref, () => {
      const { state } = this.#session;
      const c = findCredential(state, ref);
      return c.active ? dueItemFor(c, state.rotation, this.now, state.policy?.rules) : null;
    });
  }

  /** Sets (or, with an empty override, clears) rotation rules at one level. */
  setPolicy(scope: PolicyScope, override: RotationOverride): Promise<void> {
    const target = 'credential' in scope ? scope.credential : undefined;
    return this.#svc.run('policy.set', target, async () => {
      const clean = validateOverride(override);
      const existing = 'credential' in scope ? findCredential(this.#session.state, scope.credential) : null;
      await this.#session.transact((body) => {
        if ('defaults' in scope) body.rotation.defaults = { ...body.rotation.defaults, ...clean };
        else if ('type' in scope) body.rotation.byType[scope.type] = clean;
        else if ('provider' in scope) body.rotation.byProvider[scope.provider.trim().toLowerCase()] = clean;
        else {
          const c = editFound(body, existing!.id);
          c.rotation = { ...c.rotation, override: clean };
        }
        const rules = 'credential' in scope ? effectiveRules(body.rotation, findCredential(body, existing!.id)) : body.rotation.defaults;
        if (rules.maxAgeDays < rules.intervalDays) throw fail.badRequest('The maximum age cannot be shorter than the rotation interval.', 'maxAgeDays');
      });
    });
  }

  /** Sets an explicit expiry date (or clears it with null). */
  setExpiry(ref: string, expiresAt: string | null): Promise<CredentialDetail> {
    return this.#svc.update(ref, { expiresAt });
  }

  snooze(ref: string, until: Date | null): Promise<CredentialDetail> {
    return this.change('snooze', ref, (c) => {
      if (until && until.getTime() <= this.now.getTime()) throw fail.badRequest('Snooze until a time in the future.', 'until');
      c.rotation = { ...c.rotation, snoozedUntil: until ? until.toISOString() : null };
    });
  }

  /**
   * Marks a credential compromised: due for rotation at once (until a
   * rotation after now), and, through the trail's watch, an incident opens.
   */
  markCompromised(ref: string): Promise<CredentialDetail> {
    return this.change('compromised', ref, (c) => {
      c.rotation = { ...c.rotation, compromisedAt: this.now.toISOString(), snoozedUntil: null };
    });
  }

  /** "I rotated it at the provider": resets the clock without a new value. */
  async markRotated(ref: string): Promise<CredentialDetail> {
    const overwritten: { before?: MarkedEntry } = {};
    const detail = await this.change('rotate.marked', ref, (c) => {
      const now = this.now.toISOString();
      overwritten.before = { kind: 'marked', markedAt: now, lastRotatedAt: c.lastRotatedAt, updatedAt: c.updatedAt, snoozedUntil: c.rotation?.snoozedUntil ?? null };
      c.lastRotatedAt = now;
      c.updatedAt = now;
      c.rotation = { ...c.rotation, snoozedUntil: null };
      this.recordRun(c, { at: now, kind: 'marked', outcome: 'success' });
    });
    if (overwritten.before) this.#options.undo?.keep(detail.id, overwritten.before);
    return detail;
  }

  /** Takes back the latest "rotated at the provider", if nothing changed the credential's rotation since. */
  undoMarkRotated(ref: string): Promise<CredentialDetail> {
    return this.change('rotate.marked.undo', ref, (c) => {
      const held = this.#options.undo?.take(c.id, 'marked');
      if (!held) throw fail.notFound('That can no longer be undone.');
      if (c.lastRotatedAt !== held.markedAt) throw fail.exists(`“${c.name.slice(0, 80)}” was rotated again since: nothing was undone.`);
      c.lastRotatedAt = held.lastRotatedAt;
      c.updatedAt = held.updatedAt;
      const runs = [...(c.rotation?.runs ?? [])];
      const last = runs.at(-1);
      if (last && last.kind === 'marked' && last.at === held.markedAt) runs.pop();
      c.rotation = { ...c.rotation, snoozedUntil: held.snoozedUntil, runs };
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

  /**
   * Checks a rotator and resolves each command's program to an absolute path,
   * without storing anything: what to show the user for confirmation (then pass
   * the result to `setRotator`, which stores exactly that).
   */
  prepareRotator(config: RotatorInput): RotatorConfig {
    return validateRotator(config, this.now, { cwd: this.#options.cwd, env: this.#options.env ?? process.env });
  }

  /** The folder every step runs in, for showing. */
  get stepFolder(): string {
    return this.workDir;
  }

  setRotator(ref: string, config: RotatorInput): Promise<CredentialDetail> {
    return this.#svc.run('rotator.set', ref, async () => {
      // Resolved now, once: what is stored is the absolute program the user confirmed.
      const clean = this.prepareRotator(config);
      const id = findCredential(this.#session.state, ref).id;
      return this.#session.transact((body) => {
        const c = editFound(body, id);
        c.rotation = { ...c.rotation, rotator: clean };
        return toDetail(c);
      });
    });
  }

  clearRotator(ref: string): Promise<CredentialDetail> {
    return this.change('rotator.clear', ref, (c) => {
      c.rotation = { ...c.rotation, rotator: undefined };
    });
  }

  /** Checks a rotator without creating anything: finds its programs and runs only the test command on the current value. */
  dryRun(ref: string): Promise<DryRunResult> {
    return this.#svc.run('rotator.dryRun', ref, async () => {
      const c = findCredential(this.#session.state, ref);
      const rotator = c.rotation?.rotator;
      if (!rotator) throw fail.notFound(`"${c.name.slice(0, 80)}" has no rotator configured.`);
      const env = rotatorEnvironment(this.#options.env ?? process.env, c.name, c.provider);
      const steps = (['create', 'test', 'revoke'] as const).filter((s) => rotator[s]);
      const commands = steps.map((step) => ({ step, command: rotator[step]!, found: programFound(rotator[step]!) }));
      let testOfCurrent: DryRunResult['testOfCurrent'] = null;
      if (rotator.test && programFound(rotator.test)) {
        const value = await this.#svc.reveal(c.id);
        const r = await (this.#options.run ?? runCommand)(rotator.test, { stdin: value, env, timeoutMs: rotator.timeoutSeconds * 1000, cwd: this.workDir });
        testOfCurrent = { passed: r.exitCode === 0 && !r.timedOut, exitCode: r.exitCode, timedOut: r.timedOut };
      }
      return { commands, testOfCurrent };
    });
  }

  /** Runs the configured rotator end to end. Throws ROTATION_FAILED (current untouched) when a step before finish fails. */
  runRotator(ref: string): Promise<RotatorOutcome> {
    return this.#svc.run('rotate.rotator', ref, async () => {
      // Start from what is on disk: the value fed to create (and later revoked) must be the real current one.
      await this.#session.refresh();
      const c = findCredential(this.#session.state, ref);
      if (!c.active) throw fail.badRequest(`"${c.name.slice(0, 80)}" is deactivated; deactivated credentials are never rotated.`);
      const rotator = c.rotation?.rotator;
      if (!rotator) throw fail.notFound(`"${c.name.slice(0, 80)}" has no rotator configured. Set one with "keyward rotator set".`);
      // Known before anything runs: the session may be locked by the time the value has to be kept.
      const ctx: RunContext = { vaultId: this.#session.info.vaultId, id: c.id, name: c.name };
      const env = rotatorEnvironment(this.#options.env ?? process.env, c.name, c.provider);
      const run = this.#options.run ?? runCommand;
      const timeoutMs = rotator.timeoutSeconds * 1000;
      const cwd = this.workDir;

      // A rotator stored before programs were resolved may name a relative one: never resolve it against wherever Keyward runs.
      for (const step of ['create', 'test', 'revoke'] as const) {
        const command = rotator[step];
        if (command !== undefined && !absoluteProgramOf(command))
          throw await this.failRun(
            ctx,
            'create',
            `The ${step} command's program is not an absolute path, so it would depend on the folder Keyward runs in; nothing was run. Configure the rotator again with an absolute path ("keyward rotator set").`,
          );
      }
      // From here on the run holds the credential: a second run would ask the provider for a second key, and one of
      // the two would be left issued and unused. Refused up front (BUSY), not at the finish. Taken before the current
      // value is read, so that value is the one no other run can replace meanwhile.
      const lease = await this.#startRun(c.id, rotator.timeoutSeconds);
      ctx.lease = lease;

      try {
        const oldValue = await this.#svc.reveal(c.id);
        // create
        const created = await run(rotator.create, { stdin: oldValue, env, timeoutMs, cwd, maxOutputBytes: CREATE_OUTPUT_CAP_BYTES });
        const newValue = created.stdout.replace(/\r?\n$/, '');
        if (!stepSucceeded(created) || newValue === '') {
          throw await this.failRun(ctx, 'create', describeFailure('create', created, newValue === '' && stepSucceeded(created)));
        }
        if (newValue === oldValue) throw await this.failRun(ctx, 'create', 'The create command printed the current value again, not a new one.');

        // set: store as pending (current is untouched) — or, when the value breaks a rule, keep it as noted history and fail here.
        const problems = this.problemsOf(c, newValue);
        const refusal = problems.length ? `Refused by policy: the value ${problems.map((p) => `${p.message} [${p.rule}]`).join('; ')}.` : null;
        let pendingVersion: number;
        try {
          pendingVersion = await this.#session.transact((body) => {
            const cred = editFound(body, c.id);
            for (const v of cred.versions) if (v.stage === 'pending') Object.assign(v, { stage: 'history', note: v.note ?? 'superseded by a later rotator run' });
            const version = Math.max(...cred.versions.map((v) => v.version)) + 1;
            const now = this.now.toISOString();
            const sealed = sealVersion(this.#session, body, cred.id, version, newValue, 'rotator', now);
            if (refusal) {
              cred.versions.push({ ...sealed, stage: 'history', note: `kept, not current: refused by policy [${problems.map((p) => p.rule).join(', ')}]` });
              this.recordRun(cred, { at: now, kind: 'rotator', outcome: 'failure', failedStep: 'set', message: `${refusal} The new value was kept as version ${version}, not current.`, version }, lease);
            } else cred.versions.push({ ...sealed, stage: 'pending' });
            return version;
          });
        } catch (err) {
          // Nothing could be written: keep the value (and the failed run) sealed in memory until the next unlock.
          throw this.rescue(ctx, newValue, err);
        }
        if (refusal) {
          const hard = problems.some((p) => p.rule === MAX_SIZE_RULE);
          const name = quoteForShell(c.name.slice(0, 80), 'linux');
          throw new KeywardError(
            'ROTATION_FAILED',
            `Rotation failed at the set step: ${refusal} The new value was kept as version ${pendingVersion}, not current: read it with "keyward get ${name} --version ${pendingVersion}"` +
              (hard ? '; a value this large cannot be made current.' : `, or make it current on purpose with "keyward promote ${name} --version ${pendingVersion} --force".`) +
              ' The current value is unchanged.',
            { step: 'set' },
          );
        }

        // test
        if (rotator.test) {
          const tested = await run(rotator.test, { stdin: newValue, env, timeoutMs, cwd });
          if (!stepSucceeded(tested)) throw await this.failRun(ctx, 'test', describeFailure('test', tested, false), pendingVersion);
        }

        // finish
        let detail: CredentialDetail;
        try {
          detail = await this.#session.transact((body) => {
            const cred = editFound(body, c.id);
            // Another run of this rotator (another process, a retry) set its own pending value meanwhile, which made this
            // one history: finishing now would make current a value the other run is about to replace, and revoke the
            // value that run still relies on. This run stops here; its value stays in history.
            const pending = cred.versions.find((v) => v.version === pendingVersion);
            if (pending?.stage !== 'pending')
              throw new KeywardError('BUSY', `Another rotation of "${c.name.slice(0, 80)}" ran meanwhile: its value is the one that will be current, and this run's (version ${pendingVersion}) was kept in history. If the provider issued a key for it, revoke that one there.`);
            for (const v of cred.versions) {
              if (v.stage === 'previous') v.stage = 'history';
              if (v.stage === 'current') v.stage = 'previous';
            }
            pending.stage = 'current';
            trimHistory(cred, body.settings.historyToKeep);
            const now = this.now.toISOString();
            cred.lastRotatedAt = now;
            cred.updatedAt = now;
            cred.rotation = { ...cred.rotation, snoozedUntil: null };
            if (!rotator.revoke) this.recordRun(cred, { at: now, kind: 'rotator', outcome: 'success', version: pendingVersion }, lease);
            return toDetail(cred);
          });
        } catch (err) {
          // The file may have been replaced before the error (a failed folder sync): then the rotation did finish.
          const landed = !this.#session.isLocked && findCredential(this.#session.state, c.id).versions.find((v) => v.version === pendingVersion)?.stage === 'current';
          if (landed) throw err;
          throw await this.failRun(ctx, 'finish', err instanceof KeywardError ? err.message : 'The vault could not be saved.', pendingVersion);
        }

        // revoke: after finish, so a failure here never loses the working key
        if (rotator.revoke) {
          const revoked = await run(rotator.revoke, { stdin: oldValue, env, timeoutMs, cwd });
          const ok = stepSucceeded(revoked);
          const record: RotationRun = {
            at: this.now.toISOString(),
            kind: 'rotator',
            outcome: ok ? 'success' : 'revoke_failed',
            version: pendingVersion,
            ...(ok ? {} : { failedStep: 'revoke' as const, message: describeFailure('revoke', revoked, false) }),
          };
          try {
            const final = await this.#session.transact((body) => {
              const cred = editFound(body, c.id);
              this.recordRun(cred, record, lease);
              return toDetail(cred);
            });
            return { detail: final, revokeFailed: !ok };
          } catch (err) {
            // The rotation itself is done; only its record waits for the next write.
            this.rescued.keep({ vaultId: ctx.vaultId, credentialId: ctx.id, credentialName: ctx.name, run: record, reason: codeOf(err), lease });
            return { detail, revokeFailed: !ok };
          }
        }
        return { detail, revokeFailed: false };
      } catch (err) {
        // Ended by something no step records (a crash of a step's runner, a lost lock): the hold goes, so the next run need not wait it out.
        await this.#endRun(c.id, lease).catch(() => undefined);
        throw err;
      } finally {
        // Over, whatever became of its record: a hold of this process's left in the vault no longer stands here.
        RUNS_UNDER_WAY.delete(lease);
      }
    });
  }

  /**
   * Makes a kept version (history, pending or previous) current on purpose; the
   * current one becomes previous. The value is checked against the policy again:
   * a violation refuses (POLICY, naming the rule) unless `force`. A value over
   * 1 MiB is never made current.
   */
  promote(ref: string, version: number, options: { force?: boolean } = {}): Promise<CredentialDetail> {
    return this.#svc.run('promote', ref, async () => {
      if (!Number.isInteger(version) || version < 1) throw fail.badRequest('The version must be a whole number (see "keyward history NAME").', 'version');
      const id = findCredential(this.#session.state, ref).id;
      return this.#session.transact((body) => {
        const c = editFound(body, id);
        const chosen = c.versions.find((v) => v.version === version);
        if (!chosen) throw fail.notFound(`"${c.name.slice(0, 80)}" has no version ${version}.`);
        if (chosen.stage === 'current') throw fail.badRequest(`Version ${version} of "${c.name.slice(0, 80)}" is already current.`, 'version');
        const problems = this.problemsOf(c, this.#session.openValue(c.id, chosen.version, chosen));
        if (problems.some((p) => p.rule === MAX_SIZE_RULE))
          throw fail.badRequest(`Version ${version} is larger than 1 MiB [${MAX_SIZE_RULE}]; it can be read, but not made current.`, 'version');
        if (problems.length && !options.force) {
          const rules = problems.map((p) => `${p.message} [${p.rule}]`).join('; ');
          throw new KeywardError('POLICY', `Refused by policy: version ${version} ${rules}. Use --force to make it current regardless.`, { field: 'version' });
        }
        for (const v of c.versions) {
          if (v.stage === 'previous' && v !== chosen) v.stage = 'history';
          if (v.stage === 'current') v.stage = 'previous';
        }
        chosen.stage = 'current';
        delete chosen.note;
        trimHistory(c, body.settings.historyToKeep);
        const now = this.now.toISOString();
        // The key's age counts from when it was made, not from when it was promoted.
        c.lastRotatedAt = chosen.createdAt;
        c.updatedAt = now;
        c.rotation = { ...c.rotation, snoozedUntil: null };
        this.recordRun(c, {
          at: now,
          kind: 'manual',
          outcome: 'success',
          version,
          message: problems.length ? `Kept version ${version} made current with --force despite [${problems.map((p) => p.rule).join(', ')}].` : `Kept version ${version} made current.`,
        });
        return toDetail(c);
      });
    });
  }

  /**
   * Writes what `rescued` holds for this vault: each value as a noted history
   * version (never current) with its failed run, each record on its own. Call it
   * right after every unlock (and again later while entries are left). Entries
   * that cannot be written now stay held.
   */
  async flushRescued(): Promise<FlushReport> {
    const report: FlushReport = { written: [], left: 0 };
    if (this.rescued.size === 0) return report;
    const vaultId = this.#session.info.vaultId;
    for (const entry of this.rescued.entries(vaultId)) {
      const r = entry.record;
      try {
        const written = await this.#svc.run('rotate.rescued', r.credentialId, () =>
          this.#session.transact((body) => {
            const cred = editFound(body, r.credentialId);
            if (r.pendingVersion !== undefined) {
              const pending = cred.versions.find((v) => v.version === r.pendingVersion);
              if (pending?.stage === 'pending') Object.assign(pending, { stage: 'history', note: `rotator run failed at the ${r.run.failedStep ?? 'set'} step` });
            }
            const value = entry.open();
            let version: number | undefined;
            let run = r.run;
            if (value !== undefined) {
              version = Math.max(...cred.versions.map((v) => v.version)) + 1;
              const problems = this.problemsOf(cred, value);
              const breaks = problems.length ? `; it breaks policy [${problems.map((p) => p.rule).join(', ')}]` : '';
              cred.versions.push({
                ...sealVersion(this.#session, body, cred.id, version, value, 'rotator', r.run.at),
                stage: 'history',
                note: `kept, not current: a rotator run could not store it when it was made (${r.reason})${breaks}`,
              });
              run = { ...run, version, message: `${run.message ?? ''} It was kept in memory and written later as version ${version}, not current.`.trim() };
            }
            this.recordRun(cred, run, r.lease);
            return { id: cred.id, name: cred.name, version };
          }),
        );
        entry.remove();
        report.written.push({ credentialId: written.id, name: written.name, at: r.run.at, hadValue: r.hasValue, ...(written.version !== undefined ? { version: written.version } : {}) });
      } catch (err) {
        report.left++;
        report.error ??= codeOf(err);
      }
    }
    return report;
  }

  /** What a new value breaks: the vault's size limit and the policy gate. */
  private problemsOf(c: ValueContext, value: string): PolicyViolation[] {
    const problems: PolicyViolation[] = [];
    if (Buffer.byteLength(value, 'utf8') > MAX_VALUE_BYTES) problems.push({ rule: MAX_SIZE_RULE, message: 'is larger than 1 MiB' });
    // A policy that only warns lets the value in (Health lists the rule it breaks); the size limit always holds.
    return this.#policy.onViolation === 'warn' ? problems : [...problems, ...this.#policy.check(c, value)];
  }

  /** Keeps a value the vault could not take, with its failed run, and returns the error to throw. */
  private rescue(ctx: RunContext, value: string, err: unknown): KeywardError {
    const why = err instanceof KeywardError ? err.message : 'The vault could not be saved.';
    this.rescued.keep(
      {
        vaultId: ctx.vaultId,
        credentialId: ctx.id,
        credentialName: ctx.name,
        reason: codeOf(err),
        run: { at: this.now.toISOString(), kind: 'rotator', outcome: 'failure', failedStep: 'set', message: `The new value could not be stored: ${why}` },
        ...(ctx.lease ? { lease: ctx.lease } : {}),
      },
      value,
    );
    return new KeywardError(
      'ROTATION_FAILED',
      `Rotation failed at the set step: the new value could not be stored (${why.replace(/\.$/, '')}). ` +
        'It is kept sealed in memory and will be written to the vault, as a kept version (not current), at the next unlock; this Keyward process must keep running until then. The current value is unchanged.',
      { step: 'set' },
    );
  }

  /** Records a run; `lease`, the run's own (startRun), ends it — never another run's that took over an expired one. */
  private recordRun(c: StoredCredential, run: RotationRun, lease?: string): void {
    releaseHold(c, lease);
    c.rotation = { ...c.rotation, runs: [...(c.rotation?.runs ?? []), run].slice(-RUNS_TO_KEEP) };
  }

  /** Lets go of the run's hold when nothing recorded its end (a no-op when something did). */
  async #endRun(id: string, lease: string): Promise<void> {
    if (this.#session.isLocked || credentialById(this.#session.state, id)?.rotation?.running?.run !== lease) return;
    await this.#session.transact((body) => releaseHold(editFound(body, id), lease));
  }

  /**
   * Marks the credential as being rotated by this run, in the vault (so other
   * processes see it too, under the write lock), until the run records how it
   * ended or, should its process die, until every step could have timed out.
   * BUSY while another run holds it.
   */
  async #startRun(id: string, timeoutSeconds: number): Promise<string> {
    const lease = this.#random.uuid();
    const since = this.now;
    // create, test and revoke may each take their whole timeout; a minute more for the saves between them.
    const until = new Date(since.getTime() + (3 * timeoutSeconds + 60) * 1000).toISOString();
    await this.#session.transact((body) => {
      const cred = editFound(body, id);
      const held = cred.rotation?.running;
      if (held && holdStands(held, since))
        throw new KeywardError(
          'BUSY',
          `A rotator run for "${cred.name.slice(0, 80)}" is already under way (since ${held.since.slice(0, 19).replace('T', ' ')} UTC): a second one would ask the provider for a second key. Try again when it has ended (at the latest ${held.until.slice(0, 19).replace('T', ' ')} UTC).`,
        );
      cred.rotation = { ...cred.rotation, running: { run: lease, since: since.toISOString(), until, pid: process.pid, host: hostname() } };
    });
    RUNS_UNDER_WAY.add(lease);
    return lease;
  }

  /** Records a failed run (keeping any pending value as noted history) and returns the error to throw. */
  private async failRun(ctx: RunContext, step: RotationStep, message: string, pendingVersion?: number): Promise<KeywardError> {
    const run: RotationRun = { at: this.now.toISOString(), kind: 'rotator', outcome: 'failure', failedStep: step, message, ...(pendingVersion ? { version: pendingVersion } : {}) };
    try {
      await this.#session.transact((body) => {
        const cred = editFound(body, ctx.id);
        if (pendingVersion !== undefined) {
          const pending = cred.versions.find((v) => v.version === pendingVersion);
          if (pending?.stage === 'pending') Object.assign(pending, { stage: 'history', note: `rotator run failed at the ${step} step` });
        }
        this.recordRun(cred, run, ctx.lease);
      });
    } catch (err) {
      // Locked or busy: the record (and the demotion of the pending value) waits for the next unlock.
      this.rescued.keep({ vaultId: ctx.vaultId, credentialId: ctx.id, credentialName: ctx.name, run, reason: codeOf(err), ...(pendingVersion !== undefined ? { pendingVersion } : {}), ...(ctx.lease ? { lease: ctx.lease } : {}) });
    }
    return new KeywardError('ROTATION_FAILED', `Rotation failed at the ${step} step: ${message} The current value is unchanged.`, { step });
  }
}

/** Writes what `service` holds for its vault (see RotationService.flushRescued): call it after every unlock. */
export function flushRescued(service: RotationService): Promise<FlushReport> {
  return service.flushRescued();
}

function codeOf(err: unknown): ErrorCode {
  return err instanceof KeywardError ? err.code : 'INTERNAL';
}

function stepSucceeded(r: CommandResult): boolean {
  return !r.failedToStart && !r.timedOut && !r.tooLarge && r.exitCode === 0;
}

function describeFailure(step: string, r: CommandResult, emptyOutput: boolean): string {
  // Never quote the command's output: it may be (or contain) a secret.
  if (r.failedToStart) return `The ${step} command could not be started.`;
  if (r.timedOut) return `The ${step} command did not finish within its timeout and was stopped.`;
  if (r.tooLarge) return `The ${step} command printed more than ${step === 'create' ? CREATE_OUTPUT_CAP_BYTES / 1024 / 1024 : 1} MiB and was stopped; its output was discarded.`;
  if (emptyOutput) return `The ${step} command printed no new value.`;
  return `The ${step} command exited with code ${r.exitCode}.`;
}

export type RotatorInput = Omit<RotatorConfig, 'confirmedAt' | 'timeoutSeconds'> & { timeoutSeconds?: number };

function validateRotator(config: RotatorInput, now: Date, context: ResolveContext): RotatorConfig {
  const cmd = (value: unknown, field: string, required: boolean): string | undefined => {
    if (value === undefined || value === '') {
      if (required) throw fail.badRequest(`The ${field} command is required.`, field);
      return undefined;
    }
    if (typeof value !== 'string' || value.length > 4096 || /[\0\r\n]/.test(value)) throw fail.badRequest(`The ${field} command must be one line of at most 4096 characters.`, field);
    if (value.trim() === '') throw fail.badRequest(`The ${field} command is empty.`, field);
    const resolved = resolveCommand(value.trim(), field, context);
    if (resolved.length > 4096) throw fail.badRequest(`The ${field} command must be one line of at most 4096 characters.`, field);
    return resolved;
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

/** Whether a stored command's program is an absolute path to an executable file (no shell involved). */
function programFound(command: string): boolean {
  const program = absoluteProgramOf(command);
  return program !== null && isExecutableFile(program);
}

/** The holds of rotator runs under way in this process (startRun): one of this process's not here is left from a run that ended without its record. */
const RUNS_UNDER_WAY = new Set<string>();

/**
 * Whether a hold still keeps other runs out: until its time is up, unless it
 * was taken on this machine by a process that is gone (a killed CLI), or by
 * this process for a run no longer under way (a hold that came back with a
 * restored backup, or whose release could not be written).
 */
function holdStands(held: NonNullable<CredentialRotation['running']>, now: Date): boolean {
  if (Date.parse(held.until) <= now.getTime()) return false;
  if (held.host !== hostname() || held.pid === undefined) return true;
  if (held.pid === process.pid) return RUNS_UNDER_WAY.has(held.run);
  return processIsAlive(held.pid);
}

/** Ends the hold `lease` took (never another run's), here and in this process's list. */
function releaseHold(c: StoredCredential, lease: string | undefined): void {
  if (lease === undefined) return;
  RUNS_UNDER_WAY.delete(lease);
  if (c.rotation?.running?.run !== lease) return;
  const { running: _running, ...rest } = c.rotation;
  c.rotation = rest;
}
