/** Small formatting helpers shared by the list and the detail panel. */
import { credentialType, type CredentialTypeId } from '../../../shared/credential-types/index';

const DAY_MS = 86_400_000;
export const EXPIRING_SOON_DAYS = 7;

export type ExpiryState = { kind: 'none' } | { kind: 'expired' } | { kind: 'soon'; days: number } | { kind: 'later' };

export function expiryState(expiresAt: string | null, now = Date.now()): ExpiryState {
  if (!expiresAt) return { kind: 'none' };
  const at = Date.parse(expiresAt);
  if (Number.isNaN(at)) return { kind: 'none' };
  if (at <= now) return { kind: 'expired' };
  const days = Math.ceil((at - now) / DAY_MS);
  return days <= EXPIRING_SOON_DAYS ? { kind: 'soon', days } : { kind: 'later' };
}

export function expiryLabel(state: ExpiryState): string | null {
  if (state.kind === 'expired') return 'Expired';
  if (state.kind === 'soon') return state.days <= 1 ? 'Expires today' : `Expires in ${state.days} days`;
  return null;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? '—' : dateFormat.format(t);
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? '—' : dateTimeFormat.format(t);
}

/** The YYYY-MM-DD an <input type="date"> wants, from a stored ISO time (UTC day). */
export function toDateInput(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 10) : '';
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function typeLabel(type: CredentialTypeId): string {
  return credentialType(type).label;
}

const countFormat = new Intl.NumberFormat();
export function formatCount(n: number): string {
  return countFormat.format(n);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** The file name part of a path, for compact display. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/** Splits "a, b ,c" into trimmed, non-empty, de-duplicated items. */
export function splitList(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(',')) {
    const t = part.trim();
    if (t && !out.includes(t)) out.push(t);
  }
  return out;
}

const BACKUP_NAME = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z\.g(\d+)\.keyward$/;

/** "Nov 25, 2026, 10:25 PM" from a backup file name (which carries its UTC time), or the name itself. */
export function backupLabel(file: string): string {
  const m = BACKUP_NAME.exec(file);
  if (!m) return file;
  return formatDateTime(`${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`);
}
