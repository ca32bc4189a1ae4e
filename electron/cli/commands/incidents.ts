/**
 * `keyward incidents`, `keyward incident ack|resolve ID`, `keyward compromised
 * NAME`: what the watch over the audit trail found (docs/audit-format.md §9)
 * and what a person does about it.
 */
import type { Anomaly, AnomalyKind, DetectionOverrides, Incident } from '../../../shared/incidents.js';
import type { DetectionRulesView } from '../../../shared/ipc/incidents.js';
import { checkOverride, rulesView } from '../../core/audit/watch/detection-rules.js';
import { explicitPassword } from '../password-sources.js';
import { fail } from '../../core/errors.js';
import { emit } from '../output.js';
import { printTable, promptHidden, safeText } from '../terminal.js';
import type { CommandFamily, UnlockedInvocation } from './spec.js';

const RESPONSE_WORDS: Record<Incident['responses'][number], string> = { notify: 'notified', lock: 'vault locked', 'flag-for-rotation': 'flagged for rotation', 'suspend-grant': 'grant suspended' };

/** The line a command prints on stderr when something it did opened an incident. */
export function incidentWarning(incident: Incident): string {
  return `keyward: INCIDENT ${incident.id} (${incident.severity}, ${incident.kind}): ${safeText(incident.explanation)} See "keyward incidents".`;
}

function when(iso: string): string {
  return iso.replace('T', ' ').slice(0, 19);
}

function incidentText(i: Incident): string {
  const lines = [
    `${i.id}  ${i.severity.toUpperCase()}  ${i.kind}  ${i.status}  opened ${when(i.openedAt)} UTC`,
    `    ${safeText(i.explanation)}`,
    `    done by itself: ${i.responses.map((r) => RESPONSE_WORDS[r]).join(', ')}; trail records: ${i.seqs.length ? i.seqs.join(', ') : 'none'}`,
    ...i.notes.map((n) => `    ${n.status} ${when(n.at)} UTC${n.note ? `: ${safeText(n.note)}` : ''}`),
  ];
  return lines.join('\n');
}

/** The rules in force, one line each, with their setting names (what --set takes). */
function rulesText(rules: DetectionRulesView, overrides: DetectionOverrides): string {
  const mark = (key: string) => (key in overrides ? '  (changed)' : '');
  const lines = [
    `burst.reads ${rules.burst.reads}, burst.minutes ${rules.burst.minutes}, burst.factor ${rules.burst.factor}, burst.history-days ${rules.burst.historyDays}${mark('burst.reads') || mark('burst.minutes') || mark('burst.factor') || mark('burst.history-days')}`,
    `  more than ${rules.burst.reads} reads of one credential within ${rules.burst.minutes} minutes, or ${rules.burst.factor}× its usual rate once it has ${rules.burst.historyDays} days of history`,
    `sweep.credentials ${rules.sweep.credentials}, sweep.minutes ${rules.sweep.minutes}${mark('sweep.credentials') || mark('sweep.minutes')}`,
    `  reads of ${rules.sweep.credentials} or more different credentials within ${rules.sweep.minutes} minutes`,
    `failed-unlocks.failures ${rules.failedUnlocks.failures}, failed-unlocks.minutes ${rules.failedUnlocks.minutes}${mark('failed-unlocks.failures') || mark('failed-unlocks.minutes')}`,
    `odd-hour.quiet-days ${rules.oddHour.quietDays}, odd-hour.history-days ${rules.oddHour.historyDays}${mark('odd-hour.quiet-days') || mark('odd-hour.history-days')}`,
    'What each kind does by itself (lock.KIND on|off changes the lock):',
    ...Object.entries(rules.responses).map(([kind, responses]) => `  ${kind} (${rules.severity[kind as AnomalyKind]}): ${responses.map((r) => RESPONSE_WORDS[r]).join(', ')}${mark(`lock.${kind}`)}`),
  ];
  return lines.join('\n');
}

/** `KEY=VALUE` as the override it sets (numbers, or on/off for lock.KIND). */
function parseSetting(text: string): [string, number | boolean] {
  const at = text.indexOf('=');
  if (at < 1) throw fail.badRequest(`--set takes KEY=VALUE, e.g. --set burst.reads=40 or --set lock.sweep=off (got "${safeText(text.slice(0, 60))}").`);
  const key = text.slice(0, at).trim();
  const raw = text.slice(at + 1).trim();
  const value = key.startsWith('lock.') ? (raw === 'on' ? true : raw === 'off' ? false : raw) : Number(raw);
  const wrong = checkOverride(key, value as number | boolean);
  if (wrong) throw fail.badRequest(wrong);
  return [key, value as number | boolean];
}

