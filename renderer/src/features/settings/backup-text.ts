/**
 * How backups read to a person: the time to the second (two saves in one minute
 * must not look identical), the generation, and what changed, in words. One
 * source for Settings ▸ Backups and the damaged-vault screen.
 */
import type { BackupInfo, CredentialChanges } from '../../../../shared/domain';
import { formatBytes, formatCount, plural } from '../../lib/format';

const secondsFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

export function formatBackupTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : secondsFormat.format(t);
}

const BACKUP_NAME = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z\.g(\d+)\.keyward$/;

/** The details a backup's name carries (its UTC time and generation), for when only names are known. */
export function backupFromName(file: string): BackupInfo {
  const m = BACKUP_NAME.exec(file);
  if (!m) return { file, createdAt: '', sizeBytes: 0 };
  return { file, createdAt: `${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`, sizeBytes: 0, generation: Number(m[6]) };
}

/** "Dec 1, 2026, 10:21:07 PM · generation 12 · 2.1 KB · 4 credentials" */
export function backupSummary(b: BackupInfo): string {
  const parts = [b.createdAt ? formatBackupTime(b.createdAt) : b.file];
  if (b.generation !== undefined) parts.push(`generation ${formatCount(b.generation)}`);
  if (b.sizeBytes > 0) parts.push(formatBytes(b.sizeBytes));
  if (b.credentialCount !== undefined) parts.push(plural(b.credentialCount, 'credential'));
  return parts.join(' · ');
}

function kind(count: number, verb: string, names: string[]): string | null {
  return count === 0 ? null : `${formatCount(count)} ${verb}${named(names, count)}`;
}

/** "1 added (charlie), 2 changed (alpha, bravo)", or null when nothing changed. */
export function describeChanges(changes: CredentialChanges): string | null {
  const parts = [
    kind(changes.added, 'added', changes.names.added),
    kind(changes.removed, 'removed', changes.names.removed),
    kind(changes.changed, 'changed', changes.names.changed),
  ].filter((p): p is string => p !== null);
  return parts.length ? parts.join(', ') : null;
}

function named(names: string[], count: number): string {
  if (!names.length) return '';
  return ` (${names.join(', ')}${count > names.length ? `, and ${formatCount(count - names.length)} more` : ''})`;
}

/** What restoring loses, from the vault's point of view: every credential change it has that the backup does not. */
export function lostOnRestoreText(changes: CredentialChanges): string {
  const parts: string[] = [];
  if (changes.added) parts.push(`remove ${plural(changes.added, 'credential')} added since${named(changes.names.added, changes.added)}`);
  if (changes.changed) parts.push(`undo the changes to ${plural(changes.changed, 'credential')}${named(changes.names.changed, changes.changed)}`);
  if (changes.removed) parts.push(`bring back ${plural(changes.removed, 'credential')} deleted since${named(changes.names.removed, changes.removed)}`);
  if (!parts.length) return 'Restoring it changes no credential: they are the same as in the vault now.';
  const list = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
  return `Restoring it would ${list}.`;
}
