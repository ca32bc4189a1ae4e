/**
 * Toasts: successes and infos are announced politely (role="status"), errors
 * assertively (role="alert"). They live outside the app root so they stay
 * readable and dismissable while a dialog makes the root inert.
 */
import { useEffect } from 'react';
import { createPortal } from 'react-dom';
import { TOAST_ICONS, X } from '../../components/icons';
import { useStore, type Toast } from '../../store';

const LIFETIME_MS = { success: 4000, info: 5000, error: 9000 } as const;
/** A toast that offers Undo stays long enough to reach its button (and as long as main keeps what it undoes). */
const ACTION_LIFETIME_MS = 10_000;

function ToastItem({ toast }: { toast: Toast }) {
  const dismiss = useStore((s) => s.dismissToast);
  useEffect(() => {
    const timer = setTimeout(() => dismiss(toast.id), toast.action ? ACTION_LIFETIME_MS : LIFETIME_MS[toast.kind]);
    return () => clearTimeout(timer);
  }, [toast.id, toast.kind, toast.action, dismiss]);
  const Icon = TOAST_ICONS[toast.kind];
  const tone = toast.kind === 'error' ? 'text-danger-text' : toast.kind === 'success' ? 'text-ok-text' : 'text-accent-text';
  return (
    <div
      role={toast.kind === 'error' ? 'alert' : 'status'}
      className="pointer-events-auto flex w-[340px] max-w-[calc(100vw-2rem)] items-start gap-3 rounded-xl border border-line bg-raised px-4 py-3 text-sm shadow-lg ring-1 ring-black/5"
    >
      <Icon size={18} className={`mt-px shrink-0 ${tone}`} aria-hidden="true" />
      <p className="line-clamp-4 min-w-0 flex-1 [overflow-wrap:anywhere]">{toast.message}</p>
      {toast.action ? (
        <button
          type="button"
          onClick={() => {
            dismiss(toast.id);
            void toast.action!.run();
          }}
          className="-my-0.5 shrink-0 rounded-md px-2 py-0.5 font-semibold text-accent-text hover:bg-hover focus-visible:outline-2 focus-visible:outline-ring"
        >
          {toast.action.label}
        </button>
      ) : null}
      <button
        type="button"
        aria-label="Dismiss notification"
        onClick={() => dismiss(toast.id)}
        className="-mt-0.5 -mr-1.5 inline-flex h-6 w-6 shrink-0 items-center justify-center rounded-md text-muted hover:bg-hover hover:text-fg"
      >
        <X size={14} aria-hidden="true" />
      </button>
    </div>
  );
}

export function Toasts() {
  const toasts = useStore((s) => s.toasts);
  return createPortal(
    <div data-toast-region className="pointer-events-none fixed bottom-12 left-4 z-50 flex flex-col items-start gap-2 print:hidden">
      <div aria-live="polite" className="flex flex-col items-start gap-2">
        {toasts
          .filter((t) => t.kind !== 'error')
          .map((t) => (
            <ToastItem key={t.id} toast={t} />
          ))}
      </div>
      <div aria-live="assertive" className="flex flex-col items-start gap-2">
        {toasts
          .filter((t) => t.kind === 'error')
          .map((t) => (
            <ToastItem key={t.id} toast={t} />
          ))}
      </div>
    </div>,
    document.body,
  );
}
