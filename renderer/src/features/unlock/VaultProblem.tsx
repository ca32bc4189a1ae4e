/**
 * The vault file cannot be read: tampered/damaged (CORRUPTED) or written by a
 * newer Keyward (UNSUPPORTED_VERSION). Says so plainly and, for a damaged file
 * with intact backups, offers to restore the newest one or a chosen one.
 */
import { useId, useState } from 'react';
import { Button } from '../../components/Button';
import { ShieldAlert, Undo2 } from '../../components/icons';
import { backupLabel } from '../../lib/format';
import { useStore } from '../../store';

export interface Problem {
  code: 'CORRUPTED' | 'UNSUPPORTED_VERSION';
  message: string;
  backups: string[];
}

export function VaultProblem({ problem, onRestored }: { problem: Problem; onRestored: () => void }) {
  const restoreBackup = useStore((s) => s.restoreBackup);
  const toast = useStore((s) => s.toast);
  const toastError = useStore((s) => s.toastError);
  const [chosen, setChosen] = useState(problem.backups[0] ?? '');
  const [busy, setBusy] = useState<'newest' | 'chosen' | null>(null);
  const listId = useId();

  const restore = async (which: 'newest' | 'chosen') => {
    setBusy(which);
    const r = await restoreBackup(which === 'chosen' ? chosen : undefined);
    setBusy(null);
    if (!r.ok) return toastError(r.error);
    toast('success', 'Backup restored. Unlock it with the master password it was saved with.');
    onRestored();
  };

  const corrupted = problem.code === 'CORRUPTED';
  return (
    <div role="alert" className="rounded-xl border border-danger/30 bg-danger-soft p-4">
      <div className="flex items-start gap-3">
        <ShieldAlert size={20} className="mt-0.5 shrink-0 text-danger-text" aria-hidden="true" />
        <div className="min-w-0">
          <h2 className="font-semibold text-danger-text">{corrupted ? 'This vault file is damaged or was tampered with' : 'This vault needs a newer Keyward'}</h2>
          <p className="mt-1 text-sm [overflow-wrap:anywhere]">{problem.message}</p>
        </div>
      </div>
      {corrupted && problem.backups.length > 0 ? (
        <div className="mt-4 space-y-3 pl-8">
          <Button variant="primary" icon={Undo2} busy={busy === 'newest'} disabled={busy !== null} onClick={() => void restore('newest')}>
            Restore newest backup
          </Button>
          {problem.backups.length > 1 ? (
            <fieldset className="rounded-lg border border-line bg-surface p-3">
              <legend id={listId} className="px-1 text-xs font-medium text-muted">
                Or choose a backup (newest first)
              </legend>
              <div className="max-h-36 space-y-1 overflow-y-auto">
                {problem.backups.map((file) => (
                  <label key={file} className="flex cursor-pointer items-center gap-2 rounded-md px-2 py-1 text-sm hover:bg-hover">
                    <input type="radio" name="backup" value={file} checked={chosen === file} onChange={() => setChosen(file)} className="accent-accent" />
                    <span className="truncate" title={file}>
                      {backupLabel(file)}
                    </span>
                  </label>
                ))}
              </div>
              <Button className="mt-2" size="sm" busy={busy === 'chosen'} disabled={busy !== null || !chosen} onClick={() => void restore('chosen')}>
                Restore selected backup
              </Button>
            </fieldset>
          ) : null}
          <p className="text-xs text-muted">The damaged file is kept in the backups folder; restoring loses nothing.</p>
        </div>
      ) : null}
    </div>
  );
}
