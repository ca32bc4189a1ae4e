/**
 * The vault's health score and the words beside it. The score must agree with
 * what the screen shows next to it: it can be no higher than the share of
 * credentials with nothing to look at, and the worst finding on an active
 * credential caps it (a critical one means "At risk" however clean the rest
 * is). The explanation says which of these set it.
 */
import type { CredentialReport, HealthVerdict, Severity } from '../../../shared/health/findings.js';
import { scoreWord, SEVERITIES, SEVERITY_LABELS, worstSeverity } from '../../../shared/health/vocabulary.js';

/** The highest score a vault can have while an active credential has a finding this severe. */
export const SCORE_CAPS: Record<Severity, number> = { critical: 49, high: 74, medium: 89, low: 100 };

const count = (n: number) => n.toLocaleString('en-US');
const credentials = (n: number) => `${count(n)} credential${n === 1 ? '' : 's'}`;

export function healthScore(reports: readonly CredentialReport[]): { score: number; verdict: HealthVerdict } {
  const active = reports.filter((r) => r.active);
  const meanRisk = active.length ? active.reduce((s, r) => s + r.risk, 0) / active.length : 0;
  const urgent = active.filter((r) => r.risk >= 70).length;
  // The mean says how much is wrong overall; each credential that needs fixing now costs extra.
  const byRisk = 100 - meanRisk - Math.min(30, urgent * 3);

  const byWorstSeverity: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  const activeWorst: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  let toLookAt = 0;
  for (const r of reports) {
    const worst = worstSeverity(r.findings);
    if (!worst) continue;
    toLookAt++;
    byWorstSeverity[worst]++;
    if (r.active) activeWorst[worst]++;
  }
  // "98" beside "2,512 credentials to look at" reads as a contradiction: the clean share bounds the score.
  const byShare = reports.length ? (100 * (reports.length - toLookAt)) / reports.length : 100;
  const cappedBy = SEVERITIES.find((s) => activeWorst[s] > 0 && SCORE_CAPS[s] < 100) ?? null;
  const cap = cappedBy ? SCORE_CAPS[cappedBy] : 100;
  const score = Math.max(0, Math.min(cap, Math.round(Math.min(byRisk, byShare))));
  const label = scoreWord(score);

  let explanation: string;
  if (toLookAt === 0) explanation = `No findings in ${credentials(reports.length)}.`;
  else {
    const parts = SEVERITIES.filter((s) => byWorstSeverity[s] > 0).map((s) => `${count(byWorstSeverity[s])} ${SEVERITY_LABELS[s].toLowerCase()}`);
    explanation = `${count(toLookAt)} of ${credentials(reports.length)} have findings (worst: ${parts.join(', ')}).`;
    if (cappedBy && Math.round(Math.min(byRisk, byShare)) > cap) {
      const n = activeWorst[cappedBy];
      explanation += ` The score is capped at ${cap} while ${credentials(n)} ${n === 1 ? 'has' : 'have'} a ${cappedBy} finding.`;
    }
  }
  return { score, verdict: { label, explanation, toLookAt, byWorstSeverity, cappedBy } };
}
