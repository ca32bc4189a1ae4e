/**
 * Work over the whole vault that takes a while (re-encrypting every value
 * under a new vault key: seconds at 100k credentials) shows how far it got,
 * whichever screen is open: the manual rotation in Settings and the scheduled
 * one that starts after a password unlock alike. Like the toasts, it lives
 * outside the app root, so a dialog does not hide it.
 */
import { createPortal } from 'react-dom';
import { useStore, type VaultProgress } from '../../store';

const LABELS: Record<VaultProgress['operation'], { running: string; saving: string }> = {
  'rotate-key': { running: 'Re-encrypting every value under a new vault key', saving: 'Saving the vault under its new key' },
};

export function VaultProgressBar() {
  const progress = useStore((s) => s.vaultProgress);
  if (!progress) return null;
  const label = LABELS[progress.operation];
  const saving = progress.done >= progress.total;
  const percent = progress.total ? Math.floor((progress.done * 100) / progress.total) : 100;
  return createPortal(
    <div role="status" className="pointer-events-none fixed right-4 bottom-12 z-50 w-[340px] max-w-[calc(100vw-2rem)] rounded-xl border border-line bg-raised px-4 py-3 text-sm shadow-lg ring-1 ring-black/5 print:hidden">
      <p className="mb-2 font-medium">{saving ? `${label.saving}…` : `${label.running}…`}</p>
      <div
        role="progressbar"
        aria-label={label.running}
        aria-valuemin={0}
        aria-valuemax={progress.total}
        aria-valuenow={progress.done}
        aria-valuetext={`${progress.done.toLocaleString()} of ${progress.total.toLocaleString()} credentials`}
        className="h-1.5 overflow-hidden rounded-full bg-hover"
      >
        <div className="h-full rounded-full bg-accent transition-[width]" style={{ width: `${percent}%` }} />
      </div>
      <p className="mt-1.5 text-xs text-muted">
        {progress.done.toLocaleString()} of {progress.total.toLocaleString()} credentials · {percent}%
      </p>
    </div>,
    document.body,
  );
}
