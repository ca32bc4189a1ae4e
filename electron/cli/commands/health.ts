/** `keyward health` and `check`. */
import type { CredentialReport, FindingKind, VaultHealth } from '../../../shared/health/findings.js';
import { FINDING_LABELS, findingTitle, worstFirst } from '../../../shared/health/vocabulary.js';
import { emit } from '../output.js';
import { safeText } from '../terminal.js';
import type { CommandFamily, UnlockedInvocation } from './spec.js';

/** One credential's findings, titled in the app's words (shared/health/vocabulary.ts), worst first. */
export function healthReportText(r: CredentialReport): string {
  const head = `${safeText(r.name)}  [${r.type}${r.provider ? `, ${safeText(r.provider)}` : ''}${r.active ? '' : ', inactive'}]  risk ${r.risk}/100`;
  const strength = r.strength ? `\n    strength ${r.strength.score}/4 (offline crack time: ${r.strength.crackTime})` : '';
  const format = r.detectedFormat ? `\n    recognised as: ${r.detectedFormat}` : '';
  const findings = r.findings.length
    ? worstFirst(r.findings)
        .map((f) => `\n    ${findingTitle(f)}: ${safeText(f.message)}\n      fix: ${safeText(f.fix)}`)
        .join('')
    : '\n    no findings';
  return head + strength + format + findings;
}

/** The vault's score with its word and explanation, the counts by kind, and every credential's findings. */
export function vaultHealthText(health: VaultHealth): string {
  const counts = Object.entries(health.counts)
    .sort((a, b) => b[1]! - a[1]!)
    .map(([k, n]) => `${FINDING_LABELS[k as FindingKind]}: ${n}`)
    .join(', ');
  const confusable = health.confusableNames.map((g) => `  ${g.credentials.map((c) => JSON.stringify(safeText(c.name))).join(' ≈ ')}`);
  const lines = [
    `Vault health: ${health.score}/100 ${health.verdict.label} — ${health.verdict.explanation}`,
    counts ? `Findings by kind: ${counts}` : 'Findings by kind: none',
    `Password strength (0–4): ${health.strengthDistribution.map((n, score) => `${score}: ${n}`).join('  ')}`,
    ...(confusable.length ? ['Names that look the same (trimmed, case-folded):', ...confusable] : []),
    '',
    ...health.reports.map(healthReportText),
  ];
  return lines.join('\n');
}

/** The core's health pipeline, which also keeps new strength estimates in the vault (each password is estimated once, ever). */
async function health({ vault, o }: UnlockedInvocation): Promise<void> {
  const report = await vault.health.vault();
  emit(o, report, () => vaultHealthText(report));
}

async function check({ vault, args: [name], o }: UnlockedInvocation): Promise<void> {
  const report = await vault.health.credential(name!);
  emit(o, report, () => healthReportText(report));
}

export const healthCommands: CommandFamily = {
  title: 'Health',
  commands: [
    { name: 'health', args: [], options: {}, summary: "every credential's findings and risk, and the vault's health score", needs: 'vault', run: health },
    { name: 'check', args: ['NAME'], options: {}, summary: "one credential's findings and risk", needs: 'vault', run: check },
  ],
};
