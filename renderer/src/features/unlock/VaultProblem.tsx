/**
 * The vault file cannot be read: tampered/damaged (CORRUPTED) or written by a
 * newer Keyward (UNSUPPORTED_VERSION). Says so plainly and, for a damaged file
 * with intact backups, offers to restore the newest one or a chosen one — each
 * shown to the second with its generation and size, and with what restoring it
 * undoes (every save after it, including the one that wrote the damaged file).
 */
import { useId, useState } from 'react';
import type { BackupInfo } from '../../../../shared/domain';
import { Button } from '../../components/Button';
import { PasswordField } from '../../components/Field';
import { call } from '../../lib/api';
import { ShieldAlert, Undo2 } from '../../components/icons';
import { formatCount } from '../../lib/format';
import { useStore } from '../../store';
import { backupFromName, backupSummary, describeChanges, formatBackupTime } from '../settings/backup-text';

export interface Problem {
  code: 'CORRUPTED' | 'UNSUPPORTED_VERSION';
  message: string;
  backups: string[];
  backupDetails?: BackupInfo[];
}

/**
 * What restoring `chosen` undoes. A backup of generation G is the file as it was
 * before save G+1, so restoring it undoes every save from G+1 up to the damaged
 * file, which was written after the newest backup.
 */
export function whatRestoreUndoes(chosen: BackupInfo, newest: BackupInfo): string {
  const since = chosen.createdAt ? ` (kept ${formatBackupTime(chosen.createdAt)})` : '';
  const saves = chosen.generation !== undefined && newest.generation !== undefined ? newest.generation - chosen.generation + 1 : null;
  const undone =
    saves === 1 || chosen.file === newest.file
      ? 'It undoes the last save — the one that wrote the damaged file — and whatever that save changed is lost.'
      : saves !== null
        ? `It undoes the last ${formatCount(saves)} saves, including the one that wrote the damaged file: every change saved after it is lost.`
        : 'Every change saved after it is lost, including the save that wrote the damaged file.';
  return `Restoring brings back the vault at generation ${chosen.generation ?? '?'}${since}. ${undone}`;
}

/** "4 credentials; from the backup before: 1 added (stripe)." — once the backups were opened with the password. */
function contentsLine(b: BackupInfo, older: BackupInfo | undefined): string | null {
  if (b.credentialCount === undefined) return b.generation !== undefined ? 'Written under an earlier master password: its contents are not shown.' : null;
  if (!older) return 'The oldest backup kept.';
  if (!b.changesFromPrevious) return null;
  const changes = describeChanges(b.changesFromPrevious);
  return changes ? `From the backup before: ${changes}.` : 'No credential changes from the backup before.';
}

/** Opens the backups (not the damaged vault) with the master password, to show what each holds. Counted like any attempt. */
function InspectBackups({ onInspected }: { onInspected: (backups: BackupInfo[]) => void }) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      noValidate
      className="flex items-end gap-2"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!password) return setError('Enter your master password.');
        setBusy(true);
        const r = await call('vault.inspectBackups', { password });
        setBusy(false);
        if (!r.ok) return setError(r.error.message);
        setPassword('');
        onInspected(r.value);
      }}
    >
      <PasswordField
        containerClassName="min-w-0 flex-1"
        label="Master password, to see what each backup holds"
        autoComplete="current-password"
        value={password}
        error={error ?? undefined}
        hint="Opens the backups only, read-only; the damaged file stays as it is."
        onChange={(e) => {
          setPassword(e.target.value);
          setError(null);
        }}
      />
      <Button type="submit" size="md" busy={busy}>
        Show contents
      </Button>
    </form>
  );
}

