/**
 * Shown while the vault file on disk is an older copy than the one this window
 * has seen (restored by hand, synced back, replaced): Keyward adopted nothing
 * and writes nothing until the person chooses what to keep.
 */
import { useState } from 'react';
import { Button } from '../../components/Button';
import { TriangleAlert } from '../../components/icons';
import { call } from '../../lib/api';
import { useStore } from '../../store';

export function OlderCopyBanner() {
  const olderCopy = useStore((s) => s.appState?.olderCopy ?? null);
  const setAppState = useStore((s) => s.setAppState);
  const refreshAll = useStore((s) => s.refreshAll);
  const resetAll = useStore((s) => s.resetAll);
  const toast = useStore((s) => s.toast);
  const toastError = useStore((s) => s.toastError);
  const [busy, setBusy] = useState<'keep' | 'reopen' | null>(null);
  if (!olderCopy) return null;

  const keep = async () => {
    setBusy('keep');
    const r = await call('vault.keepSessionState', {});
    setBusy(null);
    if (!r.ok) return toastError(r.error);
    setAppState(r.value);
    await refreshAll();
    toast('success', 'Kept what Keyward showed: it was written back over the older copy.');
  };
  const reopen = async () => {
    setBusy('reopen');
    const r = await call('vault.reopen', {});
    setBusy(null);
    if (!r.ok) return toastError(r.error);
    resetAll();
    setAppState(r.value);
  };

  return (
    <div role="alert" className="flex flex-wrap items-center gap-3 border-b border-line bg-warn-soft px-4 py-2.5 text-sm text-fg print:hidden">
      <TriangleAlert size={16} className="shrink-0 text-warn-text" aria-hidden="true" />
      <p className="min-w-0 flex-1 [overflow-wrap:anywhere]">
        <strong className="font-semibold">The vault file was replaced by an older copy.</strong> Keyward kept what it shows and will not save until you
        choose. Keeping writes this newer state back over the older file; reopening shows the file as it is now (changes made since that copy are lost).
      </p>
      <div className="flex gap-2">
        <Button size="sm" variant="primary" busy={busy === 'keep'} onClick={() => void keep()}>
          Keep what Keyward shows
        </Button>
        <Button size="sm" busy={busy === 'reopen'} onClick={() => void reopen()}>
          Reopen the file as it is
        </Button>
      </div>
    </div>
  );
}
