/**
 * Words for what the watch over the audit trail finds (docs/audit-format.md
 * §9): kinds, severities, statuses, what Keyward did by itself, and the
 * thresholds as sentences. Colours are decided here too, but a colour never
 * stands alone: every badge carries its word.
 */
import type { DetectionRulesView } from '../../../../shared/ipc/contract';
import { SEVERITY_RANK, type AnomalyKind, type IncidentResponse, type IncidentStatus, type Severity } from '../../../../shared/incidents';

export const KIND_LABELS: Record<AnomalyKind, string> = {
  burst: 'Burst of reads',
  sweep: 'Sweep of many credentials',
  'failed-unlocks': 'Wrong master passwords',
  'new-actor': 'New actor',
  'odd-hour': 'Odd hour',
  tamper: 'Tampering',
  rollback: 'Older copy of the vault',
  compromised: 'Marked compromised',
};

export const SEVERITY_LABELS: Record<Severity, string> = { info: 'Info', low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' };

/** Badge tones; critical is drawn solid (see SeverityBadge) so it stands apart from high. */
export const SEVERITY_TONES = { info: 'accent', low: 'neutral', medium: 'warn', high: 'danger', critical: 'danger' } as const satisfies Record<Severity, string>;

export const STATUS_LABELS: Record<IncidentStatus, string> = { open: 'Open', acknowledged: 'Acknowledged', resolved: 'Resolved' };

export const STATUS_TONES = { open: 'warn', acknowledged: 'neutral', resolved: 'ok' } as const satisfies Record<IncidentStatus, string>;

/** What Keyward did, as the incident tells it (past tense). */
export const RESPONSE_DONE: Record<IncidentResponse, string> = { notify: 'notified you', lock: 'locked the vault', 'flag-for-rotation': 'flagged the credential for rotation', 'suspend-grant': 'suspended the grant' };

/** What Keyward will do, as the thresholds tell it. */
export const RESPONSE_PLANNED: Record<IncidentResponse, string> = { notify: 'notify', lock: 'lock the vault', 'flag-for-rotation': 'flag the credential for rotation', 'suspend-grant': 'suspend the grant' };

/** "a, b and c" */
export function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "Keyward notified you and locked the vault." (or that it did nothing by itself). */
export function responsesSentence(responses: readonly IncidentResponse[]): string {
  if (responses.length === 0) return 'Keyward did nothing by itself.';
  return `Keyward ${listInWords(responses.map((r) => RESPONSE_DONE[r]))}.`;
}

/** High and critical anomalies open an incident; the rest are listed as minor (the rule the watch applies). */
export function opensIncident(severity: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK.high;
}

export interface RuleText {
  kind: AnomalyKind;
  name: string;
  /** When it fires, as a sentence. */
  when: string;
  severity: Severity;
  /** What Keyward does when it fires: the responses, or that it is only listed. */
  then: string;
}

/** The order the thresholds are shown in: the incident-opening kinds first, then the minor ones. */
const RULE_ORDER: AnomalyKind[] = ['burst', 'sweep', 'failed-unlocks', 'tamper', 'rollback', 'compromised', 'new-actor', 'odd-hour'];

/** The watch's thresholds in words, one per kind. */
export function ruleTexts(rules: DetectionRulesView): RuleText[] {
  const { burst, sweep, failedUnlocks, oddHour } = rules;
  const when: Record<AnomalyKind, string> = {
    burst: `More than ${plural(burst.reads, 'read')} of one credential within ${plural(burst.minutes, 'minute')}, or ${burst.factor}× its usual rate once it has ${plural(burst.historyDays, 'day')} of history.`,
    sweep: `Reads of ${sweep.credentials} or more different credentials within ${plural(sweep.minutes, 'minute')}.`,
    'failed-unlocks': `${failedUnlocks.failures} or more wrong master passwords within ${plural(failedUnlocks.minutes, 'minute')}.`,
    tamper: 'The audit trail was changed behind Keyward’s back: a record changed or removed, or the trail cut back.',
    rollback: 'An older copy of the vault file was put in its place (changes made since would be undone), or opened on purpose.',
    compromised: 'Someone marks a credential compromised (in the credential’s details, or with “keyward compromised”).',
    'new-actor': 'The first use of this vault by a program or person that never used it before.',
    'odd-hour': `Use in an hour of the week with no activity in the previous ${plural(oddHour.quietDays, 'day')}, once there are ${plural(oddHour.historyDays, 'day')} of history.`,
  };
  return RULE_ORDER.map((kind) => {
    const severity = rules.severity[kind];
    const responses = rules.responses[kind] ?? [];
    const then = opensIncident(severity)
      ? `Opens an incident; Keyward will ${responses.length ? listInWords(responses.map((r) => RESPONSE_PLANNED[r])) : 'do nothing else by itself'}.`
      : 'Listed under Other anomalies; no incident opens.';
    return { kind, name: KIND_LABELS[kind], when: when[kind], severity, then };
  });
}

/** One line for the whole watch, for the empty state. */
export function watchSummary(rules: DetectionRulesView | null): string {
  if (!rules)
    return 'Keyward watches the audit trail for bursts of reads, sweeps across many credentials, repeated wrong master passwords, tampering and credentials marked compromised.';
  return `Keyward watches the audit trail for bursts of reads of one credential, reads of ${rules.sweep.credentials} or more credentials within ${plural(rules.sweep.minutes, 'minute')}, ${rules.failedUnlocks.failures} or more wrong master passwords, tampering with the trail or the vault, and credentials marked compromised.`;
}

/** The time as the audit trail shows it (UTC, to the second). */
export function trailTime(iso: string): string {
  return iso.replace('T', ' ').slice(0, 19);
}
