/** `keyward due`, `policy-for`, `policy`, `rotator`, `rotate --run-rotator`, `promote`, `rollback`, `snooze`, `mark-rotated`, `rotate-vault-key`. */
import type { ErrorCode } from '../../shared/errors.js';
import type { DueItem, RotationOverride, RotatorConfig } from '../../shared/rotation.js';
import { fail, KeywardError } from '../core/errors.js';
import { effectiveRules, vaultKeyDueAt } from '../core/rotation/due.js';
import { quoteForShell } from '../core/rotation/program-path.js';
import { RescuedValues } from '../core/rotation/rescued-values.js';
import { RotationService, type FlushReport, type PolicyScope } from '../core/rotation/rotation-service.js';
import { findCredential, type VaultService } from '../core/service/vault-service.js';
import type { VaultSession } from '../core/vault/vault-session.js';
import { emit, type Flags, type Output } from './commands.js';
import { confirm, printTable, safeText } from './terminal.js';

const REASON: Record<DueItem['reason'], string> = { rotation_interval: 'rotation interval', max_age: 'maximum age', expiry: 'expiry date' };

function days(flags: Flags, key: string, min: number): number | undefined {
  if (flags[key] === undefined) return undefined;
  const n = Number(flags[key]);
  if (!Number.isInteger(n) || n < min) throw fail.badRequest(`--${key} takes a whole number of days (at least ${min}).`);
  return n;
}

function overrideFrom(flags: Flags): RotationOverride {
  const o: RotationOverride = {};
  const interval = days(flags, 'interval-days', 1);
  const maxAge = days(flags, 'max-age-days', 1);
  const lead = days(flags, 'lead-days', 0);
  if (interval !== undefined) o.intervalDays = interval;
  if (maxAge !== undefined) o.maxAgeDays = maxAge;
  if (lead !== undefined) o.reminderLeadDays = lead;
  return o;
}

export async function dueCommand(svc: VaultService, session: VaultSession, flags: Flags, o: Output): Promise<void> {
  const within = days(flags, 'within', 0);
  const items = await new RotationService(svc).due(within);
  const keyDue = vaultKeyDueAt(session.state, session.info.createdAt);
  const now = new Date();
  const vaultKey = keyDue ? { dueAt: keyDue.toISOString(), overdue: keyDue <= now } : null;
  emit(o, { items, vaultKey }, () => {
    const lines: string[] = [];
    lines.push(
      items.length
        ? printTable(
            items.map((i) => [i.name, i.status.replace('_', ' '), i.dueAt.slice(0, 10), REASON[i.reason], i.lastRotatedAt?.slice(0, 10) ?? 'never', i.snoozedUntil ? `until ${i.snoozedUntil.slice(0, 10)}` : '', i.hasRotator ? 'yes' : '']),
            ['NAME', 'STATUS', 'DUE', 'REASON', 'LAST ROTATED', 'SNOOZED', 'ROTATOR'],
          )
        : within === undefined
          ? 'Nothing is due within the reminder lead time.'
          : `Nothing is due within ${within} day(s).`,
    );
    if (vaultKey?.overdue) lines.push(`\nThe vault key is due for rotation (since ${vaultKey.dueAt.slice(0, 10)}): run "keyward rotate-vault-key".`);
    return lines.join('\n');
  });
}

export async function policyForCommand(svc: VaultService, name: string, flags: Flags, o: Output): Promise<void> {
  const rotation = new RotationService(svc);
  const override = overrideFrom(flags);
  if (Object.keys(override).length) await rotation.setPolicy({ credential: name }, { ...findCredential(svc.session.state, name).rotation?.override, ...override });
  if (flags.expires !== undefined) await rotation.setExpiry(name, flags.expires === 'none' ? null : (flags.expires as string));
  const c = findCredential(svc.session.state, name);
  const rules = effectiveRules(svc.session.state.rotation, c);
  const result = { name: c.name, rules, override: c.rotation?.override ?? {}, expiresAt: c.expiresAt };
  emit(o, result, () =>
    [
      `Rotation policy for "${safeText(c.name)}":`,
      `  rotate every   ${rules.intervalDays} days${result.override.intervalDays !== undefined ? ' (set for this credential)' : ''}`,
      `  maximum age    ${rules.maxAgeDays} days${result.override.maxAgeDays !== undefined ? ' (set for this credential)' : ''}`,
      `  remind         ${rules.reminderLeadDays} days before${result.override.reminderLeadDays !== undefined ? ' (set for this credential)' : ''}`,
      `  expires        ${c.expiresAt?.slice(0, 10) ?? 'never'}`,
    ].join('\n'),
  );
}

