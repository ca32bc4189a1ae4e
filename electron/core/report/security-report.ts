/**
 * Builds the security report from what the vault's services already know:
 * health, rotation, usage, the trail's verification and its incidents. Pure:
 * the figures in, the report out (report-html.ts renders it).
 */
import type { VaultHealth } from '../../../shared/health/findings.js';
import type { Incident } from '../../../shared/incidents.js';
import type { UsageView } from '../../../shared/ipc/audit.js';
import type { DueItem, RotationPolicySettings } from '../../../shared/rotation.js';
import type { MetricStatus, ReportMetric, SecurityReport } from '../../../shared/report.js';
import type { PasswordRules } from '../policy/policy-gate.js';
import type { TrailReport } from '../audit/trail-verify.js';
import { METRIC_CONTROLS } from './controls.js';

export interface ReportInputs {
  now: Date;
  vault: SecurityReport['vault'];
  health: VaultHealth;
  /** Every active credential's due item. */
  schedule: DueItem[];
  rotationPolicy: RotationPolicySettings;
  passwordRules: PasswordRules | null;
  settings: { autoLockMinutes: number; clipboardClearSeconds: number; backupsToKeep: number };
  usage: UsageView;
  audit: TrailReport;
  incidents: Incident[];
}

const pct = (part: number, whole: number) => (whole === 0 ? 100 : Math.floor((part / whole) * 1000) / 10);
const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

function metric(id: string, title: string, value: string, status: MetricStatus, detail: string): ReportMetric {
  return { id, title, value, status, detail, controls: METRIC_CONTROLS[id] ?? [] };
}

export function securityReport(input: ReportInputs): SecurityReport {
  const { health, schedule, usage, audit, incidents } = input;
  const [s0, s1, s2, s3, s4] = health.strengthDistribution;
  const passwords = s0 + s1 + s2 + s3 + s4;
  const weak = s0 + s1 + s2;
  const reused = health.counts.reused ?? 0;
  const overdue = schedule.filter((d) => d.status === 'overdue');
  const expired = overdue.filter((d) => d.reason === 'expiry').length;
  const compromised = overdue.filter((d) => d.reason === 'compromised').length;
  const stale = health.counts.stale ?? 0;
  const compliance = pct(schedule.length - overdue.length, schedule.length);
  const open = incidents.filter((i) => i.status !== 'resolved');
  const rules = input.passwordRules;
  const metrics: ReportMetric[] = [
    metric(
      'strength',
      'Password strength',
      passwords ? `${pct(s3 + s4, passwords)} % strong` : 'no passwords',
      weak === 0 ? 'good' : weak * 10 > passwords ? 'bad' : 'attention',
      `${plural(passwords, 'password')} scored by the strength estimator (0–4): ${plural(weak, 'password')} score 2 or below and should be replaced with generated ones.`,
    ),
    metric(
      'reuse',
      'Reused values',
      String(reused),
      reused === 0 ? 'good' : 'bad',
      reused === 0 ? 'No value is stored under more than one credential.' : `${plural(reused, 'credential')} share a value with another; a leak of one is a leak of all. Rotate each to its own value.`,
    ),
    metric(
      'rotation',
      'Rotation compliance',
      `${compliance} %`,
      overdue.length === 0 ? 'good' : compliance >= 90 ? 'attention' : 'bad',
      `${plural(schedule.length - overdue.length, 'active credential')} of ${schedule.length.toLocaleString('en-US')} are within their rotation interval, maximum age and expiry; ${plural(overdue.length, 'is', 'are')} overdue${compromised ? `, ${compromised} of them marked compromised` : ''}.`,
    ),
    metric(
      'stale',
      'Stale and expired',
      `${stale} stale, ${expired} expired`,
      stale + expired === 0 ? 'good' : 'attention',
      `Stale: older than the maximum age (${input.rotationPolicy.defaults.maxAgeDays} days by default). Expired: past their own expiry date. Rotate or deactivate each.`,
    ),
    metric(
      'unused',
      'Never used',
      String(usage.neverUsed.length),
      usage.neverUsed.length === 0 ? 'good' : 'info',
      `Credentials no value of which was read since the audit trail began${usage.since ? ` (${usage.since.slice(0, 10)})` : ''}. Keep only what is needed: remove or deactivate the rest.`,
    ),
    metric(
      'audit',
      'Audit trail integrity',
      audit.intact ? 'intact' : `${plural(audit.problems.length, 'problem')}`,
      audit.intact ? 'good' : 'bad',
      audit.intact
        ? `${plural(audit.records, 'record')}, each chained to the one before by an HMAC and matching the trail's head and the vault's anchor.`
        : `Verification found ${audit.problems.map((p) => p.kind).join(', ')}: run "keyward audit verify" for each problem and its place.`,
    ),
    metric(
      'incidents',
      'Security incidents',
      `${open.length} open, ${incidents.length - open.length} resolved`,
      open.some((i) => i.severity === 'critical') ? 'bad' : open.length ? 'attention' : 'good',
      open.length
        ? `Open: ${open.map((i) => `${i.kind} (${i.severity}, ${i.openedAt.slice(0, 10)})`).join('; ')}. Acknowledge or resolve each with a note.`
        : 'Every incident the watch over the audit trail opened has been resolved.',
    ),
    metric(
      'policy',
      'Policy in force',
      rules ? `min ${rules.minLength} chars` : 'custom',
      'info',
      'The password rules, rotation rules, auto-lock and clipboard clearing below apply to every credential unless a narrower rule says otherwise.',
    ),
  ];
  const policy = [
    ...(rules
      ? [
          { name: 'Minimum password length', value: `${rules.minLength} characters` },
          {
            name: 'Password must contain',
            value: [rules.requireUpper && 'upper case', rules.requireLower && 'lower case', rules.requireDigit && 'a digit', rules.requireSpecial && 'a special character'].filter(Boolean).join(', ') || 'nothing in particular',
          },
        ]
      : []),
    { name: 'Rotation interval', value: `${input.rotationPolicy.defaults.intervalDays} days` },
    { name: 'Maximum age', value: `${input.rotationPolicy.defaults.maxAgeDays} days` },
    { name: 'Reminder lead time', value: `${input.rotationPolicy.defaults.reminderLeadDays} days` },
    { name: 'Rules by type or provider', value: String(Object.keys(input.rotationPolicy.byType).length + Object.keys(input.rotationPolicy.byProvider).length) },
    { name: 'Auto-lock after', value: `${input.settings.autoLockMinutes} minutes idle` },
    { name: 'Clipboard cleared after', value: `${input.settings.clipboardClearSeconds} seconds` },
    { name: 'Backups kept', value: String(input.settings.backupsToKeep) },
    { name: 'Master password KDF', value: `PBKDF2-HMAC-SHA256, ${input.vault.kdfIterations.toLocaleString('en-US')} iterations` },
  ];
  return { generatedAt: input.now.toISOString(), vault: input.vault, metrics, strengthDistribution: health.strengthDistribution, policy };
}
