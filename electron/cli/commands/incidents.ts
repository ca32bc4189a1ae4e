/**
 * `keyward incidents`, `keyward incident ack|resolve ID`, `keyward compromised
 * NAME`: what the watch over the audit trail found (docs/audit-format.md §9)
 * and what a person does about it.
 */
import type { Anomaly, Incident } from '../../../shared/incidents.js';
import { fail } from '../../core/errors.js';
import { emit } from '../output.js';
import { printTable, safeText } from '../terminal.js';
import type { CommandFamily, UnlockedInvocation } from './spec.js';

const RESPONSE_WORDS: Record<Incident['responses'][number], string> = { notify: 'notified', lock: 'vault locked', 'flag-for-rotation': 'flagged for rotation' };

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

async function incidents({ vault, flags, o }: UnlockedInvocation): Promise<void> {
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
      options: { all: { type: 'boolean' } },
      summary: 'incidents the watch over the audit trail opened (burst, sweep, failed unlocks, tamper, compromised), newest first; --all adds resolved ones and minor anomalies',
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