export async function policyCommand(svc: VaultService, flags: Flags, o: Output): Promise<void> {
  const scope: PolicyScope = flags.type ? { type: flags.type as string } : flags.provider ? { provider: flags.provider as string } : { defaults: true };
  const override = overrideFrom(flags);
  if (Object.keys(override).length) await new RotationService(svc).setPolicy(scope, override);
  const policy = svc.session.state.rotation;
  emit(o, policy, () => {
    const fmt = (label: string, r: RotationOverride) =>
      `  ${label.padEnd(22)} every ${r.intervalDays ?? '·'} d, max age ${r.maxAgeDays ?? '·'} d, remind ${r.reminderLeadDays ?? '·'} d before`;
    return [
      'Rotation policy (· = inherited):',
      fmt('defaults', policy.defaults),
      ...Object.entries(policy.byType).map(([t, r]) => fmt(`type ${t}`, r)),
      ...Object.entries(policy.byProvider).map(([p, r]) => fmt(`provider ${safeText(p)}`, r)),
    ].join('\n');
  });
}

/** The commands as stored (programs resolved to absolute paths), one per line, escaped for the terminal. */
function commandLines(r: Pick<RotatorConfig, 'create' | 'test' | 'revoke'>): string {
  return [`create: ${safeText(r.create)}`, r.test ? `test:   ${safeText(r.test)}` : '', r.revoke ? `revoke: ${safeText(r.revoke)}` : ''].filter(Boolean).join('\n  ');
}

export async function rotatorCommand(svc: VaultService, args: string[], flags: Flags, o: Output): Promise<void> {
  const [action, name] = args;
  if (!name || !['set', 'clear', 'show', 'dry-run'].includes(action ?? '')) throw fail.badRequest('Usage: keyward rotator set|clear|show|dry-run NAME …');
  // Relative programs are resolved against the folder this command was started in, once, now.
  const rotation = new RotationService(svc, { cwd: process.cwd() });
  if (action === 'set') {
    if (!flags.create) throw fail.badRequest('rotator set needs --create CMD.');
    const c = findCredential(svc.session.state, name);
    const timeout = flags.timeout === undefined ? undefined : Number(flags.timeout);
    // Resolved (and refused if a program cannot be found) before anything is shown: the user confirms what will be stored.
    const prepared = rotation.prepareRotator({
      create: flags.create as string,
      test: flags.test as string | undefined,
      revoke: flags.revoke as string | undefined,
      ...(timeout !== undefined ? { timeoutSeconds: timeout } : {}),
    });
    if (!flags.yes) {
      o.err(`These commands will run with your user's rights, in ${safeText(rotation.stepFolder)}, whenever "${safeText(c.name)}" is rotated:\n  ${commandLines(prepared)}`);
      if (!(await confirm('Allow them?'))) throw fail.badRequest('Not confirmed; nothing was changed. (Use --yes in scripts.)');
    }
    const detail = await rotation.setRotator(name, prepared);
    const stored = detail.rotation.rotator!;
    return emit(o, stored, () => `Rotator set for "${safeText(detail.name)}" (steps run in ${safeText(rotation.stepFolder)}):\n  ${commandLines(stored)}`);
  }
  if (action === 'clear') {
    const detail = await rotation.clearRotator(name);
    return emit(o, { cleared: true }, () => `Rotator removed from "${safeText(detail.name)}".`);
  }
  if (action === 'dry-run') {
    const result = await rotation.dryRun(name);
    return emit(o, result, () =>
      [
        ...result.commands.map((c) => `${c.step.padEnd(7)} ${c.found ? 'found  ' : 'MISSING'}  ${safeText(c.command)}`),
        result.testOfCurrent ? `test of the current value: ${result.testOfCurrent.passed ? 'passed' : `failed (${result.testOfCurrent.timedOut ? 'timed out' : `exit ${result.testOfCurrent.exitCode}`})`}` : 'no test command',
        'Nothing was created or revoked.',
      ].join('\n'),
    );
  }
  const detail = await svc.show(name);
  emit(o, { rotator: detail.rotation.rotator, runs: detail.rotation.runs }, () => {
    const r = detail.rotation.rotator;
    if (!r) return 'No rotator configured.';
    const runs = detail.rotation.runs.slice(-5).map((run) => `  ${run.at}  ${run.kind}  ${run.outcome}${run.failedStep ? ` at ${run.failedStep}` : ''}${run.message ? `: ${safeText(run.message)}` : ''}`);
    return [commandLines(r), `runs in: ${safeText(rotation.stepFolder)}`, `timeout: ${r.timeoutSeconds} s`, runs.length ? 'recent runs:' : '', ...runs].filter(Boolean).join('\n');
  });
}

/**
 * `rotate NAME --run-rotator`. A value the rotator minted but the vault could
 * not take (busy, or the vault key changed under us) is held in memory; this
 * process is about to exit, so it is written now: retried while the vault is
 * busy, through a fresh unlock (`reopen`) when the session no longer opens it.
 */
