/**
 * Which settings changes weaken the vault's protection and so need the master
 * password again: a script injected into the page must not be able to keep the
 * vault open forever or leave secrets on the clipboard longer, even though it
 * can call the settings API. Lowering a timer, or keeping it within its secure
 * default, never needs the password.
 */
import type { VaultSettings } from './body.js';
import { DEFAULT_AUDIT_RETENTION_DAYS, DEFAULT_SETTINGS } from './body.js';

/** Auto-lock minutes of 0 means "never lock on idle". */
export const AUTO_LOCK_NEVER = 0;

export type TimerSettings = Pick<VaultSettings, 'autoLockMinutes' | 'clipboardClearSeconds' | 'auditRetentionDays' | 'auditForward' | 'detection' | 'auditFailClosed'>;

/** Retention bounds: a month at least (a shorter one would erase evidence of a recent attack), ten years at most. */
export const MIN_AUDIT_RETENTION_DAYS = 30;
export const MAX_AUDIT_RETENTION_DAYS = 3650;

/** Why `patch` needs the master password (empty when it does not). */
export function weakeningChanges(current: TimerSettings, patch: Partial<TimerSettings>): string[] {
  const reasons: string[] = [];
  const lock = patch.autoLockMinutes;
  if (lock !== undefined && lock !== current.autoLockMinutes) {
    if (lock === AUTO_LOCK_NEVER) reasons.push('turning auto-lock off');
    else if (lock > DEFAULT_SETTINGS.autoLockMinutes && (current.autoLockMinutes === AUTO_LOCK_NEVER ? false : lock > current.autoLockMinutes))
      reasons.push(`auto-lock later than ${DEFAULT_SETTINGS.autoLockMinutes} minutes`);
  }
  const clip = patch.clipboardClearSeconds;
  if (clip !== undefined && clip > DEFAULT_SETTINGS.clipboardClearSeconds && clip > current.clipboardClearSeconds)
    reasons.push(`clearing the clipboard later than ${DEFAULT_SETTINGS.clipboardClearSeconds} seconds`);
  // Sending the trail somewhere new (or with names) sends what this vault is used for off the machine: the password again.
  const forward = patch.auditForward;
  const now = current.auditForward ?? null;
  if (forward && (!now || forward.syslog !== now.syslog || forward.protocol !== now.protocol || (forward.withNames && !now.withNames)))
    reasons.push(`forwarding the audit trail to ${forward.syslog}${forward.withNames ? ' with credential names' : ''}`);
  // Any change to the watch could quiet it (a higher threshold, a lock turned off): the password, always.
  if (patch.detection !== undefined && JSON.stringify(patch.detection) !== JSON.stringify(current.detection ?? {})) reasons.push('changing what the watch over the audit trail looks for');
  // Letting operations go on unrecorded is what someone covering their tracks would want: the password.
  if (patch.auditFailClosed === false && current.auditFailClosed !== false) reasons.push('letting operations go on when the audit trail cannot be written');
  // Keeping the audit trail for less time erases evidence sooner: whoever asks must know the password.
  const days = patch.auditRetentionDays;
  const keep = current.auditRetentionDays ?? DEFAULT_AUDIT_RETENTION_DAYS;
  if (days !== undefined && days !== 0 && (keep === 0 || days < keep)) reasons.push(`keeping the audit trail for ${days} days instead of ${keep === 0 ? 'for ever' : `${keep}`}`);
  return reasons;
}
