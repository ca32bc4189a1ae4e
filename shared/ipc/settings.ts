/** The settings domain: the app's own settings, kept in the vault. */
import type { DetectionOverrides } from '../incidents.js';

export interface AppSettings {
  /** 0: never lock on idle. */
  autoLockMinutes: number;
  clipboardClearSeconds: number;
  /** How long the audit trail's sealed segments are kept (0: for ever); lowering it needs the master password. */
  auditRetentionDays: number;
  /** Where the app forwards the audit trail while the vault is open (a new destination needs the master password); null: nowhere. */
  auditForward: { syslog: string; protocol: 'tcp' | 'udp'; withNames: boolean } | null;
  /** The watch's thresholds and lock responses changed from their defaults; any change needs the master password. */
  detection: DetectionOverrides;
  /** Refuse an operation whose audit record cannot be written (true, the default); turning it off needs the master password. */
  auditFailClosed: boolean;
}

export interface SettingsApi {
  /** A change that weakens protection (auto-lock later or off, clipboard cleared later) needs `password`. */
  'settings.update': { request: Partial<AppSettings> & { password?: string }; response: AppSettings };
}