/** `--set` and `--reset-rules`: any change to what the watch looks for asks for the master password. */
async function changeRules({ vault, flags, o }: UnlockedInvocation): Promise<void> {
  const sets = (flags.set as string[] | undefined) ?? [];
  const detection: DetectionOverrides = flags['reset-rules'] ? {} : { ...(vault.state.settings.detection ?? {}) };
  for (const text of sets) {
    const [key, value] = parseSetting(text);
    (detection as Record<string, number | boolean>)[key] = value;
  }
  const password = explicitPassword(flags) ?? (await promptHidden('Master password (to change what the watch looks for): '));
  await vault.updateSettings({ detection }, password);
  emit(o, rulesView(vault.detectionRules), () => `The watch's rules are now:\n${rulesText(rulesView(vault.detectionRules), detection)}`);
}

async function incidents(call: UnlockedInvocation): Promise<void> {
  const { vault, flags, o } = call;
  if (flags.set !== undefined || flags['reset-rules']) return changeRules(call);
  if (flags.rules) {
    const view = rulesView(vault.detectionRules);
    emit(o, view, () => rulesText(view, vault.state.settings.detection ?? {}));
    return;
  }
  const book = await vault.incidents({ all: Boolean(flags.all) });
  const anomalies: Anomaly[] = flags.all ? book.anomalies : [];
  emit(o, flags.all ? { incidents: book.incidents, anomalies } : book.incidents, () => {
    const parts = [
      book.incidents.length
        ? book.incidents.map(incidentText).join('\n\n')
        : flags.all
          ? 'No incidents.'
          : 'No open incidents. ("--all" lists resolved ones and minor anomalies too.)',
    ];
    if (anomalies.length)
      parts.push(
        `Minor anomalies (no incident), newest first:\n${printTable(
          anomalies.map((a) => [when(a.at), a.severity, a.kind, safeText(a.explanation)]),
          ['TIME (UTC)', 'SEVERITY', 'KIND', 'WHAT'],
        )}`,
      );
    return parts.join('\n\n');
  });
}

async function incident({ vault, args: [verb, id], flags, o }: UnlockedInvocation): Promise<void> {
  const status = verb === 'ack' ? 'acknowledged' : verb === 'resolve' ? 'resolved' : null;
  if (!status) throw fail.badRequest(`incident takes "ack" or "resolve" (got "${safeText(verb ?? '')}").`);
  const updated = await vault.updateIncident(id!, status, flags.note === undefined ? '' : String(flags.note));
  emit(o, updated, () => `Incident ${updated.id} ${status}.`);
}

async function compromised({ vault, args: [name], o }: UnlockedInvocation): Promise<void> {
  const detail = await vault.rotation().markCompromised(name!);
  emit(o, detail, () => `"${safeText(detail.name)}" is marked compromised: it is due for rotation now ("keyward rotate ${safeText(detail.name)}"), and an incident was opened ("keyward incidents").`);
}

export const incidentCommands: CommandFamily = {
  title: 'Incidents',
  commands: [
    {
      name: 'incidents',
      args: [],
      options: { all: { type: 'boolean' }, rules: { type: 'boolean' }, set: { type: 'string', value: 'KEY=VALUE', multiple: true }, 'reset-rules': { type: 'boolean' } },
      synopsis: 'incidents [--all]',
      summary: 'incidents the watch over the audit trail opened (burst, sweep, failed unlocks, tamper, compromised), newest first; --all adds resolved ones and minor anomalies',
      alsoAs: [
        { synopsis: 'incidents --rules', summary: "what the watch looks for, and what each kind does by itself" },
        { synopsis: 'incidents --set KEY=VALUE... | --reset-rules', summary: 'change a threshold (burst.reads=40) or a lock (lock.sweep=off), or go back to the defaults; asks for the master password' },
      ],
      needs: 'vault',
      run: incidents,
    },
    {
      name: 'incident',
      args: ['ack|resolve', 'ID'],
      options: { note: { type: 'string', value: 'TEXT' } },
      summary: 'acknowledge or resolve an incident, with a note (recorded)',
      needs: 'vault',
      run: incident,
    },
    {
      name: 'compromised',
      args: ['NAME'],
      options: {},
      summary: 'mark a credential compromised: due for rotation at once, and an incident opens',
      needs: 'vault',
      run: compromised,
    },
  ],
};
