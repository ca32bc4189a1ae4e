/**
 * The vault's backups: each with its time to the second, generation, count and
 * what changed from the one before; a preview that says what a restore would
 * lose; and a restore after a confirmation that says it again. Backups made
 * under an earlier vault key open with the master password of their time.
 * Damaged files in the folder are listed apart and cannot be restored.
 */
import { useCallback, useEffect, useId, useState } from 'react';
import type { BackupInfo } from '../../../../shared/domain';
import type { BackupPreview } from '../../../../shared/ipc/contract';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { PasswordField } from '../../components/Field';
import { Eye, LoaderCircle, ShieldAlert, Undo2 } from '../../components/icons';
import { call } from '../../lib/api';
import { formatBytes, formatCount, plural } from '../../lib/format';
import { useStore } from '../../store';
import { backupSummary, describeChanges, formatBackupTime, lostOnRestoreText } from './backup-text';

type PreviewState = { file: string } & (
  | { status: 'loading' }
  | { status: 'ok'; preview: BackupPreview }
  | { status: 'error'; message: string }
  /** Made under an earlier vault key: it opens with the master password of its time. */
  | { status: 'needs-password'; error?: string }
);

const OPENED_WITH: Record<NonNullable<BackupPreview['openedWith']>, (b: BackupInfo) => string> = {
  'vault-key': () => 'Opened with the vault key in memory.',
  'current-password': () => 'Opened with your current master password (made under an earlier vault key).',
  'earlier-password': (b) => `Opened with the master password as of ${formatBackupTime(b.createdAt)} (not your current one).`,
};

/** What changed from the next older backup, or why it cannot be told. */
function changesLine(b: BackupInfo, hasOlder: boolean): string {
  if (b.credentialCount === undefined) return 'Made under an earlier vault key: preview it with the master password of that time to see what it holds.';
  if (!hasOlder) return 'The oldest backup kept.';
  if (!b.changesFromPrevious) return 'The backup before it was made under an earlier vault key.';
  const changes = describeChanges(b.changesFromPrevious);
  return changes ? `From the backup before: ${changes}.` : 'No credential changes from the backup before (a settings or housekeeping save).';
}

function PreviewBody({ backup, state, onPassword }: { backup: BackupInfo; state: PreviewState; onPassword: (password: string) => void }) {
  const [password, setPassword] = useState('');
  if (state.status === 'loading') return <span className="text-muted">Opening the backup…</span>;
  if (state.status === 'error') return <span className="text-danger-text">{state.message}</span>;
  if (state.status === 'needs-password')
    return (
      <form
        noValidate
        className="space-y-2"
        onSubmit={(e) => {
          e.preventDefault();
          if (password) onPassword(password);
        }}
      >
        <p>
          This backup was made under an earlier vault key. Enter the master password as of {formatBackupTime(backup.createdAt)} — the one you had when it was
          written — to preview it. The vault itself is not changed.
        </p>
        <div className="flex items-end gap-2">
          <PasswordField
            containerClassName="min-w-0 flex-1"
            label="Master password at the time of this backup"
            autoComplete="current-password"
            autoFocus
            value={password}
            error={state.error}
            onChange={(e) => setPassword(e.target.value)}
          />
          <Button type="submit" size="md" variant="primary" disabled={!password}>
            Open preview
          </Button>
        </div>
      </form>
    );
  const p = state.preview;
  return (
    <>
      <p className="font-medium">Holds {plural(p.credentialCount, 'credential')}</p>
      {p.sampleNames.length > 0 ? (
        <ul className="mt-1 space-y-0.5 text-muted">
          {p.sampleNames.map((n, i) => (
            <li key={`${i}-${n}`} className="truncate" title={n}>
              {n}
            </li>
          ))}
          {p.credentialCount > p.sampleNames.length ? <li>…</li> : null}
        </ul>
      ) : null}
      {p.lostOnRestore ? <p className="mt-2">{lostOnRestoreText(p.lostOnRestore)}</p> : null}
      {p.openedWith ? <p className="mt-1 text-muted">{OPENED_WITH[p.openedWith](backup)}</p> : null}
    </>
  );
}

