/**
 * A modal dialog: role="dialog" (or "alertdialog") with aria-modal and a label,
 * focus moved inside on open and trapped there, Escape to close, focus given
 * back on close. While any dialog is open the app root is `inert`, so neither
 * the mouse nor assistive technology can reach what is behind it. Dialogs may
 * stack (a confirmation over Settings); only the topmost one handles keys.
 */
import { useEffect, useId, useRef, useState, type ReactNode, type RefObject } from 'react';
import { createPortal } from 'react-dom';
import { X } from './icons';

const stack: string[] = [];

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function focusables(root: HTMLElement): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => !el.closest('[inert]') && el.getClientRects().length > 0);
}

/** Keeps Tab and Shift+Tab cycling inside the dialog. */
function trapTab(e: KeyboardEvent, panel: HTMLElement) {
  const items = focusables(panel);
  if (items.length === 0) {
    e.preventDefault();
    return;
  }
  const first = items[0]!;
  const last = items[items.length - 1]!;
  const active = document.activeElement;
  const inside = active instanceof Node && panel.contains(active) && active !== panel;
  if (!inside) {
    e.preventDefault();
    (e.shiftKey ? last : first).focus();
  } else if (e.shiftKey && active === first) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && active === last) {
    e.preventDefault();
    first.focus();
  }
}

function setRootInert(inert: boolean) {
  const root = document.getElementById('root');
  if (root) root.inert = inert;
}

export interface DialogProps {
  title: ReactNode;
  description?: ReactNode;
  onClose: () => void;
  children?: ReactNode;
  footer?: ReactNode;
  size?: 'sm' | 'md' | 'lg';
  role?: 'dialog' | 'alertdialog';
  /** What gets focus on open (default: an element marked data-autofocus, else the first field or button). */
  initialFocus?: RefObject<HTMLElement | null>;
  /** Wraps body and footer in a <form> with this submit handler. */
  onSubmit?: () => void;
  icon?: ReactNode;
}

export function Dialog({ title, description, onClose, children, footer, size = 'md', role = 'dialog', initialFocus, onSubmit, icon }: DialogProps) {
  const id = useId();
  const panel = useRef<HTMLDivElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;
  // What had focus when the dialog was asked for, read during the first render:
  // by the time effects run, an autoFocus field inside the dialog already has
  // focus, and giving focus "back" to that field (gone on close) drops it to the body.
  const [opener] = useState(() => (document.activeElement instanceof HTMLElement ? document.activeElement : null));

  useEffect(() => {
    const previous = opener;
    stack.push(id);
    setRootInert(true);
    const el = panel.current;
    if (el) {
      const target =
        initialFocus?.current ??
        el.querySelector<HTMLElement>('[data-autofocus]') ??
        focusables(el).find((f) => f.matches('input, select, textarea')) ??
        focusables(el).find((f) => !f.hasAttribute('data-dialog-close')) ??
        el;
      target.focus();
    }
    // Focus that escapes (a click on the backdrop, a programmatic focus) is pulled back in.
    const onFocusIn = (e: FocusEvent) => {
      if (stack[stack.length - 1] !== id || !panel.current) return;
      const t = e.target as Node | null;
      if (t && !panel.current.contains(t) && !(t instanceof Element && t.closest('[data-toast-region]'))) {
        (focusables(panel.current)[0] ?? panel.current).focus();
      }
    };
    // Keys are handled at the document, not on the panel: focus may sit on the
    // page itself (after the focused control went away) and Escape must still close.
    const onKeyDown = (e: KeyboardEvent) => {
      if (stack[stack.length - 1] !== id || !panel.current) return;
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        onCloseRef.current();
      } else if (e.key === 'Tab') trapTab(e, panel.current);
    };
    document.addEventListener('focusin', onFocusIn);
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('focusin', onFocusIn);
      document.removeEventListener('keydown', onKeyDown);
      const i = stack.lastIndexOf(id);
      if (i >= 0) stack.splice(i, 1);
      if (stack.length === 0) setRootInert(false);
      if (previous && previous.isConnected) previous.focus();
    };
    // Mount-only: the dialog takes focus once.
  }, [id, initialFocus, opener]);

  const width = size === 'sm' ? 'max-w-md' : size === 'lg' ? 'max-w-3xl' : 'max-w-xl';
  const body = (
    <>
      {children ? <div className="min-h-0 flex-1 overflow-y-auto px-6 pb-5">{children}</div> : null}
      {footer ? <div className="flex items-center justify-end gap-2 border-t border-line bg-subtle/60 px-6 py-3.5">{footer}</div> : null}
    </>
  );

  return createPortal(
    <div
      className="fixed inset-0 z-40 flex items-start justify-center overflow-y-auto bg-black/40 p-4 pt-[8vh] backdrop-blur-[2px] dark:bg-black/60"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget && stack[stack.length - 1] === id) onCloseRef.current();
      }}
    >
      <div
        ref={panel}
        role={role}
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        aria-describedby={description ? `${id}-desc` : undefined}
        tabIndex={-1}
        className={`relative flex max-h-[84vh] w-full ${width} flex-col overflow-hidden rounded-xl border border-line bg-surface shadow-2xl outline-none`}
      >
        <div className="flex items-start gap-3 px-6 pt-5 pb-4">
          {icon ? <div className="mt-0.5 shrink-0">{icon}</div> : null}
          <div className="min-w-0 flex-1">
            <h2 id={`${id}-title`} className="text-base font-semibold [overflow-wrap:anywhere]">
              {title}
            </h2>
            {description ? (
              <p id={`${id}-desc`} className="mt-1 text-sm text-muted [overflow-wrap:anywhere]">
                {description}
              </p>
            ) : null}
          </div>
          <button
            type="button"
            data-dialog-close
            aria-label="Close"
            title="Close (Esc)"
            onClick={() => onCloseRef.current()}
            className="-mt-1 -mr-2 inline-flex h-8 w-8 items-center justify-center rounded-lg text-muted hover:bg-hover hover:text-fg"
          >
            <X size={18} aria-hidden="true" />
          </button>
        </div>
        {onSubmit ? (
          <form
            noValidate
            className="flex min-h-0 flex-1 flex-col"
            onSubmit={(e) => {
              e.preventDefault();
              onSubmit();
            }}
          >
            {body}
          </form>
        ) : (
          body
        )}
      </div>
    </div>,
    document.body,
  );
}

/** True while any dialog is open (global shortcuts stand aside). */
export function isDialogOpen(): boolean {
  return stack.length > 0;
}
