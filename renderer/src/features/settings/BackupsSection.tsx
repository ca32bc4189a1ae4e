/** The vault's backups: preview what one holds (count and a few names), and restore it after a confirmation. */
import { useCallback, useEffect, useState } from 'react';
import type { BackupInfo } from '../../../../shared/domain';
import type { BackupPreview } from '../../../../shared/ipc/contract';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { Eye, LoaderCircle, Undo2 } from '../../components/icons';
import { call } from '../../lib/api';
import { formatBytes, formatDateTime, plural } from '../../lib/format';
import { useStore } from '../../store';

type PreviewState = { file: string } & ({ status: 'loading' } | { status: 'ok'; preview: BackupPreview } | { status: 'error'; message: string });

export function BackupsSection() {
  const setAppState = useStore((s) => s.setAppState);
  const refreshAll = useStore((s) => s.refreshAll);
  const toast = useStore((s) => s.toast);
  const toastError = useStore((s) => s.toastError);
  const [backups, setBackups] = useState<BackupInfo[] | null>(null);
  const [preview, setPreview] = useState<PreviewState | null>(null);
  const [confirming, setConfirming] = useState<BackupInfo | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const r = await call('vault.listBackups', {});
    if (r.ok) setBackups(r.value);
    else {
      setBackups([]);
      toastError(r.error);
    }
  }, [toastError]);

  useEffect(() => {
    void load();
  }, [load]);

  const showPreview = async (file: string) => {
    if (preview?.file === file) return setPreview(null);
    setPreview({ file, status: 'loading' });
    const r = await call('vault.previewBackup', { file });
    setPreview((p) => (p?.file !== file ? p : r.ok ? { file, status: 'ok', preview: r.value } : { file, status: 'error', message: r.error.message }));
  };

  const restore = async (backup: BackupInfo) => {
    setBusy(true);
    const r = await call('vault.restoreBackup', { file: backup.file });
    setBusy(false);
    setConfirming(null);
    if (!r.ok) return toastError(r.error);
    setAppState(r.value);
    await refreshAll();
    toast('success', `Restored the backup from ${formatDateTime(backup.createdAt)}.`);
    setPreview(null);
    void load();
  };

  return (
    <div>
      {backups === null ? (
        <div className="flex items-center gap-2 py-3 text-sm text-muted">
          <LoaderCircle size={16} className="animate-spin" aria-hidden="true" /> Loading backups…
        </div>
      ) : backups.length === 0 ? (
        <p className="rounded-lg bg-subtle px-3 py-3 text-sm text-muted">No backups yet. Keyward keeps one each time the vault is saved.</p>
      ) : (
        <ul className="divide-y divide-line overflow-hidden rounded-lg border border-line" aria-label="Backups">
          {backups.map((b) => (
            <li key={b.file} className="px-3 py-2.5">
              <div className="flex items-center gap-3">
                <div className="min-w-0 flex-1">
                  <div className="text-sm font-medium">{formatDateTime(b.createdAt)}</div>
                  <div className="truncate font-mono text-[11px] text-muted" title={b.file}>
                    {b.file} · {formatBytes(b.sizeBytes)}
                  </div>
                </div>
                <Button size="sm" variant="ghost" icon={Eye} aria-expanded={preview?.file === b.file} aria-label={`Preview backup from ${formatDateTime(b.createdAt)}`} onClick={() => void showPreview(b.file)}>
                  Preview
                </Button>
                <Button size="sm" icon={Undo2} aria-label={`Restore backup from ${formatDateTime(b.createdAt)}`} onClick={() => setConfirming(b)}>
                  Restore
                </Button>
              </div>
              {preview?.file === b.file ? (
                <div className="mt-2 rounded-md bg-subtle px-3 py-2 text-xs" aria-live="polite">
                  {preview.status === 'loading' ? (
                    <span className="text-muted">Opening the backup…</span>
                  ) : preview.status === 'error' ? (
                    <span className="text-danger-text">{preview.message}</span>
                  ) : (
                    <>
                      <p className="font-medium">Holds {plural(preview.preview.credentialCount, 'credential')}</p>
                      {preview.preview.sampleNames.length > 0 ? (
                        <ul className="mt-1 space-y-0.5 text-muted">
                          {preview.preview.sampleNames.map((n, i) => (
                            <li key={`${i}-${n}`} className="truncate" title={n}>
                              {n}
                            </li>
                          ))}
                          {preview.preview.credentialCount > preview.preview.sampleNames.length ? <li>…</li> : null}
                        </ul>
                      ) : null}
                    </>
                  )}
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {confirming ? (
        <Dialog
          role="alertdialog"
          size="sm"
          title="Restore this backup?"
          description={`The vault goes back to how it was on ${formatDateTime(confirming.createdAt)}. Changes made since then are not lost: the current vault is kept as a backup first.`}
          onClose={() => setConfirming(null)}
          footer={
            <>
              <Button data-autofocus onClick={() => setConfirming(null)}>
                Cancel
              </Button>
              <Button variant="primary" icon={Undo2} busy={busy} onClick={() => void restore(confirming)}>
                Restore backup
              </Button>
            </>
          }
        />
      ) : null}
    </div>
  );
}
