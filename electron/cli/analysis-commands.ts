/** `keyward health`, `check` and `generate`. */
import type { CredentialReport, FindingKind, VaultHealth } from '../../shared/analysis/findings.js';
import { FINDING_LABELS, findingTitle, worstFirst } from '../../shared/analysis/vocabulary.js';
import { DEFAULT_GENERATOR_OPTIONS, type GeneratorOptions } from '../../shared/generator-options.js';
import { analyzeItems, collectForAnalysis, newStrengths, persistStrengths, summarise } from '../core/analysis/vault-health.js';
import { defaultPolicy } from '../core/composition.js';
import { fail } from '../core/errors.js';
import { checkAgainstPolicy, generate } from '../core/generator/generate.js';
import { DEFAULT_PASSWORD_RULES } from '../core/policy/password-policy.js';
import type { VaultService } from '../core/service/vault-service.js';
import { emit, type Flags, type Output } from './commands.js';
import { safeText } from './terminal.js';

/** One credential's findings, titled in the app's words (shared/analysis/vocabulary.ts), worst first. */
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

/** Analyses the vault and keeps any new strength estimates in it (each password is estimated once, ever). */
function analyseAndKeep(svc: VaultService, target?: string): Promise<VaultHealth> {
  return svc.analyse(async () => {
    const now = new Date();
    const items = collectForAnalysis(svc.session, defaultPolicy());
    const reports = analyzeItems(items, now);
    await persistStrengths(svc.session, newStrengths(items, reports)).catch(() => undefined);
    return summarise(reports, now);
  }, target);
}

export async function healthCommand(svc: VaultService, o: Output): Promise<void> {
  const health = await analyseAndKeep(svc);
  emit(o, health, () => vaultHealthText(health));
}

export async function checkCommand(svc: VaultService, name: string, o: Output): Promise<void> {
  const id = (await svc.show(name)).id;
  const health = await analyseAndKeep(svc, name);
  const report = health.reports.find((r) => r.id === id)!;
  emit(o, report, () => healthReportText(report));
}

function int(flags: Flags, key: string): number | undefined {
  if (flags[key] === undefined) return undefined;
  const n = Number(flags[key]);
  if (!Number.isInteger(n)) throw fail.badRequest(`--${key} takes a whole number.`);
  return n;
}

export function generatorOptionsFrom(flags: Flags): GeneratorOptions {
  const kind = (flags.kind as string | undefined) ?? 'password';
  if (kind === 'password') {
    const d = DEFAULT_GENERATOR_OPTIONS.password;
    return {
      kind,
      length: int(flags, 'length') ?? d.length,
      lower: !flags['no-lower'],
      upper: !flags['no-upper'],
      digits: !flags['no-digits'],
      symbols: !flags['no-symbols'],
      excludeLookAlikes: Boolean(flags['exclude-look-alikes']),
    };
  }
  if (kind === 'passphrase') {
    const d = DEFAULT_GENERATOR_OPTIONS.passphrase;
    return {
      kind,
      words: int(flags, 'words') ?? d.words,
      separator: (flags.separator as string | undefined) ?? d.separator,
      capitalize: Boolean(flags.capitalize),
      includeNumber: Boolean(flags['include-number']),
    };
  }
  if (kind === 'api') {
    const encoding = (flags.encoding as string | undefined) ?? DEFAULT_GENERATOR_OPTIONS.api.encoding;
    if (encoding !== 'hex' && encoding !== 'base64url' && encoding !== 'base62') throw fail.badRequest('--encoding is hex, base64url or base62.');
    return { kind, bytes: int(flags, 'bytes') ?? DEFAULT_GENERATOR_OPTIONS.api.bytes, encoding, prefix: (flags.prefix as string | undefined) ?? '' };
  }
  throw fail.badRequest('--kind is password, passphrase or api.');
}

export function generateCommand(flags: Flags, o: Output): void {
  const options = generatorOptionsFrom(flags);
  // Generated passwords always satisfy the active policy, unless asked with --force.
  if (!flags.force) checkAgainstPolicy(options, DEFAULT_PASSWORD_RULES);
  const generated = generate(options);
  emit(o, { ...generated, options }, () => generated.value);
}