export async function runRotatorCommand(svc: VaultService, name: string, o: Output, reopen?: () => Promise<VaultService>): Promise<void> {
  const rescued = new RescuedValues();
  const rotation = new RotationService(svc, { rescued });
  let outcome;
  try {
    outcome = await rotation.runRotator(name);
  } catch (err) {
    if (rescued.size === 0) throw err;
    throw (await writeRescued(svc, rescued, reopen)) ?? err;
  }
  // Only a run record can be held after a successful run (its final write failed): write it too.
  if (rescued.size) await writeRescued(svc, rescued, reopen);
  if (outcome.revokeFailed) o.err('keyward: warning: the new value is current, but revoking the old one failed (recorded); revoke it at the provider.');
  emit(o, { ...outcome.detail, revokeFailed: outcome.revokeFailed }, () => `Rotated "${safeText(outcome.detail.name)}" with its rotator: version ${outcome.detail.currentVersion} is now current.`);
}

const RESCUE_PATIENCE_MS = 30_000;
const RETRYABLE: ErrorCode[] = ['BUSY', 'VAULT_LOCKED', 'INTERNAL'];

/** Writes what `rescued` holds before the CLI exits; when a value was held, returns the error that says what became of it. */
async function writeRescued(svc: VaultService, rescued: RescuedValues, reopen: (() => Promise<VaultService>) | undefined): Promise<KeywardError | null> {
  const held = rescued.list();
  const withValue = held.find((h) => h.hasValue);
  let service = svc;
  let reopened: VaultService | null = null;
  const written: FlushReport['written'] = [];
  const deadline = Date.now() + RESCUE_PATIENCE_MS;
  try {
    for (;;) {
      let error: ErrorCode | undefined;
      try {
        if (service.session.isLocked) throw fail.locked();
        const report = await new RotationService(service, { rescued }).flushRescued();
        written.push(...report.written);
        error = report.left ? report.error : undefined;
      } catch (err) {
        error = err instanceof KeywardError ? err.code : 'INTERNAL';
      }
      if (!error || !RETRYABLE.includes(error) || Date.now() >= deadline) break;
      if (error === 'VAULT_LOCKED') {
        // This session cannot write any more (locked, or the vault key changed): only a fresh unlock can.
        if (!reopen || reopened) break;
        reopened = await reopen().catch(() => null);
        if (!reopened) break;
        service = reopened;
        continue;
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  } finally {
    reopened?.session.lock();
  }
  if (!withValue) {
    rescued.clear();
    return null;
  }
  const kept = written.find((w) => w.hadValue && w.version !== undefined);
  const cause = withValue.run.message?.replace(/^The new value could not be stored: /, '').replace(/\.$/, '') ?? withValue.reason;
  rescued.clear();
  if (kept) {
    const n = quoteForShell(kept.name.slice(0, 80), 'linux');
    return new KeywardError(
      'ROTATION_FAILED',
      `Rotation failed at the set step: the new value could not be stored at first (${cause}); it was then kept as version ${kept.version} of "${kept.name.slice(0, 80)}", not current. ` +
        `Read it with "keyward get ${n} --version ${kept.version}"; make it current with "keyward promote ${n} --version ${kept.version}" (with --force if it breaks the policy). The current value is unchanged.`,
      { step: 'set' },
    );
  }
  return new KeywardError(
    'ROTATION_FAILED',
    `Rotation failed at the set step: the new value could not be stored (${cause}) and was lost when keyward stopped; the provider may already have it, so check there. The current value is unchanged.`,
    { step: 'set' },
  );
}

/** `keyward promote NAME --version N [--force]`: makes a kept version current on purpose. */
export async function promoteCommand(svc: VaultService, name: string, flags: Flags, o: Output): Promise<void> {
  const version = flags.version === undefined ? NaN : Number(flags.version);
  if (!Number.isInteger(version)) throw fail.badRequest('promote needs --version N, a whole number (see "keyward history NAME").');
  const detail = await new RotationService(svc).promote(name, version, { force: Boolean(flags.force) });
  emit(o, detail, () => `Version ${version} of "${safeText(detail.name)}" is now current; the value it replaced is previous ("keyward rollback" undoes this).`);
}

export async function rollbackCommand(svc: VaultService, name: string, o: Output): Promise<void> {
  const detail = await new RotationService(svc).rollback(name);
  emit(o, detail, () => `Rolled back "${safeText(detail.name)}": version ${detail.currentVersion} is current again.`);
}

export async function snoozeCommand(svc: VaultService, name: string, flags: Flags, o: Output): Promise<void> {
  const d = days(flags, 'days', 1) ?? 1;
  const detail = await new RotationService(svc).snooze(name, new Date(Date.now() + d * 86_400_000));
  emit(o, detail, () => `Reminders for "${safeText(detail.name)}" snoozed until ${detail.rotation.snoozedUntil?.slice(0, 16).replace('T', ' ')}.`);
}

export async function markRotatedCommand(svc: VaultService, name: string, o: Output): Promise<void> {
  const detail = await new RotationService(svc).markRotated(name);
  emit(o, detail, () => `Marked "${safeText(detail.name)}" as rotated at the provider; its rotation clock starts again now.`);
}