function DamagedFiles({ files }: { files: BackupInfo[] }) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="mt-4 rounded-lg border border-danger/30 bg-danger-soft p-3">
      <h4 id={id} className="flex items-center gap-2 text-sm font-semibold text-danger-text">
        <ShieldAlert size={16} aria-hidden="true" /> Damaged files — not restorable
      </h4>
      <p className="mt-1 text-xs">
        These fail their checksum (damaged or tampered — for example the damaged vault a restore set aside). Keyward lists them apart, does not count them
        as backups and never restores them.
      </p>
      <ul className="mt-2 space-y-1" aria-label="Damaged files">
        {files.map((b) => (
          <li key={b.file} className="text-sm">
            <span className="font-medium">{formatBackupTime(b.createdAt)}</span>
            <span className="text-xs text-muted">
              {' '}
              · generation {formatCount(b.generation ?? 0)} · {formatBytes(b.sizeBytes)} · damaged
            </span>
            <div className="truncate font-mono text-[11px] text-muted" title={b.file}>
              {b.file}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function BackupsSection() {
  const setAppState = useStore((s) => s.setAppState);
  const refreshAll = useStore((s) => s.refreshAll);
  const toast = useStore((s) => s.toast);
  const toastError = useStore((s) => s.toastError);
  const [backups, setBackups] = useState<BackupInfo[] | null>(null);
  const [preview, setPreview] = useState<PreviewState | null>(null);
  const [confirming, setConfirming] = useState<BackupInfo | null>(null);
  const [busy, setBusy] = useState(false);
  /** Asked when the restore would take a credential out of a custom rule (or cannot be judged): null until then. */
  const [password, setPassword] = useState<{ value: string; error: string } | null>(null);
  const closeConfirm = () => {
    setConfirming(null);
    setPassword(null);
  };

  const load = useCallback(async () => {
    const r = await call('vault.listBackups', {});
    if (r.ok) setBackups(r.value);
    else {
      setBackups([]);
      toastError(r.error);
    }
  }, [toastError]);

  // Every save adds a backup (and a key rotation changes which open without a password): list again.
  const generation = useStore((s) => s.appState?.vault?.generation);
  useEffect(() => {
    void load();
  }, [load, generation]);

  const openPreview = async (file: string, password?: string) => {
    setPreview({ file, status: 'loading' });
    const r = await call('vault.previewBackup', { file, ...(password ? { password } : {}) });
    setPreview((p) => {
      if (p?.file !== file) return p;
      if (r.ok) return { file, status: 'ok', preview: r.value };
      if (r.error.code === 'AUTH_FAILED' || r.error.code === 'LOCKED_OUT')
        return { file, status: 'needs-password', ...(password !== undefined || r.error.code === 'LOCKED_OUT' ? { error: r.error.message } : {}) };
      return { file, status: 'error', message: r.error.message };
    });
  };

  const togglePreview = (file: string) => (preview?.file === file ? setPreview(null) : void openPreview(file));

  const startRestore = (b: BackupInfo) => {
    setConfirming(b);
    setPassword(null);
    // The confirmation says what the restore loses: it needs the preview (free for backups under the current key).
    if (b.credentialCount !== undefined && !(preview?.file === b.file && preview.status === 'ok')) void openPreview(b.file);
  };

  const restore = async (backup: BackupInfo) => {
    setBusy(true);
    const r = await call('vault.restoreBackup', { file: backup.file, ...(password?.value ? { password: password.value } : {}) });
    setBusy(false);
    if (!r.ok && (r.error.field === 'password' || r.error.code === 'AUTH_FAILED' || r.error.code === 'LOCKED_OUT'))
      return setPassword({ value: password?.value ?? '', error: r.error.message });
    closeConfirm();
    if (!r.ok) return toastError(r.error);
    setAppState(r.value);
    const restored = `Restored the backup from ${formatBackupTime(backup.createdAt)} (generation ${backup.generation ?? '?'})`;
    if (r.value.phase !== 'unlocked')
      return toast('success', `${restored}. It was made under an earlier vault key: unlock it with the master password it was saved with.`);
    await refreshAll();
    toast('success', `${restored}.`);
    setPreview(null);
    void load();
  };

  const intact = backups?.filter((b) => b.intact !== false) ?? [];
  const damaged = backups?.filter((b) => b.intact === false) ?? [];
  const confirmText = (b: BackupInfo): string => {
    const newest = intact[0]?.file === b.file;
    const when = `the vault as it was at generation ${formatCount(b.generation ?? 0)} (kept at ${formatBackupTime(b.createdAt)}, just before the next save)`;
    const lost =
      preview?.file === b.file && preview.status === 'ok' && preview.preview.lostOnRestore
        ? lostOnRestoreText(preview.preview.lostOnRestore)
        : b.credentialCount === undefined
          ? 'Keyward cannot tell what it holds without the master password of its time (preview it first): every change saved after it is undone.'
          : 'Working out what it would undo…';
    const undo = newest ? ' This is the newest backup: restoring it undoes your last save.' : '';
    return `This brings back ${when}.${undo} ${lost} Grants, policy, custom rules and settings stay as they are now. The vault as it is now is kept as a backup first, so you can restore it again.`;
  };

  return (
    <div>
      {backups === null ? (
        <div className="flex items-center gap-2 py-3 text-sm text-muted">
          <LoaderCircle size={16} className="animate-spin" aria-hidden="true" /> Loading backups…
        </div>
      ) : intact.length === 0 ? (
        <p className="rounded-lg bg-subtle px-3 py-3 text-sm text-muted">No backups yet. Keyward keeps one each time the vault is saved.</p>
      ) : (
        <ul className="divide-y divide-line overflow-hidden rounded-lg border border-line" aria-label="Backups">
          {intact.map((b, i) => {
            const label = `backup from ${formatBackupTime(b.createdAt)}, generation ${b.generation ?? '?'}`;
            return (
              <li key={b.file} className="px-3 py-2.5">
                <div className="flex items-center gap-3">
                  <div className="min-w-0 flex-1">
                    <div className="text-sm font-medium">{backupSummary(b)}</div>
                    <div className="text-xs text-muted">{changesLine(b, i < intact.length - 1)}</div>
                    <div className="truncate font-mono text-[11px] text-muted" title={b.file}>
                      {b.file}
                    </div>
                  </div>
                  <Button size="sm" variant="ghost" icon={Eye} aria-expanded={preview?.file === b.file} aria-label={`Preview ${label}`} onClick={() => togglePreview(b.file)}>
                    Preview
                  </Button>
                  <Button size="sm" icon={Undo2} aria-label={`Restore ${label}`} onClick={() => startRestore(b)}>
                    Restore
                  </Button>
                </div>
                {preview?.file === b.file ? (
                  <div className="mt-2 rounded-md bg-subtle px-3 py-2 text-xs" aria-live="polite">
                    <PreviewBody backup={b} state={preview} onPassword={(password) => void openPreview(b.file, password)} />
                  </div>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
      {damaged.length > 0 ? <DamagedFiles files={damaged} /> : null}
      {confirming ? (
        <Dialog
          role="alertdialog"
          size="sm"
          title="Restore this backup?"
          description={confirmText(confirming)}
          onClose={closeConfirm}
          footer={
            <>
              <Button data-autofocus={password ? undefined : true} onClick={closeConfirm}>
                Cancel
              </Button>
              <Button variant="primary" icon={Undo2} busy={busy} disabled={password !== null && !password.value} onClick={() => void restore(confirming)}>
                Restore backup
              </Button>
            </>
          }
        >
          {password ? (
            <PasswordField
              label="Master password"
              autoComplete="current-password"
              autoFocus
              value={password.value}
              error={password.error}
              onChange={(e) => setPassword({ value: e.target.value, error: password.error })}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && password.value) void restore(confirming);
              }}
            />
          ) : null}
        </Dialog>
      ) : null}
    </div>
  );
}
