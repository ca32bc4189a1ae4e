/** `keyward due`, `policy-for`, `policy`, `rotator`, `promote`, `rollback`, `snooze`, `mark-rotated` (and `rotate --run-rotator` in run-rotator.ts). */
import type { DueItem, RotationOverride, RotatorConfig } from '../../../shared/rotation.js';
import { fail } from '../../core/errors.js';
import { effectiveRules, vaultKeyDueAt } from '../../core/rotation/due.js';
import { findCredential } from '../../core/service/vault-service.js';
import { emit, type Flags } from '../output.js';
import { confirm, printTable, safeText } from '../terminal.js';
import { policy, POLICY_NOTES } from './policy.js';
import type { CommandFamily, OptionSpecs, UnlockedInvocation } from './spec.js';

const REASON: Record<DueItem['reason'], string> = { rotation_interval: 'rotation interval', max_age: 'maximum age', expiry: 'expiry date', compromised: 'marked compromised' };

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

async function due({ vault, flags, o }: UnlockedInvocation): Promise<void> {
  const within = days(flags, 'within', 0);
  const items = await vault.rotation().due(within);
  const keyDue = vaultKeyDueAt(vault.state, vault.info.createdAt);
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

async function policyFor({ vault, args, flags, o }: UnlockedInvocation): Promise<void> {
  const name = args[0]!;
  const rotation = vault.rotation();
  const override = overrideFrom(flags);
  if (Object.keys(override).length) await rotation.setPolicy({ credential: name }, { ...findCredential(vault.state, name).rotation?.override, ...override });
  if (flags.expires !== undefined) await rotation.setExpiry(name, flags.expires === 'none' ? null : (flags.expires as string));
  const c = findCredential(vault.state, name);
  const rules = effectiveRules(vault.state.rotation, c, vault.state.policy?.rules);
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

/** The commands as stored (programs resolved to absolute paths), one per line, escaped for the terminal. */
function commandLines(r: Pick<RotatorConfig, 'create' | 'test' | 'revoke'>): string {
  return [`create: ${safeText(r.create)}`, r.test ? `test:   ${safeText(r.test)}` : '', r.revoke ? `revoke: ${safeText(r.revoke)}` : ''].filter(Boolean).join('\n  ');
}

async function rotator({ vault, svc, args, flags, o }: UnlockedInvocation): Promise<void> {
  const [action, name] = args;
  if (!name || !['set', 'clear', 'show', 'dry-run'].includes(action ?? '')) throw fail.badRequest('Usage: keyward rotator set|clear|show|dry-run NAME …');
  // Relative programs are resolved against the folder this command was started in, once, now.
  const rotation = vault.rotation({ cwd: process.cwd() });
  if (action === 'set') {
    if (!flags.create) throw fail.badRequest('rotator set needs --create CMD.');
    const c = findCredential(vault.state, name);
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

/** Makes a kept version current on purpose. */
async function promote({ vault, args: [name], flags, o }: UnlockedInvocation): Promise<void> {
  const version = flags.version === undefined ? NaN : Number(flags.version);
  if (!Number.isInteger(version)) throw fail.badRequest('promote needs --version N, a whole number (see "keyward history NAME").');
  const detail = await vault.rotation().promote(name!, version, { force: Boolean(flags.force) });
  emit(o, detail, () => `Version ${version} of "${safeText(detail.name)}" is now current; the value it replaced is previous ("keyward rollback" undoes this).`);
}

async function rollback({ vault, args: [name], o }: UnlockedInvocation): Promise<void> {
  const detail = await vault.rotation().rollback(name!);
  emit(o, detail, () => `Rolled back "${safeText(detail.name)}": version ${detail.currentVersion} is current again.`);
}

async function snooze({ vault, args: [name], flags, o }: UnlockedInvocation): Promise<void> {
  const d = days(flags, 'days', 1) ?? 1;
  const detail = await vault.rotation().snooze(name!, new Date(Date.now() + d * 86_400_000));
  emit(o, detail, () => `Reminders for "${safeText(detail.name)}" snoozed until ${detail.rotation.snoozedUntil?.slice(0, 16).replace('T', ' ')}.`);
}

async function markRotated({ vault, args: [name], o }: UnlockedInvocation): Promise<void> {
  const detail = await vault.rotation().markRotated(name!);
  emit(o, detail, () => `Marked "${safeText(detail.name)}" as rotated at the provider; its rotation clock starts again now.`);
}

/** The rules a rotation policy sets, at any scope. */
const RULES: OptionSpecs = {
  'interval-days': { type: 'string', value: 'N' },
  'max-age-days': { type: 'string', value: 'N' },
  'lead-days': { type: 'string', value: 'N' },
};

export const rotationCommands: CommandFamily = {
  title: 'Rotation',
  commands: [
    {
      name: 'due',
      args: [],
      options: { within: { type: 'string', value: 'DAYS' } },
      summary: 'what is overdue or due (default window: each reminder lead time)',
      needs: 'vault',
      run: due,
    },
    {
      name: 'policy-for',
      args: ['NAME'],
      options: { ...RULES, expires: { type: 'string', value: 'DATE|none' } },
      summary: "one credential's rotation policy; the options change it",
      needs: 'vault',
      run: policyFor,
    },
    {
      name: 'policy',
      args: ['[show|set|preset|rule]', '[KEY|NAME|add|remove]', '[VALUE|NAME]'],
      options: { type: { type: 'string', value: 'T' }, provider: { type: 'string', value: 'P' }, scope: { type: 'string', multiple: true, value: 'SEL' }, set: { type: 'string', value: 'KEY=VALUE', multiple: true }, ...RULES },
      synopsis: 'policy [show] [--json]',
      summary: 'the security policy: every key, its value and where it comes from, and the rotation rules by type and provider',
      alsoAs: [
        { synopsis: 'policy set KEY VALUE', summary: 'one key of the security policy (exit 2 with what is allowed; loosening asks for the master password)' },
        { synopsis: 'policy preset default|nist-800-63b|pci-dss-4', summary: 'every key a preset sets (docs/policies.md says what and why)' },
        { synopsis: 'policy rule add NAME --scope SEL... --set KIND=VALUE...', summary: 'a custom rule for the credentials in its scope (tag:X, provider:X, type:T, name:GLOB); KIND: rotate_every_days=N, max_age_days=N, reveal_before_copy=true, no_plaintext_export=true, grants_need_approval=true' },
        { synopsis: 'policy rule remove NAME', summary: 'removes a custom rule (asks for the master password: it loosens the policy)' },
        { synopsis: 'policy [--type T | --provider P] [--interval-days N] [--max-age-days N] [--lead-days N]', summary: 'the rotation rules: the defaults, or per type or provider' },
      ],
      notes: POLICY_NOTES,
      needs: 'vault',
      run: (call) => policy(call, overrideFrom),
    },
    {
      name: 'rotator',
      args: ['set|show|clear|dry-run', 'NAME'],
      options: {
        create: { type: 'string', value: 'CMD' },
        test: { type: 'string', value: 'CMD' },
        revoke: { type: 'string', value: 'CMD' },
        timeout: { type: 'string', value: 'S' },
        yes: { type: 'boolean', short: 'y' },
      },
      synopsis: 'rotator set NAME --create CMD [--test CMD] [--revoke CMD] [--timeout S] [--yes]',
      summary: 'the programs that rotate NAME; asks before storing them unless --yes',
      alsoAs: [{ synopsis: 'rotator show|clear|dry-run NAME', summary: 'the rotator, its recent runs; dry-run creates nothing' }],
      needs: 'vault',
      run: rotator,
    },
    {
      name: 'promote',
      args: ['NAME'],
      options: { version: { type: 'string', value: 'N' }, force: { type: 'boolean' } },
      synopsis: 'promote NAME --version N [--force]',
      summary: 'make a kept version current (--force: even if it breaks policy)',
      needs: 'vault',
      run: promote,
    },
    { name: 'rollback', args: ['NAME'], options: {}, summary: 'make the previous version current again', needs: 'vault', run: rollback },
    {
      name: 'snooze',
      args: ['NAME'],
      options: { days: { type: 'string', value: 'N' } },
      summary: 'no reminders for NAME for N days (default 1)',
      needs: 'vault',
      run: snooze,
    },
    { name: 'mark-rotated', args: ['NAME'], options: {}, summary: '"rotated at the provider": restart its rotation clock', needs: 'vault', run: markRotated },
  ],
};
