/**
 * Words for the security dashboard (`report.security`, the figures of
 * `keyward report`): a metric's status in words as well as colour — the same
 * words the HTML report prints — its controls, the strength distribution and
 * the vault's facts. Evidence, never certification: the disclaimer says so in
 * the report's own words.
 */
import type { ControlRef, MetricStatus, ReportMetric, SecurityReport } from '../../../../shared/report';
import { formatCount, formatDate } from '../../lib/format';
import { SCORE_LABELS } from '../../lib/strength';

/** As electron/core/report/report-html.ts prints them, so the screen and the file say the same. */
export const STATUS_WORDS: Record<MetricStatus, string> = { good: 'Good', attention: 'Needs attention', bad: 'Act now', info: 'For information' };

/** Badge tones; a colour never stands alone: every badge carries its word. */
export const STATUS_TONES = { good: 'ok', attention: 'warn', bad: 'danger', info: 'accent' } as const satisfies Record<MetricStatus, string>;

/** Most urgent first: the order the summary line counts in. */
const STATUS_ORDER: MetricStatus[] = ['bad', 'attention', 'good', 'info'];

export const DISCLAIMER =
  'These figures support evidence for the controls named beside them; they are not a certification or an assessment of compliance. The report holds no secret value.';

/** "1 to act on now · 2 need attention · 4 good · 1 for information" (statuses with none are left out). */
export function statusSummary(metrics: readonly Pick<ReportMetric, 'status'>[]): string {
  const count = (s: MetricStatus) => metrics.filter((m) => m.status === s).length;
  const words: Record<MetricStatus, (n: number) => string> = {
    bad: (n) => `${n} to act on now`,
    attention: (n) => `${n} ${n === 1 ? 'needs' : 'need'} attention`,
    good: (n) => `${n} good`,
    info: (n) => `${n} for information`,
  };
  const parts = STATUS_ORDER.filter((s) => count(s) > 0).map((s) => words[s](count(s)));
  return parts.length ? parts.join(' · ') : 'No metrics.';
}

/** "PCI DSS v4.0 8.3.6" — the control's name; its title follows in the list. */
export function controlName(c: Pick<ControlRef, 'framework' | 'id'>): string {
  return `${c.framework} ${c.id}`;
}

export interface StrengthColumn {
  key: string;
  label: string;
  axisLabel: string;
  value: number;
  fill: string;
}

/** The estimator's scores 0–4 as chart columns, weak ones in the danger colour, strong ones in the good one. */
export function strengthColumns(distribution: SecurityReport['strengthDistribution']): StrengthColumn[] {
  const fills = ['fill-danger', 'fill-danger', 'fill-warn-text', 'fill-ok-text', 'fill-ok-text'];
  return distribution.map((value, score) => ({ key: String(score), label: `${SCORE_LABELS[score]} (${score})`, axisLabel: SCORE_LABELS[score]!, value, fill: fills[score]! }));
}

/** The sentence under the strength chart. */
export function strengthSummary(distribution: SecurityReport['strengthDistribution']): string {
  const total = distribution.reduce((a, b) => a + b, 0);
  if (total === 0) return 'No password credentials to score yet.';
  const weak = distribution[0] + distribution[1] + distribution[2];
  const strong = total - weak;
  return `${formatCount(total)} password${total === 1 ? '' : 's'} scored by the strength estimator (0–4): ${formatCount(strong)} strong or very strong, ${formatCount(weak)} at fair or below.`;
}

/** The vault's facts, as terms and values. */
export function vaultFacts(vault: SecurityReport['vault']): { term: string; value: string }[] {
  return [
    { term: 'Credentials', value: formatCount(vault.credentialCount) },
    { term: 'Vault made', value: formatDate(vault.createdAt) },
    { term: 'Vault key from', value: formatDate(vault.keyCreatedAt) },
    { term: 'Master password KDF', value: `${formatCount(vault.kdfIterations)} iterations` },
    { term: 'Keychain unlock', value: vault.keychain ? 'On' : 'Off' },
    { term: 'Vault ID', value: vault.id },
  ];
}
