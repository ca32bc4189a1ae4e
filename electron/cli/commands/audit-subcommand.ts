/**
 * What every `keyward audit` subcommand module shares: the shape of a
 * subcommand and the options that pick records (--since, --until, …), read
 * one way. A module of its own, so that audit.ts can list the subcommand
 * modules and they can use these without an import cycle.
 */
import type { AuditFilter } from '../../core/audit/trail-read.js';
import { fail, KeywardError } from '../../core/errors.js';
import type { SettingsPatch, UnlockedVault } from '../../core/service/vault-lifecycle.js';
import type { VaultSettings } from '../../core/vault/body.js';
import type { Flags } from '../output.js';
import { explicitPassword } from '../password-sources.js';
import { promptHidden } from '../terminal.js';
import type { OptionSpecs, UnlockedInvocation } from './spec.js';

/** One `keyward audit NAME …`: what it takes besides the shared filter options, and what it does. */
export interface AuditSubcommand {
  name: string;
  options: OptionSpecs;
  synopsis: string;
  summary: string;
  run(call: UnlockedInvocation): Promise<void>;
}

/** A date or time option as an ISO time (UTC); undefined when not given. */
export function isoOption(flags: Flags, name: string): string | undefined {
  const value = flags[name];
  if (value === undefined) return undefined;
  const date = new Date(String(value));
  if (Number.isNaN(date.getTime())) throw fail.badRequest(`--${name} takes a date or time, e.g. 2026-12-01 or 2026-12-01T09:30:00Z.`);
  return date.toISOString();
}

/** The options that pick records; `audit` alone takes them all, a subcommand those it declares. */
export const FILTER_OPTIONS = {
  since: { type: 'string', value: 'T' },
  until: { type: 'string', value: 'T' },
  action: { type: 'string', value: 'A' },
  actor: { type: 'string', value: 'A' },
  credential: { type: 'string', value: 'NAME' },
  outcome: { type: 'string', value: 'success|failure' },
  limit: { type: 'string', value: 'N' },
} as const satisfies OptionSpecs;

/** The filter options every listing subcommand shares (--since, --until, --action, --actor, --credential, --outcome, --limit). */
export function filterOf(flags: Flags): AuditFilter {
  const limit = flags.limit === undefined ? undefined : Number(flags.limit);
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 1)) throw fail.badRequest('--limit takes a whole number of 1 or more.');
  const outcome = flags.outcome === undefined ? undefined : String(flags.outcome);
  if (outcome !== undefined && outcome !== 'success' && outcome !== 'failure') throw fail.badRequest('--outcome takes "success" or "failure".');
  return {
    ...(isoOption(flags, 'since') ? { since: isoOption(flags, 'since') } : {}),
    ...(isoOption(flags, 'until') ? { until: isoOption(flags, 'until') } : {}),
    ...(flags.action !== undefined ? { action: String(flags.action) } : {}),
    ...(flags.actor !== undefined ? { actor: String(flags.actor) } : {}),
    ...(flags.credential !== undefined ? { credential: String(flags.credential) } : {}),
    ...(outcome ? { outcome } : {}),
    ...(limit !== undefined ? { limit } : {}),
  };
}

/**
 * Saves `patch`; when the core says it weakens the vault's protection, asks
 * for the master password (from the usual places, never argv) and saves again.
 */
export async function updateSettingsAsking(vault: UnlockedVault, flags: Flags, patch: SettingsPatch, why: string): Promise<Readonly<VaultSettings>> {
  try {
    return await vault.updateSettings(patch);
  } catch (err) {
    if (!(err instanceof KeywardError && err.extra.field === 'password')) throw err;
    const password = explicitPassword(flags) ?? (await promptHidden(`Master password (${why}): `));
    return vault.updateSettings(patch, password);
  }
}
