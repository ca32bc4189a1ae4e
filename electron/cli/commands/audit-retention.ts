/**
 * `keyward audit retention [DAYS]`: how long the trail's sealed segments are
 * kept (docs/audit-format.md §11). Shortening it erases evidence sooner, so
 * it asks for the master password.
 */
import { DEFAULT_AUDIT_RETENTION_DAYS } from '../../core/vault/body.js';
import { fail } from '../../core/errors.js';
import { emit } from '../output.js';
import { updateSettingsAsking, type AuditSubcommand } from './audit-subcommand.js';

const words = (days: number) => (days === 0 ? 'for ever' : `${days} days`);

export const retention: AuditSubcommand = {
  name: 'retention',
  options: { days: { type: 'string', value: 'N' } },
  synopsis: 'audit retention [--days N]',
  summary: 'how long sealed segments of the trail are kept (default 365 days; 0: for ever); shortening it asks for the master password, and each drop is recorded',
  async run({ vault, flags, o }) {
    const current = vault.state.settings.auditRetentionDays ?? DEFAULT_AUDIT_RETENTION_DAYS;
    if (flags.days === undefined) {
      emit(o, { auditRetentionDays: current }, () => `The audit trail's sealed segments are kept ${words(current)}.`);
      return;
    }
    const days = Number(flags.days);
    if (!Number.isSafeInteger(days)) throw fail.badRequest('--days takes a whole number: 0 (for ever) or 30 to 3650.');
    const updated = await updateSettingsAsking(vault, flags, { auditRetentionDays: days }, 'to shorten the audit retention');
    emit(o, { auditRetentionDays: updated.auditRetentionDays ?? DEFAULT_AUDIT_RETENTION_DAYS }, () => `The audit trail's sealed segments are now kept ${words(days)}.`);
  },
};
