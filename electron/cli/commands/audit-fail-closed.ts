/**
 * `keyward audit fail-closed [--on | --off]`: whether an operation whose audit
 * record cannot be written is refused (AUDIT_UNAVAILABLE; the default) or goes
 * on, said on stderr each time and counted in the trail later
 * (docs/audit-format.md §5). Turning it off asks for the master password.
 */
import { fail } from '../../core/errors.js';
import { emit } from '../output.js';
import { updateSettingsAsking, type AuditSubcommand } from './audit-subcommand.js';

const words = (on: boolean) =>
  on
    ? 'on: an operation whose record cannot be written is refused (AUDIT_UNAVAILABLE)'
    : 'off: an operation whose record cannot be written goes on, with a warning, and the trail later says how many went unrecorded';

export const failClosed: AuditSubcommand = {
  name: 'fail-closed',
  options: { on: { type: 'boolean' }, off: { type: 'boolean' } },
  synopsis: 'audit fail-closed [--on | --off]',
  summary: 'whether anything the trail cannot record is refused (on, the default); turning it off asks for the master password',
  async run({ vault, flags, o }) {
    if (flags.on && flags.off) throw fail.badRequest('audit fail-closed takes --on or --off, not both.');
    if (!flags.on && !flags.off) {
      const on = vault.state.settings.auditFailClosed !== false;
      emit(o, { auditFailClosed: on }, () => `Audit fail-closed is ${words(on)}.`);
      return;
    }
    const updated = await updateSettingsAsking(vault, flags, { auditFailClosed: flags.on === true }, 'to let operations go on unrecorded');
    const on = updated.auditFailClosed !== false;
    emit(o, { auditFailClosed: on }, () => `Audit fail-closed is now ${words(on)}.`);
  },
};