export function VaultProblem({ problem, onRestored }: { problem: Problem; onRestored: () => void }) {
  const restoreBackup = useStore((s) => s.restoreBackup);
  const toast = useStore((s) => s.toast);
  const toastError = useStore((s) => s.toastError);
  const [inspected, setInspected] = useState<BackupInfo[] | null>(null);
  const offered = problem.backupDetails?.length ? problem.backupDetails : problem.backups.map(backupFromName);
  // After "Show contents", the same backups with their counts and changes.
  const backups = inspected ? offered.map((b) => inspected.find((i) => i.file === b.file) ?? b) : offered;
  const [chosen, setChosen] = useState(backups[0]?.file ?? '');
  const [busy, setBusy] = useState<'newest' | 'chosen' | null>(null);
  const listId = useId();
  const newestId = useId();
  const chosenId = useId();

  const restore = async (which: 'newest' | 'chosen') => {
    setBusy(which);
    const r = await restoreBackup(which === 'chosen' ? chosen : undefined);
    setBusy(null);
    if (!r.ok) return toastError(r.error);
    toast('success', 'Backup restored. Unlock it with the master password it was saved with.');
    onRestored();
  };

  const corrupted = problem.code === 'CORRUPTED';
  const newest = backups[0];
  const chosenBackup = backups.find((b) => b.file === chosen);
  return (
    <div role="alert" className="rounded-xl border border-danger/30 bg-danger-soft p-4">
      <div className="flex items-start gap-3">
        <ShieldAlert size={20} className="mt-0.5 shrink-0 text-danger-text" aria-hidden="true" />
        <div className="min-w-0">
          <h2 className="font-semibold text-danger-text">{corrupted ? 'This vault file is damaged or was tampered with' : 'This vault needs a newer Keyward'}</h2>
          <p className="mt-1 text-sm [overflow-wrap:anywhere]">{problem.message}</p>
        </div>
      </div>
      {corrupted && newest ? (
        <div className="mt-4 space-y-3 pl-8">
          <div>
            <Button variant="primary" icon={Undo2} busy={busy === 'newest'} disabled={busy !== null} aria-describedby={newestId} onClick={() => void restore('newest')}>
              Restore newest backup
            </Button>
            <p id={newestId} className="mt-1.5 text-sm">
              <span className="font-medium">{backupSummary(newest)}.</span> {whatRestoreUndoes(newest, newest)}
              {inspected ? ` ${contentsLine(newest, backups[1]) ?? ''}` : ''}
            </p>
          </div>
          {backups.length > 1 ? (
            <fieldset className="min-w-0 rounded-lg border border-line bg-surface p-3">
              <legend id={listId} className="px-1 text-xs font-medium text-muted">
                Or choose a backup (newest first)
              </legend>
              <div className="max-h-36 space-y-1 overflow-y-auto">
                {backups.map((b) => (
                  <label key={b.file} className="flex cursor-pointer items-center gap-2 rounded-md px-2 py-1 text-sm hover:bg-hover">
                    <input type="radio" name="backup" value={b.file} checked={chosen === b.file} onChange={() => setChosen(b.file)} className="accent-accent" />
                    <span className="min-w-0 tabular-nums [overflow-wrap:anywhere]" title={b.file}>
                      {backupSummary(b)}
                    </span>
                  </label>
                ))}
              </div>
              {chosenBackup ? (
                <p id={chosenId} className="mt-2 text-xs">
                  {whatRestoreUndoes(chosenBackup, newest)}
                  {inspected ? ` ${contentsLine(chosenBackup, backups[backups.indexOf(chosenBackup) + 1]) ?? ''}` : ''}
                </p>
              ) : null}
              <Button className="mt-2" size="sm" busy={busy === 'chosen'} disabled={busy !== null || !chosen} aria-describedby={chosenId} onClick={() => void restore('chosen')}>
                Restore selected backup
              </Button>
            </fieldset>
          ) : null}
          {inspected ? null : <InspectBackups onInspected={setInspected} />}
          <p className="text-xs text-muted">
            The damaged file is not deleted: it is set aside in the backups folder and listed in Settings ▸ Backups as damaged, never as a backup.
          </p>
        </div>
      ) : null}
    </div>
  );
}
